"""The stores a test run talks to: real servers, each run isolated in its own namespace.

PostgreSQL: a fresh database on TEST_POSTGRES_ADMIN_URL's server, or on an embedded server.
Redis: TEST_REDIS_URL or an embedded server, with a key prefix of this run's own.
MongoDB: an embedded SecantusDB server (or TEST_MONGODB_URL), with database names of this run's own.
SMTP: a real aiosmtpd server on loopback that keeps what it receives for the tests to read.
"""
import os
import shutil
import uuid
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import psycopg
from aiosmtpd.controller import Controller

from astrobookings.dev.mailsink import RefusingHandler
from astrobookings.dev.stack import EmbeddedStack, free_port

ROOT = Path(__file__).resolve().parent.parent


class Mailbox(RefusingHandler):
    """Keeps every message. Refuses like a real server would for test addresses: `bounce-...`
    gets 550 (no such mailbox, permanent), `busy-...` 451 (try later)."""
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address.lower() in (m["To"] or "").lower()]


class TestStack:
    def __init__(self) -> None:
        self.run_id = uuid.uuid4().hex[:8]
        # Each run has its own folder: two runs at once must not share a storage engine's files.
        self.root = ROOT / "var" / "test" / self.run_id
        self.embedded = EmbeddedStack(self.root, ports={"redis": free_port(), "mongo": free_port()},
                                      database=f"ab_test_{self.run_id}")
        self.mailbox = Mailbox()
        self.smtp: Controller | None = None
        self.admin_url = os.environ.get("TEST_POSTGRES_ADMIN_URL")
        self.env: dict[str, str] = {}

    def start(self) -> dict[str, str]:
        db = f"ab_test_{self.run_id}"
        if self.admin_url:
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'create database "{db}"')
            base = self.admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
            database_url = f"{base}/{db}"
        else:
            database_url = self.embedded.postgres()
        self.smtp_port = smtp_port = free_port()
        self.start_smtp()
        self.env = {
            "DATABASE_URL": database_url,
            "REDIS_URL": os.environ.get("TEST_REDIS_URL") or self.embedded.redis(),
            "REDIS_PREFIX": f"ab:test:{self.run_id}:",
            "MONGODB_URL": os.environ.get("TEST_MONGODB_URL") or self.embedded.mongo(),
            "MONGODB_SYSTEM_DB": f"t{self.run_id}_system",
            "MONGODB_CUSTOMER_DB": f"t{self.run_id}_customer",
            "SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
            "JWT_SECRET": f"test-secret-{uuid.uuid4().hex}",
            "PUBLIC_BASE_URL": "http://localhost:3000",
            # Every test signs up its travelers from one address (the suite's); the limit itself
            # is tested with its own setting in tests/integration/test_throttle.py.
            "REGISTER_MAX_PER_IP": "1000",
        }
        return self.env

    def start_smtp(self) -> None:
        self.smtp = Controller(self.mailbox, hostname="127.0.0.1", port=self.smtp_port)
        self.smtp.start()

    def stop_smtp(self) -> None:
        """The SMTP server goes away (an outage, in fault tests); start_smtp brings it back on its port."""
        if self.smtp:
            self.smtp.stop()
            self.smtp = None

    def stop(self) -> None:
        from services.core.cache import get_redis
        from services.core.db import get_engine
        from services.core.mongo import get_client

        try:
            r = get_redis()
            keys = list(r.scan_iter(match=self.env["REDIS_PREFIX"] + "*", count=1000))
            if keys:
                r.delete(*keys)
            client = get_client()
            client.drop_database(self.env["MONGODB_SYSTEM_DB"])
            client.drop_database(self.env["MONGODB_CUSTOMER_DB"])
        except Exception:
            pass
        get_engine().dispose()
        if self.admin_url:
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'drop database if exists "ab_test_{self.run_id}" with (force)')
        if self.smtp:
            self.smtp.stop()
        self.embedded.stop()
        shutil.rmtree(self.root, ignore_errors=True)
