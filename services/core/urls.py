"""Where a browser may be sent: paths on this site only. Pure functions, no I/O.

Browsers read "//host" and "/\\host" as another site, so neither may start a path we send people
to (a `next=` after sign-in, a redirect's Location). The Host header is never used to build one.
"""
from urllib.parse import urlsplit


def _unsafe(text: str) -> bool:
    return "\\" in text or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text)


def safe_local_path(target: str | None, fallback: str = "/") -> str:
    """`target` when it is a path on this site, else `fallback` (for `next=` after sign-in)."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//") or _unsafe(target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


def site_location(location: str) -> str:
    """A redirect's Location kept on this site: only its path, query and fragment survive, as a
    path of this site, whatever host or scheme the redirect was built with."""
    parts = urlsplit(location.replace("\\", "/"))
    path = "/" + parts.path.lstrip("/")
    path = "".join(ch for ch in path if ord(ch) >= 0x20 and ord(ch) != 0x7F)
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return path + query + fragment
