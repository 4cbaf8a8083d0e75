"""Public shapes of the catalog: launch cards as visitors, crawlers and partners see them."""
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from astrobookings.models.agency import RocketRange


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


class CatalogQuery(BaseModel):
    """Filters of the public launch search; `from`/`to` are a window of launch dates, inclusive."""
    model_config = ConfigDict(populate_by_name=True)
    destination: str | None = None
    range: RocketRange | None = None
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None
    max_price_cents: int | None = Field(default=None, ge=0)
    page: int = Field(default=1, ge=1, le=10_000)
    per_page: int = Field(default=12, ge=1, le=100)
