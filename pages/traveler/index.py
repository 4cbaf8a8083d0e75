import reflex as rx

from components.local_time import local_time
from components.confirm import confirm_dialog
from components.forms import pager
from components.layout import error_callout, link_button, protected, success_callout
from components.states import list_states
from state.session import SessionState
from state.traveler.bookings import MyBookingsState

from services.core.formatting import STATUS_COLORS as _STATUS_COLORS


def _line(label: str, value) -> rx.Component:
    return rx.hstack(rx.text(label, size="2", color_scheme="gray", min_width="7em"), rx.text(value, size="2"), spacing="2")


def _booking(row: dict) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.link(rx.heading(row["launch"], size="4", as_="h2"), href=row["url"]),
                rx.spacer(),
                rx.badge("Booking ", row["status"], class_name="booking-status",
                         color_scheme=rx.match(row["status"], ("confirmed", "green"), ("held", "amber"), "gray")),
                rx.badge("Launch ", row["launch_status"], color_scheme=rx.match(
                    row["launch_status"], *_STATUS_COLORS.items(), "gray"), class_name="launch-status"),
                align="center", width="100%", wrap="wrap",
            ),
            rx.cond(row["note"] != "", rx.callout(row["note"], icon="info", size="1", class_name="launch-note",
                                                  color_scheme=rx.match(row["launch_status"], *_STATUS_COLORS.items(), "gray"))),
            _line("Booking", "#" + row["id"]),
            _line("Date", local_time(row["iso"], row["date"])),
            _line("From", row["spaceport"]),
            _line("Seats", row["seats"]),
            _line("Passengers", row["passengers"]),
            _line("Paid", row["paid"]),
            rx.cond(row["refund"] != "", rx.hstack(rx.text("Refund", size="2", color_scheme="gray", min_width="7em"),
                                                   rx.text(row["refund"], size="2", weight="bold", class_name="refund"),
                                                   rx.cond(row["refund_state"] != "", rx.badge(
                                                       row["refund_state"], class_name="refund-status",
                                                       color_scheme=rx.cond(row["refund_state"] == "Refund paid", "green", "amber"))),
                                                   align="center")),
            rx.hstack(
                rx.link(rx.icon("receipt", size=16), "Receipt", href=row["receipt_url"], class_name="receipt-link",
                        display="inline-flex", align_items="center", gap="0.3em"),
                rx.cond(row["cancellable"] == "yes",
                        rx.button("Cancel booking", size="2", variant="soft", color_scheme="red", class_name="cancel-booking",
                                  on_click=MyBookingsState.ask_cancel(row["id"]))),
                spacing="4", align="center", wrap="wrap"),
            spacing="2", width="100%",
        ),
        width="100%", class_name="booking", custom_attrs={"data-booking": row["id"]},
    )


def _confirm_dialog() -> rx.Component:
    return confirm_dialog(
        open=MyBookingsState.confirm_id != "", title="Cancel this booking?",
        description=[MyBookingsState.confirm_name, ": ", MyBookingsState.confirm_message], description_id="cancel-quote",
        on_cancel=MyBookingsState.keep_booking, on_confirm=MyBookingsState.confirm_cancel,
        confirm_id="confirm-cancel", confirm_label="Cancel booking", cancel_label="Keep my booking", cancel_id="keep-booking",
    )


@rx.page(route="/traveler", title="My bookings · AstroBookings",
         on_load=[SessionState.guard("traveler"), MyBookingsState.load])
def traveler_home() -> rx.Component:
    return protected(
        rx.hstack(rx.heading("My bookings", size="7", id="portal-title"), rx.spacer(),
                  link_button("Book another trip", "/launches", variant="soft"), align="center", width="100%"),
        rx.text("Welcome, ", SessionState.user_name, ".", color_scheme="gray"),
        error_callout(MyBookingsState.error),
        success_callout(MyBookingsState.notice),
        list_states(
            rx.vstack(rx.foreach(MyBookingsState.rows, _booking), spacing="3", width="100%", id="bookings"),
            what="your bookings", empty=MyBookingsState.total == 0, error=MyBookingsState.load_error,
            empty_view=rx.callout("You have no bookings yet. Pick a launch and book your seat.", icon="rocket",
                                  color_scheme="gray", id="no-bookings"),
        ),
        pager(MyBookingsState.page, MyBookingsState.pages, MyBookingsState.prev_page, MyBookingsState.next_page),
        _confirm_dialog(),
    )
