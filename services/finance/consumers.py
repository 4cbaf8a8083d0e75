"""The `invoices` consumer: a launch that ends is invoiced by the system.

Idempotent: the invoice is issued under the launch's advisory lock only when the launch has no
live invoice, so a repeated delivery (or an employee who issued it first) changes nothing."""
from services.finance.invoices import issue_when_launch_ends
from services.kernel.actor import SYSTEM
from services.kernel.events import Envelope
from services.kernel.relay import consumer


@consumer("invoices", "launch.launched", "launch.aborted", batch_size=10)
def invoice_ended_launches(batch: list[Envelope]) -> None:
    for envelope in batch:
        issue_when_launch_ends(SYSTEM, int(envelope.aggregate_id))
