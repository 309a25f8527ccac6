"""Compiling very long `when` filters: time against filter size, this tree beside a baseline.

Each shape is generated at several sizes (conditions, or values of one `in` list) and a
fresh subprocess times, in CPU seconds after the front end, either every route's filter
compiled for its hop (the delivery plan, `route_filters` before it: the folding that was
quadratic) or the whole `evtc check`, each in its own process. The same inputs run on the baseline revision (default `main`, or --baseline REV),
checked out with `git archive` into a temporary folder, in the same run, side by side.
Linear work shows as a time that grows like the size; a baseline run that exceeds
--budget seconds is stopped and shown as `>budget`.

Run: python benchmarks/filter_scaling.py [--sizes 1000,10000,20000] [--baseline REV] [--budget 60]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHAPES = {
    "and, one field (a != i)": lambda n: " and ".join(f"a != {i}" for i in range(n)),
    "and, 50 fields (fK > i)": lambda n: " and ".join(f"f{i % 50} > {i}" for i in range(n)),
    "and, strings (region != ri)": lambda n: " and ".join(f'region != "r{i}"' for i in range(n)),
    "region in [n values]": lambda n: "region in [" + ", ".join(f'"r{i}"' for i in range(n)) + "]",
    "range minus n holes": lambda n: "a >= 0 and " + " and ".join(f"a != {i}" for i in range(1, n)),
}
_FIELDS = " ".join(f"f{i}: number" for i in range(50))
_HEAD = (
    f"topology t\nevent E {{ id: string region: string a: number {_FIELDS} }}\n"
    'source s: app { emits: [E] }\ntopic tp {}\nqueue q {}\nfunction f { handler: "h:ok" }\n'
    "route s -> tp\nroute tp -> q\n"
)
_PROBE = r"""
import json, sys, time
from pathlib import Path
from evtc.check.checker import check_compilation
from evtc.frontend import compile_text
try:  # NOTE: before the delivery plan, route_filters compiled every route's filter
    from evtc.filters import route_filters as compile_filters
except ImportError:
    from evtc.plan import plan_of as compile_filters
compile_text("topology warm", "warm.evt")
mode, text = sys.argv[1], Path(sys.argv[2]).read_text(encoding="utf-8")
compilation = compile_text(text, "scale.evt")
start = time.process_time()
compile_filters(compilation.graph) if mode == "filters" else check_compilation(compilation)
print(json.dumps({mode: time.process_time() - start}))
"""


def topology(shape: str, size: int) -> str:
    return _HEAD + f"route q -> f when {SHAPES[shape](size)}\n"


def baseline_tree(revision: str, into: Path) -> Path:
    """The baseline's `evtc` package (compiler/, with grammar/ and targets/ inside) under `into`."""
    into.mkdir(parents=True, exist_ok=True)
    for folder, prefix in (("compiler", "evtc/"), ("grammar", "evtc/grammar/"), ("targets", "evtc/targets/")):
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", f"--prefix={prefix}", f"{revision}:{folder}"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def measure(path: Path, python_path: Path | None, budget: float) -> dict[str, float | None]:
    """CPU seconds of `filters` and of `check` (None: stopped after `budget` seconds)."""
    env = dict(os.environ)
    if python_path is not None:
        env["PYTHONPATH"] = str(python_path)  # NOTE: ahead of the editable install's finder
    found: dict[str, float | None] = {}
    for mode in ("filters", "check"):
        try:
            done = subprocess.run(
                [sys.executable, "-c", _PROBE, mode, str(path)],
                capture_output=True,
                text=True,
                env=env,
                timeout=budget,
                check=True,
            )
        except subprocess.TimeoutExpired:
            found[mode] = None
            continue
        found[mode] = json.loads(done.stdout.strip().splitlines()[-1])[mode]
    return found


def cell(found: dict[str, float | None], key: str, budget: float) -> str:
    seconds = found[key]
    return f">{budget:g}" if seconds is None else f"{seconds:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,20000")
    parser.add_argument("--baseline", default="main", help="a git revision to compare with")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds before a run is stopped")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    header = f"{'shape':30} {'size':>6} {'filters base':>13} {'filters now':>12} {'check base':>11} {'check now':>10}"
    print(f"CPU seconds; baseline {args.baseline}, this tree {REPO}")
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        base = baseline_tree(args.baseline, Path(tmp) / "base")
        for shape in SHAPES:
            for size in sizes:
                path = Path(tmp) / "scale.evt"
                path.write_text(topology(shape, size), encoding="utf-8")
                before = measure(path, base, args.budget)
                after = measure(path, None, args.budget)
                print(
                    f"{shape:30} {size:>6} {cell(before, 'filters', args.budget):>13} "
                    f"{cell(after, 'filters', args.budget):>12} {cell(before, 'check', args.budget):>11} "
                    f"{cell(after, 'check', args.budget):>10}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
