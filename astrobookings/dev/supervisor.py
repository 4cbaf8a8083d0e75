"""`make run` keeps its server up: when the server exits on its own (granian gives up after the
same worker crashes twice within about 5 s, a bug at start-up, the OOM killer), the supervisor
says so, records the restart for IT's status page and starts it again after a backoff that
doubles up to BACKOFF_CAP. A run of STABLE_AFTER seconds forgives earlier crashes; MAX_RESTARTS
restarts in a row without one means something a restart cannot fix (a port taken, a broken
install), and the supervisor gives up with the server's exit code.
"""
import subprocess
import time
from collections.abc import Callable

BACKOFF_FIRST = 1.0
BACKOFF_CAP = 30.0
STABLE_AFTER = 60.0
MAX_RESTARTS = 8


def backoff(restart: int) -> float:
    """Seconds to wait before the `restart`-th restart in a row (1, 2, 4, ... up to BACKOFF_CAP)."""
    return min(BACKOFF_FIRST * 2 ** (restart - 1), BACKOFF_CAP)


class Supervisor:
    """Runs `start()`'s process until it exits on its own, then restarts it. `current` is the
    process running now (the launcher stops it on Ctrl-C)."""

    def __init__(self, start: Callable[[], subprocess.Popen], *, what: str,
                 on_restart: Callable[[int | None, int, float], None] = lambda *_: None,
                 say: Callable[[str], None] = lambda line: print(line, flush=True),
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.start, self.what, self.on_restart, self.say = start, what, on_restart, say
        self.clock, self.sleep = clock, sleep
        self.current: subprocess.Popen | None = None
        self.restarts = 0  # in a row, since the last stable run

    def run(self, first: subprocess.Popen | None = None) -> int:
        """Until the process gives up for good: its last exit code."""
        self.current = first or self.start()
        while True:
            began = self.clock()
            code = self.current.wait()
            if self.clock() - began >= STABLE_AFTER:
                self.restarts = 0
            if self.restarts >= MAX_RESTARTS:
                self.say(f"{self.what} exited with code {code} after {MAX_RESTARTS} restarts in a row; giving up.")
                return code
            self.restarts += 1
            delay = backoff(self.restarts)
            self.say(f"{self.what} exited with code {code}; restarting in {delay:.0f}s "
                     f"(restart {self.restarts} of at most {MAX_RESTARTS} in a row).")
            try:
                self.on_restart(code, self.restarts, delay)
            except Exception as exc:  # a store down must not stop the restart it would have recorded
                self.say(f"(the restart was not recorded: {type(exc).__name__})")
            self.sleep(delay)
            self.current = self.start()
