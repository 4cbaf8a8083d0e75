"""Renders the docs' screenshots of the demo year (the finance reports, the agency dashboard) into
this folder: the end-to-end test that walks the demo year keeps them here when asked.

Usage: .venv/bin/python docs/screenshots/make.py   (the same set-up as `make test`: Chromium, stores)
"""
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def main() -> int:
    env = {**os.environ, "SCREENSHOTS_DIR": str(HERE)}
    done = subprocess.run(["make", "test", "PYTEST_ARGS=tests/e2e/test_pages_demo_year.py -q"], cwd=ROOT, env=env)
    if done.returncode:
        return done.returncode
    from PIL import Image

    for png in HERE.glob("*.png"):
        # A 256-colour palette keeps the PNGs small enough to commit.
        Image.open(png).convert("RGB").quantize(colors=256).save(png, optimize=True)
        print(f"{png.relative_to(ROOT)}: {png.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
