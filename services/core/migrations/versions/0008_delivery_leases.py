"""delivery leases: who holds a claimed delivery, and until when

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 01:40:00

Every worker process claims deliveries (services/kernel/relay.py): `claimed_by` names the process
that holds one, `lease_until` when it is due again unless that process renews it. The partial index
keeps a process's renewal cheap however many delivered rows the table keeps; the aggregate index
serves the ordered consumers' "an earlier event of the same aggregate is still waiting" check.
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox_delivery", sa.Column("claimed_by", sa.String(80), nullable=True))
    op.add_column("outbox_delivery", sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_outbox_delivery_claimed", "outbox_delivery", ["claimed_by"],
                    postgresql_where=sa.text("claimed_by is not null"))
    op.create_index("ix_outbox_event_aggregate", "outbox_event", ["aggregate_type", "aggregate_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_event_aggregate", table_name="outbox_event")
    op.drop_index("ix_outbox_delivery_claimed", table_name="outbox_delivery")
    op.drop_column("outbox_delivery", "lease_until")
    op.drop_column("outbox_delivery", "claimed_by")
