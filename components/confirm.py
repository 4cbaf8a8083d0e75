"""The one confirmation dialog every destructive action goes through."""
import reflex as rx


def confirm_dialog(*, open: rx.Var, title, description, on_cancel, on_confirm, confirm_id: str,
                   confirm_label: str = "Confirm", cancel_label: str = "Cancel", color="red",
                   cancel_id: str | None = None, description_id: str | None = None) -> rx.Component:
    description = description if isinstance(description, (list, tuple)) else [description]
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(*description, id=description_id),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(cancel_label, variant="soft", color_scheme="gray",
                                                 on_click=on_cancel, id=cancel_id)),
                rx.alert_dialog.action(rx.button(confirm_label, color_scheme=color, on_click=on_confirm, id=confirm_id)),
                spacing="3", justify="end", margin_top="1em",
            ),
        ),
        open=open,
        # Esc (Radix asks to close): the same as Cancel. Radix moves the focus into the dialog,
        # keeps it there, and gives it back to the button that opened it.
        on_open_change=on_cancel,
    )
