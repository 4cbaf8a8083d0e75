"""Finance reports at volume: 1,000,000 bookings on 10,000 launches and 10,000 invoices with
their lines and payments, then each report query timed (median of 5) beside a bare `count(*)`
of the same tables in the same run, the floor any report over them pays.

    .venv/bin/python -m bench.finance_reports [--bookings 1000000] [--invoices 10000]
"""
import argparse
import time
from datetime import date

from sqlalchemy import text

from bench.backend import median_ms, stores

SEED = """
insert into agency (name, tax_id, legal_address, user_id, created_at)
select 'Bench Agency ' || g, 'VAT-' || g, g || ' Rocket Road', 'bench-' || g, now() from generate_series(1, :agencies) g;
insert into rocket (name, capacity, range, agency_id, created_at)
select 'Rocket ' || a.id, 100, 'interplanetary', a.id, now() from agency a;
insert into launch (rocket_id, spaceport, destination, date, price_cents, agency_id, slug, status, seats_offered,
                    seats_sold, version, created_at, updated_at)
select r.id, 'kourou', 'moon', date '2026-01-01' + (g % 330), 10000000, r.agency_id, 'bench-launch-' || g,
       (case when g % 10 = 0 then 'aborted' else 'launched' end)::launchstatus, 100, 100, 1, now(), now()
from generate_series(1, :launches) g join rocket r on r.agency_id = 1 + (g % :agencies);
insert into booking (launch_id, traveler_id, traveler_email, seats, amount_cents, refund_cents, refund_percent, status,
                     payment_ref, created_at)
select l.id, 'bench-t-' || g, 'bench' || g || '@example.com', 1, 10000000,
       case when g % 20 = 0 then 7000000 else 0 end, case when g % 20 = 0 then 70 else 0 end,
       (case when g % 20 = 0 then 'cancelled' else 'confirmed' end)::bookingstatus, 'ch_bench_' || g, now()
from generate_series(1, :bookings) g join launch l on l.slug = 'bench-launch-' || (1 + (g % :launches));
insert into invoice_counter (year, last_sequence) values (2026, :invoices);
insert into invoice (number, year, sequence, kind, launch_id, agency_id, legal_date, due_date, currency, total_cents,
                     seller, buyer, issued_by, created_at)
select 'AB-2026-' || lpad(l.n::text, 5, '0'), 2026, l.n, case when l.status = 'aborted' then 'abort_fee' else 'launch_fee' end,
       l.id, l.agency_id, l.date::date, l.date::date + 30, 'USD', case when l.status = 'aborted' then 100000 else 1000000 end,
       '{"name": "AstroBookings"}'::jsonb, jsonb_build_object('name', 'Bench Agency ' || l.agency_id), 'bench', now()
from (select id, agency_id, date, status, row_number() over (order by id) as n from launch) l where l.n <= :invoices;
insert into invoice_line (invoice_id, position, description, quantity, unit_cents, amount_cents)
select id, 1, 'Platform fee', 1, total_cents, total_cents from invoice;
insert into payment (invoice_id, amount_cents, method, reference, paid_on, status, recorded_by, created_at, updated_at)
select id, case when id % 3 = 0 then total_cents else total_cents / 2 end, 'bank_transfer', 'W-' || id,
       legal_date + 10, 'received', 'bench', now(), now()
from invoice where id % 4 <> 0;
analyze;
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bookings", type=int, default=1_000_000)
    parser.add_argument("--invoices", type=int, default=10_000)
    args = parser.parse_args()
    launches = max(args.invoices, 10_000)
    with stores():
        from services.core.db import read_session, unit_of_work
        from services.finance import queries

        started = time.perf_counter()
        with unit_of_work() as session:
            for statement in filter(str.strip, SEED.split(";")):
                session.execute(text(statement), {"agencies": 200, "launches": launches, "bookings": args.bookings,
                                                  "invoices": args.invoices})
        print(f"seeded {args.bookings:,} bookings, {launches:,} launches, {args.invoices:,} invoices "
              f"in {time.perf_counter() - started:.1f} s")
        today = date(2026, 11, 22)
        with read_session() as session:
            def count(table):
                return lambda: session.execute(text(f"select count(*) from {table}")).scalar_one()
            rows = [
                ("baseline: count(*) booking", count("booking")),
                ("baseline: count(*) invoice", count("invoice")),
                ("baseline: count(*) payment", count("payment")),
                ("revenue per agency", lambda: queries.revenue_by_agency(session, today)),
                ("annual report 2026", lambda: queries.annual(session, today, 2026)),
                ("receivables aging", lambda: queries.aging(session, today)),
                ("dashboard", lambda: queries.dashboard(session, today)),
                ("invoice list, overdue, page 1", lambda: queries.invoice_page(
                    session, today, agency_id=None, status="overdue", year=None, number=None, page=1, per_page=20)),
                ("ended launches, page 1", lambda: queries.ended_launches(session, page=1, per_page=20)),
            ]
            print(f"{'query':34} {'median ms':>10}")
            for name, run in rows:
                print(f"{name:34} {median_ms(run):>10.1f}")


if __name__ == "__main__":
    main()
