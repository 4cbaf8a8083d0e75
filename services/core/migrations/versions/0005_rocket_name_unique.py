"""one rocket name per agency

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 18:20:00

Two rockets of one agency with the same name (ignoring case and surrounding spaces) cannot be
told apart on a launch form or a ticket. Names already doubled get " (2)", " (3)"... appended
before the unique index is built, so the upgrade never fails on existing data.
"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        update rocket set name = left(rocket.name, 74) || ' (' || d.n || ')'
        from (select id, row_number() over (partition by agency_id, lower(btrim(name)) order by id) as n
              from rocket) d
        where rocket.id = d.id and d.n > 1
    """)
    op.execute("create unique index uq_rocket_agency_name on rocket (agency_id, lower(btrim(name)))")


def downgrade() -> None:
    op.execute("drop index if exists uq_rocket_agency_name")
