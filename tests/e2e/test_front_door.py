"""The front door: a fresh clone of HEAD started with the README's `make run`, as a newcomer would.

It reuses this checkout's installed `.venv` and `tools/` (the README's command is not changed),
waits for "is up", signs in as every demo account through REST, sees a launch card in Chromium,
then presses Ctrl-C and checks that everything the command started is gone and its ports are
free. A traceback or a "redefined" warning anywhere in the output fails it, and so does a socket
listening beyond loopback while HOST is unset.
"""
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest

from astrobookings.dev.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from astrobookings.dev.stack import DEFAULT_PORTS, free_port, port_open
from astrobookings.settings import Settings, is_loopback

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
# What a newcomer's shell has none of: this suite's store URLs and the variables the outer
# `make test` exports; the clone's own Makefile sets what it needs.
NOT_INHERITED = ({name.upper() for name in Settings.model_fields}
                 | {"PORT", "HOST", "WEB_WORKERS", "GRANIAN_WORKERS", "MAKEFLAGS", "MFLAGS", "MAKELEVEL",
                    "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "npm_config_cache", "SCARF_ANALYTICS"})


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    folder = tmp_path_factory.mktemp("front-door") / "astrobookings"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(folder)], check=True)
    for installed in (".venv", "tools"):
        (folder / installed).symlink_to(ROOT / installed)
    # The clone's lock file is as old as the install it shares, so `make` sees nothing to install.
    stamp = (ROOT / ".venv" / ".installed").stat().st_mtime
    os.utime(folder / "requirements.lock", (stamp - 1, stamp - 1))
    return folder


class MakeRun:
    """`make run` in a folder, its output collected line by line, stopped with Ctrl-C."""

    def __init__(self, folder: Path, **extra_env: str):
        self.folder = folder
        self.port = free_port()
        env = {k: v for k, v in os.environ.items()
               if k not in NOT_INHERITED and not k.startswith(("REFLEX_", "BUN_", "NPM_CONFIG_", "TEST_"))}
        self.busy_before = {p for p in [self.port, *DEFAULT_PORTS.values()] if port_open(p)}
        self.lines: list[str] = []
        self.proc = subprocess.Popen(["make", "run"], cwd=folder, env={**env, "PORT": str(self.port), **extra_env},
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     text=True, start_new_session=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.started: dict[int, float] = {}

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_line(self, words: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not any(words in line for line in self.lines):
            assert self.proc.poll() is None, f"`make run` exited ({self.proc.returncode}):\n{self.output[-4000:]}"
            assert time.monotonic() < deadline, f"no {words!r} within {timeout:.0f}s:\n{self.output[-4000:]}"
            time.sleep(0.1)
        self.started = self._processes()

    def _processes(self) -> dict[int, float]:
        """Every process this command started: make's descendants and anything running from the
        clone (the embedded servers start in sessions of their own), with their start times."""
        found = {}
        for proc in [psutil.Process(self.proc.pid), *psutil.Process(self.proc.pid).children(recursive=True)]:
            found[proc.pid] = proc.create_time()
        for proc in psutil.process_iter(["cmdline", "create_time"]):
            if any(str(self.folder) in part for part in proc.info["cmdline"] or []):
                found[proc.pid] = proc.info["create_time"]
        return found

    def listening(self) -> set[tuple[str, int]]:
        addresses = set()
        for pid in self.started:
            try:
                conns = psutil.Process(pid).net_connections(kind="inet")
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            addresses |= {(c.laddr.ip, c.laddr.port) for c in conns if c.status == psutil.CONN_LISTEN}
        return addresses

    def ctrl_c(self) -> None:
        os.killpg(self.proc.pid, signal.SIGINT)
        self.proc.wait(timeout=90)
        self._reader.join(timeout=10)

    def leftovers(self) -> list[str]:
        alive = []
        for pid, created in self.started.items():
            try:
                proc = psutil.Process(pid)
                if proc.create_time() == created and proc.status() != psutil.STATUS_ZOMBIE:
                    alive.append(f"{pid} {' '.join(proc.cmdline())}")
            except psutil.NoSuchProcess:
                pass
        return alive

    def ports_still_open(self) -> list[int]:
        return [p for p in [self.port, *DEFAULT_PORTS.values()] if p not in self.busy_before and port_open(p)]


def _stopped_cleanly(run: MakeRun) -> None:
    run.ctrl_c()
    deadline = time.monotonic() + 30
    while (run.leftovers() or run.ports_still_open()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not run.leftovers(), f"still running after Ctrl-C: {run.leftovers()}"
    assert not run.ports_still_open(), f"ports still open after Ctrl-C: {run.ports_still_open()}"
    for bad in ("Traceback", "is being redefined"):
        assert bad not in run.output, f"{bad!r} in the output of `make run`:\n{run.output[-6000:]}"


def test_the_readme_names_the_command_this_test_runs():
    assert "make run" in README and "make test" in README


def test_make_run_from_a_fresh_clone_serves_every_demo_account(clone, browser):
    run = MakeRun(clone)
    try:
        run.wait_for_line("is up", timeout=600)
        base = f"http://localhost:{run.port}"
        for email, _name, role in DEMO_ACCOUNTS:
            answer = httpx.post(f"{base}/api/auth/login", json={"email": email, "password": DEMO_PASSWORD}, timeout=10)
            assert answer.status_code == 200, (email, answer.text)
            assert answer.json()["role"] == role
        beyond_loopback = {(ip, port) for ip, port in run.listening() if not is_loopback(ip)}
        assert not beyond_loopback, f"listening beyond loopback with HOST unset: {beyond_loopback}"
        assert "listening on 127.0.0.1 only" in run.output
        context = browser.new_context(base_url=base)
        try:
            page = context.new_page()
            page.goto("/")
            page.locator(".launch-card").first.wait_for(timeout=30_000)
            assert page.locator(".launch-card").count() >= 1
        finally:
            context.close()
        assert (clone / "var" / "pg").is_dir() and not (clone / "astrobookings" / "var").exists(), \
            "the stores' data lives in the repository's var/, never inside a package"
    finally:
        _stopped_cleanly(run)


def test_a_second_start_reuses_the_install_with_two_web_workers(clone):
    run = MakeRun(clone, WEB_WORKERS="2")
    try:
        run.wait_for_line("is up", timeout=300)
        answer = httpx.get(f"http://localhost:{run.port}/api/launches", timeout=10)
        assert answer.status_code == 200 and answer.json()["items"], answer.text
        assert "Initializing" not in run.output, "a warm start initialises nothing again"
    finally:
        _stopped_cleanly(run)


def test_the_worker_role_starts_and_stops(clone):
    run = MakeRun(clone, PROCESS_ROLE="worker")
    try:
        run.wait_for_line("worker (scheduler only) is running", timeout=120)
        assert not port_open(run.port), "a worker serves no pages"
    finally:
        _stopped_cleanly(run)
