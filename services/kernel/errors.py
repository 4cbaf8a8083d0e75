"""Domain errors: each carries a stable code, a message for people, and the field at fault.

They know nothing of HTTP: the REST API maps each class to its status (astrobookings/api/errors.py)."""


class DomainError(Exception):
    code = "bad_request"

    def __init__(self, message: str, field: str | None = None, code: str | None = None, **extra):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code
        self.extra = extra

    def to_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "field": self.field, **self.extra}}


class ValidationFailed(DomainError):
    code = "validation_failed"


class NotAuthenticated(DomainError):
    code = "not_authenticated"

    def __init__(self, message: str = "Sign in to continue.", **kw):
        super().__init__(message, **kw)


class Forbidden(DomainError):
    code = "forbidden"

    def __init__(self, message: str = "Your role may not do this.", **kw):
        super().__init__(message, **kw)


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class TooManyRequests(DomainError):
    code = "too_many_requests"

    def __init__(self, message: str, retry_after: int):
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


class PaymentDeclined(DomainError):
    code = "payment_declined"


class ServiceUnavailable(DomainError):
    code = "unavailable"

    def __init__(self, message: str, retry_after: int = 5, **kw):
        super().__init__(message, retry_after=retry_after, **kw)
        self.retry_after = retry_after
