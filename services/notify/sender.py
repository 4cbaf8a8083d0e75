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
from email.utils import parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from services.core.logs import get_logger
from services.core.settings import get_settings
from services.kernel.relay import IDENTITY
from services.notify import mime, rules, store

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


class _Connection:
    """This process's SMTP connection, kept open from round to round (no EHLO, STARTTLS and login
    per batch); dropped when it fails, and opened again for the next message."""

    def __init__(self) -> None:
        self.smtp: smtplib.SMTP | None = None
        self.fresh = False  # opened for the message at hand: a failure then is the message's
        self.lock = threading.Lock()  # one round at a time on it (the sender thread, or a script)

    def get(self) -> smtplib.SMTP:
        if self.smtp is None:
            self.smtp, self.fresh = connect(), True
        return self.smtp

    def drop(self, say_goodbye: bool = False) -> None:
        """Let the connection go: QUIT first on shutdown, at once when it failed."""
        smtp, self.smtp = self.smtp, None
        if smtp is not None:
            try:
                smtp.quit() if say_goodbye else smtp.close()
            except Exception:
                pass


_connection = _Connection()
# A kept connection the server closed meanwhile (idle timeout, restart) fails like this: the
# message is sent again on a new connection, and no attempt is spent on it.
_STALE = (smtplib.SMTPServerDisconnected, ConnectionError, BrokenPipeError)


def close() -> None:
    """Quit this process's SMTP connection (on shutdown)."""
    with _connection.lock:
        _connection.drop(say_goodbye=True)


def send_due(at: datetime | None = None, limit: int = BATCH) -> dict[str, int]:
    """One round: recover notifications stuck in `sending`, then send what is due over this
    process's connection, recording the sends in one write. `at` is the clock (tests move it to
    pass a backoff). Returns counts by outcome."""
    at = at or store.now()
    counts = {"recovered": store.recover_stuck(at), "sent": 0, "retry": 0, "failed": 0}
    claimed = store.claim_due(at, limit)
    if not claimed:
        return counts
    mail_from = get_settings().mail_from
    sent: list = []
    try:
        with _connection.lock:
            for doc in claimed:
                _send_one(doc, mail_from, at, counts, sent)
    finally:
        store.record_sent(sent, store.now(), IDENTITY)
    return counts


def _send_one(doc: dict, mail_from: str, at: datetime, counts: dict, sent: list) -> None:
    try:
        payload = _payload(doc, mail_from)
        try:
            _deliver(payload, mail_from, doc["to"])
        except _STALE:
            if _connection.fresh:
                raise
            _connection.drop()  # the kept connection had gone stale: once more on a new one
            _deliver(payload, mail_from, doc["to"])
    except Exception as exc:
        _failed(doc, at, counts, exc)
        return
    sent.append(doc["_id"])
    counts["sent"] += 1


def _payload(doc: dict, mail_from: str) -> bytes:
    """The stored email; one written before emails were stored is built now, the same way."""
    if doc.get("raw") is not None:
        return bytes(doc["raw"])
    marketing = doc.get("marketing") and doc.get("user_id")
    return mime.wire_bytes(mime.message_of(doc, mail_from, store.unsubscribe_url(doc["user_id"]) if marketing else None))


def _deliver(payload: bytes, mail_from: str, to: str) -> None:
    smtp = _connection.get()
    refused = smtp.sendmail(parseaddr(mail_from)[1], [to], payload)
    _connection.fresh = False
    if refused:
        raise smtplib.SMTPRecipientsRefused(refused)


def _failed(doc: dict, at: datetime, counts: dict, exc: Exception) -> None:
    """Record the attempt; the connection is kept when the server only refused this message."""
    permanent = rules.is_permanent(exc)
    _outcome(counts, store.record_failure(doc, at, rules.describe(exc), permanent))
    _log.warning("email not sent", extra={"fields": {"notification": doc["_id"], "kind": doc["kind"],
                                                      "error": rules.describe(exc), "permanent": permanent}})
    if _connection.smtp is None:
        return  # it never opened: nothing to keep or drop
    if isinstance(exc, smtplib.SMTPResponseException) and not isinstance(exc, smtplib.SMTPServerDisconnected):
        try:
            _connection.smtp.rset()  # the transaction is aborted; the connection stays usable
            return
        except Exception:
            pass
    _connection.drop()


def _outcome(counts: dict, status: str) -> None:
    counts["retry" if status == "pending" else "failed"] += 1


def send_until_idle(at: datetime | None = None) -> None:
    """Rounds until a round finds less than a full batch (the sender thread runs this when woken)."""
    while True:
        wake.clear()
        counts = send_due(at)
        if sum(counts[k] for k in ("sent", "retry", "failed")) < BATCH and not wake.is_set():
            return
