"""Language-server latency on a generated 1,000-component file, beside a full `evtc check`.

Prints, each the median of several runs:
- diagnostics: from the end of the debounce (the server runs with debounce 0, so from the
  change notification) to each of the two publications that answer it: the front end's
  findings (with the rules' findings on unchanged declarations carried over), then every
  finding once the rules have run; for an edit inside a line (a route's filter, a
  component's property), a line added in the middle and a line added at the top, and for an edit while a block is left open (a syntax error:
  both publications are then `evtc check`'s own recovery of the file), for a route added in
  the middle and for a component renamed with the routes that name it; goal 100 ms;
- the server's CPU time for those two publications (all its threads, from Linux's
  schedstat): what the edit costs the server whatever else the machine runs, and the
  time it spent runnable but waiting for a CPU the machine's other work held;
- completion: request to answer, for an event field after `when` and a property in a
  block, and right after a change, while the server checks the file in its worker
  thread; goal 50 ms;
- each of those twice, side by side: by a server that compiles every version of the file
  whole (`reuse: false`) and by the server as
  it runs (`reuse: true`: the parses of unchanged declarations reused);
- the same file through a full `evtc check --no-cache` (a process) and through the checker
  in-process (front end + rules, warm), the work a server without reuse redoes.

With `--compare PYTHON` (another checkout's interpreter, e.g. `/work/main/.venv/bin/python`),
its server is measured too, beside this one's, in turns (this one, that one, `--rounds`
times: the machine's drift then moves both alike), and the ratio printed.

Run: `.venv/bin/python benchmarks/lsp.py [components] [--compare PYTHON] [--rounds N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import BaseLanguageClient

sys.path.insert(0, str(Path(__file__).parent))
from topologies import generate  # noqa: E402

RUNS = 5


class Client(BaseLanguageClient):
    def __init__(self) -> None:
        super().__init__("evtc-bench", "1")
        self.arrived: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def _published(params: types.PublishDiagnosticsParams) -> None:
            self.arrived.put_nowait(params)


def _cpu(client: Client) -> tuple[float, float]:
    """Seconds the server process has run on a CPU, and has waited, runnable, for one (all
    its threads; Linux's schedstat, zeros elsewhere): unlike the wall clock, the first is
    barely moved by other work on the machine; the second is what that work costs it."""
    pid = client._server.pid if client._server else None  # noqa: SLF001  NOTE: pygls keeps the process there
    ran = waited = 0
    for stat in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            on, off = stat.read_text().split()[:2]
        except (OSError, ValueError):
            continue  # NOTE: a thread that ended meanwhile
        ran, waited = ran + int(on), waited + int(off)
    return ran / 1e9, waited / 1e9


async def _diagnostics(client: Client, uri: str, text: str, version: int) -> tuple[float, float, tuple[float, float]]:
    """(time to the first publication, the front end's; time to the second, with the
    rules'; the server's CPU time, and its time waiting for a CPU, in between)."""
    change = types.TextDocumentContentChangeWholeDocument(text=text)
    ident = types.VersionedTextDocumentIdentifier(uri=uri, version=version)
    cpu = _cpu(client)
    start = time.perf_counter()
    client.text_document_did_change(types.DidChangeTextDocumentParams(ident, [change]))
    arrived = []
    while len(arrived) < 2:
        if (await client.arrived.get()).version == version:
            arrived.append(time.perf_counter() - start)
    ran, waited = _cpu(client)
    return arrived[0], arrived[1], (ran - cpu[0], waited - cpu[1])


async def _completion(client: Client, uri: str, text: str, needle: str) -> float:
    at = text.rindex(needle) + len(needle)
    line = text.count("\n", 0, at)
    position = types.Position(line, at - (text.rfind("\n", 0, at) + 1))
    start = time.perf_counter()
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
    )
    elapsed = time.perf_counter() - start
    assert result, f"no completion after {needle!r}"
    return elapsed


async def measure(text: str, path: Path, reuse: bool, python: str = sys.executable) -> dict[str, list[float]]:
    client = Client()
    await client.start_io(python, "-m", "evtc.lsp")
    options = {"debounce": 0, "reuse": reuse}
    await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities(), initialization_options=options)
    )
    client.initialized(types.InitializedParams())
    uri = path.as_uri()
    start = time.perf_counter()
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "evt", 1, text)))
    await client.arrived.get()
    await client.arrived.get()
    times: dict[str, list[float]] = {"open (first compile, every rule)": [time.perf_counter() - start]}
    version = 1
    middle = text.index("\nroute", len(text) // 2)
    edits = {
        "edit inside a line": lambda i: text.replace("amount > 17 ", f"amount > {17 + i} ", 1),
        "a component's property retyped": lambda i: text.replace("retention: 4d", f"retention: {i + 2}d", 1),
        "line added in the middle": lambda i: text[:middle] + "\n" * (i + 1) + text[middle:],
        "line added at the top": lambda i: "\n" * (i + 1) + text,
        "route added in the middle": lambda i: text[:middle] + _routes(i + 1) + text[middle:],
        "component renamed (and its routes)": lambda i: re.sub(r"\bworker7\b", f"worker7_{i}", text),
    }
    for name, edit in edits.items():
        for i in range(RUNS):
            version += 1
            first, full, cpu = await _diagnostics(client, uri, edit(i), version)
            times.setdefault(f"{name}: front end", []).append(first)
            times.setdefault(f"{name}: + rules", []).append(full)
            times.setdefault(f"{name}: server CPU", []).append(cpu[0])
            times.setdefault(f"{name}: server waiting for a CPU", []).append(cpu[1])
    version += 1
    await _diagnostics(client, uri, text, version)
    typed = text + "\nroute topic7 -> jobs7 when "
    version += 1
    await _diagnostics(client, uri, typed, version)
    block = text + "\nqueue extra {\n  "
    for _ in range(RUNS):
        times.setdefault("completion: field after `when`", []).append(await _completion(client, uri, typed, "when "))
    version += 1
    await _diagnostics(client, uri, block, version)
    for i in range(RUNS):
        version += 1
        edited = block.replace("amount > 17 ", f"amount > {50 + i} ", 1)
        first, full, cpu = await _diagnostics(client, uri, edited, version)
        times.setdefault("edit with a block left open: front end", []).append(first)
        times.setdefault("edit with a block left open: + rules", []).append(full)
        times.setdefault("edit with a block left open: server CPU", []).append(cpu[0])
        times.setdefault("edit with a block left open: server waiting for a CPU", []).append(cpu[1])
    version += 1
    await _diagnostics(client, uri, block, version)
    for _ in range(RUNS):
        times.setdefault("completion: property in a block", []).append(await _completion(client, uri, block, "{\n  "))
    for i in range(RUNS):
        # NOTE: typing on: a change, then completion at once, while the rules run on the change
        version += 1
        changed = block.replace("amount > 17 ", f"amount > {30 + i} ", 1)
        change = types.TextDocumentContentChangeWholeDocument(text=changed)
        ident = types.VersionedTextDocumentIdentifier(uri=uri, version=version)
        client.text_document_did_change(types.DidChangeTextDocumentParams(ident, [change]))
        await asyncio.sleep(0.03)  # past the front end's publication, into the rules' run
        elapsed = await _completion(client, uri, changed, "{\n  ")
        times.setdefault("completion: while the file is checked", []).append(elapsed)
        answers = 0
        while answers < 2:  # the front end's publication and the full one
            answers += (await client.arrived.get()).version == version
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return times


def _routes(count: int) -> str:
    """`count` routes, one a line: each version of the file has one more than the last."""
    return "".join(f"\nroute topic{i} -> dlq{i}" for i in range(count))


def full_check(path: Path) -> tuple[list[float], list[float], list[float]]:
    """`evtc check --no-cache` as a process (wall clock), and the checker in-process (wall
    clock and CPU time)."""
    from evtc.check.checker import check_compilation
    from evtc.frontend import compile_text

    text = path.read_text()
    process, inproc, cpu = [], [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", "from evtc.cli import run; run()", "check", "--no-cache", str(path)],
            capture_output=True,
            check=False,
        )
        process.append(time.perf_counter() - start)
        start, started = time.perf_counter(), time.process_time()
        check_compilation(compile_text(text, str(path)))
        inproc.append(time.perf_counter() - start)
        cpu.append(time.process_time() - started)
    return process, inproc, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("components", nargs="?", type=int, default=1000)
    parser.add_argument("--compare", metavar="PYTHON", help="also measure the server this interpreter runs")
    parser.add_argument("--rounds", type=int, default=2, help="turns of each server with --compare")
    args = parser.parse_args()
    text = generate(args.components)
    other: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.evt"
        path.write_text(text)
        whole = asyncio.run(measure(text, path, reuse=False))
        reused: dict[str, list[float]] = {}
        for _ in range(args.rounds if args.compare else 1):
            _pool(reused, asyncio.run(measure(text, path, reuse=True)))
            if args.compare:
                _pool(other, asyncio.run(measure(text, path, reuse=True, python=args.compare)))
        process, inproc, cpu = full_check(path)
    load = os.getloadavg()[0]
    print(
        f"{args.components} components, {text.count(chr(10))} lines; median of {RUNS} runs (ms); load average {load:.1f}"
    )
    compared = f" {'compared':>9} {'ratio':>6}" if args.compare else ""
    print(f"  {'':<58} {'no reuse':>9} {'reuse':>9}{compared}")
    for name, values in reused.items():
        goal = " (goal 100)" if "+ rules" in name else " (goal 50)" if name.startswith("completion") else ""
        beside = ""
        if args.compare and name in other:
            ratio = statistics.median(values) / max(statistics.median(other[name]), 1e-9)
            beside = f" {_ms(other[name]):>9} {ratio:>6.2f}"
        print(f"  {name:<58} {_ms(whole[name]):>9} {_ms(values):>9}{beside}{goal}")
    print(f"  {'full `evtc check --no-cache` (process)':<58} {_ms(process):>9}")
    print(f"  {'full check in-process (front end + rules, warm)':<58} {_ms(inproc):>9}")
    print(f"  {'full check in-process: CPU':<58} {_ms(cpu):>9}")
    if args.compare:
        print(f"  compared: the server of {args.compare}, {args.rounds} turns each; ratio: this one's / that one's")


def _pool(into: dict[str, list[float]], found: dict[str, list[float]]) -> None:
    for name, values in found.items():
        into.setdefault(name, []).extend(values)


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f}"


if __name__ == "__main__":
    main()
