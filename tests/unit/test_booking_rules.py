"""Booking rules at their boundaries: seat limits (VIP too), passenger age, refund bands, keys."""
from datetime import date, datetime, timedelta, timezone

import pytest

from services.booking import rules
from services.kernel.errors import Conflict, ValidationFailed

LAUNCH = datetime(2028, 6, 15, 14, 30, tzinfo=timezone.utc)


# --- seats -------------------------------------------------------------------------------------

@pytest.mark.parametrize("earlier_trips, vip", [(0, False), (1, False), (2, True), (5, True)])
def test_vip_means_two_earlier_trips(earlier_trips, vip):
    assert rules.is_vip(earlier_trips) is vip


@pytest.mark.parametrize("held, requested", [(0, 4), (1, 3), (3, 1)])
def test_regular_traveler_may_hold_four_seats(held, requested):
    rules.check_seats(requested, seats_free=50, held=held, vip=False)


@pytest.mark.parametrize("held, requested", [(0, 5), (2, 3), (4, 1)])
def test_fifth_seat_is_refused_with_the_limit_named(held, requested):
    with pytest.raises(ValidationFailed) as err:
        rules.check_seats(requested, seats_free=50, held=held, vip=False)
    assert err.value.code == "seat_limit" and err.value.field == "passengers"
    assert "at most 4 seats" in err.value.message
    if held:
        assert f"already hold {held}" in err.value.message


def test_vip_may_hold_six_but_not_seven():
    rules.check_seats(6, seats_free=50, held=0, vip=True)
    rules.check_seats(2, seats_free=50, held=4, vip=True)
    with pytest.raises(ValidationFailed) as err:
        rules.check_seats(3, seats_free=50, held=4, vip=True)
    assert "VIP" in err.value.message and "at most 6" in err.value.message


def test_seats_allowed_counts_what_is_held():
    assert rules.seats_allowed(0, vip=False) == 4
    assert rules.seats_allowed(3, vip=False) == 1
    assert rules.seats_allowed(5, vip=False) == 0
    assert rules.seats_allowed(4, vip=True) == 2


def test_sold_out_and_only_n_left_are_conflicts():
    with pytest.raises(Conflict) as sold_out:
        rules.check_seats(1, seats_free=0, held=0, vip=False)
    assert sold_out.value.code == "sold_out" and "sold out" in sold_out.value.message
    with pytest.raises(Conflict) as few:
        rules.check_seats(3, seats_free=2, held=0, vip=False)
    assert few.value.code == "not_enough_seats" and "Only 2 seats left" in few.value.message
    rules.check_seats(2, seats_free=2, held=0, vip=False)


# --- bookable launches -------------------------------------------------------------------------

@pytest.mark.parametrize("status", ["scheduled", "delayed"])
def test_scheduled_and_delayed_future_launches_are_bookable(status):
    rules.check_bookable(status, LAUNCH, now=LAUNCH - timedelta(seconds=1))


@pytest.mark.parametrize("status", ["aborted", "launched", "failed"])
def test_terminal_launches_are_closed(status):
    with pytest.raises(Conflict) as err:
        rules.check_bookable(status, LAUNCH, now=LAUNCH - timedelta(days=30))
    assert err.value.code == "not_bookable" and err.value.field == "launch_id"


def test_a_launch_whose_date_has_come_is_closed():
    with pytest.raises(Conflict):
        rules.check_bookable("scheduled", LAUNCH, now=LAUNCH)


# --- passenger age on the launch date ----------------------------------------------------------

def test_age_counts_whole_years():
    assert rules.age_on(date(2000, 6, 15), date(2018, 6, 14)) == 17
    assert rules.age_on(date(2000, 6, 15), date(2018, 6, 15)) == 18
    assert rules.age_on(date(2000, 2, 29), date(2018, 2, 28)) == 17
    assert rules.age_on(date(2000, 2, 29), date(2018, 3, 1)) == 18


@pytest.mark.parametrize("birth", [date(2010, 6, 15), date(1957, 6, 16)])
def test_passenger_turning_18_or_still_70_on_launch_day_may_fly(birth):
    rules.check_passenger_age(birth, LAUNCH, index=0)


@pytest.mark.parametrize("birth, age", [(date(2010, 6, 16), 17), (date(1957, 6, 15), 71)])
def test_passenger_17_or_71_on_launch_day_is_refused_naming_the_field(birth, age):
    with pytest.raises(ValidationFailed) as err:
        rules.check_passenger_age(birth, LAUNCH, index=1)
    assert err.value.field == "passengers.1.birth_date"
    assert "Passenger 2" in err.value.message and f"would be {age}" in err.value.message


def test_age_uses_the_launch_date_in_utc():
    late_evening = datetime(2028, 6, 15, 23, 30, tzinfo=timezone(timedelta(hours=-5)))  # 16 June in UTC
    rules.check_passenger_age(date(2010, 6, 16), late_evening, index=0)


# --- refund bands ------------------------------------------------------------------------------

def test_months_before_clamps_to_the_end_of_month():
    assert rules.months_before(datetime(2028, 5, 31, tzinfo=timezone.utc), 3) == datetime(2028, 2, 29, tzinfo=timezone.utc)
    assert rules.months_before(datetime(2029, 2, 28, tzinfo=timezone.utc), 12) == datetime(2028, 2, 28, tzinfo=timezone.utc)


