"""Notification routes: IT's queue (`/api/notifications`, IT and admin), the signed-in traveler's
or agency's own inbox (`/api/me/notifications`), and the one-click unsubscribe from new launch
emails (`/api/mail/unsubscribe`, no sign-in: the signed token is the authority)."""
from typing import Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from astrobookings.api.deps import OperatorActor, SignedIn
from astrobookings.api.params import PAGE, PER_PAGE
from services.notify import inbox, queue

router = APIRouter(tags=["notifications"])
_ID = {"min_length": 1, "max_length": 100}
Status = Literal["pending", "sending", "sent", "failed", "cancelled"]


class StatusChange(BaseModel):
    status: Literal["pending", "cancelled"]


@router.get("/api/notifications")
def list_notifications(actor: OperatorActor, status: Status | None = Query(None, description="Only in this status."),
                       kind: str | None = Query(None, max_length=40, description="Only of this kind, e.g. `booking_confirmed`."),
                       recipient: str | None = Query(None, max_length=254, description="Only to addresses containing this."),
                       date: str | None = Query(None, max_length=10, description="Only created on this day (YYYY-MM-DD)."),
                       page: int = Query(1, description=PAGE, ge=1, le=100_000),
                       per_page: int = Query(20, description=PER_PAGE, ge=1, le=100)):
    """`{"items", "total", "counts": {status: n}}`, newest first."""
    return queue.list_notifications(actor, status=status, kind=kind, recipient=recipient, date=date, page=page,
                                    per_page=per_page)


@router.get("/api/notifications/status")
def service_status(actor: OperatorActor):
    return queue.notification_service_status(actor)


@router.post("/api/notifications/retry-failed")
def retry_failed(actor: OperatorActor):
    """Every failed notification due again now (after an SMTP outage)."""
    return {"retried": queue.retry_failed(actor)}


@router.get("/api/notifications/{notification_id}")
def get_notification(actor: OperatorActor, notification_id: str = Path(..., **_ID)):
    return queue.get_notification(actor, notification_id)


@router.patch("/api/notifications/{notification_id}")
def change_notification(actor: OperatorActor, body: StatusChange, notification_id: str = Path(..., **_ID)):
    """`{"status": "pending"}` retries now (failed or pending); `{"status": "cancelled"}` cancels a pending one."""
    return queue.set_status(actor, notification_id, body.status)


@router.get("/api/me/notifications")
def my_notifications(actor: SignedIn, page: int = Query(1, description=PAGE, ge=1, le=100_000),
                     per_page: int = Query(20, description=PER_PAGE, ge=1, le=100)):
    return inbox.my_notifications(actor, page=page, per_page=per_page)


@router.post("/api/me/notifications/{notification_id}/read")
def mark_read(actor: SignedIn, notification_id: str = Path(..., **_ID)):
    return inbox.mark_read(actor, notification_id)


_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>AstroBookings</title></head>
<body style="font-family: Arial, sans-serif; max-width: 480px; margin: 48px auto;"><h1>AstroBookings</h1><p>{}</p></body></html>"""


@router.get("/api/mail/unsubscribe", response_class=HTMLResponse)
@router.post("/api/mail/unsubscribe", response_class=HTMLResponse)
def unsubscribe(token: str = Query(..., min_length=3, max_length=400, description="The signed token from the email's link.")):
    """One click, no sign-in (the link in the email, and RFC 8058's List-Unsubscribe-Post)."""
    if inbox.unsubscribe(token):
        return HTMLResponse(_PAGE.format("You will get no more new launch emails. Emails about your bookings still come."))
    return HTMLResponse(_PAGE.format("This unsubscribe link is not valid."), status_code=400)
