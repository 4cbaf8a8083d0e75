"""How the REST API answers a refusal: each domain error class has its HTTP status here, and every
error body has one shape, {"error": {"code", "message", "field", ...}}."""
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from services.core.breaker import StoreUnavailable, unavailable

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


class ErrorDetail(BaseModel):
    code: str = Field(description="What went wrong, for programs.", examples=["validation_failed"])
    message: str = Field(description="What went wrong, for people.", examples=["Passengers: at most 4 per booking."])
    field: str | None = Field(None, description="The request field at fault (422), else null.", examples=["passengers"])


class ErrorBody(BaseModel):
    """Every refusal of the API has this shape."""
    error: ErrorDetail


_MEANINGS = {
    401: "Not signed in, or the token expired or was revoked.",
    403: "Signed in, but this account's role may not do this.",
    404: "No such resource, or it belongs to someone else.",
    409: "Conflicts with the current state (sold out, already cancelled, a duplicate, a changed version).",
    422: "A field is missing or invalid: `field` names it.",
}


def document_errors(api) -> None:
    """Adds to the OpenAPI schema the refusals each operation can answer, with the error body:
    401 and 403 where a sign-in is needed, 404 where the path names a resource, 409 where it
    changes something, 422 where it takes input (replacing FastAPI's own 422 shape, which this
    API never sends)."""
    plain_openapi = api.openapi

    def openapi() -> dict:
        if api.openapi_schema and "ErrorBody" in api.openapi_schema["components"]["schemas"]:
            return api.openapi_schema
        schema = plain_openapi()
        body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(body.pop("$defs", {}))
        schemas["ErrorBody"] = body
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        for operations in schema["paths"].values():
            for method, op in operations.items():
                params = op.get("parameters", [])
                statuses = []
                if op.get("security"):
                    statuses += [401, 403]
                if any(p["in"] == "path" for p in params):
                    statuses.append(404)
                if method in ("post", "put", "patch", "delete"):
                    statuses.append(409)
                if params or "requestBody" in op:
                    statuses.append(422)
                for status in statuses:
                    answer = op["responses"].setdefault(str(status), {"description": _MEANINGS[status]})
                    if status == 422:
                        answer["description"] = _MEANINGS[422]
                    answer["content"] = error
        api.openapi_schema = schema
        return schema

    api.openapi = openapi
