"""Finance: invoices for agencies, payments against them, and revenue reports.

Owns `invoice`, `invoice_line`, `invoice_counter`, `invoice_reminder` and `payment`
(PostgreSQL). Consumes `launch.launched` and `launch.aborted` (the system issues the invoice).
Publishes `invoice.issued`, `invoice.overdue`, `payment.recorded`, `payment.corrected`.
Reads launches and agencies through the agency domain's public surface.
"""
from services.finance.invoices import invoice_pdf

__all__ = ["invoice_pdf"]
