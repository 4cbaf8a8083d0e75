"""The piece of every page that finishes a sign-in (assets/session.js)."""
import reflex as rx
from reflex_components_core.el.elements.base import BaseHTML


class SessionHandoff(rx.Component):
    """Renders nothing; when `code` is set it trades it for the session cookie and opens `target`."""
    library = "$/public/session.js"
    tag = "SessionHandoff"
    code: rx.Var[str]
    target: rx.Var[str]


session_handoff = SessionHandoff.create


class NativeForm(BaseHTML):
    """A form the browser itself submits (Reflex's forms always stop the submission to send an
    event instead): for posts that must reach the server as a page navigation, like sign-out."""
    tag = "form"
    action: rx.Var[str]
    method: rx.Var[str]


native_form = NativeForm.create
