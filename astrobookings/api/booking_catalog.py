"""The public catalog as JSON: the same cards the pages show, from the read model via Redis."""
from fastapi import APIRouter, Query
from fastapi.responses import Response

from astrobookings.api.paging import Page
from astrobookings.api.params import PAGE, PER_PAGE, Slug
from services.core.models.catalog import LaunchCardPublic
from services.booking import catalog, catalog_search

router = APIRouter(prefix="/api/launches", tags=["catalog"])
_HEADERS = {"Cache-Control": "public, max-age=5"}


@router.get("", response_model=Page[LaunchCardPublic])
def list_launches(destination: str | None = Query(None, description="Only to this destination, e.g. `moon`."),
                  range: str | None = Query(None, description="Only rockets of this range, e.g. `low_earth_orbit`."),
                  from_: str | None = Query(None, alias="from", description="Launching on or after this day (YYYY-MM-DD)."),
                  to: str | None = Query(None, description="Launching on or before this day (YYYY-MM-DD)."),
                  max_price_cents: str | None = Query(None, description="A seat costs at most this (cents)."),
                  seats_needed: str | None = Query(None, description="At least this many free seats."),
                  sort: str | None = Query(None, description="date (soonest first, the default), price, -price or seats."),
                  page: str | None = Query(None, description=PAGE), per_page: str | None = Query(None, description=PER_PAGE)):
    """Launches open for booking with free seats. `from`/`to`: YYYY-MM-DD, inclusive; `seats_needed`:
    at least this many free seats; `sort`: date (soonest first, the default), price, -price or seats
    (most free first)."""
    # Raw strings, so the service's validation names the field exactly as the caller spelled it.
    given = {"destination": destination, "range": range, "from": from_, "to": to,
             "max_price_cents": max_price_cents, "seats_needed": seats_needed, "sort": sort,
             "page": page, "per_page": per_page}
    body = catalog_search.search_json({k: v for k, v in given.items() if v not in (None, "")})
    # Cached pages are sent as stored: no model round trip on the hot path.
    return Response(body, media_type="application/json", headers=_HEADERS)


@router.get("/{id_or_slug}", response_model=LaunchCardPublic)
def get_launch(id_or_slug: Slug):
    """One launch by numeric id or by its slug, whatever its status."""
    return Response(catalog.launch_json(id_or_slug), media_type="application/json", headers=_HEADERS)
