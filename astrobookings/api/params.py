"""Path and query parameters as every route takes them: bounded here, so an id or page number
beyond its column answers 422 naming the parameter instead of failing in the database."""
from typing import Annotated

from fastapi import Path, Query
from pydantic import AfterValidator

from services.core.models.bounds import INT32_MAX, MAX_PAGE, plain_text

Id = Annotated[int, Path(ge=1, le=INT32_MAX, description="A numeric id (1 to 2147483647)")]
UserId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Slug = Annotated[str, Path(min_length=1, max_length=200), AfterValidator(plain_text)]
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE)]
PerPage = Annotated[int, Query(ge=1, le=100)]
Search = Annotated[str | None, Query(max_length=100), AfterValidator(plain_text)]
