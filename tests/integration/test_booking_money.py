"""Money outside the lock, on the real stores: holds, charges, confirmations and refunds under
faults. No seat is sold twice, no booking is charged without its seats held, and every charge
ends confirmed or refunded, each refund paid exactly once (the sandbox gateway's ledger says so)."""
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from services.core.db import read_session, unit_of_work
from services.core.models import Booking, Launch, Refund
from services import booking
from services.auth import accounts as auth
from services.booking import bookings
from services.kernel.payments import APPROVE_CARD, sandbox_faults, sandbox_ledger
from tests.booking_helpers import book, passengers, published_launch
from tests.helpers import drain_outbox, new_traveler

ROOT = Path(__file__).resolve().parents[2]


class SimulatedCrash(BaseException):
    """Raised by a gateway hook: the booking's process stops there, as if it had been killed."""


def _crash() -> None:
    raise SimulatedCrash()


def _actor(headers: dict):
    return auth.authenticate(headers["Authorization"].split()[1], entry_point="api")


def _order(launch_id: int, seats: int) -> dict:
    return {"launch_id": launch_id, "passengers": passengers(seats), "payment": {"card_number": APPROVE_CARD}}


def _launch(launch_id: int) -> Launch:
    with read_session() as session:
        return session.get(Launch, launch_id)


def _bookings(launch_id: int) -> list[Booking]:
    with read_session() as session:
        return list(session.exec(select(Booking).where(Booking.launch_id == launch_id).order_by(Booking.id)))


def _taken(launch_id: int) -> int:
    return sum(b.seats for b in _bookings(launch_id) if b.status.value in ("held", "confirmed"))


def _charges(booking_id: int) -> list[dict]:
    return [e for e in sandbox_ledger() if e["kind"] == "charge" and e["key"] == f"booking-{booking_id}"]


def _refunds_of(charge_ref: str) -> list[dict]:
    return [e for e in sandbox_ledger() if e["kind"] == "refund" and e["charge"] == charge_ref]


def _expire_now(booking_id: int) -> None:
    """The hold's minutes pass (BOOKING_HOLD_SECONDS later)."""
    with unit_of_work() as session:
        session.execute(text("update booking set hold_expires_at = now() - interval '1 second' where id = :id"),
                        {"id": booking_id})


