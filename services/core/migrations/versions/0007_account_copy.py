"""account copies in PostgreSQL

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 21:30:00

What booking needs of each account (id, email, role, name, contact and tax data, disabled), so
that booking, cancelling and My bookings need PostgreSQL only while MongoDB is down. Filled by the
`account-copy` consumer as accounts sign up, sign in and change; empty at first (an account is
copied at its next sign-in or change, or when a request reads it).
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_copy",
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("tax_id", sa.String(40), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("account_copy")
