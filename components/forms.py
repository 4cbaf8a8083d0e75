"""Labelled form fields, so every form reads and behaves the same (and works from the keyboard)."""
import reflex as rx


def field(label: str, name: str, type: str = "text", required: bool = True, errors: rx.Var | None = None,
          control_id: str | None = None, **props) -> rx.Component:
    """A labelled input; with `errors` (a state's field_errors), its message shows right under it and
    the input is marked aria-invalid and described by that message. `control_id` when two forms of
    a page share a field name (an edit dialog beside an add form)."""
    control_id = control_id or name
    # Radix's Text has no html_for (Reflex made it a CSS property): the attribute itself.
    label_el = rx.text(label, as_="label", custom_attrs={"htmlFor": control_id}, size="2", weight="medium")
    if errors is None:
        return rx.vstack(
            label_el,
            rx.input(name=name, id=control_id, type=type, required=required, width="100%", **props),
            spacing="1", width="100%",
        )
    message = errors.get(name, "")
    return rx.vstack(
        label_el,
        rx.input(name=name, id=control_id, type=type, required=required, width="100%",
                 color_scheme=rx.cond(message != "", "red", "gray"),
                 custom_attrs=invalid_attrs(name, errors, control_id), **props),
        field_error(control_id, message),
        spacing="1", width="100%",
    )


def invalid_attrs(name: str, errors: rx.Var | None, control_id: str | None = None) -> dict:
    """aria-invalid / aria-describedby of a control whose message field_error(control_id, ...) shows."""
    if errors is None:
        return {}
    message = errors.get(name, "")
    return {"aria-invalid": rx.cond(message != "", "true", "false"),
            "aria-describedby": rx.cond(message != "", f"{control_id or name}-error", "")}


def field_error(name: str, message) -> rx.Component:
    return rx.cond(message != "", rx.text(message, id=f"{name}-error", size="1", color_scheme="red",
                                          class_name="field-error", role="alert"))


def select_field(label: str, name: str, options: list[str] | rx.Var, default: str | None = None,
                 errors: rx.Var | None = None, words=None, control_id: str | None = None, **props) -> rx.Component:
    """A labelled select; `words` turns a code into what people read ("low_earth_orbit" -> "Low
    Earth orbit"); with `errors`, its message shows under it as for field()."""
    control_id = control_id or name
    text = words or (lambda o: o)
    return rx.vstack(
        rx.text(label, as_="label", custom_attrs={"htmlFor": control_id}, size="2", weight="medium"),
        rx.el.select(
            rx.foreach(options, lambda o: rx.el.option(o, value=o)) if isinstance(options, rx.Var)
            else [rx.el.option(text(o), value=o) for o in options],
            name=name, id=control_id, default_value=default, custom_attrs=invalid_attrs(name, errors, control_id), **props,
            style={"width": "100%", "padding": "6px", "border_radius": "6px", "border": "1px solid var(--gray-a7)", "background": "var(--color-surface)"},
        ),
        *([] if errors is None else [field_error(control_id, errors.get(name, ""))]),
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
              title: str | None = None, reset_on_submit: bool = False, key=None) -> rx.Component:
    """A form in a card: optional heading, the fields top to bottom, one submit button. With `key`
    (a state's form_version), the form starts afresh when the state bumps it (after a success)
    and keeps what was typed otherwise (after a refusal)."""
    heading = [rx.heading(title, size="4", as_="h2")] if title else []
    keyed = {} if key is None else {"key": key}
    return rx.card(
        rx.form(
            rx.vstack(*heading, *fields, rx.button(submit_label, type="submit", id=submit_id),
                      spacing="3", width="100%"),
            on_submit=on_submit, reset_on_submit=reset_on_submit, id=form_id, **keyed,
        ),
        width="100%",
    )
