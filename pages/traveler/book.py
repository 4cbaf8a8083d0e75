import reflex as rx

from components.focus import focus_on
from components.forms import field
from components.layout import error_callout, link_button, protected
from components.tables import table_root
from state.session import SessionState
from state.traveler.book import MAX_SEATS, BookState

_STEPS = [("seats", "1. Seats"), ("passengers", "2. Passengers"), ("review", "3. Review and pay")]


def _progress() -> rx.Component:
    return rx.hstack(*[rx.badge(label, variant=rx.cond(BookState.step == key, "solid", "soft"), size="2")
                       for key, label in _STEPS], spacing="2")


def _summary() -> rx.Component:
    launch = BookState.launch
    return rx.card(rx.vstack(
        rx.heading(launch["name"], size="5", as_="h2", id="book-launch"),
        rx.text(launch["agency"], " · ", launch["spaceport"], " · ", launch["date"], size="2", color_scheme="gray"),
        rx.text(BookState.price, " per seat", size="2"),
        spacing="1"), width="100%")


def _step_heading(text: str, step: str) -> rx.Component:
    # tabindex -1: focusable by script only; the wizard moves the focus here on every step.
    return rx.heading(text, size="4", as_="h2", id="step-heading", tab_index=-1, outline="none",
                      custom_attrs={"data-step": step})


def _seats_step() -> rx.Component:
    return rx.card(rx.vstack(
        _step_heading("Seats", "seats"),
        rx.text("How many seats?", as_="label", custom_attrs={"htmlFor": "seats"}, weight="medium"),
        rx.el.select(rx.foreach(BookState.seat_options, lambda n: rx.el.option(n, value=n)),
                     id="seats", value=BookState.seats.to_string(), on_change=BookState.set_seats,
                     style={"padding": "6px", "border_radius": "6px", "border": "1px solid var(--gray-a7)", "min_width": "6em"}),
        rx.text(BookState.limit_note, size="2", color_scheme="gray", id="limit-note"),
        rx.button("Continue to passengers", on_click=BookState.to_passengers, id="seats-next"),
        spacing="3", align="start"), width="100%")


def _passenger(i: int) -> rx.Component:
    p = BookState.passengers[i]
    return rx.cond(BookState.seats > i, rx.card(rx.vstack(
        rx.heading(f"Passenger {i + 1}", size="3", as_="h3"),
        rx.grid(
            field("Full name", f"p{i}_name", errors=BookState.field_errors, auto_complete="off", default_value=p["name"]),
            field("Email", f"p{i}_email", errors=BookState.field_errors, type="email", default_value=p["email"]),
            field("Phone", f"p{i}_phone", errors=BookState.field_errors, type="tel", default_value=p["phone"]),
            field("Birth date", f"p{i}_birth_date", errors=BookState.field_errors, type="date", default_value=p["birth_date"]),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
        ),
        spacing="2", width="100%"), width="100%"))


def _passengers_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            _step_heading("Passengers", "passengers"),
            rx.text(BookState.age_rule, size="2", color_scheme="gray"),
            *[_passenger(i) for i in range(MAX_SEATS)],
            rx.hstack(rx.button("Back", type="button", variant="soft", color_scheme="gray", on_click=BookState.back),
                      rx.button("Review the total", type="submit", id="passengers-next"), spacing="3"),
            spacing="3", width="100%",
        ),
        on_submit=BookState.save_passengers, key=BookState.form_version, id="passengers-form", width="100%",
    )


_REVIEW_COLUMNS = (("Passenger", "name"), ("Email", "email"), ("Phone", "phone"), ("Born", "birth_date"))


def _review_row(p: dict) -> rx.Component:
    # data-label: the column's name, shown before each value when the table stacks on a phone.
    return rx.table.row(*[rx.table.cell(p[key], custom_attrs={"data-label": title}) for title, key in _REVIEW_COLUMNS])


def _review_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            _step_heading("Review and pay", "review"),
            table_root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h, _ in _REVIEW_COLUMNS])),
                rx.table.body(rx.foreach(BookState.chosen, _review_row)),
                width="100%", id="review-passengers", class_name="stack-on-phone",
            ),
            rx.box(rx.heading("If you cancel", size="3", as_="h3"),
                   rx.el.ul(rx.foreach(BookState.policy, lambda line: rx.el.li(rx.text(line, size="2")))),
                   id="refund-policy", width="100%"),
            rx.hstack(rx.text(BookState.seats_words, " × ", BookState.price, " ="), rx.text(BookState.total, size="6", weight="bold", as_="div", id="book-total"),
                      align="center", spacing="2"),
            field("Card number", "card_number", errors=BookState.field_errors, auto_complete="cc-number", input_mode="numeric", placeholder="4242 4242 4242 4242"),
            rx.text("Sandbox: 4242 4242 4242 4242 is approved, 4000 0000 0000 0002 is declined.", size="1", color_scheme="gray"),
            rx.hstack(rx.button("Back", type="button", variant="soft", color_scheme="gray", on_click=BookState.back),
                      rx.button("Pay ", BookState.total, " and confirm", type="submit", id="pay-submit"), spacing="3"),
            spacing="3", width="100%",
        ),
        on_submit=BookState.pay, id="pay-form", width="100%",
    )


def _done() -> rx.Component:
    return rx.callout(
        rx.vstack(rx.text("Booking #", BookState.booking_id, " is confirmed: ", BookState.seats_words, ", ",
                          BookState.total, " paid.", weight="bold"),
                  rx.link("See it in my bookings", href="/traveler", id="to-my-bookings"), spacing="2"),
        icon="circle-check", color_scheme="green", id="booking-done", width="100%")


@rx.page(route="/traveler/book/[slug]", title="Book seats · AstroBookings",
         on_load=[SessionState.guard("traveler"), BookState.enter])
def book_page() -> rx.Component:
    return protected(
        rx.heading("Book seats", size="7", id="portal-title"),
        focus_on(selector=BookState.focus_selector, token=BookState.focus_token),
        rx.cond(BookState.launch.contains("name"), _summary()),
        error_callout(BookState.error),
        rx.match(
            BookState.step,
            ("seats", rx.vstack(_progress(), _seats_step(), width="100%")),
            ("passengers", rx.vstack(_progress(), _passengers_step(), width="100%")),
            ("review", rx.vstack(_progress(), _review_step(), width="100%")),
            ("done", _done()),
            link_button("Back to the launches", "/launches", variant="soft"),
        ),
    )
