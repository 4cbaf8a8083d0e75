"""The REST API: a FastAPI app mounted in front of the Reflex backend, OpenAPI at /api/openapi.json,
read with Swagger UI at /api/docs or ReDoc at /api/redoc (astrobookings/api/docs.py)."""
import time

import psycopg
import redis
from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.security.base import SecurityBase
from pymongo.errors import ConnectionFailure
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

from astrobookings.api.params import known_query_only
from astrobookings.api.security import SecurityHeaders
from services.core.logs import get_logger
from services.core.metrics import observe_request
from astrobookings.api.errors import (
    document_errors, domain_error_response, error_response as _error, store_unavailable_response,
    unexpected_error_response,
)
from services.core.breaker import StoreUnavailable
from services.core.settings import get_settings
from services.auth.accounts import authenticate
from services.kernel.errors import DomainError
from services.kernel.validation import describe

_log = get_logger("api")
# Raised by the stores' drivers, handled here (not as a 500 crash) so an outage answers 503.
DRIVER_ERRORS = (ConnectionFailure, redis.ConnectionError, redis.TimeoutError, SQLAlchemyError, psycopg.Error)


def _needs_sign_in(route) -> bool:
    """Whether a route declares a bearer-token security scheme anywhere among its dependencies."""
    pending = [getattr(route, "dependant", None)]
    while pending:
        dependant = pending.pop()
        if dependant is None:
            continue
        if isinstance(dependant.call, SecurityBase):
            return True
        pending.extend(dependant.dependencies)
    return False


def _signed_in(request: Request) -> bool:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    try:
        authenticate(token.strip(), entry_point="api")
    except DomainError:
        return False
    return True


def create_api() -> FastAPI:
    # One router module per domain, named after it (booking has its JSON, catalog and crawler HTML).
    from astrobookings.api import (
        agency, auth, auth_admin, booking, booking_catalog, booking_seo, docs, finance, monitor, notify, session, sync,
    )

    api = FastAPI(title="AstroBookings API", version="1.0", docs_url=None,
                  openapi_url="/api/openapi.json", redoc_url=None,
                  dependencies=[Depends(known_query_only)])

    @api.exception_handler(DomainError)
    async def domain_error(_request: Request, exc: DomainError):
        return domain_error_response(exc)

    @api.exception_handler(StoreUnavailable)
    async def store_unavailable(_request: Request, exc: StoreUnavailable):
        _log.warning("store unavailable", extra={"fields": {"store": exc.store, "error": exc.detail}})
        return store_unavailable_response(exc)

    async def unexpected(_request: Request, exc: Exception):
        # A 503 when the error says a store cannot be reached (a driver's error), else a plain 500.
        if (answer := unexpected_error_response(exc)) is not None:
            _log.warning("store unavailable", extra={"fields": {"error": type(exc).__name__}})
            return answer
        _log.exception("unhandled error")
        return _error(500, "internal_error", "Something went wrong on our side. Please try again.")

    for error in (*DRIVER_ERRORS, Exception):
        api.add_exception_handler(error, unexpected)

    @api.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        # A route that needs a signed-in user says so first: an anonymous caller learns nothing
        # about the body it would accept (FastAPI parses the body before the auth dependency runs).
        if _needs_sign_in(request.scope.get("route")) and not await run_in_threadpool(_signed_in, request):
            return _error(401, "not_authenticated", "Sign in to continue.", headers={"WWW-Authenticate": "Bearer"})
        field, message = describe(exc.errors()[0])
        return _error(422, "validation_failed", message, field)

    @api.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException):
        return _error(exc.status_code, "http_error", str(exc.detail))

    for module in (auth, session, auth_admin, monitor, agency, booking_catalog, booking, booking_seo, finance, notify,
                   sync, docs):
        api.include_router(module.router)
    api.include_router(finance.agency_router)
    api.include_router(monitor.scrape_router)
    document_errors(api)
    # Credentials only from our own origins, never an echoed one. (Reflex adds the same CORS rules
    # from rxconfig around the whole backend.) Headers and redirects for every response.
    api.add_middleware(CORSMiddleware, allow_origins=get_settings().allowed_origins, allow_credentials=True,
                       allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                       allow_headers=["Authorization", "Content-Type", "Idempotency-Key"])
    api.add_middleware(SecurityHeaders)

    @api.middleware("http")
    async def measure(request: Request, call_next):
        started = time.perf_counter()
        response = await call_next(request)
        observe_request(request.url.path, request.method, response.status_code, time.perf_counter() - started)
        return response
    return api
