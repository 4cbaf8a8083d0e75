"""Public shapes of the catalog: launch cards as visitors, crawlers and partners see them."""
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.core.models.agency import RocketRange
from services.core.models.bounds import INT32_MAX, MAX_PAGE, launch_day, plain_text


class LaunchCardPublic(BaseModel):
    id: int
    slug: str
    name: str
    url: str
    agency_name: str
    rocket_name: str
    rocket_range: str
    spaceport: str
    spaceport_name: str
    destination: str
    destination_name: str
    date: datetime
    price_cents: int
    seats_offered: int
    seats_free: int
    status: str
    bookable: bool
    sold_out: bool = False


class CatalogQuery(BaseModel):
    """Filters of the public launch search; `from`/`to` are a window of launch dates, inclusive."""
    model_config = ConfigDict(populate_by_name=True)
    destination: str | None = Field(default=None, max_length=40)
    range: RocketRange | None = None
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None
    max_price_cents: int | None = Field(default=None, ge=0, le=INT32_MAX)
    # Launches with at least this many free seats (a family booking together).
    seats_needed: int | None = Field(default=None, ge=1, le=100)
    # date: soonest first; price / -price: cheapest / dearest first; seats: most free seats first.
    sort: Literal["date", "price", "-price", "seats"] = "date"
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    per_page: int = Field(default=12, ge=1, le=100)

    _text = field_validator("destination")(plain_text)
    _days = field_validator("from_", "to")(launch_day)
