"""The sender: a job on the scheduler's leader (never a web request) that sends due notifications
over SMTP (`SMTP_URL`: smtp://[user:password@]host:port, `smtps://` for TLS from the start,
`?starttls=true` to require STARTTLS; with credentials STARTTLS is used whenever the server offers it).

Each notification is claimed (`sending`), sent with its stable Message-ID, and its attempt recorded:
`sent`; a refused connection, a timeout or a 4xx reply is retried on the schedule (rules.BACKOFF_SECONDS)
and then `failed`; a 5xx reply fails at once with the server's reason. A sender that dies mid-send
leaves `sending` behind: after rules.SENDING_TIMEOUT it is due again, with the same Message-ID.
"""
import smtplib
import ssl
import threading
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import parse_qs, unquote, urlsplit

from services.core.logs import get_logger
from services.core.settings import get_settings
from services.notify import rules, store

BATCH = 100
TIMEOUT = 10.0
_log = get_logger("notify")
# Set when new notifications were written: the sender's thread wakes at once (astrobookings/jobs/runtime.py).
wake = threading.Event()


def connect(url: str | None = None, timeout: float = TIMEOUT) -> smtplib.SMTP:
    parts = urlsplit(url or get_settings().smtp_url)
    host, port = parts.hostname or "127.0.0.1", parts.port
    query = parse_qs(parts.query)
    if parts.scheme == "smtps":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port or 465, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port or 25, timeout=timeout)
        smtp.ehlo()
        wants_tls = query.get("starttls", [""])[0].lower() in ("1", "true", "yes")
        if wants_tls or (parts.username and smtp.has_extn("starttls")):
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
    if parts.username:
        smtp.login(unquote(parts.username), unquote(parts.password or ""))
    return smtp


# Long header lines stay whole (RFC 5322 allows 998): an encoded List-Unsubscribe URL would break it.
_POLICY = policy.default.clone(max_line_length=998)


def message_of(doc: dict, mail_from: str) -> EmailMessage:
    msg = EmailMessage(policy=_POLICY)
    msg["From"] = mail_from
    msg["To"] = doc["to"]
    msg["Subject"] = doc["subject"]
    msg["Message-ID"] = doc["message_id"]
    msg["Date"] = format_datetime(doc["created_at"])
    msg["X-AstroBookings-Kind"] = doc["kind"]
    if doc.get("marketing") and doc.get("user_id"):
        url = store.unsubscribe_url(doc["user_id"])
        msg["List-Unsubscribe"] = f"<{url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(doc["text"])
    msg.add_alternative(doc["html"], subtype="html")
    for a in doc.get("attachments", []):
        # "text/calendar; method=REQUEST": the parameters travel in the part's Content-Type.
        kind, *params = [part.strip() for part in a["content_type"].split(";")]
        maintype, subtype = kind.split("/", 1)
        msg.add_attachment(bytes(a["data"]), maintype=maintype, subtype=subtype, filename=a["filename"],
                           params=dict(p.split("=", 1) for p in params if "=" in p))
    return msg


def send_due(at: datetime | None = None, limit: int = BATCH) -> dict[str, int]:
    """One round: recover notifications stuck in `sending`, then send what is due, over one SMTP
    connection. `at` is the clock (tests move it to pass a backoff). Returns counts by outcome."""
    at = at or store.now()
    counts = {"recovered": store.recover_stuck(at), "sent": 0, "retry": 0, "failed": 0}
    claimed = store.claim_due(at, limit)
    if not claimed:
        return counts
    mail_from = get_settings().mail_from
    smtp: smtplib.SMTP | None = None
    sent: list = []
    try:
        for doc in claimed:
            if smtp is None:
                try:
                    smtp = connect()
                except Exception as exc:  # unreachable: this one waits for its next attempt
                    _outcome(counts, store.record_failure(doc, at, rules.describe(exc), rules.is_permanent(exc)))
                    _log.warning("SMTP unreachable", extra={"fields": {"error": rules.describe(exc)}})
                    continue
            smtp = _send_one(smtp, doc, mail_from, at, counts, sent)
    finally:
        store.record_sent(sent)
        if smtp is not None:
            try:
                smtp.quit()
            except Exception:
                pass
    return counts


def _send_one(smtp: smtplib.SMTP, doc: dict, mail_from: str, at: datetime, counts: dict,
              sent: list) -> smtplib.SMTP | None:
    """Send one; returns the connection if it is still usable, else None (the next one reconnects)."""
    try:
        refused = smtp.send_message(message_of(doc, mail_from), to_addrs=[doc["to"]])
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)
        sent.append(store.sent_update(doc, store.now(), "250 accepted"))
        counts["sent"] += 1
        return smtp
    except Exception as exc:
        permanent = rules.is_permanent(exc)
        _outcome(counts, store.record_failure(doc, at, rules.describe(exc), permanent))
        _log.warning("email not sent", extra={"fields": {"notification": doc["_id"], "kind": doc["kind"],
                                                          "error": rules.describe(exc), "permanent": permanent}})
        if isinstance(exc, smtplib.SMTPResponseException) and not isinstance(exc, smtplib.SMTPServerDisconnected):
            try:
                smtp.rset()  # the transaction is aborted; the connection stays usable
                return smtp
            except Exception:
                pass
        try:
            smtp.close()
        except Exception:
            pass
        return None


def _outcome(counts: dict, status: str) -> None:
    counts["retry" if status == "pending" else "failed"] += 1


def send_until_idle(at: datetime | None = None) -> None:
    """Rounds until a round finds less than a full batch (the sender thread runs this when woken)."""
    while True:
        wake.clear()
        counts = send_due(at)
        if sum(counts[k] for k in ("sent", "retry", "failed")) < BATCH and not wake.is_set():
            return
