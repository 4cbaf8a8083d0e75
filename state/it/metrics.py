"""/it/metrics: line charts of the per-minute samples over the last hour or day."""
import reflex as rx

from services.monitor import metrics
from state.handlers import Feedback, acting_as
from state.it.shared import OPERATORS
from state.session import PortalState

# Each chart: its title and the series it draws (stored name -> line label).
CHARTS = {
    "activity": {"bookings_per_minute": "bookings", "cancellations_per_minute": "cancellations",
                 "sign_ins_per_minute": "sign-ins"},
    "outbox": {"outbox_backlog": "backlog", "outbox_dead": "dead", "relay_lag_seconds": "relay lag (s)"},
    "stores": {"store_latency_ms{store=postgresql}": "postgresql", "store_latency_ms{store=mongodb}": "mongodb",
               "store_latency_ms{store=redis}": "redis"},
    "notifications": {"notification_queue_depth": "queue depth", "notification_failures": "failed"},
    "http": {},  # filled with every route group's p95 latency
}


def chart_rows(series: dict[str, list[dict]], wanted: dict[str, str]) -> list[dict]:
    """One row per sampled minute, a column per wanted series (its label)."""
    rows: dict[str, dict] = {}
    for name, label in wanted.items():
        for point in series.get(name, []):
            t = point["at"].strftime("%H:%M") if hasattr(point["at"], "strftime") else str(point["at"])[11:16]
            rows.setdefault(t, {"t": t})[label] = point["value"]
    return [rows[t] for t in sorted(rows)]


class ItMetricsState(PortalState, Feedback):
    minutes: int = 60
    activity: list[dict] = []
    outbox: list[dict] = []
    stores: list[dict] = []
    notifications: list[dict] = []
    http: list[dict] = []
    http_groups: list[str] = []
    samples: int = 0

    def _load(self, actor) -> None:
        data = metrics.series(actor, minutes=self.minutes)
        series = data["series"]
        http = {name: name.split("group=", 1)[1].rstrip("}") for name in series if name.startswith("http_latency_p95_ms{")}
        self.http_groups = sorted(http.values())
        self.activity = chart_rows(series, CHARTS["activity"])
        self.outbox = chart_rows(series, CHARTS["outbox"])
        self.stores = chart_rows(series, CHARTS["stores"])
        self.notifications = chart_rows(series, CHARTS["notifications"])
        self.http = chart_rows(series, http)
        self.samples = len(self.activity)

    @rx.event
    @acting_as(*OPERATORS, reset=True)
    def load(self, actor):
        self._load(actor)

    @rx.event
    @acting_as(*OPERATORS)
    def window(self, actor, minutes: str | list[str]):
        self.minutes = 1440 if "day" in (minutes if isinstance(minutes, list) else [minutes]) else 60
        self._load(actor)
