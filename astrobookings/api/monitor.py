"""System health, status, logs and metrics. Health is public (ok/degraded only); everything else
is for IT and admin. `/metrics` is Prometheus' text format for an operator's scraper."""
import hmac
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST

from astrobookings.api.deps import OperatorActor, bearer_token, client_address
from astrobookings.api.errors import error_response
from astrobookings.api.params import PAGE, PER_PAGE
from services.core.health import check_stores, ready
from services.core.settings import get_settings
from services.auth import accounts as auth
from services.kernel.errors import DomainError
from services.monitor import logs, metrics, status

router = APIRouter(prefix="/api/system", tags=["system"])
scrape_router = APIRouter(tags=["system"])
# Store names, latencies and error types help an attacker map the platform: IT and admins only.
_DETAIL_ROLES = ("it", "admin")
_SINCE = "Only entries at or after this moment (ISO 8601)."
_UNTIL = "Only entries before this moment (ISO 8601)."
_TEXT = ("Only entries whose action, actor, subject or client address contain this text (any case). With "
         "`actor_email` or `subject` it searches the whole log; without either, one time window: the last 24 "
         "hours, or `since`/`until` at most 7 days apart (a longer range answers 422). `window` in the answer "
         "says which was searched.")


def _may_see_details(token: str | None, address: str | None) -> bool:
    if not token:
        return False
    try:
        return auth.authenticate(token, entry_point="api", client_address=address).role in _DETAIL_ROLES
    except Exception:  # refused, or the account store is down: no details either way
        return False


@router.get("/health")
async def health(request: Request, token: str | None = Depends(bearer_token)):
    """`{"status": "ok" | "degraded" | "down"}` for everyone; each store's state for IT and admins.
    200 while the process can serve bookings (ok, or degraded: MongoDB or Redis down), 503 when
    PostgreSQL is down; the same rule as /ready, so it never takes a working instance out."""
    report = await run_in_threadpool(check_stores)
    status_code = 200 if ready(report) else 503
    if not await run_in_threadpool(_may_see_details, token, client_address(request)):
        report = {"status": report["status"]}
    return JSONResponse(report, status_code=status_code)


@router.get("/live")
async def live():
    """The process answers (a load balancer's liveness probe): 200 always, touching no store."""
    return {"status": "live"}


@router.get("/ready")
async def readiness(request: Request, token: str | None = Depends(bearer_token)):
    """200 when this process can serve bookings (PostgreSQL answers), else 503; each store as up or
    down and what is degraded. Latencies and error types for IT and admins only."""
    report = await run_in_threadpool(check_stores)
    is_ready = ready(report)
    body = {"ready": is_ready, "status": report["status"], "role": get_settings().process_role,
            "stores": {s: "up" if r["status"] == "ok" else "down" for s, r in report["stores"].items()},
            "degraded": report["degraded"]}
    if await run_in_threadpool(_may_see_details, token, client_address(request)):
        body["details"] = report["stores"]
    return JSONResponse(body, status_code=200 if is_ready else 503, headers={"Cache-Control": "no-store"})


@router.get("/status")
def system_status(actor: OperatorActor):
    """Each store's status and latency, the scheduler's leader, live processes, notifications,
    the last reconciliation and the build."""
    return status.system_status(actor)


def _entry(doc: dict) -> dict:
    doc = dict(doc)
    doc["id"] = str(doc.pop("_id"))
    return doc


@router.get("/logs")
def activity_log(actor: OperatorActor,
                 action: str | None = Query(None, max_length=200, description="Only this action, e.g. `booking.confirmed`."),
                 actor_email: str | None = Query(None, max_length=200, description="Only what this email address did."),
                 role: Literal["traveler", "agency", "finance", "it", "admin", "system"] | None = Query(
                     None, description="Only what someone of this role did."),
                 entry_point: Literal["web", "api", "job"] | None = Query(
                     None, description="Only what came in this way: the web UI, the API or a job."),
                 subject: str | None = Query(None, max_length=200, description="Only entries about this subject id."),
                 since: datetime | None = Query(None, description=_SINCE), until: datetime | None = Query(None, description=_UNTIL),
                 q: str | None = Query(None, max_length=200, description=_TEXT),
                 page: int = Query(1, description=PAGE, ge=1, le=10_000),
                 per_page: int = Query(50, description=PER_PAGE, ge=1, le=200)):
    """The activity log, newest first; `total` stops counting at 1,000 (`total_capped`)."""
    filters = dict(action=action, actor_email=actor_email, role=role, entry_point=entry_point, subject=subject, text=q)
    window = logs.text_window(filters, since, until)  # the one the search reads, to say so
    since, until = window or (since, until)
    items, total = logs.search_entries(actor, since=since, until=until, page=page, per_page=per_page, **filters)
    return {"items": [_entry(d) for d in items], "total": total, "total_capped": total >= logs.COUNT_LIMIT,
            "page": page, "per_page": per_page,
            "window": {"since": window[0], "until": window[1]} if window else None}


@router.get("/logs/{entry_id}")
def activity_entry(entry_id: Annotated[str, Path(min_length=1, max_length=64)], actor: OperatorActor):
    return _entry(logs.get_entry(actor, entry_id))


@router.get("/app-logs")
def app_logs(actor: OperatorActor,
             level: Literal["warning", "error", "critical"] | None = Query(None, description="Only this level."),
             q: str | None = Query(None, max_length=200, description="Only messages containing this text."),
             since: datetime | None = Query(None, description=_SINCE), until: datetime | None = Query(None, description=_UNTIL),
             page: int = Query(1, description=PAGE, ge=1, le=10_000),
             per_page: int = Query(50, description=PER_PAGE, ge=1, le=200)):
    """The application's own warnings and errors (kept 14 days), newest first."""
    items, total = logs.search_app_logs(actor, level=level, text=q, since=since, until=until, page=page,
                                        per_page=per_page)
    return {"items": [_entry(d) for d in items], "total": total, "page": page, "per_page": per_page}


@router.get("/metrics")
def system_metrics(actor: OperatorActor,
                   minutes: int = Query(60, ge=1, le=10_080, description="How many minutes back, up to a week.")):
    """The per-minute samples of the last `minutes` (default an hour), one series per figure."""
    return metrics.series(actor, minutes=minutes)


@scrape_router.get("/metrics", include_in_schema=False)
def prometheus(request: Request):
    token = get_settings().metrics_token
    if token:
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return error_response(401, "not_authenticated", "This scrape needs the metrics bearer token.")
    return Response(metrics.prometheus_text(), media_type=CONTENT_TYPE_LATEST)
