"""Tables that fit a phone: a wide table scrolls sideways inside its own box (assets/a11y.css),
which the keyboard can focus and scroll, instead of widening the whole page."""
import reflex as rx


def table_root(*children, label: str | None = None, **props) -> rx.Component:
    """rx.table.root in a scroll box; `label` (else the table's id in words) names the box for
    screen readers."""
    props.setdefault("width", "100%")
    label = label or (props["id"].replace("-", " ").capitalize() if isinstance(props.get("id"), str) else "Table")
    return rx.box(rx.table.root(*children, **props), class_name="table-scroll", tab_index=0, role="region",
                  aria_label=label)
