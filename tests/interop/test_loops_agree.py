"""The cycle analysis agrees with the local runtime on loops through tables: random
topologies of tables, their change streams and functions that write them; every table is
written once from outside (an insertion and a modification), each function writes what
its `writes` say on every invocation. DLV006 is reported exactly when the writes keep
coming back: when the run does not settle within a budget of invocations."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from evtc import write
from evtc.check.checker import check_compilation
from evtc.frontend import compile_text
from evtc.local import Runtime

BUDGET = 60  # invocations: far more than any run that settles needs here


@st.composite
def topologies(draw: st.DrawFn) -> str:
    tables = [f"t{i}" for i in range(draw(st.integers(1, 2)))]
    functions = [f"f{i}" for i in range(draw(st.integers(1, 3)))]
    lines = [
        "topology loops",
        "event Ins { id: string n: number }",
        "event Mod { id: string n: number }",
        "queue failures { retention: 1d }",
    ]
    for t in tables:
        lines += [
            f'source {t}: dynamodb {{ emits: [Ins: "INSERT", Mod: "MODIFY"] }}',
            f"stream {t}_s {{ partition_key: id }}",
        ]
        lines.append(f"route {t} -> {t}_s")
    for f in functions:
        written = draw(st.lists(st.sampled_from(tables), unique=True, max_size=len(tables)))
        kinds = [draw(st.sampled_from(["", ': "INSERT"', ': "MODIFY"'])) for _ in written]
        lines.append(
            f'function {f} {{ handler: "h:{f}" writes: [{", ".join(t + k for t, k in zip(written, kinds))}] }}'
        )
        for t in draw(st.lists(st.sampled_from(tables), unique=True, max_size=len(tables))):
            qualifier = draw(st.sampled_from(["", ".Ins", ".Mod"]))
            lines.append(f"route {t}_s{qualifier} -> {f} {{ retries: 0 on_exhausted: drop }}")
    return "\n".join(lines) + "\n"


def _handlers(compilation: Any, count: list[int]) -> dict[str, Any]:
    t = compilation.topology
    found = {}
    for f in (c for c in t.components if c.keyword == "function"):
        kinds = dict(f.write_kinds)

        def handle(event: Any, context: Any, f: Any = f, kinds: dict[str, str] = kinds) -> None:
            count[0] += 1
            if count[0] > BUDGET:
                return
            for table in f.writes:
                key = {"id": f"{f.name}-{count[0]}"}
                if kinds.get(table) in (None, "INSERT"):
                    write.put_item(table, {**key, "n": 0})  # an insertion
                if kinds.get(table) in (None, "MODIFY"):
                    write.update_item(table, {"id": "seed"}, {"n": count[0]})  # a modification

        found[f.name] = handle
    return found


@settings(max_examples=60, deadline=None)
@given(topologies())
def test_dlv006_is_reported_exactly_when_writes_keep_triggering(text: str) -> None:
    compilation = compile_text(text, "loops.evt")
    loops = [d for d in check_compilation(compilation) if d.code == "DLV006"]
    count = [0]
    rt = Runtime(compilation, handlers=_handlers(compilation, count))
    for table in sorted({c.name for c in compilation.topology.components if c.keyword == "source"}):
        rt.put_item(table, {"id": "seed", "n": -1})
        rt.update_item(table, {"id": "seed"}, {"n": -2})
    rt.run_until_idle()
    assert bool(loops) == (count[0] > BUDGET), (text, [d.message for d in loops], count[0])
