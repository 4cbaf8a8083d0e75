import reflex as rx

from services.agency import reports as launch_reports
from state.agency.shared import launch_row, usd
from state.session import PortalState


class AgencyDashboardState(PortalState):
    rows: list[dict[str, str]] = []
    chart: list[dict] = []
    open_launches: int = 0
    seats_sold: int = 0
    seats_offered: int = 0
    collected: str = "$0.00"
    profile_warning: str = ""

    @rx.var
    def occupancy_percent(self) -> int:
        return round(100 * self.seats_sold / self.seats_offered) if self.seats_offered else 0

    @rx.event
    def load(self):
        self._reset_portal()
        actor = self.actor_with("agency")
        if actor is None:
            return
        report = launch_reports.occupancy(actor)
        self.rows = [launch_row(l) for l in report.upcoming]
        self.chart = [{"launch": f"{l.date:%Y-%m-%d} {l.rocket_name} to {l.destination_name}", "sold": l.seats_sold,
                       "free": l.seats_offered - l.seats_sold} for l in report.upcoming]
        self.open_launches, self.seats_sold, self.seats_offered = report.open_launches, report.seats_sold, report.seats_offered
        self.collected = usd(report.collected_cents)
        self.profile_warning = "" if not report.missing_profile else \
            "Complete your profile (tax id and legal address) before you can schedule launches."
