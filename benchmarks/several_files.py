"""A topology in one file beside the same topology split into parts, side by side in one run.

The generated topology (1,000 components by default) is written as one file and as an entry
that `use`s 10 and 100 parts (its declarations dealt round-robin, so routes cross files).
Each variant is checked by `evtc check` as a user runs it: cold (`--no-cache`) and then a
cached re-check (the cache is keyed on every file), the median of `--repeat` runs, in ms.
It also checks the examples folder (the examples, the split one included) the same two ways.

Run: python benchmarks/several_files.py [--size 1000] [--parts 10,100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from topologies import generate

EVTC = [str(Path(sys.executable).with_name("evtc"))]
ROOT = Path(__file__).resolve().parents[1]


def split(text: str, parts: int, folder: Path) -> Path:
    head, *lines = text.splitlines()
    declarations = [line for line in lines if line.strip()]
    (folder / "parts").mkdir(parents=True)
    for i in range(parts):
        body = "".join(line + "\n" for line in declarations[i::parts])
        (folder / "parts" / f"p{i}.evt").write_text(body, encoding="utf-8")
    entry = folder / "entry.evt"
    entry.write_text(head + "\n" + "".join(f'use "parts/p{i}.evt"\n' for i in range(parts)), encoding="utf-8")
    return entry


def timed(args: list[str], env: dict[str, str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, env=env, capture_output=True, check=False)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--parts", default="10,100")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="evtc-several-"))
    env = {**os.environ, "EVTC_CACHE_DIR": str(work / "cache")}
    text = generate(options.size)
    one = work / "one" / "generated.evt"
    one.parent.mkdir()
    one.write_text(text, encoding="utf-8")
    variants = [("one file", one)]
    for parts in (int(p) for p in options.parts.split(",")):
        variants.append((f"entry + {parts} parts", split(text, parts, work / f"split{parts}")))
    variants.append(("examples/ (7 topologies, 10 files)", ROOT / "examples"))
    print(f"evtc check of a {options.size}-component topology, median of {options.repeat} runs (ms)")
    print(f"{'variant':<38} {'--no-cache':>11} {'cached':>9}")
    for label, path in variants:
        cold = timed([*EVTC, "check", "--no-cache", "--exit-zero", "-q", str(path)], env, options.repeat)
        subprocess.run([*EVTC, "check", "--exit-zero", "-q", str(path)], env=env, capture_output=True, check=False)
        warm = timed([*EVTC, "check", "--exit-zero", "-q", str(path)], env, options.repeat)
        print(f"{label:<38} {cold:>11.0f} {warm:>9.0f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
