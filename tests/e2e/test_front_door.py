"""The front door: a fresh clone of HEAD started with the README's `make run`, as a newcomer would.

It reuses this checkout's installed `.venv` and `tools/` (the README's command is not changed),
waits for "is up", signs in as every demo account through REST, sees a launch card in Chromium,
then presses Ctrl-C and checks that everything the command started is gone and its ports are
free. A traceback or a "redefined" warning anywhere in the output fails it, and so does a socket
listening beyond loopback while HOST is unset.
"""
from pathlib import Path

import time

import httpx
import psutil
import pytest
from playwright.sync_api import expect

from astrobookings.dev.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from astrobookings.dev.front_door import MakeRun, clone_head
from astrobookings.dev.stack import port_open
from services.core.settings import is_loopback
from tests.e2e.flows import sign_in

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    return clone_head(ROOT, tmp_path_factory.mktemp("front-door") / "astrobookings")


def _stopped_cleanly(run: MakeRun) -> None:
    run.stop()
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


def _granian_worker(run: MakeRun, not_this: int | None = None, timeout: float = 60) -> psutil.Process:
    """The web server's worker process: the child of the `reflex run` (dev/serve.py) process."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for proc in psutil.Process(run.proc.pid).children(recursive=True):
            try:
                if proc.pid != not_this and proc.status() != psutil.STATUS_ZOMBIE \
                        and "astrobookings.dev.serve" in " ".join(proc.cmdline()) \
                        and proc.parent().cmdline() == proc.cmdline():
                    return proc
            except psutil.Error:
                pass  # a worker that just died
        time.sleep(0.05)
    raise AssertionError(f"no web worker (other than {not_this}) within {timeout:.0f}s:\n{run.output[-3000:]}")


def test_a_crash_loop_is_restarted_with_backoff_and_shown_to_it(clone, browser):
    """Granian gives up when its worker dies twice within about 5 s; `make run` starts it again,
    says so, and IT's status page lists the restart."""
    run = MakeRun(clone)
    try:
        run.wait_for_line("is up", timeout=300)
        base = f"http://localhost:{run.port}"
        first = _granian_worker(run)
        first.kill()
        _granian_worker(run, not_this=first.pid).kill()  # granian's own respawn, killed at once: a crash loop
        run.wait_for_line("The web server exited with code", timeout=60)
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/api/system/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and run.proc.poll() is None, f"not back:\n{run.output[-4000:]}"
            time.sleep(0.2)
        assert "restarting in 1s (restart 1 of at most" in run.output
        token = httpx.post(f"{base}/api/auth/login", json={"email": "it@example.com", "password": DEMO_PASSWORD},
                           timeout=10).json()["access_token"]
        status = httpx.get(f"{base}/api/system/status", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
        assert [(r["restart"], r["backoff_seconds"]) for r in status["restarts"]] == [(1, 1.0)]
        context = browser.new_context(base_url=base)
        try:
            page = context.new_page()
            sign_in(page, "it@example.com", next_path="/it")
            page.goto("/it")
            expect(page.locator("#restarts")).to_contain_text("Backoff")
            expect(page.locator("#restarts tbody tr")).to_have_count(1)
        finally:
            context.close()
    finally:
        _stopped_cleanly(run)
