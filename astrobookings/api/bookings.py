"""Travelers' bookings. POST accepts an Idempotency-Key header: a retry returns the first booking."""
from fastapi import APIRouter, Body, Depends, Header, Query, Response

from astrobookings.api.deps import role_required
from astrobookings.api.pages import Page
from astrobookings.models.booking import BookingCancel, BookingCreate, BookingPublic
from services import bookings
from services.actor import Actor

router = APIRouter(prefix="/api/bookings", tags=["bookings"])
traveler_only = role_required("traveler")


@router.post("", response_model=BookingPublic, status_code=201,
             responses={200: {"description": "Replay of an Idempotency-Key: the first booking"},
                        402: {"description": "Card declined"}, 409: {"description": "Sold out or closed"}})
def create_booking(body: BookingCreate, response: Response,
                   idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
                   actor: Actor = Depends(traveler_only)):
    booking, created = bookings.create_booking(actor, body, idempotency_key)
    if not created:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    return booking


@router.get("", response_model=Page[BookingPublic])
def list_bookings(page: int = Query(1, ge=1), per_page: int = Query(10, ge=1, le=100),
                  actor: Actor = Depends(traveler_only)):
    items, total = bookings.list_bookings(actor, page=page, per_page=per_page)
    return Page(items=items, total=total, page=page, per_page=per_page)


@router.get("/{booking_id}", response_model=BookingPublic)
def get_booking(booking_id: int, actor: Actor = Depends(traveler_only)):
    """The booking, its launch as it stands now, and `cancel_quote`: what cancelling now refunds."""
    return bookings.get_booking(actor, booking_id)


@router.post("/{booking_id}/cancel", response_model=BookingPublic)
def cancel_booking(booking_id: int, body: BookingCancel | None = Body(None),
                   actor: Actor = Depends(traveler_only)):
    return bookings.cancel_booking(actor, booking_id, body)
