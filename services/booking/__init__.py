"""Booking: travelers book seats and cancel them; refunds; the public catalog and what crawlers read.

Public surface for other domains: the one rule of "open for booking", and what an aborted launch
does to its bookings (`cancel_for_aborted_launch`, called in the agency's abort transaction), and
what the read model's projector tells the catalog's cache (`launch_changed`); for the emails, the
refund terms (`refund_policy`), the receipt PDF (`receipt_pdf`) and a booking's calendar event
(`LaunchEvent`, `calendar_attachment`).
Owns the `booking`, `passenger` and `refund` tables (PostgreSQL) and reads the customer read
model's launch cards (MongoDB) through Redis. Publishes (services/booking/events.py)
`booking.held|confirmed|released|expired|cancelled`, `refund.requested|paid`. Consumes, as the
`refunds` consumer (services/booking/consumers.py), the events that owe a traveler money.
"""
from services.booking.aborts import AbortOutcome, cancel_for_aborted_launch
from services.booking.calendar import LaunchEvent
from services.booking.calendar import attachment as calendar_attachment
from services.booking.catalog_cache import launch_changed
from services.booking.holds import expire_holds
from services.booking.receipts import receipt_pdf
from services.booking.rules import booking_state, is_ahead, is_open_for_booking, is_vip, refund_policy

__all__ = ["AbortOutcome", "LaunchEvent", "booking_state", "calendar_attachment", "cancel_for_aborted_launch",
           "expire_holds", "is_ahead", "is_open_for_booking", "is_vip", "launch_changed", "receipt_pdf", "refund_policy"]
