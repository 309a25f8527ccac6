"""`evtc check` scaling (1k, 10k, 50k components) and evtc beside cfn-lint, in one run.

For each size, a fresh subprocess compiles the generated topology (front end), then runs
the path analysis and every rule, and reports both times and its own peak memory; a
second subprocess checks the file twice through the cache and times the re-check. Then
the same 70-pipeline topology (topic -> queue with DLQ -> function) is checked by
`evtc check` and its hand-written CloudFormation template (491 resources) by `cfn-lint`,
both as the command a user runs, wall-clock, side by side.

Run: python benchmarks/check.py [--sizes 1000,10000,50000] [--repeat 3] [--pipelines 70]
(`--sizes ""` runs only the comparison with cfn-lint.)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from cfn_template import template_text
from topologies import generate, pipelines_text

_PROBE = r"""
import json, resource, sys, time
from pathlib import Path
mode, path, cache_dir = sys.argv[1], sys.argv[2], sys.argv[3]
if mode == "check":
    from evtc.check.config import Config
    from evtc.frontend import compile_text
    from evtc.check.ruleset import ruleset
    rules = ruleset(Config())
    compile_text("topology warm", "warm.evt")
    text = Path(path).read_text(encoding="utf-8")
    start = time.perf_counter(); c = compile_text(text, path); middle = time.perf_counter()
    found = rules.run(c); end = time.perf_counter()
    assert not c.diagnostics, c.diagnostics[:3]
    result = {"frontend": middle - start, "rules": end - middle, "findings": len(found)}
elif mode == "breakdown":  # where a cold `evtc check` spends its time, in-process
    start = time.perf_counter()
    import evtc.cli.check
    from evtc.util.registry import rules
    rules()
    imported = time.perf_counter()
    from evtc.frontend.parse import _parser
    _parser()
    built = time.perf_counter()
    from evtc.check.checker import check_paths
    check_paths([path])
    result = {"imports": imported - start, "parser": built - imported, "check": time.perf_counter() - built}
else:  # recheck: check once to fill the cache, then time the second check
    from evtc.util.cache import Cache
    from evtc.check.checker import check_paths
    cache = Cache(Path(cache_dir))
    check_paths([path], cache=cache)
    start = time.perf_counter(); check_paths([path], cache=cache); result = {"recheck": time.perf_counter() - start}
result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""


def probe(mode: str, path: Path, cache_dir: Path, repeat: int, env: dict[str, str] | None = None) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", _PROBE, mode, str(path), str(cache_dir)],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
        runs.append(json.loads(out.stdout))
    return min(runs, key=lambda r: sum(v for k, v in r.items() if k not in ("peak_mib", "findings")))


