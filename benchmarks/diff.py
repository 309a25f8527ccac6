"""`evtc diff` against `evtc check` on the same generated topologies, side by side, in one run.

Run from the repository root:  python benchmarks/diff.py [--sizes 100,1000,5000]

For each size n (about n components), NEW is the generated topology with every tenth
event changed (a field retyped, a required field added); `diff` compares OLD with NEW (both compiled, every diff rule run, the path
analysis of both versions); `check` checks NEW alone. The claim measured: a diff costs
about two checks (it compiles and analyses two versions), growing linearly with n.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from tempfile import TemporaryDirectory

from topologies import generate

from evtc.check.checker import check_paths
from evtc.diff.engine import diff
from evtc.diff.sides import read_paths


def changed(text: str) -> str:
    out = []
    for number, block in enumerate(text.split("\nevent ")):
        if number % 10 == 1:
            block = block.replace("amount: number", "amount: string\n  currency: string", 1)
        out.append(block)
    return "\nevent ".join(out)


def best(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The fastest of `repeat` runs, and what the last one returned."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def findings(old: Path, new: Path) -> int:
    return len(diff(read_paths((str(old),), "old"), read_paths((str(new),), "new"), "full").diagnostics)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'components':>10}{'check NEW':>14}{'diff OLD NEW':>16}{'diff/check':>12}{'findings':>10}")
    with TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            old, new = Path(folder) / f"old{size}.evt", Path(folder) / f"new{size}.evt"
            text = generate(size, "bench")
            old.write_text(text)
            new.write_text(changed(text))
            checking, _ = best(partial(check_paths, [new]), args.repeat)
            diffing, count = best(partial(findings, old, new), args.repeat)
            print(f"{size:>10}{checking:>13.3f}s{diffing:>15.3f}s{diffing / checking:>12.2f}{count:>10}")


if __name__ == "__main__":
    main()
