"""How the REST API answers a refusal: each domain error class has its HTTP status here, and every
error body has one shape, {"error": {"code", "message", "field", ...}}."""
from fastapi.responses import JSONResponse

from astrobookings.breaker import StoreUnavailable, unavailable

from services.kernel.errors import (
    Conflict, DomainError, Forbidden, NotAuthenticated, NotFound, PaymentDeclined, ServiceUnavailable, TooManyRequests,
    ValidationFailed,
)

HTTP_STATUS: dict[type[DomainError], int] = {
    ValidationFailed: 422, NotAuthenticated: 401, Forbidden: 403, NotFound: 404, Conflict: 409,
    TooManyRequests: 429, PaymentDeclined: 402, ServiceUnavailable: 503,
}


def status_of(exc: DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return 400


def error_response(status: int, code: str, message: str, field: str | None = None, headers=None, **extra) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "field": field, **extra}},
                        status_code=status, headers=headers)


def domain_error_response(exc: DomainError) -> JSONResponse:
    retry_after = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return JSONResponse(exc.to_dict(), status_code=status_of(exc), headers=headers)


def store_unavailable_response(exc: StoreUnavailable) -> JSONResponse:
    """503 with Retry-After, naming the store: what the request needs is down, nothing was done
    (a write either committed before the store went away or not at all; repeat it with the same
    Idempotency-Key)."""
    return error_response(503, "store_unavailable", exc.message, store=exc.store, retry_after=exc.retry_after,
                          headers={"Retry-After": str(exc.retry_after)})


def unexpected_error_response(exc: Exception) -> JSONResponse | None:
    """A store's driver error that says the store cannot be reached, as a 503; None for anything else."""
    found = unavailable(exc)
    return store_unavailable_response(found) if found is not None else None
