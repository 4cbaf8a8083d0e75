"""Labelled form fields, so every form reads and behaves the same (and works from the keyboard)."""
import reflex as rx


def field(label: str, name: str, type: str = "text", required: bool = True, errors: rx.Var | None = None,
          **props) -> rx.Component:
    """A labelled input; with `errors` (a state's field_errors), its message shows right under it and
    the input is marked aria-invalid and described by that message."""
    if errors is None:
        return rx.vstack(
            rx.text(label, as_="label", html_for=name, size="2", weight="medium"),
            rx.input(name=name, id=name, type=type, required=required, width="100%", **props),
            spacing="1", width="100%",
        )
    message = errors.get(name, "")
    return rx.vstack(
        rx.text(label, as_="label", html_for=name, size="2", weight="medium"),
        rx.input(name=name, id=name, type=type, required=required, width="100%",
                 color_scheme=rx.cond(message != "", "red", "gray"),
                 custom_attrs={"aria-invalid": rx.cond(message != "", "true", "false"),
                               "aria-describedby": rx.cond(message != "", f"{name}-error", "")},
                 **props),
        field_error(name, message),
        spacing="1", width="100%",
    )


def field_error(name: str, message) -> rx.Component:
    return rx.cond(message != "", rx.text(message, id=f"{name}-error", size="1", color_scheme="red",
                                          class_name="field-error", role="alert"))


def select_field(label: str, name: str, options: list[str] | rx.Var, default: str | None = None, **props) -> rx.Component:
    return rx.vstack(
        rx.text(label, as_="label", html_for=name, size="2", weight="medium"),
        rx.el.select(
            rx.foreach(options, lambda o: rx.el.option(o, value=o)) if isinstance(options, rx.Var)
            else [rx.el.option(o, value=o) for o in options],
            name=name, id=name, default_value=default, **props,
            style={"width": "100%", "padding": "6px", "border_radius": "6px", "border": "1px solid var(--gray-a7)", "background": "var(--color-surface)"},
        ),
        spacing="1", width="100%",
    )


def pager(page: rx.Var, pages: rx.Var, on_prev, on_next) -> rx.Component:
    return rx.hstack(
        rx.button("Previous", on_click=on_prev, disabled=page <= 1, variant="soft", size="1"),
        rx.text("Page ", page, " of ", pages, size="2"),
        rx.button("Next", on_click=on_next, disabled=page >= pages, variant="soft", size="1"),
        align="center", spacing="3",
    )


def form_card(*fields: rx.Component, on_submit, submit_label: str, submit_id: str, form_id: str,
              title: str | None = None, reset_on_submit: bool = False) -> rx.Component:
    """A form in a card: optional heading, the fields top to bottom, one submit button."""
    heading = [rx.heading(title, size="4")] if title else []
    return rx.card(
        rx.form(
            rx.vstack(*heading, *fields, rx.button(submit_label, type="submit", id=submit_id),
                      spacing="3", width="100%"),
            on_submit=on_submit, reset_on_submit=reset_on_submit, id=form_id,
        ),
        width="100%",
    )
