"""Finance rules at their boundaries: the fee, the reliable-agency threshold, rounding, the
abort fee, numbers, due dates, status at the due date, aging and reminders."""
from datetime import date

import pytest

from services.finance import rules

DUE = date(2027, 4, 13)


def test_fee_is_one_percent_and_point_eight_for_a_reliable_agency():
    [line] = rules.launch_fee_lines("launched", 10_000_000, reliable=False, launch_name="Hopper to Moon")
    assert (line.quantity, line.unit_cents, line.amount_cents) == (1, 100_000, 100_000) and "1% of net revenue $100,000.00" in line.description
    [line] = rules.launch_fee_lines("launched", 10_000_000, reliable=True, launch_name="Hopper to Moon")
    assert line.amount_cents == 80_000 and "0.8%" in line.description and "reliable" in line.description


def test_reliable_after_two_earlier_successful_launches():
    assert [rules.is_reliable(n) for n in (0, 1, 2, 3)] == [False, False, True, True]


@pytest.mark.parametrize("cents, percent, fee", [
    (49, "1", 0), (50, "1", 1), (149, "1", 1), (150, "1", 2),  # 0.49 -> 0, 0.5 -> 1, 1.49 -> 1, 1.5 -> 2
    (62, "0.8", 0), (63, "0.8", 1), (187, "0.8", 1), (188, "0.8", 2),  # 0.496 -> 0 ... 1.504 -> 2
    (0, "1", 0), (10**12, "0.8", 8 * 10**9),
])
def test_percentages_round_half_up_to_the_cent(cents, percent, fee):
    from decimal import Decimal

    assert rules.percent_of(cents, Decimal(percent)) == fee


def test_abort_is_a_flat_thousand_dollars_and_failure_owes_nothing():
    [line] = rules.launch_fee_lines("aborted", 123_456, reliable=True, launch_name="x")
    assert line.amount_cents == 100_000
    assert rules.launch_fee_lines("failed", 123_456, reliable=False, launch_name="x") == []
    assert rules.kind_for("failed") is None and rules.kind_for("launched").value == "launch_fee"


def test_negative_net_revenue_owes_no_fee():
    [line] = rules.launch_fee_lines("launched", -500, reliable=False, launch_name="x")
    assert line.amount_cents == 0


def test_cancellation_lines_negate_the_original():
    lines = rules.launch_fee_lines("aborted", 0, reliable=False, launch_name="x")
    [back] = rules.cancellation_lines(lines, "AB-2027-00001")
    assert back.amount_cents == -100_000 and back.description.startswith("Cancels AB-2027-00001")


def test_invoice_numbers_and_due_dates():
    assert rules.invoice_number(2027, 1) == "AB-2027-00001"
    assert rules.invoice_number(2027, 123456) == "AB-2027-123456"
    assert rules.due_date(date(2027, 3, 14)) == DUE


@pytest.mark.parametrize("paid, today, cancelled, expected", [
    (0, DUE, False, "pending"),              # the due date itself is still on time
    (0, date(2027, 4, 14), False, "overdue"),  # the day after it is not
    (400, DUE, False, "partially_paid"),
    (400, date(2027, 4, 14), False, "overdue"),
    (1000, date(2028, 1, 1), False, "paid"),
    (0, DUE, True, "cancelled"),
])
def test_status_follows_payments_and_dates(paid, today, cancelled, expected):
    assert rules.invoice_status("launch_fee", 1000, paid, DUE, today, cancelled).value == expected


def test_a_cancellation_invoice_is_out_of_the_receivables():
    assert rules.invoice_status("cancellation", -1000, 0, DUE, date(2030, 1, 1), False).value == "cancelled"


@pytest.mark.parametrize("today, bucket", [
    (DUE, "current"), (date(2027, 4, 14), "1-30"), (date(2027, 5, 13), "1-30"), (date(2027, 5, 14), "31-60"),
    (date(2027, 6, 12), "31-60"), (date(2027, 6, 13), "61-90"), (date(2027, 7, 12), "61-90"), (date(2027, 7, 13), "over 90"),
])
def test_aging_buckets(today, bucket):
    assert rules.aging_bucket(DUE, today) == bucket


def test_reminders_go_out_once_per_step():
    assert rules.reminder_steps_due(DUE, date(2027, 4, 19), set()) == []
    assert rules.reminder_steps_due(DUE, date(2027, 4, 20), set()) == [7]
    assert rules.reminder_steps_due(DUE, date(2027, 5, 13), {7}) == [14, 30]
    assert rules.reminder_steps_due(DUE, date(2027, 5, 13), {7, 14, 30}) == []
