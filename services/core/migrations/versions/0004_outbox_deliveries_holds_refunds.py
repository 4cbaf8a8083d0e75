"""outbox deliveries per consumer, booking holds, refunds

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 16:00:00

- outbox_event: string aggregate ids (accounts have uuid ids), the client address, the stream
  entry id of events published without a transaction (unique), `dispatched_at` instead of the
  relay's single processed_at/attempts/last_error (delivery state moves to outbox_delivery).
- outbox_delivery: one row per event and consumer.
- booking: `held` and `released` statuses, hold expiry, the order's hash for Idempotency-Key.
- refund: money owed back, paid by a consumer; refunds paid inline before this revision are
  carried over as paid rows.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new enum value must be committed before anything (the partial index below) uses it.
    with op.get_context().autocommit_block():
        op.execute("alter type bookingstatus add value if not exists 'held' before 'confirmed'")
        op.execute("alter type bookingstatus add value if not exists 'released'")

    op.alter_column('outbox_event', 'aggregate_id', type_=sqlmodel.sql.sqltypes.AutoString(length=254),
                    postgresql_using='aggregate_id::text')
    op.add_column('outbox_event', sa.Column('client_address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.add_column('outbox_event', sa.Column('source_ref', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True))
    op.create_unique_constraint('uq_outbox_event_source_ref', 'outbox_event', ['source_ref'])
    op.drop_index('ix_outbox_event_processed_at', table_name='outbox_event')
    op.alter_column('outbox_event', 'processed_at', new_column_name='dispatched_at')
    op.execute("update outbox_event set client_address = payload->>'client_address', "
               "payload = payload - 'client_address' where payload ? 'client_address'")
    op.drop_column('outbox_event', 'attempts')
    op.drop_column('outbox_event', 'last_error')
    op.create_index('ix_outbox_event_undispatched', 'outbox_event', ['id'], postgresql_where=sa.text('dispatched_at is null'))

    op.create_table('outbox_delivery',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('consumer', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('status', sa.Enum('pending', 'delivered', 'dead', name='deliverystatus'), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['outbox_event.id'], ),
    sa.PrimaryKeyConstraint('event_id', 'consumer')
    )
    op.create_index('ix_outbox_delivery_due', 'outbox_delivery', ['consumer', 'next_attempt_at'],
                    postgresql_where=sa.text("status = 'pending'"))
    op.create_index('ix_outbox_delivery_dead', 'outbox_delivery', ['consumer', 'event_id'],
                    postgresql_where=sa.text("status = 'dead'"))

    op.add_column('booking', sa.Column('request_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.add_column('booking', sa.Column('hold_expires_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('booking', sa.Column('release_reason', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
    op.add_column('booking', sa.Column('released_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_booking_held_expiry', 'booking', ['hold_expires_at'], postgresql_where=sa.text("status = 'held'"))

    op.create_table('refund',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('launch_id', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('charge_ref', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'paid', name='refundstatus'), nullable=False),
    sa.Column('gateway_ref', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], ),
    sa.ForeignKeyConstraint(['launch_id'], ['launch.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('booking_id')
    )
    op.create_index(op.f('ix_refund_launch_id'), 'refund', ['launch_id'], unique=False)
    op.create_index(op.f('ix_refund_status'), 'refund', ['status'], unique=False)
    op.execute("""
        insert into refund (booking_id, launch_id, amount_cents, reason, charge_ref, status, gateway_ref, created_at, paid_at)
        select id, launch_id, refund_cents, case when refund_percent = 100 then 'aborted' else 'cancelled' end,
               payment_ref, 'paid', refund_ref, coalesce(cancelled_at, created_at), coalesce(cancelled_at, created_at)
        from booking where refund_cents > 0
    """)
    op.drop_column('booking', 'refund_ref')


def downgrade() -> None:
    op.add_column('booking', sa.Column('refund_ref', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.execute("update booking b set refund_ref = r.gateway_ref from refund r where r.booking_id = b.id")
    op.drop_index(op.f('ix_refund_status'), table_name='refund')
    op.drop_index(op.f('ix_refund_launch_id'), table_name='refund')
    op.drop_table('refund')
    op.execute("drop type refundstatus")
    op.drop_index('ix_booking_held_expiry', table_name='booking')
    op.drop_column('booking', 'released_at')
    op.drop_column('booking', 'release_reason')
    op.drop_column('booking', 'hold_expires_at')
    op.drop_column('booking', 'request_hash')
    # Enum values cannot be dropped: held and released stay in the type, unused.
    op.drop_index('ix_outbox_delivery_dead', table_name='outbox_delivery')
    op.drop_index('ix_outbox_delivery_due', table_name='outbox_delivery')
    op.drop_table('outbox_delivery')
    op.execute("drop type deliverystatus")
    op.drop_index('ix_outbox_event_undispatched', table_name='outbox_event')
    op.add_column('outbox_event', sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.add_column('outbox_event', sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
    op.alter_column('outbox_event', 'dispatched_at', new_column_name='processed_at')
    op.create_index('ix_outbox_event_processed_at', 'outbox_event', ['processed_at'], unique=False)
    op.drop_constraint('uq_outbox_event_source_ref', 'outbox_event', type_='unique')
    op.drop_column('outbox_event', 'source_ref')
    op.drop_column('outbox_event', 'client_address')
    op.alter_column('outbox_event', 'aggregate_id', type_=sa.Integer(), postgresql_using='aggregate_id::integer')