def _until(check, what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_gateway_failing_on_the_third_of_five_refunds_of_an_abort_pays_all_five_exactly_once(api):
    launch = published_launch(api, capacity=6, price_cents=1_000_000)
    made = [book(api, new_traveler(api)[1], launch["id"], 1).json() for _ in range(5)]
    assert all(b["status"] == "confirmed" for b in made)
    drain_outbox()  # only the abort's refunds are left to pay below

    with sandbox_faults(fail_refund_calls=(3,)):
        aborted = api.post(f"/api/agency/launches/{launch['id']}/status", headers=launch["agency_headers"],
                           json={"status": "aborted", "reason": "technical"})
        assert aborted.status_code == 200, aborted.text
        with read_session() as session:
            refunds = session.exec(select(Refund).where(Refund.launch_id == launch["id"]).order_by(Refund.id)).all()
        assert [r.status.value for r in refunds] == ["pending"] * 5  # written by the abort, nothing paid inside it
        drain_outbox()

        def statuses() -> list[str]:
            with read_session() as session:
                return [session.get(Refund, r.id).status.value for r in refunds]

        # The 3rd refund call failed: the two before it are paid, the rest wait for the delivery's
        # retry after its backoff (which a slow machine may already have run within that drain).
        first = statuses()
        assert first[:2] == ["paid", "paid"] and first[2:] in (["pending"] * 3, ["paid"] * 3), first

        # The delivery is retried after its backoff: the two paid are skipped, the other three paid.
        def retried() -> bool:
            drain_outbox()
            return statuses() == ["paid"] * 5
        _until(retried, "the retried refunds")

    for b in made:
        assert len(_refunds_of(b["payment_ref"])) == 1, b  # each charge refunded exactly once
        assert _refunds_of(b["payment_ref"])[0]["amount_cents"] == 1_000_000
    with read_session() as session:
        paid_events = session.execute(text("select count(*) from outbox_event where event_type = 'refund.paid' "
                                           "and (payload->>'launch_id')::int = :l"), {"l": launch["id"]}).scalar_one()
    assert paid_events == 5
    with read_session() as session:
        attempts = session.execute(text(
            "select max(d.attempts) from outbox_delivery d join outbox_event e on e.id = d.event_id "
            "where d.consumer = 'refunds' and (e.payload->>'launch_id')::int = :l"), {"l": launch["id"]}).scalar_one()
    assert attempts >= 2  # the failed delivery was retried, not lost


def test_a_booking_killed_between_charge_and_confirm_is_refunded_once_and_its_seat_sold_once(api):
    launch = published_launch(api, capacity=2)
    email, headers = new_traveler(api)
    actor = _actor(headers)
    env = {**os.environ, "BOOKING_HOLD_SECONDS": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "tests.crash_booking", str(launch["id"]), actor.user_id, email],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
        reader.start()
        _until(lambda: any(line.startswith("charged") for line in lines) or proc.poll() is not None, "the charge", 60)
        assert any(line.startswith("charged") for line in lines), lines
        os.killpg(proc.pid, signal.SIGKILL)  # after the charge, before the confirmation
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    [held] = _bookings(launch["id"])
    charge = lines[0].split()[1].strip()
    assert held.status.value == "held" and held.payment_ref is None and _charges(held.id)[0]["reference"] == charge
    assert _launch(launch["id"]).seats_sold == 1  # held seats count as taken

    # The hold expires; the expiry job releases it, and the refunds consumer finds the charge.
    _until(lambda: booking.expire_holds(launch["id"]) == 1 or _bookings(launch["id"])[0].status.value != "held",
           "the hold to expire")
    drain_outbox()
    [released] = _bookings(launch["id"])
    assert released.status.value == "released" and released.release_reason == "expired"
    assert _launch(launch["id"]).seats_sold == 0
    assert len(_charges(held.id)) == 1 and [r["amount_cents"] for r in _refunds_of(charge)] == [launch["price_cents"]]
    with read_session() as session:
        refund = session.exec(select(Refund).where(Refund.booking_id == held.id)).one()
    assert (refund.reason, refund.status.value, refund.charge_ref) == ("late_charge", "paid", charge)
    mine = api.get("/api/bookings", headers=headers).json()
    assert [(b["status"], b["refund_status"]) for b in mine["items"]] == [("released", "paid")]

    # Its seat is sold once: two other buyers take both seats, a third is told it is sold out.
    assert book(api, new_traveler(api)[1], launch["id"], 2).status_code == 201
    assert book(api, new_traveler(api)[1], launch["id"], 1).json()["error"]["code"] == "sold_out"
    assert _launch(launch["id"]).seats_sold == _taken(launch["id"]) == 2
    drain_outbox()
    assert len(_refunds_of(charge)) == 1  # a second pass of every consumer pays nothing more


def test_an_expired_hold_releases_its_seats_lazily_and_by_the_job(api):
    launch = published_launch(api, capacity=2)
    first = _actor(new_traveler(api)[1])
    with sandbox_faults(before_charge=_crash), pytest.raises(SimulatedCrash):
        bookings.create_booking(first, _order(launch["id"], 2))  # the process died before the charge
    [hold] = _bookings(launch["id"])
    assert hold.status.value == "held" and _launch(launch["id"]).seats_sold == 2
    second = new_traveler(api)[1]
    assert book(api, second, launch["id"], 1).json()["error"]["code"] == "sold_out"  # held seats are taken

    # Once the hold has expired, the next buyer who finds the launch full releases it and books.
    _expire_now(hold.id)
    assert book(api, second, launch["id"], 1).status_code == 201
    assert _bookings(launch["id"])[0].release_reason == "expired" and _launch(launch["id"]).seats_sold == 1

    # No buyer comes: the scheduler's job releases it.
    with sandbox_faults(before_charge=_crash), pytest.raises(SimulatedCrash):
        bookings.create_booking(_actor(new_traveler(api)[1]), _order(launch["id"], 1))
    late = _bookings(launch["id"])[-1]
    assert booking.expire_holds() == 0 and _launch(launch["id"]).seats_sold == 2  # not expired yet
    _expire_now(late.id)
    assert booking.expire_holds() == 1
    assert _launch(launch["id"]).seats_sold == 1 and _bookings(launch["id"])[-1].status.value == "released"
    drain_outbox()
    assert api.get(f"/api/launches/{launch['slug']}").json()["seats_free"] == 1
    with read_session() as session:  # never charged, so nothing to refund
        assert session.exec(select(Refund).where(Refund.launch_id == launch["id"])).all() == []


def test_a_retry_with_the_same_key_completes_a_held_booking_with_one_charge(api):
    launch = published_launch(api)
    actor = _actor(new_traveler(api)[1])
    key = uuid.uuid4().hex
    with sandbox_faults(before_charge=_crash), pytest.raises(SimulatedCrash):
        bookings.create_booking(actor, _order(launch["id"], 2), key)
    booked, created = bookings.create_booking(actor, _order(launch["id"], 2), key)
    assert not created and booked.status.value == "confirmed" and booked.seats == 2
    assert len(_charges(booked.id)) == 1 and _launch(launch["id"]).seats_sold == 2
    again, _ = bookings.create_booking(actor, _order(launch["id"], 2), key)
    assert again.id == booked.id and len(_charges(booked.id)) == 1


def test_a_charge_arriving_after_its_hold_expired_is_refunded_and_the_buyer_told(api):
    launch = published_launch(api)
    actor = _actor(new_traveler(api)[1])

    def expire_meanwhile(_receipt) -> None:  # the gateway answered after the hold's minutes
        [hold] = _bookings(launch["id"])
        _expire_now(hold.id)
        assert booking.expire_holds(launch["id"]) == 1

    with sandbox_faults(after_charge=expire_meanwhile), pytest.raises(Exception) as refused:
        bookings.create_booking(actor, _order(launch["id"], 1))
    assert getattr(refused.value, "code", None) == "hold_released"
    drain_outbox()
    [released] = _bookings(launch["id"])
    [charge] = _charges(released.id)
    assert released.status.value == "released" and _launch(launch["id"]).seats_sold == 0
    assert [r["amount_cents"] for r in _refunds_of(charge["reference"])] == [launch["price_cents"]]


def test_a_lost_gateway_answer_releases_the_seats_and_refunds_the_charge(api):
    launch = published_launch(api)
    _email, headers = new_traveler(api)
    with sandbox_faults(lose_charge_answers=(1,)):
        response = book(api, headers, launch["id"], 2)
    assert response.status_code == 503 and response.json()["error"]["code"] == "unavailable"
    assert response.headers["Retry-After"]
    [released] = _bookings(launch["id"])
    assert released.status.value == "released" and released.release_reason == "payment_failed"
    assert _launch(launch["id"]).seats_sold == 0
    drain_outbox()
    [charge] = _charges(released.id)
    assert len(_refunds_of(charge["reference"])) == 1


def test_fifty_buyers_for_ten_seats_with_a_slow_gateway_sell_exactly_ten(api):
    launch = published_launch(api, capacity=10)
    with ThreadPoolExecutor(max_workers=16) as pool:
        travelers = list(pool.map(lambda _: new_traveler(api)[1], range(50)))
    start = threading.Barrier(50)

    def buy(headers):
        start.wait()
        return book(api, headers, launch["id"], 1, key=uuid.uuid4().hex)

    with sandbox_faults(latency_ms=300), ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(buy, travelers))

    codes = [r.status_code for r in responses]
    assert codes.count(201) == 10, sorted(codes)
    assert all(r.json()["error"]["code"] == "sold_out" for r in responses if r.status_code != 201)
    sold = [r.json() for r in responses if r.status_code == 201]
    assert all(b["status"] == "confirmed" for b in sold)
    assert _launch(launch["id"]).seats_sold == _taken(launch["id"]) == 10
    # Only the ten winners were charged, once each; the losers were refused before any charge.
    assert [len(_charges(b["id"])) for b in sold] == [1] * 10
    assert len(_bookings(launch["id"])) == 10
