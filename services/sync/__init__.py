"""Sync: the customer read model (launch cards and travelers' bookings in the MongoDB customer
database) projected from PostgreSQL by consumers of the launch and booking events
(services/sync/consumers.py), and the sync jobs IT starts or the scheduler runs: full resyncs and
reconciliations (services/sync/jobs.py, services/sync/reconcile.py).

Public surface: `project_launch`, for a caller that needs a card written now; the job operations.
"""
from services.sync.jobs import (
    cancel_job, get_job, job_view, last_finished, list_jobs, run_pending, schedule_reconciliation, start_job,
)
from services.sync.read_model import project_launch

__all__ = ["project_launch", "start_job", "get_job", "list_jobs", "cancel_job", "job_view", "last_finished",
           "run_pending", "schedule_reconciliation"]
