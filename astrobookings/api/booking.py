"""Travelers' bookings. POST accepts an Idempotency-Key header: a retry returns the first booking.

Each route resolves the traveler and calls its service in ONE worker-thread hop: both block on
the stores, and every extra hop (FastAPI runs each sync dependency on its own) costs the event
loop a thread hand-off on the platform's hottest write path.
"""
from collections.abc import Callable
from typing import TypeVar

from fastapi import APIRouter, Body, Depends, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials

from astrobookings.api.deps import bearer, client_address
from astrobookings.api.files import PDF, PDF_RESPONSE, download
from astrobookings.api.paging import Page
from astrobookings.api.params import Id, PageNumber, PerPage
from services.core.models.booking import BookingCancel, BookingCreate, BookingPublic
from services.auth import accounts as auth
from services.booking import bookings, cancellations, receipts
from services.kernel.actor import Actor

router = APIRouter(prefix="/api/bookings", tags=["bookings"])
T = TypeVar("T")


async def _as_traveler(request: Request, credentials: HTTPAuthorizationCredentials | None,
                       call: Callable[[Actor], T]) -> T:
    token = credentials.credentials if credentials else None
    address = client_address(request)

    def run() -> T:
        return call(auth.authenticate(token, entry_point="api", client_address=address).require("traveler"))
    return await run_in_threadpool(run)


@router.post("", response_model=BookingPublic, status_code=201,
             responses={200: {"description": "Replay of an Idempotency-Key: the first booking"},
                        402: {"description": "Card declined"}, 409: {"description": "Sold out or closed"}})
async def create_booking(body: BookingCreate, request: Request, response: Response,
                         idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
                         credentials: HTTPAuthorizationCredentials | None = Depends(bearer)):
    booking, created = await _as_traveler(request, credentials,
                                          lambda actor: bookings.create_booking(actor, body, idempotency_key))
    if not created:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    return booking


@router.get("", response_model=Page[BookingPublic])
async def list_bookings(request: Request, page: PageNumber = 1, per_page: PerPage = 10,
                        credentials: HTTPAuthorizationCredentials | None = Depends(bearer)):
    items, total = await _as_traveler(request, credentials,
                                      lambda actor: bookings.list_bookings(actor, page=page, per_page=per_page))
    return Page(items=items, total=total, page=page, per_page=per_page)


@router.get("/{booking_id}", response_model=BookingPublic)
async def get_booking(booking_id: Id, request: Request,
                      credentials: HTTPAuthorizationCredentials | None = Depends(bearer)):
    """The booking, its launch as it stands now, and `cancel_quote`: what cancelling now refunds."""
    return await _as_traveler(request, credentials, lambda actor: bookings.get_booking(actor, booking_id))


@router.get("/{booking_id}/receipt.pdf", response_class=Response, responses=PDF_RESPONSE)
async def booking_receipt(booking_id: Id, request: Request,
                          credentials: HTTPAuthorizationCredentials | None = Depends(bearer)):
    """The traveler's receipt: number, launch, seats, passengers, amount paid and any refund."""
    filename, body = await _as_traveler(request, credentials, lambda actor: receipts.receipt_pdf(actor, booking_id))
    return download(filename, body, PDF, disposition="inline")


@router.post("/{booking_id}/cancel", response_model=BookingPublic)
async def cancel_booking(booking_id: Id, request: Request, body: BookingCancel | None = Body(None),
                         credentials: HTTPAuthorizationCredentials | None = Depends(bearer)):
    return await _as_traveler(request, credentials, lambda actor: cancellations.cancel_booking(actor, booking_id, body))
