"""Who sees which invoice: finance and admin all, an agency its own (another's answers 404),
travelers and IT nothing (403), anonymous callers 401. And the PDF: parses, carries the number
and the total, the same bytes each time."""
import io

from pypdf import PdfReader

from tests.finance_helpers import ended_launch, invoices_of
from tests.helpers import demo_login, new_account, new_traveler

FINANCE_ROUTES = [("get", "/api/finance/invoices"), ("post", "/api/finance/invoices"), ("get", "/api/finance/invoices/{id}"),
                  ("get", "/api/finance/invoices/{id}.pdf"), ("post", "/api/finance/invoices/{id}/payments"),
                  ("post", "/api/finance/invoices/{id}/cancel"), ("patch", "/api/finance/payments/1"),
                  ("get", "/api/finance/reports/revenue"), ("get", "/api/finance/reports/annual"),
                  ("get", "/api/finance/reports/aging"), ("get", "/api/finance/dashboard"), ("get", "/api/finance/launches")]
AGENCY_ROUTES = [("get", "/api/agency/invoices"), ("get", "/api/agency/invoices/{id}"),
                 ("get", "/api/agency/invoices/{id}.pdf"), ("post", "/api/agency/invoices/{id}/pay")]


def _call(api, method, path, headers, invoice_id):
    return getattr(api, method)(path.format(id=invoice_id), headers=headers, **({"json": {}} if method != "get" else {}))


def test_every_route_for_every_role(api):
    owner, launch = ended_launch(api, status="aborted")
    [invoice] = invoices_of(api, owner, launch["id"])
    _t, traveler = new_traveler(api)
    _i, it = new_account(api, "it")
    for role_headers in (traveler, it, owner):
        for method, path in FINANCE_ROUTES:
            assert _call(api, method, path, role_headers, invoice["id"]).status_code == 403, (path, role_headers)
    for role_headers in (traveler, it, demo_login(api, "finance@example.com")):
        for method, path in AGENCY_ROUTES:
            assert _call(api, method, path, role_headers, invoice["id"]).status_code == 403, path
    for method, path in FINANCE_ROUTES + AGENCY_ROUTES:
        assert _call(api, method, path, {}, invoice["id"]).status_code == 401, path
    _other_email, other = new_account(api, "agency")
    for method, path in AGENCY_ROUTES[1:]:
        response = _call(api, method, path, other, invoice["id"])
        assert response.status_code in (404, 422) and (response.status_code == 404 or method == "post"), (path, response.text)
    assert api.post(f"/api/agency/invoices/{invoice['id']}/pay", headers=other, json={"card_number": "4242424242424242"}).status_code == 404
    assert invoice["id"] not in [i["id"] for i in api.get("/api/agency/invoices", headers=other).json()["items"]]
    admin = demo_login(api, "admin@example.com")
    assert api.get(f"/api/finance/invoices/{invoice['id']}", headers=admin).status_code == 200


def test_the_pdf_carries_the_invoice_and_is_the_same_each_time(api):
    owner, launch = ended_launch(api, status="aborted")
    [invoice] = invoices_of(api, owner, launch["id"])
    finance = demo_login(api, "finance@example.com")
    first = api.get(f"/api/finance/invoices/{invoice['id']}.pdf", headers=finance)
    assert first.status_code == 200 and first.headers["content-type"] == "application/pdf"
    assert f'filename="{invoice["number"]}.pdf"' in first.headers["content-disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(first.content)).pages)
    for expected in (invoice["number"], "$1,000.00", "VAT-12345", invoice["due_date"], invoice["seller"]["tax_id"]):
        assert expected in text, expected
    again = api.get(f"/api/agency/invoices/{invoice['id']}.pdf", headers=owner)
    assert again.status_code == 200 and again.content == first.content
