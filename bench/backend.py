"""Stores and the production backend for the HTTP benchmarks.

Stores come from tests/stack.py (a fresh PostgreSQL database on TEST_POSTGRES_ADMIN_URL or an
embedded server, TEST_REDIS_URL or embedded Redis, embedded SecantusDB), isolated per run.
The server is the production backend: the Reflex app under granian workers, as `reflex run --env
prod` serves it (REST API, Reflex event handling, the in-process scheduler with its outbox relay),
compiled into a private web folder so it never touches the .web shared with end-to-end builds.
"""
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
APPS = {"reflex": "astrobookings.astrobookings:app", "api": "astrobookings.api:create_api"}
# The process group of each running backend, by port (see server_cpu_seconds).
_GROUPS: dict[int, int] = {}


@contextmanager
def stores(mailbox=None):
    """Yields the environment of a fresh, migrated set of stores; drops them afterwards. The SMTP
    server on loopback hands its mail to `mailbox` (an aiosmtpd handler) when one is given."""
    from tests.stack import TestStack

    stack = TestStack()
    env = stack.start()
    if mailbox is not None:
        stack.mailbox = mailbox
        stack.stop_smtp()
        stack.start_smtp()
    # Seeding writes batches of thousands of documents and baselines scan whole collections: more
    # than a request's short store timeouts (a busy embedded server also answers its heartbeat late).
    for name in ("MONGODB_SOCKET_TIMEOUT_MS", "MONGODB_CONNECT_TIMEOUT_MS", "MONGODB_SERVER_SELECTION_TIMEOUT_MS"):
        env.setdefault(name, os.environ.get(name, "300000"))
    env.setdefault("DB_STATEMENT_TIMEOUT", os.environ.get("DB_STATEMENT_TIMEOUT", "300"))  # bulk seeding in one statement
    os.environ.update(env)
    from services.core import logs, migrate, mongo
    from services.core.settings import get_settings

    get_settings.cache_clear()
    logs.configure("WARNING")
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    migrate.upgrade()
    mongo.ensure_indexes()
    try:
        yield env
    finally:
        stack.stop()


@contextmanager
def backend(env: dict[str, str], workers: int, extra: dict[str, str] | None = None, app: str = "reflex"):
    """The production backend on a free port; yields (host, port). `app="api"` serves the REST
    app alone (astrobookings.api:create_api, no Reflex around it, no scheduler) for comparison."""
    from astrobookings.dev.stack import free_port, reflex_env, stop_process

    port = free_port()
    web = tempfile.mkdtemp(prefix="ab-bench-web-", dir=ROOT / "var")
    server_env = {**reflex_env(ROOT), **env, "PORT": str(port), "GRANIAN_WORKERS": str(workers),
                  "REFLEX_REDIS_URL": env["REDIS_URL"], "REFLEX_WEB_WORKDIR": web, "REFLEX_STATES_WORKDIR": web,
                  "REFLEX_ENV_MODE": "prod", "REFLEX_BACKEND_ONLY": "true",
                  # Each worker evaluates the pages in memory, as a backend beside a built frontend
                  # does; compiling the frontend in every worker would race on the web folder.
                  "REFLEX_SKIP_COMPILE": "true",
                  "DEMO_DATA": "false", **(extra or {})}
    log = open(Path(web) / "server.log", "wb")
    # What `reflex run --env prod` runs for the backend (reflex.utils.exec.run_granian_backend_prod),
    # started directly: the CLI refuses --backend-only while rxconfig sets a frontend port.
    proc = subprocess.Popen([str(Path(sys.executable).parent / "granian"), "--interface", "asgi", "--factory",
                             "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                             "--log-level", "warning", APPS[app]],
                            cwd=ROOT, env=server_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"backend exited early; see {web}/server.log")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/system/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"backend not healthy in time; see {web}/server.log")
            time.sleep(0.1)
        _warm(port, workers)
        _GROUPS[port] = proc.pid
        yield "127.0.0.1", port
    finally:
        _GROUPS.pop(port, None)
        stop_process(proc, timeout=30)
        log.close()
        if proc.returncode in (0, -signal.SIGTERM):
            shutil.rmtree(web, ignore_errors=True)


def server_cpu_seconds(port: int) -> float:
    """CPU time (user + system) used so far by every process of the backend on `port`: a figure
    that, unlike wall-clock rates, does not move with what else the machine is running."""
    import psutil

    group, total = _GROUPS[port], 0.0
    for p in psutil.process_iter():
        try:
            if os.getpgid(p.pid) == group:
                times = p.cpu_times()
                total += times.user + times.system
        except (psutil.Error, ProcessLookupError):
            pass
    return total


def store_cpu_seconds(url: str) -> float:
    """CPU time used so far by the embedded server listening on the port of `url` (0 when the
    store is not one this run started)."""
    import psutil

    port = url.rsplit(":", 1)[-1].split("/")[0]
    total = 0.0
    for p in psutil.process_iter(["cmdline"]):
        try:
            if "--port" in (p.info["cmdline"] or []) and port in p.info["cmdline"]:
                times = p.cpu_times()
                total += times.user + times.system
        except psutil.Error:
            pass
    return total


def _warm(port: int, workers: int) -> None:
    """Every worker answers once before the clock starts (imports, pools, first connections)."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        for _ in range(workers * 8):
            client.get("/api/launches", headers={"Connection": "close"})


def travelers(count: int) -> list[dict[str, str]]:
    """Traveler accounts with bearer headers, written straight into MongoDB with one shared
    password hash: argon2 for each of hundreds of accounts would dominate the set-up time."""
    import uuid

    from services.core.models.documents import User
    from services.core.mongo import system_db
    from services.core.settings import get_settings
    from services.auth import security

    shared_hash = security.hash_password("Bench-Password-1")
    users = [User(_id=uuid.uuid4().hex, email=f"bench-{uuid.uuid4().hex[:12]}@example.com", password_hash=shared_hash,
                  name="Bench Traveler", role="traveler", phone="+1 555 0100", tax_id="TX-BENCH", address="1 Bench Street")
             for _ in range(count)]
    system_db()[User.collection].insert_many([u.to_mongo() for u in users])
    secret = get_settings().jwt_secret
    return [{"Authorization": "Bearer " + security.issue_token(u.id, "traveler", secret, 120)[0]} for u in users]


def agency(name: str = "Bench Orbital"):
    from services.agency import profile as agencies
    from services.kernel.actor import Actor

    actor = Actor(user_id=f"bench-agency-{os.getpid()}", email="bench@agency.example", role="agency", name=name,
                  entry_point="job")
    agencies.update_profile(actor, {"name": name, "tax_id": "VAT-BENCH", "legal_address": "1 Bench Road, Nowhere"})
    return actor


def wait_until(check, what: str, timeout: float = 20.0, step: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(step)


def figures(name: str, samples_ms: list[float], width: int = 36) -> str:
    """One line of latency figures: count, median, p95 and worst."""
    import statistics

    ordered = sorted(samples_ms)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (f"{name:<{width}} n={len(ordered):<4} median={statistics.median(ordered):7.1f} ms  "
            f"p95={p95:7.1f} ms  worst={ordered[-1]:7.1f} ms")


def median_ms(run, repeat: int = 5) -> float:
    """The median wall time of `run()` over `repeat` calls, in milliseconds."""
    import statistics
    import time

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)
