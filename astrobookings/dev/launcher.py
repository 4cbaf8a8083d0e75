"""`make run`: start missing stores, migrate, load demo data, serve the production build.

Ctrl-C stops everything this process started; servers that were already running stay up.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    from astrobookings.dev.stack import EmbeddedStack, port_open, reflex_env, stop_process, wait_for

    # Ctrl-C, `kill` or a closing terminal stop everything (SIGINT is re-armed: a shell may
    # start us with it ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    signal.signal(signal.SIGHUP, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))

    started = time.perf_counter()
    stack = EmbeddedStack(ROOT / "var")
    server = None
    try:
        urls = stack.start_missing()
        os.environ.update(urls)
        if urls:
            print("Embedded stores:", ", ".join(f"{k}={v}" for k, v in urls.items()), flush=True)
        from services.core import migrate
        from astrobookings.dev import demo
        from services.core.settings import get_settings

        migrate.upgrade()
        if get_settings().demo_data:
            demo.seed()
        port = int(os.environ.get("PORT", "3000"))
        env = {**reflex_env(ROOT), "PORT": str(port)}
        env.setdefault("GRANIAN_WORKERS", os.environ.get("WEB_WORKERS", "1"))
        if int(env["GRANIAN_WORKERS"]) > 1:
            env.setdefault("REFLEX_REDIS_URL", os.environ["REDIS_URL"])
        if get_settings().process_role == "worker":
            # The scheduler alone: no pages, no API, nothing to wait for on a port.
            server = subprocess.Popen([sys.executable, "-m", "astrobookings.worker"], cwd=ROOT, env=env,
                                      start_new_session=True)
            print("AstroBookings worker (scheduler only) is running. Press Ctrl-C to stop.", flush=True)
            return server.wait()
        # `reflex run`, with a crashed worker respawned instead of ending the server (dev/serve.py).
        server = subprocess.Popen([sys.executable, "-m", "astrobookings.dev.serve", "run", "--env", "prod",
                                   "--frontend-port", str(port), "--backend-port", str(port)],
                                  cwd=ROOT, env=env, start_new_session=True)
        wait_for(lambda: port_open(port) and _healthy(port), "the web server", timeout=600, process=server)
        print(f"\nAstroBookings is up on http://localhost:{port}  (ready in {time.perf_counter() - started:.1f}s)")
        if get_settings().demo_data:
            print(demo.accounts_banner())
        print("Press Ctrl-C to stop.\n", flush=True)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if server is not None:
            stop_process(server, signal.SIGINT)
        stack.stop()


def _healthy(port: int) -> bool:
    import httpx

    return httpx.get(f"http://127.0.0.1:{port}/api/system/health", timeout=2).status_code == 200


if __name__ == "__main__":
    sys.exit(main())
