"""Finance figures as SQL aggregates: each invoice's paid amount and status, the revenue per
agency, the annual report and the receivables aging. Nothing loops over rows in Python, so the
answers stay fast at 10,000 invoices and a million bookings (bench/finance_reports.py).

The status CASE below is `rules.invoice_status` written in SQL, so a page of 20 can be filtered
and counted in the database; tests/integration/test_finance_reports.py checks that both agree.
"""
from datetime import date

from sqlalchemy import text
from sqlmodel import Session

from services.finance import rules

_INVOICES = """
    with paid as (
        select invoice_id, sum(amount_cents) as paid from payment where status = 'received' group by invoice_id),
    cancelled as (select cancels_invoice_id as id from invoice where cancels_invoice_id is not null),
    inv as (
        select i.id, i.number, i.year, i.kind, i.agency_id, i.launch_id, i.legal_date, i.due_date, i.total_cents,
               coalesce(p.paid, 0) as paid,
               case when i.kind = 'cancellation' or c.id is not null then 'cancelled'
                    when coalesce(p.paid, 0) >= i.total_cents then 'paid'
                    when cast(:today as date) > i.due_date then 'overdue'
                    when coalesce(p.paid, 0) > 0 then 'partially_paid'
                    else 'pending' end as status
        from invoice i left join paid p on p.invoice_id = i.id left join cancelled c on c.id = i.id)
"""
_OPEN = "inv.status in ('pending', 'partially_paid', 'overdue')"


def invoice_page(session: Session, today: date, *, agency_id: int | None, status: str | None, year: int | None,
                 number: str | None, page: int, per_page: int) -> tuple[list[int], int]:
    where, params = ["true"], {"today": today, "limit": per_page, "offset": (max(page, 1) - 1) * per_page}
    for column, value in (("agency_id", agency_id), ("status", status), ("year", year)):
        if value is not None and value != "":
            where.append(f"inv.{column} = :{column}")
            params[column] = value
    if number:
        where.append("inv.number ilike :number")
        params["number"] = f"%{number.strip()}%"
    condition = " and ".join(where)
    total = session.execute(text(f"{_INVOICES} select count(*) from inv where {condition}"), params).scalar_one()
    ids = session.execute(text(f"{_INVOICES} select inv.id from inv where {condition} "
                               "order by inv.legal_date desc, inv.id desc limit :limit offset :offset"), params).scalars().all()
    return list(ids), int(total)


def statuses(session: Session, today: date, invoice_ids: list[int]) -> dict[int, str]:
    rows = session.execute(text(f"{_INVOICES} select id, status from inv where id = any(:ids)"),
                           {"today": today, "ids": invoice_ids})
    return dict(rows.all())


def revenue_by_agency(session: Session, today: date) -> list[dict]:
    """Invoiced (live invoices), collected (received payments), outstanding (open amounts) and the
    number of successful launches, per agency; agencies with neither invoices nor launches are left out."""
    rows = session.execute(text(f"""{_INVOICES},
        per_agency as (
            select agency_id,
                   sum(total_cents) filter (where status <> 'cancelled') as invoiced,
                   sum(paid) as collected,
                   sum(total_cents - paid) filter (where {_OPEN}) as outstanding
            from inv group by agency_id),
        launched as (select agency_id, count(*) as launches from launch where status = 'launched' group by agency_id)
        select a.id, a.name, coalesce(p.invoiced, 0), coalesce(p.collected, 0), coalesce(p.outstanding, 0),
               coalesce(l.launches, 0)
        from agency a left join per_agency p on p.agency_id = a.id left join launched l on l.agency_id = a.id
        where p.agency_id is not null or l.agency_id is not null
        order by coalesce(p.invoiced, 0) desc, a.name"""), {"today": today})
    return [{"agency_id": r[0], "agency": r[1], "invoiced_cents": int(r[2]), "collected_cents": int(r[3]),
             "outstanding_cents": int(r[4]), "launches": int(r[5])} for r in rows]