def test_refund_is_90_percent_exactly_one_year_before():
    year_before = datetime(2027, 6, 15, 14, 30, tzinfo=timezone.utc)
    assert rules.refund_percent(year_before, LAUNCH) == 90
    assert rules.refund_percent(year_before + timedelta(seconds=1), LAUNCH) == 70


def test_refund_is_70_percent_exactly_three_months_before():
    three_months = datetime(2028, 3, 15, 14, 30, tzinfo=timezone.utc)
    assert rules.refund_percent(three_months, LAUNCH) == 70
    assert rules.refund_percent(three_months + timedelta(seconds=1), LAUNCH) == 0


def test_no_refund_close_to_the_launch():
    assert rules.refund_percent(LAUNCH - timedelta(days=1), LAUNCH) == 0


def test_refund_cents_round_down():
    assert rules.refund_cents(100_001, 90) == 90_000
    assert rules.refund_cents(333, 70) == 233
    assert rules.refund_cents(50_000, 0) == 0


def test_cancel_quote_says_whether_seats_return_to_sale():
    generous = rules.cancel_quote(200_000, 2, LAUNCH - timedelta(days=400), LAUNCH)
    assert (generous.refund_percent, generous.refund_cents, generous.seats_return_to_sale) == (90, 180_000, True)
    assert "$1,800.00" in generous.message
    late = rules.cancel_quote(200_000, 2, LAUNCH - timedelta(days=10), LAUNCH)
    assert (late.refund_percent, late.refund_cents, late.seats_return_to_sale) == (0, 0, False)
    assert "stay sold" in late.message


# --- refund terms as of a day ----------------------------------------------------------------
# LAUNCH is 15 June 2028, 14:30 UTC: the 90% tier ends 15 June 2027, the 70% tier 15 March 2028.
YEAR_BEFORE = datetime(2027, 6, 15, 14, 30, tzinfo=timezone.utc)
QUARTER_BEFORE = datetime(2028, 3, 15, 14, 30, tzinfo=timezone.utc)
ABORT_LINE = "If the launch is aborted, every booking is refunded in full."


def test_terms_long_before_the_launch_name_both_tiers_and_the_end():
    assert rules.refund_policy(LAUNCH, YEAR_BEFORE - timedelta(days=30)) == [
        "Cancelling now refunds 90% of what you paid, until 15 June 2027, 14:30 UTC (12 months before the launch).",
        "After that, 70% until 15 March 2028, 14:30 UTC (3 months before the launch).",
        "After 15 March 2028, 14:30 UTC: no refund, and the seats stay sold.",
        ABORT_LINE]


def test_terms_on_the_last_moment_of_90_percent_still_offer_it():
    assert rules.refund_policy(LAUNCH, YEAR_BEFORE)[0].startswith("Cancelling now refunds 90%")


def test_terms_a_second_after_the_year_deadline_leave_the_90_percent_out():
    terms = rules.refund_policy(LAUNCH, YEAR_BEFORE + timedelta(seconds=1))
    assert terms == [
        "Cancelling now refunds 70% of what you paid, until 15 March 2028, 14:30 UTC (3 months before the launch).",
        "After 15 March 2028, 14:30 UTC: no refund, and the seats stay sold.",
        ABORT_LINE]
    assert not any("90%" in line or "2027" in line for line in terms)


def test_terms_on_the_last_moment_of_70_percent_still_offer_it():
    assert rules.refund_policy(LAUNCH, QUARTER_BEFORE)[0].startswith("Cancelling now refunds 70%")


def test_terms_a_second_after_the_three_month_deadline_refund_nothing():
    assert rules.refund_policy(LAUNCH, QUARTER_BEFORE + timedelta(seconds=1)) == [
        "Cancelling now refunds nothing: the launch is less than 3 months away.", ABORT_LINE]


def test_terms_read_a_launch_date_in_another_zone_in_utc():
    evening = LAUNCH.astimezone(timezone(timedelta(hours=-5)))
    assert rules.refund_policy(evening, YEAR_BEFORE) == rules.refund_policy(LAUNCH, YEAR_BEFORE)


@pytest.mark.parametrize("now", [YEAR_BEFORE - timedelta(days=1), YEAR_BEFORE, YEAR_BEFORE + timedelta(seconds=1),
                                 QUARTER_BEFORE, QUARTER_BEFORE + timedelta(seconds=1), LAUNCH - timedelta(days=1)])
def test_terms_promise_what_a_cancellation_then_refunds(now):
    tiers = rules.refund_tiers(LAUNCH, now)
    assert (tiers[0].percent if tiers else 0) == rules.refund_percent(now, LAUNCH)
    assert all(t.until >= now for t in tiers)
    assert rules.cancel_quote(100, 1, now, LAUNCH).terms == tuple(rules.refund_policy(LAUNCH, now))


# --- idempotency keys --------------------------------------------------------------------------

def test_idempotency_key_is_trimmed_or_absent():
    assert rules.clean_idempotency_key("  abc-123 ") == "abc-123"
    assert rules.clean_idempotency_key(None) is None
    assert rules.clean_idempotency_key("   ") is None


@pytest.mark.parametrize("bad", ["x" * 101, "tab\tinside"])
def test_idempotency_key_must_be_short_and_printable(bad):
    with pytest.raises(ValidationFailed) as err:
        rules.clean_idempotency_key(bad)
    assert err.value.field == "Idempotency-Key"
