"""What the audience rules need to know, read from the stores: launches, bookings and their
travelers (PostgreSQL), agencies' addresses, travelers' names (MongoDB accounts), the VIPs and who
unsubscribed from marketing email. Reads only; one instance per delivered batch of events."""
from sqlalchemy import text

from services.core.db import get_engine
from services.core.models.reference import DESTINATION_NAMES, SPACEPORTS
from services.core.mongo import system_db
from services.booking import is_vip
from services.notify.audience import BookingInfo, LaunchInfo, Recipient

OPTOUTS = "mail_optouts"  # {_id: user_id, at}: no more marketing email for these travelers

_LAUNCH = text("""
    select l.id, l.slug, l.date, l.destination, l.spaceport, l.seats_offered, l.seats_sold, l.agency_id, r.name
    from launch l join rocket r on r.id = l.rocket_id where l.id = :id
""")
_BOOKING = text("""
    select b.id, b.launch_id, b.traveler_id, b.traveler_email, b.seats, b.amount_cents,
           coalesce(array_agg(p.name order by p.id) filter (where p.id is not null), '{}')
    from booking b left join passenger p on p.booking_id = b.id where b.id = :id group by b.id
""")
_TRAVELERS = text("""
    select distinct traveler_id, traveler_email from booking where launch_id = :id and status = 'confirmed'
""")
_CONFIRMED = text("""
    select id, launch_id, traveler_id, traveler_email, seats, amount_cents from booking
    where launch_id = :id and status = 'confirmed' order by id
""")
_AGENCY = text("select user_id, contact_email from agency where id = :id")
_TRIPS = text("""
    select traveler_id, min(traveler_email), count(distinct launch_id) from booking
    where status = 'confirmed' group by traveler_id
""")


def launch_name(rocket: str, destination: str, spaceport: str) -> str:
    place = SPACEPORTS.get(spaceport, spaceport).split(",")[0]
    return f"{rocket} to {DESTINATION_NAMES.get(destination, destination)} from {place}"


class StoreFacts:
    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._launches: dict[int, LaunchInfo | None] = {}

    def _query(self, statement, **params):
        with get_engine().connect() as conn:
            return conn.execute(statement, params).all()

    def launch(self, launch_id: int) -> LaunchInfo | None:
        if launch_id not in self._launches:
            rows = self._query(_LAUNCH, id=launch_id)
            self._launches[launch_id] = None if not rows else LaunchInfo(
                rows[0][0], launch_name(rows[0][8], rows[0][3], rows[0][4]), rows[0][1], rows[0][2],
                rows[0][5], rows[0][6], rows[0][7], SPACEPORTS.get(rows[0][4], rows[0][4]))
        return self._launches[launch_id]

    def booking(self, booking_id: int) -> BookingInfo | None:
        rows = self._query(_BOOKING, id=booking_id)
        if not rows:
            return None
        bid, launch_id, traveler_id, email, seats, amount, names = rows[0]
        return BookingInfo(bid, launch_id, self._person(traveler_id, email), seats, amount, list(names))

    def travelers_of(self, launch_id: int) -> list[Recipient]:
        rows = self._query(_TRAVELERS, id=launch_id)
        self._load_names([r[0] for r in rows])
        return [self._person(user_id, email) for user_id, email in rows]

    def bookings_on(self, launch_id: int) -> list[BookingInfo]:
        """The launch's confirmed bookings (without passengers): each has its calendar event."""
        rows = self._query(_CONFIRMED, id=launch_id)
        self._load_names([r[2] for r in rows])
        return [BookingInfo(bid, lid, self._person(user_id, email), seats, amount)
                for bid, lid, user_id, email, seats, amount in rows]

    def agency(self, agency_id: int) -> Recipient | None:
        rows = self._query(_AGENCY, id=agency_id)
        if not rows:
            return None
        user_id, contact = rows[0]
        account = system_db().users.find_one({"_id": user_id}, {"email": 1, "name": 1}) or {}
        email = contact or account.get("email")
        return Recipient(email, user_id, account.get("name", "")) if email else None

    def vips(self) -> list[Recipient]:
        """Travelers who are VIPs (the booking rule) and did not unsubscribe from new launch emails."""
        found = [(user_id, email) for user_id, email, trips in self._query(_TRIPS) if is_vip(int(trips))]
        if not found:
            return []
        out = {d["_id"] for d in system_db()[OPTOUTS].find({"_id": {"$in": [u for u, _ in found]}}, {"_id": 1})}
        kept = [(u, e) for u, e in found if u not in out]
        self._load_names([u for u, _ in kept])
        return [self._person(u, e) for u, e in kept]

    def _load_names(self, user_ids: list[str]) -> None:
        missing = [u for u in user_ids if u not in self._names]
        if missing:
            for doc in system_db().users.find({"_id": {"$in": missing}}, {"name": 1}):
                self._names[doc["_id"]] = doc.get("name", "")

    def _person(self, user_id: str, email: str) -> Recipient:
        self._load_names([user_id])
        return Recipient(email, user_id, self._names.get(user_id, ""))
