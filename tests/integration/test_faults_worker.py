"""A web worker that dies (SIGKILL) is replaced while the server keeps answering: the backend
started as `make run` starts it (Reflex's production runner, through astrobookings/dev/serve.py),
without the frontend build, on this run's stores."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

from astrobookings.dev.stack import free_port, reflex_env, stop_process, wait_for

ROOT = Path(__file__).resolve().parents[2]
# Reflex's own production start of the backend (reflex.reflex._run_prod), granian made respawning first.
SERVE = """
import sys
from astrobookings.dev.serve import respawn_failed_workers
respawn_failed_workers()
from reflex.utils import exec
from reflex_base.constants import LogLevel
exec.run_backend_prod("127.0.0.1", int(sys.argv[1]), LogLevel.WARNING, False)
"""


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/api/system/live", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _workers(server: subprocess.Popen) -> set[int]:
    return {child.pid for child in psutil.Process(server.pid).children() if child.is_running()
            and child.status() != psutil.STATUS_ZOMBIE}


def test_a_killed_worker_is_respawned_and_the_server_keeps_answering(stack):
    port = free_port()
    web = tempfile.mkdtemp(prefix="ab-respawn-", dir=ROOT / "var")
    env = {**reflex_env(ROOT), "PORT": str(port), "GRANIAN_WORKERS": "2", "REFLEX_REDIS_URL": os.environ["REDIS_URL"],
           "REFLEX_WEB_WORKDIR": web, "REFLEX_STATES_WORKDIR": web, "REFLEX_ENV_MODE": "prod",
           "REFLEX_BACKEND_ONLY": "true", "REFLEX_SKIP_COMPILE": "true", "PROCESS_ROLE": "web", "DEMO_DATA": "false"}
    log = open(Path(web) / "server.log", "wb")
    server = subprocess.Popen([sys.executable, "-c", SERVE, str(port)], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(lambda: _answers(port) and len(_workers(server)) == 2, "two workers answering", timeout=180,
                 process=server)
        first = _workers(server)
        victim = min(first)
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: len(_workers(server) - first) == 1 and len(_workers(server)) == 2,
                 "a new worker in place of the killed one", timeout=60, process=server)
        # The new worker loads the app before it serves; meanwhile the other one answers.
        wait_for(lambda: all(_answers(port) for _ in range(10)), "ten answers in a row", timeout=120, process=server)
        print(f"\nworker respawned, ten answers in a row {time.monotonic() - killed_at:.1f}s after its SIGKILL")
        assert server.poll() is None, "the server lives on"
        assert victim not in _workers(server) and (first - {victim}) <= _workers(server), "the other worker was left alone"
    finally:
        stop_process(server, timeout=30)
        log.close()
        shutil.rmtree(web, ignore_errors=True)
