"""Invoice pieces shared by the finance and agency pages: the summary card, its lines, its
payments, and the invoice list table. Each takes the page's state class (an InvoiceView)."""
import reflex as rx
from components.tables import table_root


def header(S, back: str) -> rx.Component:
    """The way back to the list and, once the invoice is shown, its PDF."""
    return rx.hstack(rx.link("← Invoices", href=back), rx.spacer(),
                     rx.cond(S.found, rx.button(rx.icon("download", size=16), "PDF", on_click=S.download_pdf,
                                                variant="soft", id="download-pdf")), width="100%", align="center")


def _pair(label: str, value) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", color_scheme="gray", weight="medium"), rx.text(value, size="3"), spacing="0")


def summary(S) -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(rx.heading(S.info["number"], size="6", id="invoice-number"), rx.badge(S.info["kind"]),
                  rx.badge(S.info["status"], color_scheme=S.info["color"], id="invoice-status", size="2"),
                  align="center", spacing="3", wrap="wrap"),
        rx.grid(_pair("Invoice date", S.info["legal_date"]), _pair("Due date", S.info["due_date"]),
                _pair("Total", S.info["total"]), _pair("Paid", rx.text(S.info["paid"], id="invoice-paid")),
                _pair("Still owed", rx.text(S.info["outstanding"], id="invoice-outstanding")),
                columns=rx.breakpoints(initial="2", sm="5"), spacing="4", width="100%"),
        rx.grid(rx.vstack(rx.text("From", size="1", color_scheme="gray", weight="medium"),
                          rx.foreach(S.seller, lambda l: rx.text(l, size="2")), spacing="0"),
                rx.vstack(rx.text("To", size="1", color_scheme="gray", weight="medium"),
                          rx.foreach(S.buyer, lambda l: rx.text(l, size="2")), spacing="0"),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="4", width="100%"),
        rx.cond(S.info["cancels"] != "", rx.text("Cancels invoice ", S.info["cancels"], ": ", S.info["reason"], size="2")),
        rx.cond(S.info["cancelled_by"] != "", rx.text("Cancelled by invoice ", S.info["cancelled_by"], size="2",
                                                       color_scheme="red", id="cancelled-by")),
        spacing="4", width="100%"), width="100%")


def lines(S) -> rx.Component:
    return rx.box(table_root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in ("Description", "Quantity", "Unit amount", "Amount")])),
        rx.table.body(rx.foreach(S.lines, lambda l: rx.table.row(
            rx.table.cell(l["description"]), rx.table.cell(l["quantity"]), rx.table.cell(l["unit"]), rx.table.cell(l["amount"])))),
        width="100%"), overflow_x="auto", width="100%")


def payments(S, action=None) -> rx.Component:
    headers = ["Paid on", "Amount", "Method", "Reference", "Status", "Recorded by"] + (["" ] if action else [])

    def row(p: dict) -> rx.Component:
        cells = [rx.table.cell(p["paid_on"]), rx.table.cell(p["amount"]), rx.table.cell(p["method"]),
                 rx.table.cell(p["reference"]),
                 rx.table.cell(rx.vstack(rx.badge(p["status"], color_scheme=p["color"]),
                                         rx.text(p["reason"], size="1", color_scheme="gray"), spacing="1")),
                 rx.table.cell(p["by"])]
        if action:
            cells.append(rx.table.cell(action(p)))
        return rx.table.row(*cells, id="payment-row-" + p["id"])

    return rx.cond(
        S.payment_rows.length() > 0,
        rx.box(table_root(rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
                             rx.table.body(rx.foreach(S.payment_rows, row)), width="100%", id="payments-table"),
               overflow_x="auto", width="100%"),
        rx.text("No payment recorded yet.", color_scheme="gray", id="no-payments"),
    )


def invoice_table(rows, *, show_agency: bool) -> rx.Component:
    headers = ["Number", "Kind"] + (["Agency"] if show_agency else []) + ["Invoice date", "Due", "Status", "Total", "Still owed"]

    def row(r: dict) -> rx.Component:
        cells = [rx.table.cell(rx.link(r["number"], href=r["href"])), rx.table.cell(r["kind"])]
        if show_agency:
            cells.append(rx.table.cell(r["agency"]))
        cells += [rx.table.cell(r["legal_date"]), rx.table.cell(r["due_date"]),
                  rx.table.cell(rx.badge(r["status"], color_scheme=r["color"])), rx.table.cell(r["total"]),
                  rx.table.cell(r["outstanding"])]
        return rx.table.row(*cells, id="invoice-row-" + r["id"])

    return rx.box(table_root(rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
                                rx.table.body(rx.foreach(rows, row)), width="100%", id="invoices-table"),
                  overflow_x="auto", width="100%")
