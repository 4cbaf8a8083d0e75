"""Start-up and shutdown of the backend, measured: time from process start to a healthy
/api/system/health, and from SIGTERM to exit. Baseline in the same run: a bare Python
interpreter start (`python -c pass`), the floor any process here pays.

Usage: .venv/bin/python -m bench.startup [--runs 5]   (uses embedded stores under var/bench/<pid>)
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from astrobookings.dev.stack import EmbeddedStack, free_port, private_build_env, reflex_env, stop_process

ROOT = Path(__file__).resolve().parent.parent


def _measure_once(env: dict[str, str]) -> tuple[float, float]:
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "reflex", "run", "--env", "prod", "--backend-only",
                             "--backend-port", str(port)], cwd=ROOT, env={**env, "PORT": str(port)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/system/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.02)
    healthy = time.perf_counter() - started
    stopping = time.perf_counter()
    stop_process(proc, timeout=30)
    return healthy, time.perf_counter() - stopping


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    stack = EmbeddedStack(ROOT / "var" / "bench" / str(os.getpid()), ports={"redis": free_port(), "mongo": free_port(), "smtp": free_port()})
    try:
        env = {**reflex_env(ROOT), **private_build_env(ROOT, "bench-startup"), **stack.start_missing({})}
        from services.core import migrate
        os.environ.update(env)
        migrate.upgrade()
        baseline = []
        for _ in range(args.runs):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            baseline.append(time.perf_counter() - t)
        runs = [_measure_once(env) for _ in range(args.runs)]
    finally:
        stack.stop()
    up = [r[0] for r in runs]
    down = [r[1] for r in runs]
    print(f"python -c pass (baseline): median {statistics.median(baseline) * 1000:.0f} ms")
    print(f"backend start to healthy:  median {statistics.median(up) * 1000:.0f} ms, worst {max(up) * 1000:.0f} ms "
          f"({statistics.median(up) / statistics.median(baseline):.1f}x baseline)")
    print(f"SIGTERM to exit:           median {statistics.median(down) * 1000:.0f} ms, worst {max(down) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
