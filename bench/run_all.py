"""`make bench`: every benchmark in bench/, one after the other, each printing its own figures.

Each runs in its own process on its own stores, so one cannot warm or tire the next.
"""
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHES = ["startup", "demo_seed", "read_model_lag", "booking_contention", "catalog", "finance_reports", "notify_latency",
           "workers_scale", "open_pages"]


def main() -> int:
    failed = []
    for name in BENCHES:
        if not (ROOT / "bench" / f"{name}.py").exists():
            continue
        print(f"\n== bench.{name}", flush=True)
        started = time.perf_counter()
        if subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=ROOT).returncode != 0:
            failed.append(name)
        print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
