"""People's words for fields, ranges and counts: one helper each, used by forms, refusals and tables."""
import pytest

from services.core.formatting import field_word, plural, range_word
from services.kernel.validation import describe


@pytest.mark.parametrize("count,word,expected", [(0, "booking", "0 bookings"), (1, "booking", "1 booking"),
                                                 (2, "seat", "2 seats"), (1200, "account", "1,200 accounts")])
def test_plural(count, word, expected):
    assert plural(count, word) == expected


def test_irregular_plural():
    assert plural(1, "person", "people") == "1 person" and plural(3, "person", "people") == "3 people"


def test_field_and_range_words():
    assert field_word("price_cents") == "Price per seat"
    assert field_word("passengers.2.birth_date") == "Birth date"
    assert field_word("seats_free") == "Seats free"
    assert range_word("low_earth_orbit") == "Low Earth orbit"


def test_refusal_of_a_money_field_speaks_dollars():
    field, message = describe({"loc": ("body", "price_cents"), "type": "greater_than", "ctx": {"gt": 0}})
    assert field == "price_cents" and message == "Price per seat must be greater than $0.00."
