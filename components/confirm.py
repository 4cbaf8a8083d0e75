"""The one confirmation dialog every destructive action goes through."""
import reflex as rx


class ReturnFocus(rx.Component):
    """Renders nothing; gives the focus back to the dialog's opener when it closes (assets/return_focus.js)."""
    library = "$/public/return_focus.js"
    tag = "ReturnFocus"


return_focus = ReturnFocus.create


def confirm_dialog(*, open: rx.Var, title, description, on_cancel, on_confirm, confirm_id: str,
                   confirm_label: str = "Confirm", cancel_label: str = "Cancel", color="red",
                   cancel_id: str | None = None, description_id: str | None = None) -> rx.Component:
    description = description if isinstance(description, (list, tuple)) else [description]
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            return_focus(),
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(*description, id=description_id),
            rx.hstack(
                # Radix's Cancel itself (no on_click of its own, which Reflex would wrap in a box):
                # Radix focuses it when the dialog opens, and it asks to close like Esc does.
                rx.alert_dialog.cancel(rx.button(cancel_label, variant="soft", color_scheme="gray", id=cancel_id)),
                # A plain button: the state closes the dialog once the action is done.
                rx.button(confirm_label, color_scheme=color, on_click=on_confirm, id=confirm_id),
                spacing="3", justify="end", margin_top="1em",
            ),
        ),
        open=open,
        # Cancel or Esc (Radix asks to close): on_cancel. Radix keeps the focus inside the
        # dialog while it is open and gives it back to the button that opened it.
        on_open_change=on_cancel,
    )
