"""/it/sync: start a resync or a reconciliation and watch it move (a background event polls the job
while one is active, so the bar moves without a reload), past jobs, cancel; the outbox's
consumers, their backlog and dead deliveries, with retry."""
import reflex as rx

from services.core.formatting import age, when
from services.core.models.base import utcnow
from services import sync
from services.kernel import deliveries
from state.handlers import Feedback, acting_as
from state.it.shared import OPERATORS, POLL_SECONDS
from state.session import PortalState
from state.watch import watch_while_open


def _job_row(view: dict) -> dict[str, str]:
    total, done = view["total"], view["processed"]
    percent = 100 if view["status"] == "done" else (min(done * 100 // total, 100) if total else 0)
    return {
        "id": view["id"], "kind": view["kind"], "status": view["status"], "requested_by": view["requested_by"] or "",
        "started": when(view["started_at"] or view["created_at"]), "finished": when(view["finished_at"]),
        "duration": age(view["duration_seconds"]) if view["duration_seconds"] is not None else "",
        "processed": str(done), "total": str(total), "repaired": str(view["repaired"]), "errors": str(view["errors"]),
        "percent": str(percent), "error": view["error"] or "",
        "found": ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in sorted(view["found"].items()) if v) or "nothing",
    }


class ItSyncState(PortalState, Feedback):
    jobs: list[dict[str, str]] = []
    active: dict[str, str] = {}
    has_active: bool = False
    progress: int = 0
    consumers: list[dict[str, str]] = []
    dead: list[dict[str, str]] = []
    dead_total: int = 0
    watch_token: str = ""
    loaded: bool = False

    def _refresh(self, actor) -> None:
        jobs, _total = sync.list_jobs(actor, per_page=15)
        views = [sync.job_view(j) for j in jobs]
        self.jobs = [_job_row(v) for v in views]
        running = [v for v in views if v["status"] in ("queued", "running")]
        latest = running[-1] if running else (views[0] if views else None)  # the oldest active runs first
        self.active = _job_row(latest) if latest else {}
        self.has_active = bool(latest)
        self.progress = int(self.active.get("percent", "0")) if self.active else 0
        now = utcnow()
        self.consumers = [{"consumer": b.consumer, "pending": str(b.pending), "due": str(b.due), "dead": str(b.dead),
                           "in_progress": f"{b.in_progress} ({b.processes} process{'es' if b.processes != 1 else ''})"
                           if b.in_progress else "-",
                           "oldest": age((now - b.oldest_pending_at).total_seconds()) if b.oldest_pending_at else "-"}
                          for b in deliveries.backlog(actor)]
        dead, self.dead_total = deliveries.list_dead_deliveries(actor, per_page=50)
        self.dead = [{"event_id": str(d.event_id), "consumer": d.consumer, "event_type": d.event_type,
                      "subject": d.subject, "attempts": str(d.attempts), "error": (d.last_error or "")[:300],
                      "failed_at": when(d.failed_at)} for d in dead]
        self.loaded = True

    def _is_active(self) -> bool:
        return bool(self.active) and self.active.get("status") in ("queued", "running")

    @rx.event
    @acting_as(*OPERATORS, reset=True)
    def load(self, actor):
        self._refresh(actor)
        if self._is_active():
            return ItSyncState.watch

    @rx.event
    @acting_as(*OPERATORS)
    def start(self, actor, kind: str):
        job = sync.start_job(actor, kind)
        self.notice = f"The {job.kind} is queued; the scheduler starts it within a second."
        self._refresh(actor)
        return ItSyncState.watch

    @rx.event
    @acting_as(*OPERATORS)
    def cancel(self, actor, job_id: str):
        sync.cancel_job(actor, job_id)
        self.notice = "Cancellation requested: the job stops after its current batch."
        self._refresh(actor)

    @rx.event
    @acting_as(*OPERATORS)
    def retry(self, actor, event_id: str, consumer: str):
        count = deliveries.retry_dead_deliveries(actor, consumer=consumer, event_ids=[int(event_id)])
        self.notice = f"{count} delivery made pending again." if count else "That delivery is no longer dead."
        self._refresh(actor)

    @rx.event
    @acting_as(*OPERATORS)
    def retry_all(self, actor):
        count = deliveries.retry_dead_deliveries(actor)
        self.notice = f"{count} dead deliveries made pending again."
        self._refresh(actor)

    def _tick(self, actor) -> bool:
        self._refresh(actor)
        return self._is_active()

    @rx.event(background=True)
    async def watch(self):
        """Poll the job while one is active: the page's bar and counts move without a reload."""
        await watch_while_open(self, POLL_SECONDS, OPERATORS, self._tick)
