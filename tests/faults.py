"""Stores that fault tests may stop: real servers started by the test itself, never the machine's
(PostgreSQL on 5432 and Redis on 6379 stay untouched), each on a free port of its own.

- OwnRedis: redis-server; OwnMongo: the MongoDB-wire SecantusDB server; OwnPostgres: a cluster
  made with initdb in a temporary folder and run with pg_ctl (as the `postgres` system user when
  the tests run as root, which initdb refuses).
- Each can be frozen (SIGSTOP: connections hang, as with a stalled server or a lost network),
  thawed, killed (SIGKILL, or PostgreSQL's immediate stop: connections are refused) and started
  again on the same port with its data.

`own_stores()` points the app at them for a block: the settings, engines, clients and circuit
breakers of this process are made anew on the way in and on the way out.
"""
import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from astrobookings.dev.stack import free_port, port_open, stop_process, wait_for

VENV_BIN = Path(sys.executable).parent


class _Server:
    name = "server"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def _spawn(self, args: list[str]) -> None:
        log = open(self.root / f"{self.name}.log", "ab")
        self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        wait_for(lambda: port_open(self.port), self.name, timeout=60, process=self.proc)

    def freeze(self) -> None:
        os.killpg(self.proc.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.killpg(self.proc.pid, signal.SIGCONT)

    def kill(self) -> None:
        if self.proc is not None:
            self.thaw()
            stop_process(self.proc, signal.SIGKILL, timeout=10)

    def stop(self) -> None:
        if self.proc is not None:
            self.thaw()
            stop_process(self.proc, timeout=10)
            self.proc = None


class OwnRedis(_Server):
    name = "redis"

    def start(self) -> "OwnRedis":
        binary = shutil.which("redis-server") or str(VENV_BIN / "redis-server")
        self._spawn([binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                     "--dir", str(self.root)])
        return self

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class OwnMongo(_Server):
    name = "mongo"

    def start(self) -> "OwnMongo":
        folder = self.root / "mongo"
        folder.mkdir(exist_ok=True)
        self._spawn([str(VENV_BIN / "secantusd-py"), "--host", "127.0.0.1", "--port", str(self.port),
                     "--storage-path", str(folder)])
        return self

    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?retryWrites=false"


class OwnPostgres(_Server):
    name = "postgres"

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not found:
            raise RuntimeError("fault tests need PostgreSQL's server binaries (/usr/lib/postgresql/*/bin)")
        self.bin = Path(found[-1]).parent
        # Outside the project: the postgres system user must be able to reach it.
        self.data = Path(tempfile.mkdtemp(prefix="ab-fault-pg-")) / "data"
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)

    def start(self) -> "OwnPostgres":
        if not self.data.exists():
            self.data.mkdir(parents=True)
            if self._as:
                shutil.chown(self.data.parent, "postgres")
                shutil.chown(self.data, "postgres")
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                      "--no-sync")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-l", str(self.data.parent / "pg.log"), "-o",
                  f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c fsync=off", "start")
        wait_for(lambda: port_open(self.port), "PostgreSQL")
        return self

    def _postmaster(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def _cluster(self) -> list:
        """The postmaster and every process it forked (the backends serving open connections)."""
        import psutil

        postmaster = psutil.Process(self._postmaster())
        return [postmaster, *postmaster.children(recursive=True)]

    def freeze(self) -> None:
        """The whole cluster stops (as when its host or VM is paused): open connections get no
        answer and new ones are never greeted, while the kernel still acknowledges every packet."""
        for process in self._cluster():
            process.suspend()

    def thaw(self) -> None:
        import psutil

        try:
            processes = self._cluster()
        except (FileNotFoundError, ProcessLookupError, psutil.NoSuchProcess):
            return
        for process in processes:
            try:
                process.resume()
            except psutil.NoSuchProcess:
                pass

    def kill(self) -> None:
        """An immediate stop: every connection ends at once, as in a crash (no checkpoint)."""
        self.thaw()
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.thaw()
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.data.parent, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


def _fresh_clients() -> None:
    """Forget every store client, engine and breaker of this process (the next call makes new
    ones from the environment)."""
    from services.core import breaker, cache, db, mongo
    from services.core.settings import get_settings

    for made in (db.get_engine, mongo.get_client, cache.get_redis, cache.get_blocking_redis):
        if made.cache_info().currsize:
            try:
                client = made()
                (client.dispose if hasattr(client, "dispose") else client.close)()
            except Exception:
                pass
        made.cache_clear()
    get_settings.cache_clear()
    breaker._breakers.clear()


# Short timeouts, so that each test's bounds are tight (the defaults are only a little longer).
FAST = {"MONGODB_SERVER_SELECTION_TIMEOUT_MS": "800", "MONGODB_CONNECT_TIMEOUT_MS": "800",
        "MONGODB_SOCKET_TIMEOUT_MS": "1000", "MONGODB_HEARTBEAT_MS": "500", "REDIS_CONNECT_TIMEOUT": "0.5",
        "REDIS_SOCKET_TIMEOUT": "0.8", "DB_POOL_TIMEOUT": "1", "DB_CONNECT_TIMEOUT": "2",
        "BREAKER_FAILURES": "2", "BREAKER_COOLDOWN_SECONDS": "1"}


class Stores:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.redis = OwnRedis(root)
        self.mongo = OwnMongo(root)
        self.postgres = OwnPostgres(root)

    def all(self):
        return (self.redis, self.mongo, self.postgres)


@contextmanager
def own_stores():
    """Start Redis, MongoDB and PostgreSQL of our own, point this process at them (migrated, with
    the demo accounts), and put everything back afterwards."""
    import psycopg

    run = uuid.uuid4().hex[:8]
    root = Path(tempfile.mkdtemp(prefix=f"ab-faults-{run}-"))
    stores = Stores(root)
    saved = dict(os.environ)
    try:
        for server in stores.all():
            server.start()
        with psycopg.connect(stores.postgres.url().replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute("create database astrobookings")
        os.environ.update({
            "DATABASE_URL": stores.postgres.url("astrobookings"), "REDIS_URL": stores.redis.url,
            "REDIS_PREFIX": f"ab:fault:{run}:", "MONGODB_URL": stores.mongo.url,
            "MONGODB_SYSTEM_DB": f"f{run}_system", "MONGODB_CUSTOMER_DB": f"f{run}_customer",
            "JWT_SECRET": os.environ.get("JWT_SECRET") or f"fault-secret-{uuid.uuid4().hex}",
            "REGISTER_MAX_PER_IP": "1000", "SMTP_URL": "smtp://127.0.0.1:9", **FAST,
        })
        _fresh_clients()
        from services.core import migrate, mongo
        from astrobookings.dev import demo

        migrate.upgrade()
        mongo.ensure_indexes()
        demo.seed_accounts()
        yield stores
    finally:
        _fresh_clients_quietly()
        os.environ.clear()
        os.environ.update(saved)
        _fresh_clients_quietly()
        for server in stores.all():
            try:
                server.stop()
            except Exception:
                pass
        shutil.rmtree(root, ignore_errors=True)


def _fresh_clients_quietly() -> None:
    try:
        _fresh_clients()
    except Exception:
        pass


def timed(call) -> tuple[object, float]:
    """What `call` returns and how long it took, in seconds."""
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def app_on_own_stores():
    """A module fixture's body: the REST API in this process, on stores of the test's own."""
    from fastapi.testclient import TestClient

    from astrobookings.api import create_api

    with own_stores() as stores, TestClient(create_api()) as client:
        yield stores, client


def within(seconds: float, call):
    """Call and return its answer, asserting it came within `seconds` (a fault test's bound: a
    request must not wait on a dead store). The call runs in a thread of its own, so a request
    that would wait forever fails the test at the bound instead of hanging it."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["answer"], outcome["took"] = timed(call)
        except BaseException as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"no answer within {seconds}s"
    if "error" in outcome:
        raise outcome["error"]
    assert outcome["took"] < seconds, f"answered after {outcome['took']:.2f}s (bound {seconds}s)"
    return outcome["answer"]


def until(check, what: str, timeout: float = 20.0) -> float:
    """Poll `check` until true; returns how long it took (a recovery time)."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < timeout, f"timed out after {timeout}s waiting for {what}"
        time.sleep(0.05)
    return time.monotonic() - started


def booked_seats(launch_id: int) -> int:
    """Seats held or confirmed on a launch, from PostgreSQL (the source of truth)."""
    from sqlalchemy import text

    from services.core.db import read_session

    with read_session() as session:
        return session.execute(text("select coalesce(sum(seats), 0) from booking where launch_id = :id "
                                    "and status in ('held', 'confirmed')"), {"id": launch_id}).scalar_one()


def dead_deliveries() -> int:
    from sqlalchemy import text

    from services.core.db import read_session

    with read_session() as session:
        return session.execute(text("select count(*) from outbox_delivery where status = 'dead'")).scalar_one()
