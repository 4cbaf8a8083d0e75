"""`make run`: start missing stores, migrate, load demo data where it is a demo, serve the
production build, restarted with backoff when it exits on its own (dev/supervisor.py).

The web server listens on HOST (127.0.0.1 unless asked); the embedded stores only ever on
127.0.0.1. Ctrl-C stops everything this process started; servers that were already running stay up.
"""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from astrobookings.dev.supervisor import Supervisor

ROOT = Path(__file__).resolve().parents[2]  # the repository (this file is astrobookings/dev/launcher.py)


class RefusedToStart(Exception):
    """A start that would put the published demo password on a network."""


def main() -> int:
    from astrobookings.dev.stack import EmbeddedStack

    # Ctrl-C, `kill` or a closing terminal stop everything (SIGINT is re-armed: a shell may
    # start us with it ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    signal.signal(signal.SIGHUP, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))

    started = time.perf_counter()
    stack = EmbeddedStack(ROOT / "var")
    supervisor = None
    try:
        urls = stack.start_missing()
        os.environ.update(urls)
        if urls:
            print("Embedded stores:", ", ".join(f"{k}={v}" for k, v in urls.items()), flush=True)
        demo_on = _prepare_stores(embedded="DATABASE_URL" in urls and "MONGODB_URL" in urls)
        from services.core.settings import get_settings

        role = get_settings().process_role
        supervisor = Supervisor(lambda: _spawn_server(reuse_build=True),
                                what="The worker" if role == "worker" else "The web server",
                                on_restart=lambda code, restart, delay: _record_restart(role, code, restart, delay))
        first = _start_server()
        if role == "worker":
            print("AstroBookings worker (scheduler only) is running. Press Ctrl-C to stop.", flush=True)
        else:
            print(_banner(demo_on, time.perf_counter() - started), flush=True)
        return supervisor.run(first)
    except RefusedToStart as refusal:
        print(f"Refusing to start: {refusal}", file=sys.stderr, flush=True)
        return 2
    except KeyboardInterrupt:
        return 0
    finally:
        if supervisor is not None and supervisor.current is not None:
            from astrobookings.dev.stack import stop_process

            stop_process(supervisor.current, signal.SIGINT)
        stack.stop()


def _prepare_stores(embedded: bool) -> bool:
    """Migrate, then load demo data where it is a demo; refuse a network address while any demo
    account signs in with the published password. Returns whether demo data is on."""
    from services.core import migrate
    from astrobookings.dev import demo
    from services.core.settings import get_settings

    settings = get_settings()
    demo_on = demo.wanted(settings.demo_data, embedded)
    if demo_on and not settings.listens_on_loopback:
        raise RefusedToStart(
            f"HOST={settings.host} would put the demo accounts, whose password is published in the README, "
            "on the network. Leave HOST unset for a demo (127.0.0.1), or set DEMO_DATA=false.")
    migrate.upgrade()
    if demo_on:
        demo.seed()
    elif not settings.listens_on_loopback and (published := demo.accounts_with_published_password()):
        raise RefusedToStart(
            f"HOST={settings.host}, and these accounts still sign in with the published demo password: "
            f"{', '.join(published)}. Disable them in the admin portal, or start over with stores of your own.")
    return demo_on


def _spawn_server(reuse_build: bool = False) -> subprocess.Popen:
    """The worker alone (PROCESS_ROLE=worker), or `reflex run` with a crashed web worker respawned
    instead of ending the server (dev/serve.py); a restart serves the first start's build again."""
    from astrobookings.dev.stack import reflex_env
    from services.core.settings import get_settings

    settings = get_settings()
    env = {**reflex_env(ROOT), "PORT": str(_port()), **({"REUSE_BUILD": "1"} if reuse_build else {})}
    env.setdefault("GRANIAN_WORKERS", os.environ.get("WEB_WORKERS", "1"))
    if int(env["GRANIAN_WORKERS"]) > 1:
        env.setdefault("REFLEX_REDIS_URL", os.environ["REDIS_URL"])
    if settings.process_role == "worker":
        return subprocess.Popen([sys.executable, "-m", "astrobookings.worker"], cwd=ROOT, env=env,
                                start_new_session=True)
    return subprocess.Popen([sys.executable, "-m", "astrobookings.dev.serve", "run", "--env", "prod",
                             "--backend-host", settings.host, "--frontend-port", str(_port()),
                             "--backend-port", str(_port())], cwd=ROOT, env=env, start_new_session=True)


def _start_server() -> subprocess.Popen:
    """The first start, once it is ready: the worker once its first heartbeat is written, the web
    server once it answers its health check. (A restart is not waited for: the supervisor
    watches its process.)"""
    from astrobookings.dev.stack import port_open, wait_for
    from services.core.settings import get_settings

    settings = get_settings()
    server = _spawn_server()
    if settings.process_role == "worker":
        wait_for(lambda: _beating(server.pid), "the worker", timeout=120, process=server)
        return server
    # A wildcard address answers on loopback too; a specific address only on itself.
    probe = "127.0.0.1" if settings.listens_on_loopback or settings.host in ("0.0.0.0", "::") else settings.host
    wait_for(lambda: port_open(_port(), probe) and _healthy(probe, _port()), "the web server", timeout=600,
             process=server)
    return server


def _port() -> int:
    return int(os.environ.get("PORT", "3000"))


def _record_restart(role: str, exit_code: int | None, restart: int, delay: float) -> None:
    from services.kernel.actor import SYSTEM
    from services.monitor.restarts import record_restart

    record_restart(SYSTEM, role=role, exit_code=exit_code, restart=restart, backoff_seconds=delay)


def _banner(demo_on: bool, seconds: float) -> str:
    from astrobookings.dev import demo
    from services.core.settings import get_settings

    settings = get_settings()
    port = _port()
    reach = (f"listening on {settings.host} only; HOST=0.0.0.0 opens it to the network"
             if settings.listens_on_loopback else f"listening on {settings.host}: reachable from the network")
    lines = [f"\nAstroBookings is up on http://localhost:{port}  (ready in {seconds:.1f}s; {reach})"]
    if demo_on:
        lines.append(demo.accounts_banner())
    lines.append("Press Ctrl-C to stop.\n")
    return "\n".join(lines)


def _beating(pid: int) -> bool:
    from services.core import heartbeat
    from services.core.mongo import system_db

    return system_db()[heartbeat.COLLECTION].find_one({"pid": pid, "host": socket.gethostname()}) is not None


def _healthy(host: str, port: int) -> bool:
    import httpx

    host = f"[{host}]" if ":" in host else host
    return httpx.get(f"http://{host}:{port}/api/system/health", timeout=2).status_code == 200


if __name__ == "__main__":
    sys.exit(main())
