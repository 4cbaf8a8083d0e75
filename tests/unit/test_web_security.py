"""Pure pieces of the browser-facing hardening: where a browser may be sent, the CSP hashes of
inline scripts, and reading the session cookie from a websocket handshake."""
import base64
import hashlib

import pytest

from astrobookings.api.security import inline_script_hashes
from services.core.urls import safe_local_path, site_location


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "/\\/evil.example", "https://evil.example/x",
                                    "javascript:alert(1)", "evil.example", "/ok\r\nSet-Cookie: x=1", "", None, "\\\\evil"])
def test_next_never_leaves_the_site(target):
    assert safe_local_path(target, "/home") == "/home"


@pytest.mark.parametrize("target", ["/agency", "/agency/launches/12?tab=money", "/launches#free", "/%2F%2Fevil"])
def test_next_keeps_paths_of_the_site(target):
    assert safe_local_path(target, "/home") == target


@pytest.mark.parametrize("location,kept", [
    ("http://attacker.example/admin/", "/admin/"), ("//evil.example/%2e%2e", "/%2e%2e"), ("/\\evil.example", "/"),
    ("https://evil.example", "/"), ("/admin/?a=1#b", "/admin/?a=1#b"), ("admin/", "/admin/"),
])
def test_redirect_locations_become_paths_of_this_site(location, kept):
    assert site_location(location) == kept


def test_inline_scripts_are_hashed_but_not_external_scripts_or_data_blocks():
    html = (b'<script>window.a=1</script><script type="module">import "/x.js"</script><script src="/app.js"></script>'
            b'<script type="application/ld+json">{"@type":"Event"}</script><SCRIPT>b()</SCRIPT>')
    expected = [base64.b64encode(hashlib.sha256(body).digest()).decode()
                for body in (b"window.a=1", b'import "/x.js"', b"b()")]
    assert inline_script_hashes(html) == expected


def test_the_session_cookie_is_read_from_a_handshake_cookie_header(monkeypatch):
    from services.auth import sessions

    monkeypatch.setattr(sessions, "cookie_name", lambda: "ab_session")
    assert sessions.token_from_cookies("theme=dark; ab_session=abc.def.ghi; other=1") == "abc.def.ghi"
    assert sessions.token_from_cookies("xab_session=nope; ab_sessionx=no") is None
    assert sessions.token_from_cookies(None) is None
