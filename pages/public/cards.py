"""Launch cards shared by the landing page and the launch list."""
import reflex as rx

from components.local_time import local_time


def launch_card(row: dict, level: str = "h2") -> rx.Component:
    """`level`: the card title's heading level under the page's own headings."""
    return rx.link(
        rx.card(
            rx.vstack(
                rx.heading(row["name"], size="4", as_=level),
                rx.text(row["agency"], " · ", row["rocket"], size="2", color_scheme="gray"),
                rx.hstack(rx.icon("map-pin", size=14, flex_shrink="0", margin_top="3px"), rx.text(row["spaceport"], size="2"),
                          spacing="1", align="start"),
                rx.hstack(rx.icon("calendar", size=14, flex_shrink="0", margin_top="3px"), rx.text(local_time(row["iso"], row["date"]), size="2"),
                          spacing="1", align="start"),
                rx.hstack(
                    rx.text(row["price"], weight="bold"), rx.text("per seat", size="1", color_scheme="gray"),
                    rx.spacer(),
                    rx.badge(row["seats"], color_scheme=rx.cond(row["open"] == "yes", "green", "gray"), class_name="seats"),
                    align="center", width="100%",
                ),
                spacing="2", align="start", width="100%",
            ),
            width="100%", height="100%",
        ),
        href=row["url"], underline="none", color_scheme="gray", high_contrast=True,
        class_name="launch-card", custom_attrs={"data-slug": row["slug"]},
    )


def launch_grid(rows, level: str = "h2") -> rx.Component:
    return rx.grid(rx.foreach(rows, lambda row: launch_card(row, level)), columns=rx.breakpoints(initial="1", sm="2", md="3"),
                   spacing="4", width="100%", id="launch-grid")