def user_env(work: Path) -> dict[str, str]:
    """The environment of a user's shell: Python may cache bytecode (here, outside the tree)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env["EVTC_CACHE_DIR"] = str(work / "evtc-cache")
    return env


class Best:
    """The best wall-clock and CPU (user + system) time of a command run as a user runs it,
    and its exit code. CPU time is the steadier measure on a shared machine."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.command, self.env = command, env
        self.wall, self.cpu, self.code = float("inf"), float("inf"), 0

    def run(self) -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        self.code = subprocess.run(self.command, capture_output=True, check=False, env=self.env).returncode
        self.wall = min(self.wall, time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu = min(self.cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def interleaved(commands: dict[str, Best], rounds: int, runs: dict[str, int]) -> None:
    """One untimed run of each (bytecode is compiled once, as on any installed system), then
    `rounds` rounds in which every command runs `runs[name]` times. NOTE: interleaved, so a
    busy spell of a shared machine slows both sides, not only the one it happens to hit."""
    for best in commands.values():
        subprocess.run(best.command, capture_output=True, check=False, env=best.env)
    for _ in range(rounds):
        for name, best in commands.items():
            for _ in range(runs.get(name, 1)):
                best.run()


def scaling(sizes: list[int], repeat: int, work: Path) -> None:
    print(
        f"{'components':>10}  {'front end':>10}  {'rules+analysis':>14}  {'ratio':>6}  {'peak MiB':>9}  {'re-check':>9}"
    )
    for n in sizes:
        path = work / f"generated_{n}.evt"
        path.write_text(generate(n), encoding="utf-8")
        cache_dir = work / f"cache_{n}"
        checked = probe("check", path, cache_dir, repeat)
        again = probe("recheck", path, cache_dir, 1)
        ratio = checked["rules"] / checked["frontend"]
        print(
            f"{n:>10}  {checked['frontend']:>9.2f}s  {checked['rules']:>13.2f}s  {ratio:>6.2f}  "
            f"{checked['peak_mib']:>9.0f}  {again['recheck'] * 1000:>7.1f}ms"
        )


def versus_cfn_lint(pipelines: int, repeat: int, work: Path) -> None:
    evt, cfn = work / f"pipelines_{pipelines}.evt", work / f"pipelines_{pipelines}.json"
    evt.write_text(pipelines_text(pipelines), encoding="utf-8")
    cfn.write_text(template_text(pipelines), encoding="utf-8")
    evtc = shutil.which("evtc", path=str(Path(sys.executable).parent)) or "evtc"
    cfn_lint = shutil.which("cfn-lint", path=str(Path(sys.executable).parent)) or "cfn-lint"
    env = user_env(work)
    commands = {
        "cold": Best([evtc, "check", "--no-cache", str(evt)], env),
        "cached": Best([evtc, "check", str(evt)], env),  # the untimed run fills the cache
        "cfn-lint": Best([cfn_lint, str(cfn)], env),
    }
    # NOTE: evtc runs 3 times a round to cfn-lint's once: its runs are short, its best needs more tries.
    interleaved(commands, repeat, {"cold": 3, "cached": 3})
    cold, cached, lint = commands["cold"], commands["cached"], commands["cfn-lint"]
    ours, our_cpu, our_code = cold.wall, cold.cpu, cold.code
    warm, warm_cpu = cached.wall, cached.cpu
    theirs, their_cpu, their_code = lint.wall, lint.cpu, lint.code
    parts = probe("breakdown", evt, work, repeat, env)
    resources = len(json.loads(cfn.read_text())["Resources"])
    print(f"\n{pipelines} pipelines (topic -> queue with DLQ -> function), as a user runs them:")
    print(f"  {'':22} {'wall':>7}  {'cpu':>7}")
    print(f"  evtc check --no-cache  {ours:>6.2f}s  {our_cpu:>6.2f}s  (exit {our_code}, {pipelines * 5} components)")
    print(
        f"  cfn-lint               {theirs:>6.2f}s  {their_cpu:>6.2f}s  "
        f"(exit {their_code}, {resources} resources, {_version([cfn_lint, '--version'])})"
    )
    print(f"  evtc check (cached)    {warm:>6.2f}s  {warm_cpu:>6.2f}s  (the same file checked again)")
    print(
        f"  evtc is {theirs / ours:.1f}x faster cold ({their_cpu / our_cpu:.1f}x in CPU time), "
        f"{theirs / warm:.1f}x with its cache ({their_cpu / warm_cpu:.1f}x in CPU time); target: 25x"
    )
    print(
        f"  evtc cold, in-process: imports {parts['imports']:.2f}s, parser tables {parts['parser']:.2f}s, "
        f"check {parts['check']:.2f}s (the rest is interpreter start-up)"
    )


def _version(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).strip() or "version unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is kept")
    parser.add_argument("--pipelines", type=int, default=70)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.sizes:  # NOTE: --sizes "" measures only evtc beside cfn-lint
            scaling([int(s) for s in args.sizes.split(",")], args.repeat, work)
        versus_cfn_lint(args.pipelines, args.repeat, work)


if __name__ == "__main__":
    main()
