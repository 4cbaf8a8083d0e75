"""Pure rules of the notification service: the retry schedule, which SMTP failures are worth a
retry, the stable ids of a notification and its Message-ID, and the signed unsubscribe token."""
import base64
import hashlib
import hmac
import smtplib
from datetime import datetime, timedelta

# Delay before each retry of a transient failure; once they are used up the notification is `failed`.
BACKOFF_SECONDS = (10, 30, 60, 300, 900)
# A notification claimed by a sender that has not answered by then (it crashed) is sent again.
SENDING_TIMEOUT = timedelta(minutes=2)
# Mail piling up: the service reports `degraded` past either figure.
DEGRADED_OLDEST_PENDING = timedelta(minutes=15)
DEGRADED_QUEUE_DEPTH = 1000


def notification_id(source_event_id: int, kind: str, to: str) -> str:
    """The same event, kind and recipient always give the same id: a replay inserts nothing new."""
    digest = hashlib.sha256(f"{source_event_id}|{kind}|{to.strip().lower()}".encode()).hexdigest()
    return f"n{source_event_id}-{digest[:16]}"


def message_id(notification_id: str, mail_from: str) -> str:
    domain = mail_from.rsplit("@", 1)[-1].strip(" >") or "astrobookings.example"
    return f"<{notification_id}@{domain}>"


def next_attempt(failures_this_round: int, now: datetime) -> datetime | None:
    """When to try again after the n-th transient failure of this round; None: give up (`failed`)."""
    if failures_this_round < 1 or failures_this_round > len(BACKOFF_SECONDS):
        return None
    return now + timedelta(seconds=BACKOFF_SECONDS[failures_this_round - 1])


def is_permanent(exc: BaseException) -> bool:
    """A 5xx reply fails at once; a refused connection, a timeout or a 4xx reply is worth a retry."""
    code = smtp_code(exc)
    return code is not None and 500 <= code < 600


def smtp_code(exc: BaseException) -> int | None:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return max(codes) if codes else None
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code
    return None


def describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{to}: {code} {_text(msg)}" for to, (code, msg) in exc.recipients.items())[:500]
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"[:500]
    return f"{type(exc).__name__}: {exc}"[:500]


def _text(msg) -> str:
    return msg.decode(errors="replace") if isinstance(msg, bytes) else str(msg)


# --- one-click unsubscribe ---------------------------------------------------------------------

def unsubscribe_key(jwt_secret: str) -> bytes:
    """A key of its own, derived from the install's secret: a token of one purpose is never
    valid for another."""
    return hmac.new(jwt_secret.encode(), b"astrobookings/notify/unsubscribe/v1", hashlib.sha256).digest()


def unsubscribe_token(user_id: str, key: bytes) -> str:
    who = base64.urlsafe_b64encode(user_id.encode()).decode().rstrip("=")
    return f"{who}.{_sign(who, key)}"


def unsubscribe_user(token: str, key: bytes) -> str | None:
    """The user a token names, or None when it was not signed with this key (forged, altered)."""
    if not isinstance(token, str) or token.count(".") != 1 or len(token) > 400:
        return None
    who, signature = token.split(".")
    if not hmac.compare_digest(signature, _sign(who, key)):
        return None
    try:
        return base64.urlsafe_b64decode(who + "=" * (-len(who) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def _sign(who: str, key: bytes) -> str:
    mac = hmac.new(key, who.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")
