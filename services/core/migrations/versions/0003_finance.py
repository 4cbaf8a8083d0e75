"""finance: invoices with lines, gapless yearly numbering, payments, reminders

The placeholder invoice and payment tables of 0001 were never written to; they are replaced.

Revision ID: 0003
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("payment")
    op.drop_table("invoice")
    op.execute("drop type if exists paymentstatus")
    op.execute("drop type if exists invoicekind")
    op.create_table(
        "invoice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(20), nullable=False, unique=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("launch_id", sa.Integer(), sa.ForeignKey("launch.id"), nullable=False, index=True),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey("agency.id"), nullable=False, index=True),
        sa.Column("legal_date", sa.Date(), nullable=False, index=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.Column("seller", postgresql.JSONB(), nullable=False),
        sa.Column("buyer", postgresql.JSONB(), nullable=False),
        sa.Column("cancels_invoice_id", sa.Integer(), sa.ForeignKey("invoice.id"), nullable=True, unique=True),
        sa.Column("reason", sa.String(300), nullable=True),
        sa.Column("issued_by", sa.String(254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("year", "sequence", name="uq_invoice_year_sequence"),
        sa.CheckConstraint("kind in ('launch_fee', 'abort_fee', 'cancellation')", name="ck_invoice_kind"),
        sa.CheckConstraint("(kind = 'cancellation') = (cancels_invoice_id is not null)", name="ck_invoice_cancellation"),
    )
    op.create_table(
        "invoice_line",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("invoice_id", sa.Integer(), sa.ForeignKey("invoice.id"), nullable=False, index=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(300), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_cents", sa.BigInteger(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "invoice_counter",
        sa.Column("year", sa.Integer(), primary_key=True),
        sa.Column("last_sequence", sa.Integer(), nullable=False),
    )
    op.create_table(
        "invoice_reminder",
        sa.Column("invoice_id", sa.Integer(), sa.ForeignKey("invoice.id"), primary_key=True),
        sa.Column("step_days", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("invoice_id", sa.Integer(), sa.ForeignKey("invoice.id"), nullable=False, index=True),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("reference", sa.String(120), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=False, index=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_reason", sa.String(300), nullable=True),
        sa.Column("recorded_by", sa.String(254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_cents > 0", name="ck_payment_positive"),
        sa.CheckConstraint("method in ('bank_transfer', 'card')", name="ck_payment_method"),
        sa.CheckConstraint("status in ('received', 'reversed')", name="ck_payment_status"),
    )


def downgrade() -> None:
    for table in ("payment", "invoice_reminder", "invoice_counter", "invoice_line", "invoice"):
        op.drop_table(table)
