"""/it: the system's status, refreshed every few seconds while the page is open."""
import asyncio
import uuid
import json

import reflex as rx

from astrobookings.formatting import age, when
from services.monitor import status
from state.handlers import Feedback, acting_as
from state.it.shared import OPERATORS
from state.session import PortalState

REFRESH_SECONDS = 5.0


class ItStatusState(PortalState, Feedback):
    overall: str = ""
    stores: list[dict[str, str]] = []
    processes: list[dict[str, str]] = []
    leader: str = ""
    notifications: dict[str, str] = {}
    reconciliation: dict[str, str] = {}
    build: str = ""
    checked_at: str = ""
    watch_token: str = ""

    def _refresh(self, actor) -> None:
        report = status.system_status(actor)
        self.overall = report["status"]
        self.stores = [{"name": name, "status": s["status"],
                        "latency": f"{s['latency_ms']:.1f} ms" if "latency_ms" in s else s.get("error", "")}
                       for name, s in report["stores"].items()]
        self.processes = [{"id": p["id"], "role": p["role"] or "", "pid": str(p["pid"]), "host": p["host"] or "",
                           "version": p["version"] or "", "leader": "leader" if p["leader"] else "",
                           "state": "alive" if p["alive"] else "gone", "seen": age(p["silent_seconds"]) + " ago"}
                          for p in report["processes"]]
        self.leader = report["leader"] or "none"
        self.notifications = {k: (v if isinstance(v, str) else json.dumps(v, default=str))
                              for k, v in report["notifications"].items()}
        job = report["last_reconciliation"]
        self.reconciliation = {} if job is None else {
            "status": job["status"], "finished": when(job["finished_at"]), "repaired": str(job["repaired"]),
            "processed": str(job["processed"]), "errors": str(job["errors"]), "requested_by": job["requested_by"] or ""}
        self.build = f"{report['build']['version']} ({report['build']['process_role']})"
        self.checked_at = report["checked_at"].strftime("%H:%M:%S UTC")

    @rx.event
    @acting_as(*OPERATORS)
    def load(self, actor):
        self._reset_portal()
        self._refresh(actor)
        return ItStatusState.watch

    @rx.event(background=True)
    async def watch(self):
        """Refresh while the page is open (stops once the browser has moved to another page)."""
        async with self:
            if self.watch_token:
                return  # a loop is watching already; a reload resets the token and so ends it
            token = self.watch_token = uuid.uuid4().hex
        try:
            while True:
                await asyncio.sleep(REFRESH_SECONDS)
                async with self:
                    actor = self.actor_with(*OPERATORS)
                    if self.watch_token != token:
                        return  # the page was loaded again: its own loop has taken over
                    if actor is None or self.router.url.path.rstrip("/") != "/it":
                        return
                    self._refresh(actor)
        finally:
            async with self:
                if self.watch_token == token:
                    self.watch_token = ""
