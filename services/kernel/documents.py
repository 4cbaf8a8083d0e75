"""The one layout of every document AstroBookings hands out as PDF (fpdf2): invoices
(services/finance/pdf.py) and booking receipts (services/booking/receipts.py) fill the same parts.

    header    the AstroBookings mark (assets/mark.svg) and name; the document's title and number
    facts     the figures a reader looks for first (number, dates, due date, amount), in boxes
    parties   seller and buyer side by side
    items     rows that carry their own description; numbers right-aligned
    totals    subtotal, total, and what is paid or refunded
    section   a titled block of lines: how to pay, refund terms
    footer    the seller's name, address, tax id and registration; "Page n of m"

The core PDF fonts speak Latin-1: other characters are written as "?" rather than failing.
Nothing random is written, so the same document gives the same bytes."""
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fpdf import FPDF, FontFace

MARK = Path(__file__).resolve().parents[2] / "assets" / "mark.svg"
INK, MUTED, RULE, TINT, ACCENT = (17, 24, 39), (90, 99, 115), (210, 214, 222), (242, 244, 248), (11, 16, 38)
FONT = "Helvetica"


@dataclass(frozen=True)
class Seller:
    """Who issues the document; the footer of every page names them."""
    name: str
    address: str
    tax_id: str
    registration: str


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # millimetres
    align: str = "LEFT"  # LEFT or RIGHT (amounts)


def latin1(text) -> str:
    return str(text).encode("latin-1", "replace").decode("latin-1")


