"""What the scheduler's leader runs: every consumer of the outbox (its module registers it with the
relay), and the periodic jobs (the expiry of unpaid booking holds, invoice reminders, sync jobs and the
scheduled reconciliation). The email sender has a thread of its own (astrobookings/jobs/runtime.py)."""
from astrobookings.jobs.scheduler import every

HOLD_EXPIRY_JOB = "booking-hold-expiry"
HOLD_EXPIRY_SECONDS = 15.0
REMINDERS_EVERY_SECONDS = 3600
SYNC_JOBS_JOB = "sync-jobs"
SYNC_JOBS_SECONDS = 1.0
METRICS_SECONDS = 60


def load_jobs() -> None:
    import services.agency.events  # noqa: F401  (every event class, so each delivery is typed)
    import services.auth.consumers  # noqa: F401
    import services.auth.events  # noqa: F401
    import services.booking.consumers  # noqa: F401  (registers with the relay)
    import services.booking.events  # noqa: F401
    import services.finance.consumers  # noqa: F401
    import services.finance.events  # noqa: F401
    import services.kernel.deliveries  # noqa: F401
    import services.monitor.consumers  # noqa: F401
    import services.notify.consumers  # noqa: F401
    import services.notify.events  # noqa: F401
    import services.sync.consumers  # noqa: F401
    import services.sync.events  # noqa: F401
    from services.core.settings import get_settings
    from services import booking, sync
    from services.finance.reminders import send_due_reminders
    from services.monitor.metrics import record_sample
    from services.kernel.actor import SYSTEM

    every(HOLD_EXPIRY_SECONDS, job_id=HOLD_EXPIRY_JOB)(booking.expire_holds)
    every(REMINDERS_EVERY_SECONDS, job_id="invoice-reminders")(lambda: send_due_reminders(SYSTEM))
    every(SYNC_JOBS_SECONDS, job_id=SYNC_JOBS_JOB)(sync.run_pending)
    every(METRICS_SECONDS, job_id="metrics-sample")(record_sample)
    every(get_settings().reconcile_every_seconds, job_id="scheduled-reconcile")(sync.schedule_reconciliation)
