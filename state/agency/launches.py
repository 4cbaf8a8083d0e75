import reflex as rx

from services.agency import launches
from state.handlers import loads
from state.agency.shared import launch_row
from state.pagination import Paginated
from state.session import PortalState

STATUS_FILTERS = ["all", "scheduled", "delayed", "aborted", "launched", "failed"]


class AgencyLaunchesState(PortalState, Paginated):
    rows: list[dict[str, str]] = []
    status_filter: str = "all"

    @loads("your launches")
    def _reload(self) -> None:
        actor = self.actor_with("agency")
        if actor is None:
            self._reset_portal()
            return
        status = None if self.status_filter == "all" else self.status_filter
        items, self.total = launches.list_launches(actor, status=status, page=self.page, per_page=self.per_page)
        self.rows = [launch_row(l) for l in items]

    @rx.event
    def load(self):
        self._reset_portal()
        self._reload()

    @rx.event
    def filter_status(self, status: str):
        self.status_filter = status if status in STATUS_FILTERS else "all"
        self.page = 1
        self._reload()
