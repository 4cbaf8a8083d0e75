"""Edge bounds without I/O: text without control characters, dates inside the years a launch or a
traveler can have (offsets on year 9999 included), ids inside their columns, amounts as text."""
from datetime import date, datetime, timedelta, timezone

import pytest

from services.core.models.booking import BookingCreate
from services.core.models.catalog import CatalogQuery
from services.core.models.launch import LaunchCreate, LaunchStatusRequest
from services.core.models.users import UserRegister
from services.kernel.errors import ValidationFailed
from services.kernel.validation import parse
from state.agency.shared import cents_from_usd
from state.params import parse_id

LAUNCH = {"rocket_id": 1, "spaceport": "kourou", "destination": "moon", "date": "2030-01-01T10:00:00Z", "price_cents": 100}
PERSON = {"name": "Ana Lima", "email": "ana@example.com", "phone": "+1 555 0100", "birth_date": "1985-05-01"}


@pytest.mark.parametrize("text", ["Ana\x00", "Ana\tLima", "Ana\nLima", "Ana\x7f", "Ana\u2028", "Ana\ud800"])
def test_control_characters_are_refused_naming_the_field(text):
    with pytest.raises(ValidationFailed) as refused:
        parse(UserRegister, {"email": "a@b.co", "password": "Correct-Horse-42!", "name": text, "phone": "+1 555 0100",
                             "tax_id": "TX-1", "address": "1 Street"})
    assert refused.value.field == "name"
    assert "control characters" in refused.value.message or "unicode" in refused.value.message


@pytest.mark.parametrize("moment", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00", "9999-12-31T12:00:00Z",
                                    "1999-12-31T23:59:59Z"])
def test_launch_dates_outside_the_supported_years_are_refused(moment):
    with pytest.raises(ValidationFailed, match="between the years 2000 and 2199") as refused:
        parse(LaunchCreate, {**LAUNCH, "date": moment})
    assert refused.value.field == "date"
    with pytest.raises(ValidationFailed):
        parse(LaunchStatusRequest, {"status": "delayed", "date": moment})


def test_launch_dates_come_out_in_utc():
    created = parse(LaunchCreate, {**LAUNCH, "date": "2030-01-01T10:00:00-05:00"})
    assert created.date == datetime(2030, 1, 1, 15, tzinfo=timezone.utc) and created.date.utcoffset() == timedelta(0)


@pytest.mark.parametrize("data,field", [({"to": "9999-12-31"}, "to"), ({"from": "0001-01-01"}, "from"),
                                        ({"max_price_cents": 2**63}, "max_price_cents"), ({"page": 10**12}, "page")])
def test_catalog_filters_are_bounded(data, field):
    with pytest.raises(ValidationFailed) as refused:
        parse(CatalogQuery, data)
    assert refused.value.field == field


@pytest.mark.parametrize("data,field", [({"launch_id": 2**31}, "launch_id"), ({"launch_id": -1}, "launch_id"),
                                        ({"passengers": [{**PERSON, "birth_date": "9999-01-01"}]}, "passengers.0.birth_date")])
def test_booking_ids_and_birth_dates_are_bounded(data, field):
    order = {"launch_id": 1, "passengers": [PERSON], "payment": {"card_number": "4242424242424242"}, **data}
    with pytest.raises(ValidationFailed) as refused:
        parse(BookingCreate, order)
    assert refused.value.field == field
    assert parse(BookingCreate, {**order, **{field.split(".")[0]: [PERSON] if "passengers" in field else 2**31 - 1}})


def test_ids_from_addresses_and_events_stay_inside_their_column():
    assert [parse_id(x) for x in ("12", " 7 ", "2147483647")] == [12, 7, 2147483647]
    assert {parse_id(x) for x in ("0", "2147483648", "99999999999999999999", "-3", "1e3", "٣", "", None)} == {0}


@pytest.mark.parametrize("text", ["1e999999999", "nan", "Infinity", "12.345", "twelve"])
def test_amounts_typed_as_text_are_refused_without_building_huge_numbers(text):
    with pytest.raises(ValidationFailed):
        cents_from_usd(text)
    assert cents_from_usd("249,999.50") == 24_999_950 and date(2030, 1, 1)
