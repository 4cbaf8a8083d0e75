"""Emails rendered from Jinja2 templates (services/notify/templates): one file per kind with three
blocks, `subject`, `text` and `html`. The HTML is rendered with autoescaping, so a name like
`<script>` arrives as text; the subject and plain text are not HTML and are left as written
(the subject's line breaks are removed: a header must stay one line)."""
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

FOLDER = Path(__file__).parent / "templates"
KINDS = tuple(sorted(p.stem for p in FOLDER.glob("*.j2") if not p.name.startswith("_")))


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@lru_cache
def _env(html: bool) -> Environment:
    return Environment(loader=FileSystemLoader(FOLDER), autoescape=html, undefined=StrictUndefined,
                       keep_trailing_newline=True)


def _block(html: bool, kind: str, name: str, context: dict) -> str:
    template = _env(html).get_template(f"{kind}.j2")
    return "".join(template.blocks[name](template.new_context(context))).strip()


def render(kind: str, context: dict) -> Rendered:
    if kind not in KINDS:
        raise ValueError(f"no template for notification kind {kind!r}")
    context = {"unsubscribe_url": None, **context}
    subject = " ".join(_block(False, kind, "subject", context).split())[:200]
    text = _block(False, kind, "text", context) + "\n"
    body = Markup(_block(True, kind, "html", context))
    html = _env(True).get_template("_layout.html.j2").render(subject=subject, body=body, **{
        k: v for k, v in context.items() if k not in ("subject", "body")})
    return Rendered(subject, text, html)
