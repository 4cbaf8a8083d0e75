"""Domain errors: each carries a stable code, a message for people, and the field at fault."""


class DomainError(Exception):
    status = 400
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
    status = 422
    code = "validation_failed"


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"

    def __init__(self, message: str = "Sign in to continue.", **kw):
        super().__init__(message, **kw)


class Forbidden(DomainError):
    status = 403
    code = "forbidden"

    def __init__(self, message: str = "Your role may not do this.", **kw):
        super().__init__(message, **kw)


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class TooManyRequests(DomainError):
    status = 429
    code = "too_many_requests"

    def __init__(self, message: str, retry_after: int):
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


class PaymentDeclined(DomainError):
    status = 402
    code = "payment_declined"
