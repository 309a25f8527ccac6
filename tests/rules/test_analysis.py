"""Path guarantees: facts on small topologies, and near-linear cost on wide or deep ones."""

from __future__ import annotations

from evtc.analysis import analyze
from evtc.frontend import compile_text

HEAD = "topology t\nevent E { k: string }\nsource s: app { emits: [E] }\n"


def _facts(body: str, node: str):  # type: ignore[no-untyped-def]
    compilation = compile_text(HEAD + body, "t.evt")
    assert not compilation.diagnostics, compilation.diagnostics
    return analyze(compilation).flows[("s", "E")].reach[node]


def test_stream_keeps_order_and_multiplies_nothing() -> None:
    facts = _facts(
        'stream log { partition_key: k }\nfunction f { handler: "f:h" timeout: 10s }\n'
        "route s.E -> log\nroute log -> f { retries: 2 dead_letter: dlq }\nqueue dlq { retention: 14d }\n",
        "function:f",
    )
    assert facts.order_key == "k" and facts.order_lost is None
    assert facts.attempts == 3 and facts.give_up == 30 and facts.delivery == "at-least-once"


def test_layered_retries_multiply() -> None:
    facts = _facts(
        "topic t1 {}\nqueue q { visibility_timeout: 1m max_receives: 4 dead_letter: dlq }\n"
        'queue dlq { retention: 14d }\nbus b {}\nfunction f { handler: "f:h" }\n'
        "route s.E -> t1\nroute t1 -> q\nroute q -> b\nroute b -> f { retries: 9 dead_letter: dlq }\n",
        "function:f",
    )
    assert facts.attempts == 4 * 3  # NOTE: a bus invokes f asynchronously: Lambda retries a handler twice at most
    assert facts.order_lost is not None and facts.order_lost.at == "t1"


def test_drop_without_dead_letter_is_lossy() -> None:
    facts = _facts(
        'topic t1 {}\nfunction f { handler: "f:h" }\nroute s.E -> t1\nroute t1 -> f { retries: 0 }\n', "function:f"
    )
    assert [d.kind for d in facts.drops] == ["exhausted"]
    assert facts.delivery == "at-most-once" and facts.outage_tolerance == 6 * 3600


def test_diamond_counts_paths_and_loses_order() -> None:
    facts = _facts(
        "topic a {}\nqueue l { fifo: true }\nqueue r { fifo: true }\nqueue j { fifo: true }\n"
        'function f { handler: "f:h" }\nroute s.E -> l\nroute s.E -> r\nroute l -> j\nroute r -> j\nroute j -> f\n',
        "function:f",
    )
    assert facts.paths == 2 and "2 paths" in facts.order_lost.reason


def test_cycle_is_found_once_and_settled() -> None:
    compilation = compile_text(
        HEAD + 'topic a {}\nqueue q {}\nfunction f { handler: "f:h" }\n'
        "route s.E -> a\nroute a -> q\nroute q -> a\nroute q -> f\n",
        "t.evt",
    )
    analysis = analyze(compilation)
    assert [[r.source for r in c] for c in analysis.cycles] == [["a", "q"]]
    assert analysis.flows[("s", "E")].reach["function:f"].cyclic


def test_analysis_is_cached_per_compilation() -> None:
    compilation = compile_text(HEAD + "queue q {}\nroute s.E -> q\n", "t.evt")
    assert analyze(compilation) is analyze(compilation)


def _fan_out(width: int) -> str:
    parts = [HEAD, "topic hub {}\n", "route s.E -> hub\n"]
    for i in range(width):
        parts.append(f'queue q{i} {{}}\nfunction f{i} {{ handler: "f:h" }}\nroute hub -> q{i}\nroute q{i} -> f{i}\n')
    return "".join(parts)


def _diamonds(depth: int) -> str:
    """`depth` diamonds in a row: 2**depth paths, 3*depth+1 routes."""
    parts = [HEAD, "queue n0 {}\nroute s.E -> n0\n"]
    for i in range(depth):
        parts.append(
            f"queue a{i} {{}}\nqueue b{i} {{}}\nqueue n{i + 1} {{}}\n"
            f"route n{i} -> a{i}\nroute n{i} -> b{i}\nroute a{i} -> n{i + 1}\nroute b{i} -> n{i + 1}\n"
        )
    parts.append(f'function f {{ handler: "f:h" }}\nroute n{depth} -> f\n')
    return "".join(parts)
