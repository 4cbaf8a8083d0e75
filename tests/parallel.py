"""`make test`: the whole suite as two pytest runs side by side, each on stores of its own.

    browser   three long integration modules, then tests/e2e (the production server and Chromium)
    backend   tests/unit and the rest of tests/integration

They share nothing but the machine: each run's `stack` fixture makes its own PostgreSQL database,
Redis key prefix, MongoDB-wire server and SMTP server, so the browser run's server (whose relay
consumes its stores' events) never meets the integration tests' own consumers. Most of either run
is waiting (on a server, a browser, a store, a process it started), so two at once nearly halve
the wall time on two cores.

Each line is printed with its run's name as it comes; then both summaries, one total line
("tests: N passed, M failed") and the wall time. With arguments, it is one plain pytest run with
them (`make test PYTEST_ARGS="tests/unit -x"`).

    python -m tests.parallel [pytest arguments]
"""
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A few long integration modules (a production server killed, fifty concurrent buyers) ride with
# the browser tests, so that both runs end at about the same time; they go first, before the
# browser tests' server starts a relay of its own on that run's stores.
BALANCE = ["tests/integration/test_faults_worker.py", "tests/integration/test_booking_concurrency.py",
           "tests/integration/test_booking_money.py"]
RUNS = {"browser": [*BALANCE, "tests/e2e"],
        "backend": ["tests/unit", "tests/integration", *(f"--ignore={path}" for path in BALANCE)]}
_SUMMARY = re.compile(r"^=+ (.*) in [\d.]+s")


def main(args: list[str]) -> int:
    started = time.monotonic()
    if args:
        code = subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT)
        print(f"make test: {time.monotonic() - started:.0f} s wall time")
        return code
    procs, summaries, threads = {}, {}, []
    for name, paths in RUNS.items():
        procs[name] = subprocess.Popen([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--durations=15", *paths],
                                       cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        threads.append(threading.Thread(target=_relay, args=(name, procs[name], summaries), daemon=True))
        threads[-1].start()
    codes = {name: proc.wait() for name, proc in procs.items()}
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    print()
    totals = {"passed": 0, "failed": 0, "error": 0, "skipped": 0}
    for name in RUNS:
        summary = summaries.get(name, "no summary (the run stopped early)")
        print(f"{name}: exit {codes[name]}: {summary}")
        for count, word in re.findall(r"(\d+) (passed|failed|errors?|skipped)", summary):
            totals["error" if word.startswith("error") else word] += int(count)
    failed = totals["failed"] + totals["error"]
    if any(code != 0 for code in codes.values()) and failed == 0:
        failed = 1  # a run that ended without a summary failed all the same
    print(f"tests: {totals['passed']} passed, {failed} failed")
    print(f"make test: {wall:.0f} s wall time ({wall / 60:.1f} min)")
    return 0 if failed == 0 and all(code == 0 for code in codes.values()) else 1


def _relay(name: str, proc: subprocess.Popen, summaries: dict) -> None:
    for line in proc.stdout:
        line = line.rstrip("\n")
        print(f"[{name}] {line}", flush=True)
        found = _SUMMARY.match(line)
        if found:
            summaries[name] = found.group(1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