def annual(session: Session, today: date, year: int) -> list[dict]:
    """Per month of `year`: actual revenue (payments received that month) and pending revenue
    (open amounts of the invoices dated that month)."""
    rows = session.execute(text(f"""{_INVOICES},
        months as (select generate_series(1, 12) as month),
        actual as (
            select extract(month from paid_on)::int as month, sum(amount_cents) as cents from payment
            where status = 'received' and paid_on >= make_date(:year, 1, 1) and paid_on < make_date(:year + 1, 1, 1)
            group by 1),
        pending as (
            select extract(month from legal_date)::int as month, sum(total_cents - paid) as cents from inv
            where {_OPEN} and inv.year = :year group by 1)
        select m.month, coalesce(a.cents, 0), coalesce(p.cents, 0)
        from months m left join actual a on a.month = m.month left join pending p on p.month = m.month
        order by m.month"""), {"today": today, "year": year})
    return [{"month": int(r[0]), "actual_cents": int(r[1]), "pending_cents": int(r[2])} for r in rows]


def aging(session: Session, today: date) -> list[dict]:
    """Open amounts by how late they are, in the buckets of `rules.AGING_BUCKETS`."""
    rows = session.execute(text(f"""{_INVOICES}
        select case when :today <= due_date then 0
                    when :today - due_date <= 30 then 1
                    when :today - due_date <= 60 then 2
                    when :today - due_date <= 90 then 3
                    else 4 end as bucket,
               count(*), sum(total_cents - paid)
        from inv where {_OPEN} group by 1"""), {"today": today})
    found = {int(r[0]): (int(r[1]), int(r[2])) for r in rows}
    return [{"bucket": name, "invoices": found.get(i, (0, 0))[0], "outstanding_cents": found.get(i, (0, 0))[1]}
            for i, name in enumerate(rules.AGING_BUCKETS)]


def dashboard(session: Session, today: date) -> dict:
    row = session.execute(text(f"""{_INVOICES}
        select coalesce(sum(total_cents - paid) filter (where {_OPEN}), 0),
               count(*) filter (where status = 'overdue'),
               coalesce(sum(total_cents - paid) filter (where status = 'overdue'), 0),
               coalesce(sum(total_cents) filter (where status <> 'cancelled' and legal_date >= date_trunc('month', cast(:today as date))), 0),
               count(*) filter (where status <> 'cancelled' and legal_date >= date_trunc('month', cast(:today as date)))
        from inv"""), {"today": today}).one()
    return {"open_cents": int(row[0]), "overdue_count": int(row[1]), "overdue_cents": int(row[2]),
            "month_invoiced_cents": int(row[3]), "month_invoices": int(row[4])}


def overdue_for_reminders(session: Session, today: date) -> list[tuple[int, date]]:
    rows = session.execute(text(f"{_INVOICES} select id, due_date from inv where status = 'overdue' "
                                "and :today - due_date >= :first_step"),
                           {"today": today, "first_step": rules.REMINDER_STEPS[0]})
    return [(int(r[0]), r[1]) for r in rows]


def ended_launches(session: Session, *, page: int, per_page: int) -> tuple[list[dict], int]:
    """Launches that ended, newest first, with their live invoice (if any): the seeds' bookings
    report for successful launches, as finance sees it."""
    params = {"limit": per_page, "offset": (max(page, 1) - 1) * per_page}
    base = """
        from launch l join agency a on a.id = l.agency_id join rocket r on r.id = l.rocket_id
        where l.status in ('launched', 'aborted', 'failed')"""
    total = session.execute(text(f"select count(*) {base}"), params).scalar_one()
    rows = session.execute(text(f"""
        select l.id, l.slug, l.status, l.date, a.name, r.name,
               (select coalesce(sum(b.amount_cents - b.refund_cents), 0) from booking b
                where b.launch_id = l.id and b.status in ('confirmed', 'cancelled')),
               (select i.id from invoice i where i.launch_id = l.id and i.kind <> 'cancellation'
                  and not exists (select 1 from invoice c where c.cancels_invoice_id = i.id) limit 1),
               (select i.number from invoice i where i.launch_id = l.id and i.kind <> 'cancellation'
                  and not exists (select 1 from invoice c where c.cancels_invoice_id = i.id) limit 1)
        {base} order by l.date desc, l.id desc limit :limit offset :offset"""), params)
    return [{"launch_id": r[0], "slug": r[1], "status": r[2], "date": r[3], "agency": r[4], "rocket": r[5],
             "net_revenue_cents": int(r[6]), "invoice_id": r[7], "invoice_number": r[8]} for r in rows], int(total)
