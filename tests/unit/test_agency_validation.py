"""Input shapes for agencies, rockets, launches and status changes: messages name the field."""
import pytest

from services.core.models.agency import AgencyUpdate, RocketCreate, RocketUpdate
from services.core.models.launch import LaunchCreate, LaunchStatusRequest
from services.kernel.errors import ValidationFailed
from services.kernel.validation import parse

LAUNCH = {"rocket_id": 1, "spaceport": "kourou", "destination": "moon", "date": "2030-01-01T10:00:00Z", "price_cents": 100}


@pytest.mark.parametrize("model,data,field,message", [
    (AgencyUpdate, {"name": " A "}, "name", "Name must be at least 2 characters."),
    (AgencyUpdate, {"name": "Orbital", "tax_id": "x" * 41}, "tax_id", "Tax id must be at most 40 characters."),
    (AgencyUpdate, {"name": "Orbital", "legal_address": "abc"}, "legal_address", "Legal address must be at least 5 characters."),
    (RocketCreate, {"name": "Hopper", "capacity": 0, "range": "suborbital"}, "capacity", "Capacity must be greater than 0."),
    (RocketCreate, {"name": "Hopper", "capacity": 101, "range": "suborbital"}, "capacity", "Capacity must be at most 100."),
    (RocketCreate, {"name": "Hopper", "capacity": "six", "range": "suborbital"}, "capacity", "Capacity must be a whole number."),
    (RocketCreate, {"name": "Hopper", "capacity": 6}, "range", "Range is required."),
    (RocketUpdate, {"capacity": -1}, "capacity", "Capacity must be greater than 0."),
    (LaunchCreate, {**LAUNCH, "price_cents": 0}, "price_cents", "Price per seat must be greater than $0.00."),
    (LaunchCreate, {**LAUNCH, "price_cents": 300_000_001}, "price_cents", "Price per seat must be at most $3,000,000.00."),
    (LaunchCreate, {**LAUNCH, "rocket_id": "abc"}, "rocket_id", "Rocket must be a whole number."),
    (LaunchStatusRequest, {"status": "delayed", "reason": "x" * 301}, "reason", "Reason must be at most 300 characters."),
])
def test_messages_name_the_field_and_rule(model, data, field, message):
    with pytest.raises(ValidationFailed) as refused:
        parse(model, data)
    assert refused.value.field == field and refused.value.message == message


def test_blank_optional_fields_are_absent():
    profile = parse(AgencyUpdate, {"name": " Orbital ", "tax_id": " ", "contact_phone": ""})
    assert profile.name == "Orbital" and profile.tax_id is None and profile.contact_phone is None
    assert parse(RocketUpdate, {"name": "", "capacity": "", "range": ""}).model_dump(exclude_none=True) == {}
    change = parse(LaunchStatusRequest, {"status": "launched", "date": "", "reason": " ", "version": ""})
    assert change.date is None and change.reason is None and change.version is None
