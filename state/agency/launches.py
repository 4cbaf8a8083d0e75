import reflex as rx

from services import launches
from state.agency.shared import launch_row
from state.session import SessionState

PER_PAGE = 20
STATUS_FILTERS = ["all", "scheduled", "delayed", "aborted", "launched", "failed"]


class AgencyLaunchesState(SessionState):
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    status_filter: str = "all"

    @rx.var
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))

    def _reload(self) -> None:
        actor = self.actor_with("agency")
        if actor is None:
            return
        status = None if self.status_filter == "all" else self.status_filter
        items, self.total = launches.list_launches(actor, status=status, page=self.page, per_page=PER_PAGE)
        self.rows = [launch_row(l) for l in items]

    @rx.event
    def load(self):
        self.page = 1
        self._reload()

    @rx.event
    def filter_status(self, status: str):
        self.status_filter = status if status in STATUS_FILTERS else "all"
        self.page = 1
        self._reload()

    @rx.event
    def next_page(self):
        self.page = min(self.page + 1, self.pages)
        self._reload()

    @rx.event
    def prev_page(self):
        self.page = max(self.page - 1, 1)
        self._reload()
