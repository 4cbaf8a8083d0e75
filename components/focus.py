"""Moving the keyboard focus from a page state (assets/focus.js)."""
import reflex as rx


class FocusOn(rx.Component):
    """Renders nothing; each time `token` changes (and is not 0) the focus moves to `selector`
    (assets/focus.js). The CSP-safe way to move focus from a handler: set the two state fields."""
    library = "$/public/focus.js"
    tag = "FocusOn"
    selector: rx.Var[str]
    token: rx.Var[int]


focus_on = FocusOn.create
