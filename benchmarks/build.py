"""pulumi-aws build time and generated-resource count for 1k and 10k component topologies.

Each size is measured in one run: the front end (parse, lower, graph), the plan alone (the
emitters), and the whole target build (plan + render + templates + files, as `evtc build`
runs it), plus how many AWS
resources the program declares and how long its `__main__.py` is. With `--mocks N` the
generated program of the N-component topology is also run under Pulumi's mocks.
Run: python benchmarks/build.py [--sizes 1000,10000] [--mocks 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from topologies import generate

from evtc.frontend import compile_file
from evtc.targets.pulumi_aws import target
from evtc.targets.pulumi_aws.planner import plan as make_plan


def measure(n: int, workdir: Path) -> dict[str, object]:
    source = workdir / f"t{n}.evt"
    source.write_text(generate(n, f"t{n}"), encoding="utf-8")
    start = time.perf_counter()
    compilation = compile_file(source)
    parsed = time.perf_counter()
    plan = make_plan(compilation)  # the emitters alone (collector on), for the resource count
    planned = time.perf_counter()
    target.build(compilation, workdir / f"out{n}")  # the whole target, as `evtc build` runs it
    written = time.perf_counter()
    main = (workdir / f"out{n}" / "__main__.py").read_text(encoding="utf-8")
    return {
        "components": len(compilation.topology.components),
        "resources": len(plan.resources),
        "types": Counter(r.type for r in plan.resources),
        "frontend_s": parsed - start,
        "plan_s": planned - parsed,
        "build_s": written - planned,
        "lines": main.count("\n"),
        "project": workdir / f"out{n}",
        "topology": compilation.topology.name,
    }


def run_mocks(project: Path, topology: str) -> float:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "pulumi_aws"))
    from conftest import run_program  # the tests' mocks harness

    start = time.perf_counter()
    count = len(run_program(project, topology))
    elapsed = time.perf_counter() - start
    print(f"  mocks: {count} resources registered in {elapsed:.1f} s")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--mocks", type=int, default=0, help="also run this size's program under mocks")
    args = parser.parse_args()
    print(
        f"{'components':>10} {'resources':>9} {'front end':>10} {'plan only':>10} {'build':>8} {'fe+build':>9} {'lines':>8}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            m = measure(n, Path(tmp))
            total = float(m["frontend_s"]) + float(m["build_s"])  # type: ignore[arg-type]
            print(
                f"{m['components']:>10} {m['resources']:>9} {m['frontend_s']:>9.2f}s {m['plan_s']:>9.2f}s {m['build_s']:>7.2f}s {total:>8.2f}s {m['lines']:>8}"
            )
            if n == args.mocks:
                run_mocks(Path(str(m["project"])), str(m["topology"]))


if __name__ == "__main__":
    main()
