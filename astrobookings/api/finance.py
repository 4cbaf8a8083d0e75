"""Finance's REST routes: invoices, payments and reports for finance employees and admins;
`/api/agency/invoices` for an agency's own invoices (another agency's id answers 404)."""
from typing import Literal

from fastapi import APIRouter, Query, Response

from astrobookings.api.deps import AgencyActor, FinanceActor
from astrobookings.api.files import CSV, PDF, PDF_RESPONSE, download
from astrobookings.api.paging import Page
from astrobookings.api.params import PAGE, PER_PAGE, Id
from services.core.models.finance import (
    CardPayment, InvoiceCancel, InvoiceDetail, InvoiceIssue, InvoicePublic, InvoiceStatus, PaymentCreate, PaymentPublic,
    PaymentUpdate,
)
from services.finance import invoices, payments, reports

router = APIRouter(prefix="/api/finance", tags=["finance"])
agency_router = APIRouter(prefix="/api/agency/invoices", tags=["agency invoices"])
_ID = {"ge": 1, "le": 2**31 - 1}
Format = Literal["json", "csv", "pdf"]
_FORMAT = "The answer as JSON (the default), a CSV file or, where offered, a PDF."


@router.get("/invoices", response_model=Page[InvoicePublic])
def list_invoices(actor: FinanceActor,
                  agency_id: int | None = Query(None, description="Only this agency's invoices.", **_ID),
                  status: InvoiceStatus | None = Query(None, description="Only invoices in this status."),
                  year: int | None = Query(None, ge=2000, le=2200, description="Only invoices issued in this year."),
                  number: str | None = Query(None, max_length=20, description="Invoices whose number contains this."),
                  page: int = Query(1, description=PAGE, ge=1, le=100_000),
                  per_page: int = Query(20, description=PER_PAGE, ge=1, le=100)):
    items, total = invoices.list_invoices(actor, agency_id=agency_id, status=status.value if status else None, year=year,
                                          number=number, page=page, per_page=per_page)
    return Page(items=items, total=total, page=page, per_page=per_page)


@router.post("/invoices", response_model=InvoiceDetail, status_code=201)
def issue_invoice(actor: FinanceActor, body: InvoiceIssue):
    """Issue the invoice of an ended launch; 409 says why when it has one already, failed, or is still open."""
    return invoices.issue_for_launch(actor, body)


@router.get("/invoices/{invoice_id}.pdf", response_class=Response, responses=PDF_RESPONSE)
def invoice_pdf(actor: FinanceActor, invoice_id: Id):
    return download(*invoices.invoice_pdf(actor, invoice_id), PDF)


@router.get("/invoices/{invoice_id}", response_model=InvoiceDetail)
def get_invoice(actor: FinanceActor, invoice_id: Id):
    return invoices.get_invoice(actor, invoice_id)


@router.post("/invoices/{invoice_id}/cancel", response_model=InvoiceDetail, status_code=201)
def cancel_invoice(actor: FinanceActor, invoice_id: Id, body: InvoiceCancel):
    """Issue a cancellation invoice (and, with `reissue`, a new invoice); answers the newest one."""
    return invoices.cancel_invoice(actor, invoice_id, body)


@router.post("/invoices/{invoice_id}/payments", response_model=PaymentPublic, status_code=201)
def record_payment(actor: FinanceActor, invoice_id: Id, body: PaymentCreate):
    return payments.record_payment(actor, invoice_id, body)


@router.patch("/payments/{payment_id}", response_model=PaymentPublic)
def correct_payment(actor: FinanceActor, payment_id: Id, body: PaymentUpdate):
    return payments.correct_payment(actor, payment_id, body)


@router.get("/dashboard")
def dashboard(actor: FinanceActor):
    return reports.dashboard(actor)


@router.get("/launches")
def ended_launches(actor: FinanceActor, page: int = Query(1, description=PAGE, ge=1, le=100_000),
                   per_page: int = Query(20, description=PER_PAGE, ge=1, le=100)):
    items, total = reports.ended_launches(actor, page=page, per_page=per_page)
    return {"items": items, "total": total, "page": page, "per_page": per_page}


@router.get("/reports/revenue")
def revenue(actor: FinanceActor, format: Literal["json", "csv"] = Query("json", description=_FORMAT)):
    if format == "csv":
        return download(*reports.revenue_csv(actor), CSV)
    return {"items": reports.revenue(actor)}


@router.get("/reports/annual")
def annual(actor: FinanceActor,
           year: int | None = Query(None, ge=2000, le=2200, description="The year reported; the current one by default."),
           format: Format = Query("json", description=_FORMAT)):
    if format == "csv":
        return download(*reports.annual_csv(actor, year), CSV)
    if format == "pdf":
        return download(*reports.annual_pdf(actor, year), PDF)
    return reports.annual(actor, year)


@router.get("/reports/aging")
def aging(actor: FinanceActor, format: Literal["json", "csv"] = Query("json", description=_FORMAT)):
    if format == "csv":
        return download(*reports.aging_csv(actor), CSV)
    return {"items": reports.aging(actor)}


@agency_router.get("", response_model=Page[InvoicePublic])
def my_invoices(actor: AgencyActor, page: int = Query(1, description=PAGE, ge=1, le=100_000),
                per_page: int = Query(20, description=PER_PAGE, ge=1, le=100)):
    items, total = invoices.list_invoices(actor, page=page, per_page=per_page)
    return Page(items=items, total=total, page=page, per_page=per_page)


@agency_router.get("/{invoice_id}.pdf", response_class=Response, responses=PDF_RESPONSE)
def my_invoice_pdf(actor: AgencyActor, invoice_id: Id):
    return download(*invoices.invoice_pdf(actor, invoice_id), PDF)


@agency_router.get("/{invoice_id}", response_model=InvoiceDetail)
def my_invoice(actor: AgencyActor, invoice_id: Id):
    return invoices.get_invoice(actor, invoice_id)


@agency_router.post("/{invoice_id}/pay", response_model=PaymentPublic, status_code=201)
def pay_my_invoice(actor: AgencyActor, invoice_id: Id, body: CardPayment):
    return payments.pay_by_card(actor, invoice_id, body)
