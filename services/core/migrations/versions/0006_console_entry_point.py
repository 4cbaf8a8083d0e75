"""the console as an entry point

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 21:10:00

`python -m astrobookings.admin create-admin` acts from the host's console: its events record the
entry point `cli`, beside web, api, job and sync.
"""
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("alter type entrypoint add value if not exists 'cli'")


def downgrade() -> None:
    pass  # PostgreSQL cannot drop a value from an enum type; an unused one is harmless
