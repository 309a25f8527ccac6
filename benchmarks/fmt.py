"""`evtc fmt` beside the front end, on generated topologies (benchmarks/topologies.py).

For each size: compiling the text (`compile_text`), formatting it when it is already in the
canonical layout, and formatting it after every line has been re-indented and its
properties joined (what the formatter must rewrite), in one process, median of --repeat.
Formatting reads the file twice (input, then its own output as a guard), so about twice
a parse plus the writing is expected. Run: python benchmarks/fmt.py [--sizes 1000,10000]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from topologies import generate

from evtc.frontend import compile_text
from evtc.frontend.fmt import format_text


def _timed(call, text: str, repeat: int) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        call(text, "bench.evt")
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'components':>10} {'lines':>7} {'compile s':>10} {'fmt (tidy) s':>13} {'fmt (messy) s':>14}")
    for size in (int(s) for s in args.sizes.split(",")):
        tidy = format_text(generate(size), "bench.evt")
        messy = re.sub(r"\n  +", "\n    ", tidy).replace("{\n    ", "{ ")
        assert format_text(messy, "bench.evt") != messy
        compiled = _timed(compile_text, tidy, args.repeat)
        clean = _timed(format_text, tidy, args.repeat)
        dirty = _timed(format_text, messy, args.repeat)
        lines = tidy.count("\n")
        print(f"{size:>10} {lines:>7} {compiled:>10.3f} {clean:>13.3f} {dirty:>14.3f}")


if __name__ == "__main__":
    main()
