"""End-to-end fixtures: the production server (`reflex run --env prod`) on the test stores, and
headless Chromium driven by Playwright. Only Debian's Chromium is used; nothing is downloaded."""
import fcntl
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import pytest

from astrobookings.dev.stack import chromium_path, free_port, private_build_env, reflex_env, stop_process, wait_for
from tests.e2e.flows import settled

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


SHARED_BUILD = ROOT / ".web" / "env.json"


def _shared_build() -> bytes | None:
    return SHARED_BUILD.read_bytes() if SHARED_BUILD.exists() else None


@pytest.fixture(scope="session")
def shared_build_before() -> bytes | None:
    """The frontend `make run` serves, as it was before this run's server was built."""
    return _shared_build()


@pytest.fixture(scope="session")
def server(stack, shared_build_before):
    """The production build served on one port, compiled into the tests' own folder (never the
    `.web` a `make run` beside us serves from); runs in this checkout take turns on it (flock)."""
    (ROOT / "var").mkdir(exist_ok=True)
    lock = open(ROOT / "var" / "e2e.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    port = free_port()
    base = f"http://localhost:{port}"
    env = {**reflex_env(ROOT), **private_build_env(ROOT, "e2e"), "PORT": str(port), "PUBLIC_BASE_URL": base,
           "GRANIAN_WORKERS": "1", "DEMO_DATA": "true"}
    log = open(ROOT / "var" / "e2e-server.log", "wb")
    # Started as `make run` starts it: `reflex run` with granian respawning failed workers.
    proc = subprocess.Popen([sys.executable, "-m", "astrobookings.dev.serve", "run", "--env", "prod",
                             "--frontend-port", str(port), "--backend-port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(lambda: httpx.get(f"{base}/api/system/health", timeout=2).status_code == 200,
                 "production server (log: var/e2e-server.log)", timeout=600, process=proc)
        wait_for(lambda: httpx.get(f"{base}/login", timeout=5, follow_redirects=True).status_code == 200, "frontend", timeout=120)
        yield base
    finally:
        stop_process(proc)
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    assert path, "Chromium is required for end-to-end tests: `make chromium` installs it"
    home = tempfile.mkdtemp(prefix="ab-chromium-")
    os.environ.setdefault("XDG_CONFIG_HOME", home)
    os.environ.setdefault("XDG_CACHE_HOME", home)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    pg = settled(context.new_page())
    yield pg
    context.close()


@pytest.fixture
def new_page(browser, server):
    """Opens more independent browsers (separate cookies) for tests with two users."""
    contexts = []

    def make():
        context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return settled(context.new_page())

    yield make
    for context in contexts:
        context.close()
