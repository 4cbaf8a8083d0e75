"""The events of agencies, rockets and launches. Each type is also the activity log's action."""
from services.kernel.events import Event


class AgencyCreated(Event):
    event_type = "agency.created"
    aggregate = "agency"
    aggregate_key = "agency_id"
    agency_id: int


class AgencyProfileUpdated(Event):
    """`launch_ids`: the agency's launches whose cards show its new name."""
    event_type = "agency.profile_updated"
    aggregate = "agency"
    aggregate_key = "agency_id"
    agency_id: int
    fields: list[str]
    launch_ids: list[int] = []


class _RocketEvent(Event):
    aggregate = "rocket"
    aggregate_key = "rocket_id"
    agency_id: int
    rocket_id: int


class RocketCreated(_RocketEvent):
    event_type = "rocket.created"
    name: str
    capacity: int
    range: str


class RocketUpdated(_RocketEvent):
    """`launch_ids`: the open launches that took the new name or capacity."""
    event_type = "rocket.updated"
    changes: dict[str, str]
    launch_ids: list[int] = []


class RocketDeleted(_RocketEvent):
    event_type = "rocket.deleted"
    name: str


class _LaunchEvent(Event):
    aggregate = "launch"
    aggregate_key = "launch_id"
    launch_id: int
    agency_id: int
    slug: str


class LaunchScheduled(_LaunchEvent):
    event_type = "launch.scheduled"
    date: str
    destination: str
    spaceport: str


class _StatusChanged(_LaunchEvent):
    from_status: str
    reason: str | None = None


class LaunchDelayed(_StatusChanged):
    event_type = "launch.delayed"
    old_date: str
    date: str


class LaunchAborted(_StatusChanged):
    """Every confirmed booking cancelled with a full refund (pending rows, paid by the refunds
    consumer), every hold released (any charge found for one is refunded too)."""
    event_type = "launch.aborted"
    cancelled_booking_ids: list[int] = []
    refund_ids: list[int] = []
    released_booking_ids: list[int] = []
    refunded_cents: int = 0


class LaunchLaunched(_StatusChanged):
    event_type = "launch.launched"


class LaunchFailed(_StatusChanged):
    event_type = "launch.failed"


class ManifestDownloaded(Event):
    """The passenger manifest (personal data) left the platform as a file: who took it, when."""
    event_type = "launch.manifest_downloaded"
    aggregate = "launch"
    aggregate_key = "launch_id"
    launch_id: int
    rows: int


class BookingsReportDownloaded(Event):
    """The former bookings report's download, no longer published (its address now leads to the
    manifest); kept so the entries already recorded still read as typed events."""
    event_type = "launch.bookings_report_downloaded"
    aggregate = "launch"
    aggregate_key = "launch_id"
    launch_id: int
    rows: int
