"""The cycle analysis agrees with the local runtime on loops through routers and stores:
random topologies of functions that take some event types from a bus (directly, or one
of them through a queue) and put others back onto it. Every type is emitted once from outside; each
function emits every type it declares on every invocation. DLV006 is reported exactly when
the events keep coming back: when the run does not settle within a budget of invocations."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from evtc import emit
from evtc.check.checker import check_compilation
from evtc.frontend import compile_text
from evtc.local import Runtime

BUDGET = 60  # invocations: far more than any run that settles needs here
TYPES = ("A", "B", "C")


@st.composite
def topologies(draw: st.DrawFn) -> str:
    functions = [f"f{i}" for i in range(draw(st.integers(1, 3)))]
    lines = ["topology loops", *(f"event {t} {{ id: string }}" for t in TYPES)]
    lines += [f"source app: app {{ emits: [{', '.join(TYPES)}] }}", "bus b {}", "queue q {}"]
    lines += [f"route app.{t} -> b" for t in TYPES]
    for f in functions:
        emits = draw(st.lists(st.sampled_from(TYPES), unique=True, max_size=2))
        lines.append(f'function {f} {{ handler: "h:{f}" emits: [{", ".join(emits)}] }}')
        if emits:
            lines.append(f"route {f} -> b")
    queued = draw(st.lists(st.sampled_from(TYPES), unique=True, max_size=2))
    lines += [f"route b.{t} -> q" for t in queued]
    # NOTE: one consumer of the queue at most: competing consumers take turns, so whether a
    # loop comes round would be down to which one receives a message
    reader = draw(st.sampled_from(functions))
    for f in functions:
        for origin in draw(st.lists(st.sampled_from(["b", "q"] if f == reader else ["b"]), unique=True, min_size=1)):
            taken = draw(st.lists(st.sampled_from(TYPES), unique=True, max_size=2))
            qualifier = f".{taken[0]}" if len(taken) == 1 else ""
            retry = "{ retries: 0 on_exhausted: drop }" if origin == "q" else ""
            lines.append(f"route {origin}{qualifier} -> {f} {retry}".rstrip())
    return "\n".join(lines) + "\n"


def _handlers(compilation: Any, count: list[int]) -> dict[str, Any]:
    found = {}
    for f in (c for c in compilation.topology.components if c.keyword == "function"):

        def handle(event: Any, context: Any, f: Any = f) -> None:
            count[0] += 1
            if count[0] > BUDGET:
                return
            for kind in f.emits:
                emit(kind, {"id": f"{f.name}-{count[0]}"})

        found[f.name] = handle
    return found


@settings(max_examples=60, deadline=None)
@given(topologies())
def test_dlv006_is_reported_exactly_when_emitted_events_keep_triggering(text: str) -> None:
    compilation = compile_text(text, "loops.evt")
    assert not [d for d in compilation.diagnostics if d.severity.value == "error"], compilation.diagnostics
    loops = [d for d in check_compilation(compilation) if d.code == "DLV006"]
    count = [0]
    rt = Runtime(compilation, handlers=_handlers(compilation, count))
    for kind in TYPES:
        rt.emit("app", kind, {"id": "seed"})
    rt.run_until_idle()
    assert bool(loops) == (count[0] > BUDGET), (text, [d.message for d in loops], count[0])
