"""Path and query parameters as every route takes them: bounded here, so an id or page number
beyond its column answers 422 naming the parameter instead of failing in the database; and a
query parameter the route does not declare answers 422 naming it, so a misspelt filter
(`actor=` for `actor_email=`) is never read as "no filter"."""
from typing import Annotated

from fastapi import Path, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator

from services.core.models.bounds import INT32_MAX, MAX_PAGE, plain_text

PAGE = "Which page of the list, from 1."
PER_PAGE = "How many items a page holds."
Id = Annotated[int, Path(ge=1, le=INT32_MAX, description="A numeric id (1 to 2147483647)")]
UserId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Slug = Annotated[str, Path(min_length=1, max_length=200), AfterValidator(plain_text)]
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description=PAGE)]
PerPage = Annotated[int, Query(ge=1, le=100, description=PER_PAGE)]
Search = Annotated[str | None, Query(max_length=100, description="Words the item's text contains."),
                   AfterValidator(plain_text)]
_SHOWN = 50  # of an unknown name, in the answer

_declared: dict[int, frozenset[str]] = {}


def _query_names(route) -> frozenset[str]:
    """The query parameters a route declares, its dependencies' included, as callers spell them."""
    names = _declared.get(id(route))
    if names is None:
        found, pending = set(), [route.dependant]
        while pending:
            dependant = pending.pop()
            found.update(field.alias for field in dependant.query_params)
            pending.extend(dependant.dependencies)
        names = _declared[id(route)] = frozenset(found)
    return names


async def known_query_only(request: Request) -> None:
    """An app-wide dependency: refuses a query parameter the matched route does not declare. Pages
    for browsers and crawlers (outside the OpenAPI document) are left alone: shared links carry
    tracking parameters (`utm_source`, ...) that must not turn a page into an error. Async: no
    worker-thread hop of its own on any route."""
    route = request.scope.get("route")
    if route is None or not getattr(route, "include_in_schema", False):
        return
    declared = _query_names(route)
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in declared]
    if not unknown:
        return
    others = f" (nor are {', '.join(n[:_SHOWN] for n in unknown[1:])})" if unknown[1:] else ""
    takes = f"it takes {', '.join(sorted(declared))}" if declared else "it takes none"
    rule = f"is not a query parameter of this route{others}: {takes}"
    raise RequestValidationError([{"type": "value_error", "loc": ("query", unknown[0][:_SHOWN]),
                                   "msg": rule, "input": None, "ctx": {"error": rule}}])
