"""/it/metrics: bookings, cancellations and sign-ins per minute, HTTP latency per route group,
the outbox, store latencies and the notification queue, over the last hour or day."""
import reflex as rx

from components.it import it_tabs
from components.layout import error_callout, protected
from state.it.metrics import CHARTS, ItMetricsState as S
from state.session import SessionState

COLORS = ["#3e63dd", "#e5484d", "#30a46c", "#f76b15", "#8e4ec6"]


def _chart(title: str, data, labels: list[str], chart_id: str) -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(title, size="3", as_="h2"),
        rx.recharts.line_chart(
            *[rx.recharts.line(data_key=label, stroke=COLORS[i % len(COLORS)], dot=False, type_="monotone")
              for i, label in enumerate(labels)],
            rx.recharts.x_axis(data_key="t"), rx.recharts.y_axis(), rx.recharts.legend(), rx.recharts.graphing_tooltip(),
            data=data, width="100%", height=220),
        spacing="2", width="100%"), width="100%", id=chart_id)


def _http_chart() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading("HTTP latency p95 per route group (ms)", size="3", as_="h2"),
        rx.recharts.line_chart(
            rx.foreach(S.http_groups, lambda g: rx.recharts.line(data_key=g, dot=False, type_="monotone")),
            rx.recharts.x_axis(data_key="t"), rx.recharts.y_axis(), rx.recharts.legend(), rx.recharts.graphing_tooltip(),
            data=S.http, width="100%", height=220),
        spacing="2", width="100%"), width="100%", id="chart-http")


@rx.page(route="/it/metrics", title="Metrics · IT · AstroBookings", on_load=[SessionState.guard("it,admin"), S.load])
def it_metrics() -> rx.Component:
    return protected(
        it_tabs("/it/metrics"),
        rx.hstack(rx.heading("Metrics", size="7", id="portal-title"), rx.spacer(),
                  rx.segmented_control.root(rx.segmented_control.item("Last hour", value="hour"),
                                            rx.segmented_control.item("Last day", value="day"),
                                            default_value="hour", on_change=S.window, id="metrics-window"),
                  width="100%", align="center"),
        rx.text("Sampled every minute, kept 7 days. Prometheus can scrape GET /metrics.", size="2", color_scheme="gray"),
        error_callout(S.error),
        rx.cond(S.samples == 0, rx.text("No sample yet: the scheduler takes one every minute.", color_scheme="gray",
                                        id="no-samples")),
        rx.grid(
            _chart("Per minute", S.activity, list(CHARTS["activity"].values()), "chart-activity"),
            _http_chart(),
            _chart("Outbox", S.outbox, list(CHARTS["outbox"].values()), "chart-outbox"),
            _chart("Store latency (ms)", S.stores, list(CHARTS["stores"].values()), "chart-stores"),
            _chart("Notifications", S.notifications, list(CHARTS["notifications"].values()), "chart-notifications"),
            columns=rx.breakpoints(initial="1", md="2"), spacing="3", width="100%"),
        width="80em",
    )
