"""`make run` driven from outside, as a newcomer runs it: a clone of HEAD that shares this
checkout's installed `.venv` and `tools/`, the README's command in it, its output read line by line,
Ctrl-C at the end, and what it left behind. The front-door test and bench/startup.py use it."""
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import psutil

from astrobookings.dev.stack import DEFAULT_PORTS, free_port, port_open
from services.core.settings import Settings

# What a newcomer's shell has none of: a test run's store URLs and the variables an outer
# `make test` exports; the clone's own Makefile sets what it needs.
NOT_INHERITED = ({name.upper() for name in Settings.model_fields}
                 | {"PORT", "HOST", "WEB_WORKERS", "GRANIAN_WORKERS", "MAKEFLAGS", "MFLAGS", "MAKELEVEL",
                    "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "npm_config_cache", "SCARF_ANALYTICS"})


def clone_head(root: Path, folder: Path) -> Path:
    """A fresh clone of `root`'s HEAD in `folder`, sharing root's installed `.venv` and `tools/`."""
    subprocess.run(["git", "clone", "-q", str(root), str(folder)], check=True)
    for installed in (".venv", "tools"):
        (folder / installed).symlink_to(root / installed)
    # The clone's lock file is as old as the install it shares, so `make` sees nothing to install.
    stamp = (root / ".venv" / ".installed").stat().st_mtime
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

    def stop(self, timeout: float = 30) -> None:
        """Ctrl-C, then wait until what it started is gone and its ports are free."""
        self.ctrl_c()
        deadline = time.monotonic() + timeout
        while (self.leftovers() or self.ports_still_open()) and time.monotonic() < deadline:
            time.sleep(0.2)
