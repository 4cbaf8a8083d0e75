"""The supervisor's rules, with stand-in processes and a stand-in clock: restart with a doubling
backoff, forgive after a stable run, give up after too many restarts in a row, keep restarting
when the restart cannot be recorded."""
import pytest

from astrobookings.dev import supervisor
from astrobookings.dev.supervisor import Supervisor


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class ExitingProcess:
    """A process that runs `lasts` seconds of the stand-in clock, then exits with `code`."""
    def __init__(self, clock: Clock, lasts: float, code: int) -> None:
        self.clock, self.lasts, self.code = clock, lasts, code

    def wait(self) -> int:
        self.clock.now += self.lasts
        return self.code


def supervised(runs: list[tuple[float, int]], **kwargs):
    clock, lines, recorded = Clock(), [], []
    processes = iter([ExitingProcess(clock, lasts, code) for lasts, code in runs])
    sup = Supervisor(lambda: next(processes), what="The web server", say=lines.append, clock=lambda: clock.now,
                     sleep=clock.sleep, on_restart=lambda *args: recorded.append(args), **kwargs)
    return sup, clock, lines, recorded


def test_backoff_doubles_up_to_its_cap():
    assert [supervisor.backoff(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_a_crash_loop_is_restarted_with_backoff_until_it_gives_up():
    runs = [(0.5, 1)] * (supervisor.MAX_RESTARTS + 1)
    sup, clock, lines, recorded = supervised(runs)
    assert sup.run() == 1
    assert clock.slept == [supervisor.backoff(n) for n in range(1, supervisor.MAX_RESTARTS + 1)]
    assert [restart for _code, restart, _delay in recorded] == list(range(1, supervisor.MAX_RESTARTS + 1))
    assert lines[0] == "The web server exited with code 1; restarting in 1s (restart 1 of at most 8 in a row)."
    assert "giving up" in lines[-1]


def test_a_stable_run_forgives_the_crashes_before_it():
    runs = [(0.5, -9), (0.5, -9), (supervisor.STABLE_AFTER + 1, -9), (0.5, 1)]
    sup, clock, _lines, recorded = supervised(runs)
    with pytest.raises(StopIteration):  # the stand-ins run out: it never gave up
        sup.run()
    assert [restart for _code, restart, _delay in recorded] == [1, 2, 1, 2]
    assert clock.slept == [1, 2, 1, 2]


def test_a_restart_that_cannot_be_recorded_still_happens():
    clock, lines = Clock(), []
    processes = iter([ExitingProcess(clock, 1, 3), ExitingProcess(clock, 1, 3)])

    def refuse(*_):
        raise ConnectionError("MongoDB is down")
    sup = Supervisor(lambda: next(processes), what="The worker", say=lines.append, clock=lambda: clock.now,
                     sleep=clock.sleep, on_restart=refuse)
    with pytest.raises(StopIteration):
        sup.run()
    assert clock.slept == [1, 2] and "(the restart was not recorded: ConnectionError)" in lines