class CompanyDocument(FPDF):
    def __init__(self, title: str, number: str, on: datetime, seller: Seller):
        super().__init__(format="A4")
        self.doc_title, self.number, self.seller = title, number, seller
        self.set_creation_date(on)
        self.set_title(latin1(f"{title} {number}"))
        for setter in (self.set_author, self.set_creator, self.set_producer):
            setter("AstroBookings")
        self.set_margins(16, 14, 16)
        self.set_auto_page_break(True, margin=24)
        self.alias_nb_pages()
        self.add_page()

    # --- drawn on every page by fpdf2 ---------------------------------------------------------

    def header(self) -> None:
        top = 12
        # fpdf2 logs each SVG element it does not draw; the mark has none that matter.
        logging.getLogger("fpdf.svg").setLevel(logging.ERROR)
        self.image(str(MARK), x=self.l_margin, y=top, w=14, h=14)
        self.set_xy(self.l_margin + 17, top + 1.5)
        self._font("B", 15, ACCENT)
        self.cell(60, 7, "AstroBookings")
        self.set_xy(self.l_margin + 17, top + 8)
        self._font("", 8, MUTED)
        self.cell(60, 4, "Seats to space, booked")
        self.set_xy(self.w - self.r_margin - 90, top + 1)
        self._font("B", 18, INK)
        self.cell(90, 8, latin1(self.doc_title.upper()), align="R")
        self.set_xy(self.w - self.r_margin - 90, top + 9)
        self._font("", 10, MUTED)
        self.cell(90, 5, latin1(self.number), align="R")
        self.set_draw_color(*RULE)
        self.line(self.l_margin, top + 18, self.w - self.r_margin, top + 18)
        self.set_y(top + 23)
        self._font("", 10, INK)

    def footer(self) -> None:
        self.set_y(-18)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)
        s = self.seller
        self._font("", 7.5, MUTED)
        self.cell(self.epw - 30, 4, latin1(f"{s.name} · {s.address}"))
        self.cell(30, 4, f"Page {self.page_no()} of {{nb}}", align="R", new_x="LMARGIN", new_y="NEXT")
        self.cell(self.epw - 30, 4, latin1(f"Tax id {s.tax_id} · {s.registration}"))

    # --- the parts --------------------------------------------------------------------------

    def facts(self, pairs: list[tuple[str, str]]) -> None:
        """The figures first looked for, each in its own box: label small, value large."""
        width = self.epw / len(pairs)
        y = self.get_y()
        self.set_fill_color(*TINT)
        for i, (label, value) in enumerate(pairs):
            x = self.l_margin + i * width
            self.rect(x + (1 if i else 0), y, width - 1, 15, style="F")
            self.set_xy(x + 3, y + 2)
            self._font("", 7.5, MUTED)
            self.cell(width - 6, 4, latin1(label.upper()))
            self.set_xy(x + 3, y + 7)
            self._font("B", 11, INK)
            self.cell(width - 6, 6, latin1(value))
        self.set_xy(self.l_margin, y + 20)
        self._font("", 10, INK)

    def parties(self, left: tuple[str, list[str]], right: tuple[str, list[str]]) -> None:
        """Seller and buyer side by side; the taller of the two sets where the next part starts."""
        half = (self.epw - 8) / 2
        y = self.get_y()
        ends = []
        for i, (title, lines) in enumerate((left, right)):
            x = self.l_margin + i * (half + 8)
            self.set_xy(x, y)
            self._font("B", 8, MUTED)
            self.cell(half, 5, latin1(title.upper()), new_x="LEFT", new_y="NEXT")
            for n, line in enumerate(line for line in lines if line):
                self._font("B" if n == 0 else "", 10, INK)
                self.multi_cell(half, 5, latin1(line), new_x="LEFT", new_y="NEXT")
            ends.append(self.get_y())
        self.set_xy(self.l_margin, max(ends) + 5)

    def items(self, columns: list[Column], rows: list[list[str]]) -> None:
        """One row per item; a long description wraps inside its own cell, top-aligned with its
        figures, so the row's description and amount stay on one line of text."""
        self._font("", 9, INK)
        self.set_draw_color(*RULE)
        with self.table(col_widths=[c.width for c in columns], width=sum(c.width for c in columns),
                           align="LEFT", borders_layout="HORIZONTAL_LINES", line_height=5, padding=(1.6, 1.5),
                           v_align="TOP", headings_style=FontFace(emphasis="BOLD", color=MUTED, fill_color=TINT),
                           text_align=tuple(c.align for c in columns)) as table:
            heading = table.row()
            for c in columns:
                heading.cell(latin1(c.title))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(latin1(value))
        self.ln(3)

    def totals(self, pairs: list[tuple[str, str]]) -> None:
        """Right-aligned under the table; the last pair (what is due or paid) stands out."""
        for i, (label, value) in enumerate(pairs):
            last = i == len(pairs) - 1
            self.set_x(self.w - self.r_margin - 90)
            self._font("B" if last else "", 11 if last else 10, INK)
            self.cell(55, 6.5, latin1(label), align="R")
            self.cell(35, 6.5, latin1(value), align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def section(self, title: str, lines: list[str], pairs: list[tuple[str, str]] | None = None) -> None:
        """A titled block: label/value pairs (bank details) and sentences (terms)."""
        if self.will_page_break(12):
            self.add_page()
        self._font("B", 10, INK)
        self.cell(0, 6, latin1(title), new_x="LMARGIN", new_y="NEXT")
        for label, value in pairs or []:
            self._font("", 9, MUTED)
            self.cell(40, 5, latin1(label))
            self._font("B", 9, INK)
            self.cell(0, 5, latin1(value), new_x="LMARGIN", new_y="NEXT")
        self._font("", 9, INK)
        for line in lines:
            self.multi_cell(0, 5, latin1(line), new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def heading(self, text: str) -> None:
        self._font("B", 10, INK)
        self.cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self._font("", 10, INK)

    def bytes(self) -> bytes:
        return bytes(self.output())

    def _font(self, style: str, size: float, color: tuple[int, int, int]) -> None:
        self.set_font(FONT, style, size)
        self.set_text_color(*color)


def seller_from(settings, copied: dict | None = None) -> Seller:
    """The seller as copied onto an invoice when it was issued (else as set now); the
    registration is always the install's own."""
    copied = copied or {}
    return Seller(copied.get("name") or settings.seller_name, copied.get("address") or settings.seller_address,
                  copied.get("tax_id") or settings.seller_tax_id, settings.seller_registration)
