"""Finance reports for employees: the dashboard, revenue per agency, the annual report of actual
versus pending revenue, the receivables aging, and ended launches with their invoice state.
Each is one SQL aggregate (services/finance/queries.py); each downloads as CSV."""
import csv
import io
from datetime import datetime, timezone

from services.core.db import read_session
from services.core.formatting import usd
from services.finance import queries
from services.finance.invoices import STAFF, list_invoices, today
from services.finance.pdf import MONTHS, annual_report_pdf
from services.kernel.actor import Actor
from services.kernel.errors import ValidationFailed

MIN_YEAR, MAX_YEAR = 2000, 2200


def dashboard(actor: Actor) -> dict:
    actor.require(*STAFF)
    with read_session() as session:
        figures = queries.dashboard(session, today())
    latest, _total = list_invoices(actor, per_page=5)
    return {**figures, "latest": latest}


def revenue(actor: Actor) -> list[dict]:
    actor.require(*STAFF)
    with read_session() as session:
        return queries.revenue_by_agency(session, today())


def annual(actor: Actor, year: int | None = None) -> dict:
    actor.require(*STAFF)
    year = year or today().year
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed(f"Year must be between {MIN_YEAR} and {MAX_YEAR}.", field="year")
    with read_session() as session:
        months = queries.annual(session, today(), year)
    totals = {"actual_cents": sum(m["actual_cents"] for m in months), "pending_cents": sum(m["pending_cents"] for m in months)}
    return {"year": year, "months": months, "totals": totals}


def aging(actor: Actor) -> list[dict]:
    actor.require(*STAFF)
    with read_session() as session:
        return queries.aging(session, today())


def ended_launches(actor: Actor, *, page: int = 1, per_page: int = 20) -> tuple[list[dict], int]:
    actor.require(*STAFF)
    with read_session() as session:
        return queries.ended_launches(session, page=page, per_page=per_page)


# --- downloads ---------------------------------------------------------------------------------

def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _dollars(cents: int) -> str:
    """CSV amounts in dollars with two decimals and no symbol, so spreadsheets read numbers."""
    return f"{cents / 100:.2f}" if abs(cents) < 2**52 else usd(cents)


def revenue_csv(actor: Actor) -> tuple[str, str]:
    rows = revenue(actor)
    return f"revenue-by-agency-{today().isoformat()}.csv", _csv(
        ["agency", "launches", "invoiced_usd", "collected_usd", "outstanding_usd"],
        [[r["agency"], r["launches"], _dollars(r["invoiced_cents"]), _dollars(r["collected_cents"]),
          _dollars(r["outstanding_cents"])] for r in rows])


def annual_csv(actor: Actor, year: int | None = None) -> tuple[str, str]:
    report = annual(actor, year)
    rows = [[MONTHS[m["month"] - 1], _dollars(m["actual_cents"]), _dollars(m["pending_cents"])] for m in report["months"]]
    rows.append(["Total", _dollars(report["totals"]["actual_cents"]), _dollars(report["totals"]["pending_cents"])])
    return f"annual-report-{report['year']}.csv", _csv(["month", "actual_usd", "pending_usd"], rows)


def annual_pdf(actor: Actor, year: int | None = None) -> tuple[str, bytes]:
    report = annual(actor, year)
    body = annual_report_pdf(report["year"], report["months"], report["totals"], datetime.now(timezone.utc))
    return f"annual-report-{report['year']}.pdf", body


def aging_csv(actor: Actor) -> tuple[str, str]:
    rows = aging(actor)
    return f"receivables-aging-{today().isoformat()}.csv", _csv(
        ["days_late", "invoices", "outstanding_usd"], [[r["bucket"], r["invoices"], _dollars(r["outstanding_cents"])] for r in rows])
