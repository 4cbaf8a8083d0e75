"""/it: the system's status, refreshed every few seconds while the page is open."""
import json

import reflex as rx

from services.core.formatting import age, when
from services.monitor import status
from state.handlers import Feedback, acting_as
from state.it.shared import OPERATORS
from state.session import PortalState
from state.watch import watch_while_open

REFRESH_SECONDS = 5.0


class ItStatusState(PortalState, Feedback):
    overall: str = ""
    stores: list[dict[str, str]] = []
    processes: list[dict[str, str]] = []
    restarts: list[dict[str, str]] = []
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
        self.restarts = [{"at": when(r["at"]), "host": r.get("host") or "", "role": r.get("role") or "",
                          "exit_code": str(r.get("exit_code")), "restart": str(r.get("restart")),
                          "backoff": f"{r.get('backoff_seconds', 0):.0f} s"} for r in report["restarts"]]
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
    @acting_as(*OPERATORS, reset=True)
    def load(self, actor):
        self._refresh(actor)
        return ItStatusState.watch

    @rx.event(background=True)
    async def watch(self):
        """Refresh while the page is open."""
        await watch_while_open(self, REFRESH_SECONDS, OPERATORS, self._refresh, path="/it")
