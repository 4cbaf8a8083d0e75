"""The demo VIP: two earlier trips booked through the booking service, once however often seeded."""
from astrobookings.dev.demo_bookings import VIP_EMAIL, seed_vip_trips
from services.core.mongo import system_db
from services.booking import bookings
from services.kernel.actor import Actor
from tests.booking_helpers import published_launch


def test_demo_vip_has_two_trips_and_six_seats(api):
    for days in (2, 3):
        published_launch(api, days=days)
    vip_id = system_db().users.find_one({"email": VIP_EMAIL})["_id"]
    vip = Actor(user_id=vip_id, email=VIP_EMAIL, role="traveler")
    seed_vip_trips({VIP_EMAIL: vip_id})
    seed_vip_trips({VIP_EMAIL: vip_id})
    trips, total = bookings.list_bookings(vip)
    assert total == 2 and len({t.launch_id for t in trips}) == 2
    allowance = bookings.seat_allowance(vip, published_launch(api)["id"])
    assert allowance.vip and allowance.limit == 6 and allowance.allowed == 6
