"""Invoices and payments as the finance and agency pages show them: plain strings, formatted once."""
from services.core.formatting import (
    INVOICE_KIND_WORDS, INVOICE_STATUS_COLORS, INVOICE_STATUS_WORDS, status_value, usd,
)
from services.core.models.finance import InvoicePublic, PaymentPublic


def invoice_row(invoice: InvoicePublic, href_prefix: str) -> dict[str, str]:
    status = status_value(invoice.status)
    return {
        "id": str(invoice.id), "number": invoice.number, "href": f"{href_prefix}/{invoice.id}",
        "kind": INVOICE_KIND_WORDS.get(invoice.kind, invoice.kind), "agency": invoice.buyer.get("name", ""),
        "legal_date": invoice.legal_date.isoformat(), "due_date": invoice.due_date.isoformat(),
        "status": INVOICE_STATUS_WORDS.get(status, status), "color": INVOICE_STATUS_COLORS.get(status, "gray"),
        "total": usd(invoice.total_cents), "paid": usd(invoice.paid_cents), "outstanding": usd(invoice.outstanding_cents),
        "launch_id": str(invoice.launch_id),
    }


def payment_row(payment: PaymentPublic) -> dict[str, str]:
    return {
        "id": str(payment.id), "amount": usd(payment.amount_cents), "method": payment.method.replace("_", " "),
        "reference": payment.reference or "", "paid_on": payment.paid_on.isoformat(), "status": payment.status,
        "reason": payment.status_reason or "", "by": payment.recorded_by,
        "color": "green" if payment.status == "received" else "gray",
        "toggle": "reversed" if payment.status == "received" else "received",
        "toggle_label": "Reverse" if payment.status == "received" else "Restore",
    }


def line_rows(invoice: InvoicePublic) -> list[dict[str, str]]:
    return [{"description": l.description, "quantity": str(l.quantity), "unit": usd(l.unit_cents), "amount": usd(l.amount_cents)}
            for l in invoice.lines]


def party_lines(party: dict) -> list[str]:
    return [v for v in (party.get("name", ""), party.get("address", ""),
                        f"Tax id: {party['tax_id']}" if party.get("tax_id") else "") if v]
