"""A notification as the email it is: MIME built once, when the notification is written (the notify
consumer, on whichever worker runs it), and stored as the bytes the sender hands to SMTP. Retries
send the same bytes, with the same Message-ID and Date."""
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

# Long header lines stay whole (RFC 5322 allows 998): an encoded List-Unsubscribe URL would break it.
_POLICY = policy.default.clone(max_line_length=998)
_WIRE = _POLICY.clone(linesep="\r\n")  # SMTP's line ends


def message_of(doc: dict, mail_from: str, unsubscribe_url: str | None = None) -> EmailMessage:
    msg = EmailMessage(policy=_POLICY)
    msg["From"] = mail_from
    msg["To"] = doc["to"]
    msg["Subject"] = doc["subject"]
    msg["Message-ID"] = doc["message_id"]
    msg["Date"] = format_datetime(doc["created_at"])
    msg["X-AstroBookings-Kind"] = doc["kind"]
    if unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{unsubscribe_url}>"
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


def wire_bytes(msg: EmailMessage) -> bytes:
    """The message as SMTP's DATA carries it (what smtplib's send_message would write)."""
    return msg.as_bytes(policy=_WIRE)
