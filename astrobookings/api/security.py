"""Browser-facing hardening for every HTTP response of the backend (REST API, crawler pages and the
Reflex frontend alike): security headers, a Content-Security-Policy the Reflex app runs under,
redirects that stay on this site, and the same-origin check for cookie-setting endpoints.

The app's HTML carries inline scripts (React Router's hydration data, the colour-mode script, the
crawler block's clean-up), so the policy allows exactly those by their SHA-256 hashes, computed
from each HTML response as it is sent; no other inline script and no eval runs.
"""
import base64
import gzip
import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.core.settings import get_settings
from services.core.urls import site_location

_INLINE_SCRIPT = re.compile(rb"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_JS_TYPES = (b"", b"module", b"text/javascript", b"application/javascript")
# Swagger UI and ReDoc (astrobookings/api/docs.py): their own policy, still this origin only.
_DOCS_PATHS = ("/api/docs", "/api/redoc")


def _ws_origins(origins: Iterable[str]) -> list[str]:
    return [o.replace("https://", "wss://", 1).replace("http://", "ws://", 1) for o in origins]


@lru_cache(maxsize=8)
def _policy_parts(origins: tuple[str, ...], https: bool) -> tuple[str, str]:
    connect = " ".join(["'self'", *origins, *_ws_origins(origins)])
    head = "default-src 'self'; script-src 'self'"
    tail = (f"; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
            f"connect-src {connect}; worker-src 'self' blob:; manifest-src 'self'; object-src 'none'; "
            "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
    return head, tail + ("; upgrade-insecure-requests" if https else "")


def page_policy(hashes: Iterable[str]) -> str:
    """The CSP of an HTML page whose inline scripts have these hashes."""
    settings = get_settings()
    head, tail = _policy_parts(tuple(settings.allowed_origins), settings.https)
    allowed = "".join(f" 'sha256-{h}'" for h in hashes)
    return head + allowed + tail


API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# Both viewers style elements inline and ReDoc searches in a worker it makes from a blob.
DOCS_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
               "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def inline_script_hashes(html: bytes) -> list[str]:
    """Base64 SHA-256 of every inline JavaScript block, in CSP's 'sha256-...' form (without quotes)."""
    found = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs").lower()
        if b"src=" in attrs:
            continue
        kind = re.search(rb"type\s*=\s*[\"']?([^\"'\s>]*)", attrs)
        if kind and kind.group(1) not in _JS_TYPES:
            continue  # data blocks (JSON-LD) are never executed
        digest = base64.b64encode(hashlib.sha256(match.group("body")).digest()).decode()
        if digest not in found:
            found.append(digest)
    return found


def _is_page_path(path: str) -> bool:
    """Paths that answer HTML pages (not the hashed build assets, the API or Reflex endpoints)."""
    return not path.startswith(("/assets/", "/api/", "/_", "/favicon")) and "." not in path.rsplit("/", 1)[-1]


def _common_headers(headers: MutableHeaders) -> None:
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    if get_settings().https:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if "location" in headers:
        headers["Location"] = site_location(headers["location"])


class SecurityHeaders:
    """ASGI middleware over the whole backend. Websockets pass through (Socket.IO checks their
    Origin against the same allowed origins)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if _is_page_path(path):
            # Pages are answered in full every time, so each answer carries the policy of its body
            # (a 304 would leave the browser with a cached body and no hashes).
            scope = {**scope, "headers": [(k, v) for k, v in scope["headers"]
                                          if k not in (b"if-none-match", b"if-modified-since")]}
        start: Message | None = None
        chunks: list[bytes] = []

        async def send_secured(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                _common_headers(headers)
                if headers.get("content-type", "").startswith("text/html") and path not in _DOCS_PATHS:
                    for validator in ("etag", "last-modified"):
                        if validator in headers:
                            del headers[validator]
                    headers["Cache-Control"] = headers.get("cache-control") or "no-cache"
                    start = message  # held until the body is known
                    return
                headers["Content-Security-Policy"] = DOCS_POLICY if path in _DOCS_PATHS else API_POLICY
                await send(message)
                return
            if start is None or message["type"] not in ("http.response.body", "http.response.pathsend"):
                await send(message)
                return
            if message["type"] == "http.response.pathsend":
                # Granian's zero-copy file send: read the (small, static) page ourselves instead.
                chunks.append(Path(message["path"]).read_bytes())
            else:
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
            body = b"".join(chunks)
            headers = MutableHeaders(scope=start)
            html = gzip.decompress(body) if body and headers.get("content-encoding") == "gzip" else body
            if headers.get("content-encoding") not in (None, "gzip", "identity"):
                # A compression we cannot read here: fall back to allowing inline scripts.
                headers["Content-Security-Policy"] = page_policy([]).replace("script-src 'self'",
                                                                             "script-src 'self' 'unsafe-inline'")
            else:
                headers["Content-Security-Policy"] = page_policy(inline_script_hashes(html))
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_secured)


def same_origin(request: Request) -> bool:
    """A state-changing browser request really comes from one of our pages: the browser's Origin
    (or, without it, Sec-Fetch-Site) says so. Cross-site forms and scripts cannot fake either."""
    origin = request.headers.get("origin")
    if origin is not None:
        return origin.rstrip("/") in get_settings().allowed_origins
    return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")
