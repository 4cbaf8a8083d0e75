"""The REST API: a FastAPI app mounted in front of the Reflex backend, OpenAPI at /api/docs."""
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from astrobookings.logs import get_logger
from services.errors import DomainError
from services.validation import describe

_log = get_logger("api")


def _error(status: int, code: str, message: str, field: str | None = None, headers=None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "field": field}}, status_code=status, headers=headers)


def create_api() -> FastAPI:
    from astrobookings.api import admin, auth, system

    api = FastAPI(title="AstroBookings API", version="1.0", docs_url="/api/docs",
                  openapi_url="/api/openapi.json", redoc_url=None)

    @api.exception_handler(DomainError)
    async def domain_error(_request: Request, exc: DomainError):
        headers = {"Retry-After": str(exc.retry_after)} if hasattr(exc, "retry_after") else None
        return JSONResponse(exc.to_dict(), status_code=exc.status, headers=headers)

    @api.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError):
        field, message = describe(exc.errors()[0])
        return _error(422, "validation_failed", message, field)

    @api.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException):
        return _error(exc.status_code, "http_error", str(exc.detail))

    @api.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception):
        _log.exception("unhandled error")
        return _error(500, "internal_error", "Something went wrong on our side. Please try again.")

    from astrobookings.api import agency
    from astrobookings.api import bookings, launches, seo

    for module in (auth, admin, system, agency, launches, bookings, seo):
        api.include_router(module.router)
    return api
