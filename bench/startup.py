"""Start-up, measured in two ways, each beside a baseline of the same run.

1. The front door: `make run` in a fresh clone of HEAD, to its "is up" line, cold (empty var/, no
   frontend build) and warm (the second start). Baseline: `reflex run --env prod` of an empty
   Reflex app (one page) in a fresh folder, cold and warm, to its first 200 on `/`.
2. The backend alone: process start to a healthy /api/system/health, and SIGTERM to exit.
   Baseline: a bare Python interpreter start (`python -c pass`), the floor any process here pays.

Usage: .venv/bin/python -m bench.startup [--runs 5] [--skip-front-door]
(embedded stores under var/bench/<pid>; the clones and the empty app in temporary folders)
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from astrobookings.dev.front_door import MakeRun, clone_head
from astrobookings.dev.stack import EmbeddedStack, free_port, private_build_env, reflex_env, stop_process, wait_for

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


EMPTY_APP = """import reflex as rx


def index():
    return rx.text("empty")


app = rx.App()
app.add_page(index)
"""


def _empty_app_start(folder: Path) -> float:
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "reflex", "run", "--env", "prod", "--frontend-port", str(port),
                             "--backend-port", str(port), "--backend-host", "127.0.0.1"], cwd=folder,
                            env={**reflex_env(ROOT), "PORT": str(port)}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(lambda: httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200, "the empty app",
                 timeout=600, process=proc)
        return time.perf_counter() - started
    finally:
        stop_process(proc, timeout=30)


def _make_run_start(folder: Path) -> float:
    started = time.perf_counter()
    run = MakeRun(folder)
    try:
        run.wait_for_line("is up", timeout=600)
        return time.perf_counter() - started
    finally:
        run.stop()


def front_door() -> None:
    with tempfile.TemporaryDirectory(prefix="ab-bench-startup-") as tmp:
        empty = Path(tmp) / "empty"
        (empty / "empty").mkdir(parents=True)
        (empty / "rxconfig.py").write_text('import reflex as rx\nconfig = rx.Config(app_name="empty", '
                                           'telemetry_enabled=False, show_built_with_reflex=False)\n')
        (empty / "empty" / "__init__.py").write_text("")
        (empty / "empty" / "empty.py").write_text(EMPTY_APP)
        clone = clone_head(ROOT, Path(tmp) / "astrobookings")
        figures = {"empty Reflex app, cold": _empty_app_start(empty), "make run, cold": _make_run_start(clone),
                   "empty Reflex app, warm": _empty_app_start(empty), "make run, warm": _make_run_start(clone)}
    for name, seconds in figures.items():
        print(f"{name + ':':<26} {seconds:5.1f} s")
    print(f"make run / empty app:      cold {figures['make run, cold'] / figures['empty Reflex app, cold']:.1f}x, "
          f"warm {figures['make run, warm'] / figures['empty Reflex app, warm']:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-front-door", action="store_true")
    args = parser.parse_args()
    if not args.skip_front_door:
        front_door()
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
