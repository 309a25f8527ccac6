"""The language as the lowering understands it: values, units, spans, filters, layout."""

from __future__ import annotations

import pytest

from evtc import ir
from evtc.frontend import compile_text
from evtc.frontend.unparse import filter_text

HEAD = "topology t\nevent E { a: number b: string c: { d: [string] } ip: string }\nsource s: app { emits: [E] }\n"


def compile_ok(text: str) -> ir.Topology:
    compilation = compile_text(text, "t.evt")
    assert compilation.diagnostics == (), compilation.diagnostics
    return compilation.topology


def when(condition: str) -> ir.Filter:
    topology = compile_ok(HEAD + f"queue q {{}}\nroute s.E -> q when {condition}\n")
    assert topology.routes[0].when is not None
    return topology.routes[0].when


@pytest.mark.parametrize(
    ("written", "seconds"),
    [("500ms", 0.5), ("30s", 30), ("3m", 180), ("2h", 7200), ("7d", 604800), ("1.5h", 5400)],
)
def test_durations_become_seconds(written: str, seconds: float) -> None:
    queue = compile_ok(f"topology t\nqueue q {{ retention: {written} }}").component("q")
    assert isinstance(queue, ir.Queue) and queue.retention == pytest.approx(seconds)


@pytest.mark.parametrize(("written", "mib"), [("512MiB", 512), ("1GiB", 1024), ("256", 256)])
def test_memory_takes_sizes_or_megabytes(written: str, mib: int) -> None:
    function = compile_ok(f'topology t\nfunction f {{ handler: "h:f" memory: {written} }}').component("f")
    assert isinstance(function, ir.Function) and function.memory == mib


def test_defaults_are_aws_defaults() -> None:
    queue = compile_ok("topology t\nqueue q {}").component("q")
    assert isinstance(queue, ir.Queue)
    assert (queue.visibility_timeout, queue.retention, queue.delay, queue.fifo) == (30, 4 * 86400, 0, False)
    function = compile_ok('topology t\nfunction f { handler: "h:f" }').component("f")
    assert isinstance(function, ir.Function) and (function.timeout, function.memory) == (3, 128)


def test_properties_may_share_a_line_and_blocks_may_be_empty() -> None:
    topology = compile_ok("topology t\nqueue a { retention: 1d max_receives: 3 dead_letter: b }\nqueue b {}")
    a = topology.component("a")
    assert isinstance(a, ir.Queue) and (a.max_receives, a.dead_letter) == (3, "b")


def test_crlf_and_lf_lower_to_the_same_ir() -> None:
    text = HEAD + "queue q { retention: 1d }\nroute s.E -> q when a > 1\n"
    assert compile_ok(text.replace("\n", "\r\n")) == compile_ok(text)


def test_comments_are_ignored_everywhere() -> None:
    text = "# head\ntopology t # name\nqueue q { # open\n retention: 1d # why\n}\n"
    queue = compile_ok(text).component("q")
    assert isinstance(queue, ir.Queue) and queue.retention == 86400


def test_keywords_may_name_event_fields() -> None:
    topology = compile_ok("topology t\nevent E { source: string route: string when: timestamp }\n")
    assert [f.name for f in topology.events[0].fields] == ["source", "route", "when"]


def test_nested_and_list_types_and_annotations() -> None:
    event = compile_ok("topology t\nevent E { tags: [string] who: { email: string @sensitive } }").events[0]
    tags, who = event.fields
    assert isinstance(tags.type, ir.ListType) and isinstance(tags.type.item, ir.ScalarType)
    assert isinstance(who.type, ir.ObjectType) and who.type.fields[0].sensitive


def test_spans_are_one_based_and_cover_the_declaration() -> None:
    topology = compile_ok("topology t\n\nqueue jobs {\n  retention: 1d\n}\n")
    queue = topology.component("jobs")
    assert queue is not None
    assert (queue.span.line, queue.span.column, queue.span.end_line, queue.span.end_column) == (3, 1, 5, 2)
    prop = queue.prop("retention")
    assert prop is not None and (prop.value_span.line, prop.value_span.column) == (4, 14)


def test_precedence_not_binds_tighter_than_and_than_or() -> None:
    node = when('a > 1 or b == "x" and not exists c.d')
    assert isinstance(node, ir.Or)
    assert isinstance(node.operands[1], ir.And)
    assert isinstance(node.operands[1].operands[1], ir.Not)


@pytest.mark.parametrize(
    "condition",
    [
        'a >= 1.5 and b != "x"',
        'b in ["a", "b"] ignorecase',
        'b not in ["a"]',
        'b startswith "img/" ignorecase',
        'b endswith ".png"',
        'b matches "img-*.png"',
        'ip in cidr "10.0.0.0/24"',
        "exists c.d and not exists b",
        'b == null or b == ""',
        '(a > 1 or a < -1) and b == "x" ignorecase',
    ],
)
def test_filter_spellings_round_trip(condition: str) -> None:
    node = when(condition)
    assert filter_text(when(filter_text(node))) == filter_text(node)


def test_filter_operators_lower_to_compare_nodes() -> None:
    node = when('ip in cidr "10.0.0.0/24" and b matches "x*" and b in ["p", "q"] ignorecase')
    assert isinstance(node, ir.And)
    ops = [(c.op, c.value, c.ignorecase) for c in node.operands if isinstance(c, ir.Compare)]
    assert ops == [("cidr", "10.0.0.0/24", False), ("matches", "x*", False), ("in", ("p", "q"), True)]


def test_string_escapes() -> None:
    function = compile_ok('topology t\nfunction f { handler: "a\\"b\\\\c\\d" }').component("f")
    assert isinstance(function, ir.Function) and function.handler == 'a"b\\c\\d'


def test_a_filter_may_reach_into_lists_of_objects() -> None:
    text = "topology t\nevent E { items: [{ sku: string }] }\nsource s: app { emits: [E] }\nqueue q {}\n"
    compile_ok(text + 'route s.E -> q when items.sku == "x"')
