"""Compiling `when` expressions: one case per construct and dialect, plus a property test
that the compiled artefact decides every event as the expression says; and that the remembered
compiler (`evtc.filters.memo`) answers as the compiler itself."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from evtc import ir
from evtc.filters import NotExpressible, artefact_matcher, can_match, compile_when
from evtc.filters.fold import NeverMatches
from evtc.filters.memo import can_match_remembered, compiled_when, remember_filters, shape
from evtc.frontend import compile_text
from evtc.lsp.shift import shifted
from evtc.span import Span

PRELUDE = """topology t
event E { a: number b: string c: boolean key: string }
source s: app { emits: [E] }
queue q {}
route s.E -> q when """


def when(text: str) -> ir.Filter:
    route = compile_text(PRELUDE + text, "t.evt").topology.routes[0]
    assert route.when is not None, text
    return route.when


def compiled(text: str, dialect: str = "envelope", **options: Any) -> Any:
    return compile_when(when(text), dialect=dialect, **options)


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ('b == "x"', {"b": ["x"]}),
        ('b == "X" ignorecase', {"b": [{"equals-ignore-case": "X"}]}),
        ('b != "x"', {"b": [{"anything-but": ["x"]}]}),
        ('b in ["y", "x", "y"]', {"b": ["x", "y"]}),
        ('b not in ["y", "x"]', {"b": [{"anything-but": ["x", "y"]}]}),
        ("a > 1 and a <= 5", {"a": [{"numeric": [">", 1, "<=", 5]}]}),
        ("a > 1 and a > 3", {"a": [{"numeric": [">", 3]}]}),
        ("a >= 0 and a < 10 and a != 5", {"a": [{"numeric": [">=", 0, "<", 5]}, {"numeric": [">", 5, "<", 10]}]}),
        ("not (a < 3)", {"a": [{"numeric": [">=", 3]}]}),
        ('b startswith "ab" and b startswith "a"', {"b": [{"prefix": "ab"}]}),
        ('b endswith "Z" ignorecase', {"b": [{"suffix": {"equals-ignore-case": "Z"}}]}),
        ('not b startswith "tmp"', {"b": [{"anything-but": {"prefix": "tmp"}}]}),
        ('b matches "a*"', {"b": [{"prefix": "a"}]}),
        ('b matches "*a"', {"b": [{"suffix": "a"}]}),
        ('b matches "a*b*c"', {"b": [{"wildcard": "a*b*c"}]}),
        ('b matches "plain"', {"b": ["plain"]}),
        ('b startswith "ab" and b endswith "bc"', {"b": ["abc", {"wildcard": "ab*bc"}]}),
        ('b in cidr "10.0.0.0/8"', {"b": [{"cidr": "10.0.0.0/8"}]}),
        ("exists b", {"b": [{"exists": True}]}),
        ("not exists b", {"b": [{"exists": False}]}),
        ('exists b and b == "x"', {"b": ["x"]}),
        ('b in ["x", "y"] and b != "x"', {"b": ["y"]}),
        ("c == true and a == 3", {"a": [3], "c": [True]}),
        ('b == "x" or a > 1', {"$or": [{"a": [{"numeric": [">", 1]}]}, {"b": ["x"]}]}),
        ('b == "x" or (b == "y" and a == 1)', {"$or": [{"a": [1], "b": ["y"]}, {"b": ["x"]}]}),
        ('b == "x" and b == "y" or a == 1', {"a": [1]}),  # the impossible alternative is dropped
        ("a == 1 or a == true", {"a": [1, True]}),  # JSON's 1 is not true, whatever Python says
        ("a == 0 or a == false or a == null", {"a": [0, False, None]}),
    ],
)
def test_envelope_patterns(text: str, data: dict[str, Any]) -> None:
    assert compiled(text) == {"data": data}


def test_no_filter_and_event_type() -> None:
    assert compile_when(None, dialect="sns") == {}
    assert compile_when(None, dialect="eventbridge", event="E") == {"detail-type": ["E"]}
    assert compile_when(None, dialect="esm_sqs") == {"Filters": []}
    assert compile_when(None, dialect="s3") == {}


def test_wrapping_per_dialect() -> None:
    expr = when('b == "x"')
    assert compile_when(expr, dialect="sns", event="E") == {"data": {"b": ["x"]}, "type": ["E"]}
    assert compile_when(expr, dialect="eventbridge", event="E") == {
        "detail": {"data": {"b": ["x"]}},
        "detail-type": ["E"],
    }
    assert compile_when(expr, dialect="esm_sqs", event="E") == {
        "Filters": [{"Pattern": '{"body":{"data":{"b":["x"]},"type":["E"]}}'}]
    }
    assert compile_when(expr, dialect="esm_kinesis") == {"Filters": [{"Pattern": '{"data":{"data":{"b":["x"]}}}'}]}


def test_equal_filters_give_identical_json() -> None:
    first = compiled('b in ["x", "y"] and a > 1', "sns")
    second = compiled('a > 1 and (b == "y" or b == "x")', "sns")
    assert json.dumps(first) == json.dumps(second) == '{"data": {"a": [{"numeric": [">", 1]}], "b": ["x", "y"]}}'


def test_lambda_alternatives_become_separate_filters() -> None:
    artefact = compiled('b == "x" or a == 1', "esm_sqs")
    assert [json.loads(f["Pattern"]) for f in artefact["Filters"]] == [
        {"body": {"data": {"a": [1]}}},
        {"body": {"data": {"b": ["x"]}}},
    ]
    with pytest.raises(NotExpressible, match="needs 6 Lambda filters"):
        compiled(" or ".join(f'a == {n} and b == "{n}"' for n in range(6)), "esm_sqs")


def test_dynamodb_records_are_typed() -> None:
    artefact = compiled('b == "x" and c == true and a in [1, 2.5]', "esm_dynamodb")
    assert json.loads(artefact["Filters"][0]["Pattern"]) == {
        "dynamodb": {"NewImage": {"a": {"N": ["1", "2.5"]}, "b": {"S": ["x"]}, "c": {"BOOL": [True]}}}
    }
    types = {("b",): "string"}
    assert json.loads(compiled("exists b", "esm_dynamodb", field_types=types)["Filters"][0]["Pattern"]) == {
        "dynamodb": {"NewImage": {"b": {"S": [{"exists": True}]}}}
    }
    with pytest.raises(NotExpressible, match="numbers as text"):
        compiled("a > 1", "esm_dynamodb")
    with pytest.raises(NotExpressible, match="declared type is unknown"):
        compiled("exists b", "esm_dynamodb")


def test_s3_rules() -> None:
    assert compiled('key startswith "img/" and key endswith ".png"', "s3") == {"prefix": "img/", "suffix": ".png"}
    assert compiled('key startswith "img/" and key startswith "img/a"', "s3") == {"prefix": "img/a"}
    for text, reason in [
        ('key startswith "a" or key endswith "b"', "cannot express `or`"),
        ('b startswith "a"', "see only the object key"),
        ('key startswith "a" ignorecase', "one case-sensitive prefix"),
        ('key == "a"', "one case-sensitive prefix"),
    ]:
        with pytest.raises(NotExpressible, match=reason):
            compiled(text, "s3")


@pytest.mark.parametrize(
    ("text", "dialect", "reason"),
    [
        ('b == "x" and b == "y"', "sns", "can never match"),
        ('b startswith "a" and b != "ab"', "envelope", "cannot all be required"),
        ('a > 1 and a == "x"', "envelope", "can never match"),
        ('not (b in cidr "10.0.0.0/8")', "envelope", "has no AWS pattern"),
        ('b startswith "a" and b endswith "z"', "sns", "need EventBridge's wildcard"),
        ('b in cidr "10.0.0.0/8"', "esm_sqs", "Unrecognized match type cidr"),
        ('not b startswith "x"', "esm_sqs", "Unsupported anything-but pattern: prefix"),
        ("c != true", "sns", "Inside anything but list"),
    ],
)
def test_not_expressible(text: str, dialect: str, reason: str) -> None:
    with pytest.raises(NotExpressible, match=reason.replace("(", r"\(").replace("*", r"\*")) as raised:
        compiled(text, dialect)
    assert raised.value.hint


# ---- property: the compiled artefact decides as the expression reads -----------------------
SPAN = Span("t.evt", 1, 1, 1, 2)
FIELDS = ["a", "b"]
VALUES: list[Any] = [0, 1, 2.5, "x", "xy", "Y", True, None]


def _compare(field: str, op: str, value: Any) -> ir.Compare:
    texts = value if isinstance(value, tuple) else (value,)
    # an upper-case literal is compared ignoring case, where the language allows it
    ignorecase = op not in ("<", "<=", ">", ">=") and all(isinstance(t, str) and t.isupper() for t in texts)
    return ir.Compare(ir.Path((field,), SPAN), op, value, ignorecase, SPAN)


LEAF = st.one_of(
    st.builds(_compare, st.sampled_from(FIELDS), st.sampled_from(["==", "!="]), st.sampled_from(VALUES)),
    st.builds(_compare, st.sampled_from(FIELDS), st.sampled_from(["<", "<=", ">", ">="]), st.sampled_from([0, 1, 2.5])),
    st.builds(
        _compare,
        st.sampled_from(FIELDS),
        st.sampled_from(["in", "not in"]),
        st.lists(st.sampled_from(["x", "xy", "Y"]), min_size=1, max_size=2).map(tuple),
    ),
    st.builds(
        _compare, st.sampled_from(FIELDS), st.sampled_from(["startswith", "endswith"]), st.sampled_from(["x", "Y"])
    ),
    st.builds(lambda f: ir.Exists(ir.Path((f,), SPAN), SPAN), st.sampled_from(FIELDS)),
)
EXPR = st.recursive(
    LEAF,
    lambda inner: st.one_of(
        st.builds(lambda o: ir.Not(o, SPAN), inner),
        st.builds(lambda ops: ir.And(tuple(ops), SPAN), st.lists(inner, min_size=2, max_size=3)),
        st.builds(lambda ops: ir.Or(tuple(ops), SPAN), st.lists(inner, min_size=2, max_size=3)),
    ),
    max_leaves=5,
)
DATA = st.dictionaries(st.sampled_from(FIELDS), st.sampled_from(VALUES))


def reads(node: ir.Filter, data: dict[str, Any], negated: bool = False) -> bool:
    """The documented meaning of `when`: a comparison on a missing field is false either
    way; numeric comparisons need a number either way; otherwise `not` negates."""
    if isinstance(node, ir.Not):
        return reads(node.operand, data, not negated)
    if isinstance(node, (ir.And, ir.Or)):
        results = [reads(op, data, negated) for op in node.operands]
        return all(results) if isinstance(node, ir.And) != negated else any(results)
    field = node.path.parts[0]
    if isinstance(node, ir.Exists):
        return (field in data) != negated
    if field not in data:
        return False
    value = data[field]
    if node.op in ("<", "<=", ">", ">="):
        if type(value) not in (int, float):
            return False
        return _numeric(node.op, value, node.value) != negated
    return _holds(node, value) != negated


def _numeric(op: str, value: float, bound: Any) -> bool:
    return {"<": value < bound, "<=": value <= bound, ">": value > bound, ">=": value >= bound}[op]


def _equal(value: Any, literal: Any, ignorecase: bool) -> bool:
    """JSON equality: numbers by value, booleans and null only to themselves."""
    if ignorecase:
        return isinstance(value, str) and isinstance(literal, str) and value.lower() == literal.lower()
    if isinstance(value, bool) or isinstance(literal, bool) or value is None or literal is None:
        return value is literal
    if isinstance(value, str) or isinstance(literal, str):
        return isinstance(value, str) and isinstance(literal, str) and value == literal
    return bool(value == literal)


def _holds(node: ir.Compare, value: Any) -> bool:
    op, operand = node.op, node.value
    if op in ("==", "!="):
        return _equal(value, operand, node.ignorecase) == (op == "==")
    if op in ("in", "not in"):
        found = any(_equal(value, item, node.ignorecase) for item in operand)  # type: ignore[union-attr]
        return found == (op == "in")
    if not isinstance(value, str):
        return False
    text = value.lower() if node.ignorecase else value
    affix = str(operand).lower() if node.ignorecase else str(operand)
    return text.startswith(affix) if op == "startswith" else text.endswith(affix)


WRAP = {"envelope": None, "sns": None, "eventbridge": "detail", "esm_sqs": "body", "esm_kinesis": "data"}


@settings(max_examples=400, deadline=None)
@given(EXPR, DATA, st.sampled_from(sorted(WRAP)))
def test_artefact_decides_as_the_expression_reads(expr: ir.Filter, data: dict[str, Any], dialect: str) -> None:
    try:
        artefact = compile_when(expr, dialect=dialect)
    except NotExpressible as problem:
        assume("never match" in problem.reason)
        assert not reads(expr, data)
        return
    envelope = {"data": data}
    record = {WRAP[dialect]: envelope} if WRAP[dialect] else envelope
    assert artefact_matcher(artefact, dialect)(record) == reads(expr, data)


# ---- one decision of "never matches" (issue 17: check said DLV009, `evtc filters` LIM003) --------
@settings(max_examples=200, deadline=None)
@given(EXPR, DATA)
def test_a_filter_that_cannot_match_matches_no_event(expr: ir.Filter, data: dict[str, Any]) -> None:
    if not can_match(expr):
        assert not reads(expr, data)


@settings(max_examples=150, deadline=None)
@given(EXPR, st.sampled_from([*sorted(WRAP), "esm_dynamodb"]))
def test_the_compiler_reports_never_matches_exactly_when_can_match_says_so(expr: ir.Filter, dialect: str) -> None:
    types = {("a",): "number", ("b",): "string"}
    try:
        compile_when(expr, dialect=dialect, field_types=types)
    except NeverMatches:
        assert not can_match(expr)
        return
    except NotExpressible:
        return
    assert can_match(expr)


# ---- long filters fold in one pass (issue 17 and issue 10: quadratic folding) -------------------
def test_many_holes_in_a_range_cut_it_in_order() -> None:
    holes = " and ".join(f"a != {n}" for n in (20, 10, 5, 0, 3, 10))
    assert compiled(f"a > 0 and a <= 10 and {holes}") == {
        "data": {"a": [{"numeric": [">", 0, "<", 3]}, {"numeric": [">", 3, "<", 5]}, {"numeric": [">", 5, "<", 10]}]}
    }


def test_long_in_lists_intersect_with_exclusions_and_other_tests() -> None:
    many = ", ".join(f'"r{i}"' for i in range(1000))
    some = ", ".join(f'"r{i}"' for i in range(0, 1000, 7))
    text = f'b in [{many}] and b in [{some}] and b != "r7" and b not in ["r14", "r21"] and b startswith "r1"'
    expected = sorted(f"r{i}" for i in range(0, 1000, 7) if i not in (7, 14, 21) and str(i).startswith("1"))
    assert compiled(text) == {"data": {"b": expected}}


def test_a_long_and_chain_of_exclusions_is_one_anything_but() -> None:
    chain = " and ".join(f'b != "r{i}"' for i in range(200))
    assert compiled(chain) == {"data": {"b": [{"anything-but": sorted(f"r{i}" for i in range(200))}]}}


# ---- the remembered compiler (evtc.filters.memo): answers exactly as the functions themselves,
# for a filter met before at another place ------------------------------------------------
DIALECTS = ["envelope", "sns", "sns_attributes", "eventbridge", "esm_sqs", "esm_kinesis", "esm_dynamodb", "s3"]
TYPES = st.sampled_from([None, {("a",): "number"}, {("a",): "string", ("b",): "string"}])


def _outcome(compile: Any, expr: ir.Filter, **options: Any) -> Any:
    try:
        return compile(expr, **options)
    except NotExpressible as problem:
        return (type(problem), problem.reason, problem.hint)


@settings(max_examples=150, deadline=None)
@given(EXPR, EXPR, st.sampled_from(DIALECTS), st.sampled_from([None, "E"]), TYPES, st.integers(1, 40))
def test_remembered_answers_are_the_compilers_own(
    first: ir.Filter, expr: ir.Filter, dialect: str, event: str | None, types: Any, lines: int
) -> None:
    """Each filter is met once where it was, then moved (a line added above it): the
    second answer comes from the memo, and an unrelated filter met in between must not
    be mistaken for it."""
    remember_filters()
    options = {"dialect": dialect, "event": event, "field_types": types}
    for met in (first, expr, shifted(expr, lines)):
        assert _outcome(compiled_when, met, **options) == _outcome(compile_when, met, **options)
        assert can_match_remembered(met) == can_match(met)


@settings(max_examples=100, deadline=None)
@given(EXPR, EXPR)
def test_a_shape_is_shared_only_by_filters_that_differ_in_their_spans(a: ir.Filter, b: ir.Filter) -> None:
    assert shape(a) == shape(shifted(a, 3))
    # NOTE: the strategy gives every node the same span; repr tells `1` from `1.0` and `True`, as `==` does not
    assert (shape(a) == shape(b)) == (repr(a) == repr(b))


def test_literals_of_equal_value_but_another_type_are_other_filters() -> None:
    """`1 == 1.0 == True` in Python, but each spells its own pattern."""
    remember_filters()
    exprs = [ir.Compare(ir.Path(("a",), SPAN), "==", value, False, SPAN) for value in (1, 1.0, True)]
    assert len({shape(e) for e in exprs}) == 3
    for e in exprs:
        for met, dialect in ((e, "sns"), (ir.Not(e, SPAN), "esm_sqs")):
            assert _outcome(compiled_when, met, dialect=dialect) == _outcome(compile_when, met, dialect=dialect)


def test_a_caller_that_changes_its_artefact_does_not_change_the_next_callers() -> None:
    remember_filters()
    expr = when('b == "x" and a > 1')
    mine = compiled_when(expr, dialect="eventbridge")
    mine["detail"]["data"]["b"].append("changed")
    mine["extra"] = 1
    assert compiled_when(expr, dialect="eventbridge") == compile_when(expr, dialect="eventbridge")


def test_the_shape_reads_every_field_of_a_filter_node() -> None:
    """`shape` names each node's fields but its span: a field added to a filter node must be
    added there too, or two filters that differ in it would share one compiled artefact."""
    from dataclasses import fields

    read = {
        ir.Compare: {"path", "op", "value", "ignorecase"},
        ir.Exists: {"path"},
        ir.Not: {"operand"},
        ir.And: {"operands"},
        ir.Or: {"operands"},
        ir.Path: {"parts"},
    }
    for kind, names in read.items():
        assert {f.name for f in fields(kind)} - {"span"} == names, f"update evtc.filters.memo.shape for {kind.__name__}"
