"""The language server's property tests (tests/lsp/test_incremental.py: random edit
sequences of the examples, each version compiled incrementally and checked as the server
does, against `compile_text`, a cold `evtc check` of the saved file and a plan made
afresh) with a larger budget than the test suite's, and how many examples ran.

Run: `.venv/bin/python benchmarks/edit_sequences.py [examples per test, default 1000]`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    budget = sys.argv[1] if len(sys.argv) > 1 else "1000"
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--hypothesis-show-statistics",
            str(ROOT / "tests/lsp/test_incremental.py"),
        ],
        env={**os.environ, "EVTC_EDIT_EXAMPLES": budget},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.splitlines()
    for line in lines:
        if "::" in line and "test_" in line and "Hypothesis Statistics" not in line:
            print(line.strip())
        elif " passing," in line or "Stopped because" in line or "%," in line or " passed" in line or "failed" in line:
            print("  " + line.strip())
    print(f"{budget} examples per property; {time.perf_counter() - start:.0f} s")
    if done.returncode:
        print(done.stdout[-4000:], done.stderr[-2000:])
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
