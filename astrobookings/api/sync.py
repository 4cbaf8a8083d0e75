"""Sync jobs and the outbox's consumers, for IT and admin: start, list, watch and cancel a resync or
reconciliation; each consumer's backlog, the dead deliveries, and retrying them."""
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from astrobookings.api.deps import OperatorActor
from astrobookings.api.params import PAGE, PER_PAGE
from services import sync
from services.kernel import deliveries

router = APIRouter(prefix="/api/system", tags=["system"])
JobId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")]


class JobPublic(BaseModel):
    id: str
    kind: str
    status: str
    total: int
    processed: int
    repaired: int
    errors: int
    started_at: datetime | None
    finished_at: datetime | None
    created_at: datetime
    requested_by: str | None
    duration_seconds: float | None
    found: dict[str, int]
    repaired_ids: dict[str, list[str]]
    error: str | None
    cancel_requested: bool


class JobList(BaseModel):
    items: list[JobPublic]
    total: int
    page: int
    per_page: int


class StartJob(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["resync", "reconcile"]


class RetryDeliveries(BaseModel):
    model_config = ConfigDict(extra="forbid")
    consumer: str | None = Field(default=None, min_length=1, max_length=64)
    event_ids: list[Annotated[int, Field(ge=1, le=2**62)]] | None = Field(default=None, max_length=500)


@router.post("/sync", response_model=JobPublic, status_code=202)
def start_job(body: StartJob, actor: OperatorActor):
    return sync.job_view(sync.start_job(actor, body.kind))


@router.get("/sync", response_model=JobList)
def list_jobs(actor: OperatorActor, page: int = Query(1, description=PAGE, ge=1, le=10_000),
              per_page: int = Query(20, description=PER_PAGE, ge=1, le=100)):
    jobs, total = sync.list_jobs(actor, page=page, per_page=per_page)
    return {"items": [sync.job_view(j) for j in jobs], "total": total, "page": page, "per_page": per_page}


@router.get("/sync/{job_id}", response_model=JobPublic)
def get_job(job_id: JobId, actor: OperatorActor):
    return sync.job_view(sync.get_job(actor, job_id))


@router.post("/sync/{job_id}/cancel", response_model=JobPublic)
def cancel_job(job_id: JobId, actor: OperatorActor):
    return sync.job_view(sync.cancel_job(actor, job_id))


@router.get("/outbox")
def outbox_status(actor: OperatorActor, page: int = Query(1, description=PAGE, ge=1, le=10_000),
                  per_page: int = Query(50, description=PER_PAGE, ge=1, le=200)):
    """Each consumer's backlog and the dead deliveries (newest first)."""
    dead, total = deliveries.list_dead_deliveries(actor, page=page, per_page=per_page)
    return {"consumers": [b.model_dump(mode="json") for b in deliveries.backlog(actor)],
            "dead": {"items": [d.model_dump(mode="json") for d in dead], "total": total, "page": page, "per_page": per_page}}


@router.post("/outbox/retry")
def retry_deliveries(body: RetryDeliveries, actor: OperatorActor):
    """Make dead deliveries pending again: all, one consumer's, or the named events'."""
    return {"retried": deliveries.retry_dead_deliveries(actor, consumer=body.consumer, event_ids=body.event_ids)}
