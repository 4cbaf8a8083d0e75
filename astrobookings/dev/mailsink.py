"""A real SMTP server for loopback: drops every message into a folder as .eml. Like a real server
it refuses some recipients: `bounce-...` has no mailbox (550, permanent) and `busy-...` is to try
later (451), so the demo's notification queue shows failed and retried mail (as tests/stack.py's does)."""
import argparse
import asyncio
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


def refusal(address: str) -> str | None:
    """The reply a real server would give a test address it refuses, or None to accept it."""
    local = address.split("@")[0].lower()
    if local.startswith("bounce-"):
        return "550 5.1.1 No such mailbox here"
    if local.startswith("busy-"):
        return "451 4.3.0 Mailbox busy, try later"
    return None


class RefusingHandler:
    """An aiosmtpd handler's recipient step: refuses the test addresses (see `refusal`)."""
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refused = refusal(address)
        if refused:
            return refused
        envelope.rcpt_tos.append(address)
        return "250 OK"


class MailDrop(RefusingHandler):
    def __init__(self, maildir: Path):
        self.maildir = maildir

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time():.6f}-{uuid.uuid4().hex[:6]}.eml"
        (self.maildir / name).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--maildir", type=Path, default=Path("var/mail"))
    args = parser.parse_args()
    args.maildir.mkdir(parents=True, exist_ok=True)
    controller = Controller(MailDrop(args.maildir), hostname="127.0.0.1", port=args.port)
    controller.start()
    try:
        asyncio.get_event_loop().run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
