"""What the demo data costs `make run`: the first seed (the six accounts and the demo year) and a
second seed (which must add nothing), beside same-run baselines: seeding only the six demo
accounts on empty stores, with one shared password hash (as now) and with a hash each (before). Each run starts from wiped stores (`demo.wipe`, what `make demo-reset`
does), migrated again.

Usage: .venv/bin/python -m bench.demo_seed [--runs 3]   (embedded stores under var/bench/<pid>)
"""
import argparse
import os
import statistics
import time
from pathlib import Path

from astrobookings.dev.stack import EmbeddedStack, free_port

ROOT = Path(__file__).resolve().parent.parent


def _timed(call) -> float:
    from astrobookings.dev import demo

    demo.password_hash.cache_clear()  # each seed pays its one password hash, as a fresh `make run` does
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _fresh() -> None:
    from services.core import migrate
    from astrobookings.dev import demo

    demo.wipe()
    migrate.upgrade()


def _accounts_hashed_one_by_one() -> None:
    """The six accounts as the seed made them before the demo year: one password hash each."""
    from astrobookings.dev import demo
    from services.auth.accounts import insert_user

    for email, name, role in demo.DEMO_ACCOUNTS:
        insert_user(email, demo.DEMO_PASSWORD, name, role)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    stack = EmbeddedStack(ROOT / "var" / "bench" / str(os.getpid()),
                          ports={"redis": free_port(), "mongo": free_port(), "smtp": free_port()})
    figures: dict[str, list[float]] = {"six accounts, a hash each (before)": [],
                                       "six accounts only (baseline)": [], "first seed (accounts + year)": [],
                                       "second seed": []}
    try:
        os.environ.update({**stack.start_missing({}), "DEMO_DATA": "true"})
        from astrobookings.dev import demo
        from services.core.mongo import ensure_indexes

        for _ in range(args.runs):
            _fresh()
            ensure_indexes()
            figures["six accounts, a hash each (before)"].append(_timed(_accounts_hashed_one_by_one))
            _fresh()
            ensure_indexes()
            figures["six accounts only (baseline)"].append(_timed(demo.seed_accounts))
            _fresh()
            figures["first seed (accounts + year)"].append(_timed(demo.seed))
            figures["second seed"].append(_timed(demo.seed))
    finally:
        stack.stop()
    print(f"demo seeding, {args.runs} run(s) on fresh embedded stores (median, min-max):")
    for name, values in figures.items():
        print(f"  {name:<36} {statistics.median(values):7.3f} s   ({min(values):.3f}-{max(values):.3f})")


if __name__ == "__main__":
    main()
