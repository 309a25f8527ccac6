"""The property schema is derived from the IR's field specs, and every property it accepts
lands on its IR field (issue 10: `cron` and `path` were accepted with no field to carry
them and crashed every command); literals too large to read are diagnostics."""

from __future__ import annotations

import dataclasses

import pytest

from evtc import ir
from evtc.check.checker import check_compilation
from evtc.frontend import compile_text
from evtc.frontend.schema import KINDS, SCHEMAS, specs_for
from evtc.spec import EXTERNAL, Spec, specs_of

CLASSES: dict[str, type] = {**ir.COMPONENT_TYPES, "route": ir.Route}
EXTERNAL_KEYWORDS = ("source", "queue", "stream", "topic", "bus", "function")
CASES = [
    *[(keyword, kind) for keyword in SCHEMAS for kind in KINDS.get(keyword, (None,))],
    *[(keyword, EXTERNAL) for keyword in EXTERNAL_KEYWORDS],
]


def test_the_schema_has_a_property_exactly_where_the_ir_has_a_field_with_a_spec() -> None:
    for keyword, cls in CLASSES.items():
        with_spec = {f.name for f, _ in specs_of(cls)}
        settable = {s.attr for k, kind in CASES if k == keyword for s in specs_for(keyword, kind).values()}
        assert settable == with_spec, f"{keyword}: fields with a spec no kind takes: {sorted(with_spec - settable)}"
        names = {f.name for f in dataclasses.fields(cls)}
        for _, spec in specs_of(cls):
            assert set(spec.kinds) <= {*getattr(cls, "kinds", ()), EXTERNAL}, f"{keyword}: {spec} names an unknown kind"
            assert spec.type != "bindings" or spec.pairs in names, f"{keyword}: {spec} binds into no field"


def test_every_kind_of_a_keyword_is_a_kind_the_front_end_accepts() -> None:
    for keyword, kinds in KINDS.items():
        for kind in kinds:
            text = f"topology t\n{keyword} x: {kind} {{}}\n"
            assert "REF007" not in codes_of(text), (keyword, kind)


# a value of every property type as written, and the IR value it lowers to
def _sample(spec: Spec, default: object) -> tuple[str, object]:
    if spec.type == "enum":
        choice = next(c for c in spec.choices if c != default)
        return choice, choice
    if spec.type == "names":
        name = spec.choices[0] if spec.choices else "E"
        return f"[{name}]", (name,)
    if spec.type in ("bindings", "writes"):
        text = spec.choices[0] if spec.choices else "Detail Type"
        return f'[E: "{text}"]', ("E",)
    samples: dict[str, tuple[str, object]] = {
        "duration": ("120s", 120.0),
        "int": ("2", 2),
        "memory": ("256MiB", 256),
        "bool": ("true", True),
        "string": ('"x-1"', "x-1"),
        "name": ("n1", "n1"),
        "key": ("n1", "n1"),  # a field; a constant or `random` lowers elsewhere (tests/interop/test_keys.py)
        "strings": ('["eu-west-1"]', ("eu-west-1",)),
        "archive": ("30d", 30 * 86400.0),
        "cron": ('"0 12 * * ? *"', "cron(0 12 * * ? *)"),
        "url_path": ('"/in"', "/in"),
        "account": ('"111122223333"', "111122223333"),
        "region": ('"us-east-2"', "us-east-2"),
    }
    return samples[spec.type]


def _written(keyword: str, kind: str | None) -> tuple[str, dict[str, object]]:
    """A file whose `keyword` sets every property it takes, and the IR value each one sets."""
    cls = CLASSES[keyword]
    defaults = {f.name: f.default for f in dataclasses.fields(cls)}
    lines, expected = [], {}
    for name, spec in specs_for(keyword, kind).items():
        text, value = _sample(spec, defaults[spec.attr])
        assert value != defaults[spec.attr], f"{keyword}.{name}: the sample is the default and proves nothing"
        lines.append(f"  {name}: {text}")
        expected[spec.attr] = value
        if spec.pairs:
            expected[spec.pairs] = (("E", text.split('"')[1]),)
    body = "{\n" + "\n".join(lines) + "\n}"
    head = "topology t\nevent E { id: string }\n"
    if keyword == "route":
        return head + f"source s: app {{ emits: [E] }}\nqueue q {{}}\nroute s -> q {body}\n", expected
    return head + f"{keyword} x{': ' + kind if kind else ''} {body}\n", expected


@pytest.mark.parametrize(("keyword", "kind"), CASES)
def test_every_documented_property_lowers_onto_its_ir_field(keyword: str, kind: str | None) -> None:
    text, expected = _written(keyword, kind)
    compilation = compile_text(text, "t.evt")
    wrong = [d for d in compilation.diagnostics if d.code in ("REF003", "REF004", "REF005", "REF006")]
    assert not wrong, (text, wrong)
    built = compilation.topology.routes[0] if keyword == "route" else compilation.topology.component("x")
    assert {attr: getattr(built, attr) for attr in expected} == expected
    check_compilation(compilation)  # NOTE: every rule reads a topology with each of these set, without a crash


def codes_of(text: str) -> list[str]:
    return [d.code for d in compile_text(text, "t.evt").diagnostics]


TICK = "topology t\nevent Tick { id: string }\n"


@pytest.mark.parametrize(
    ("written", "expression"),
    [('"cron(0 12 * * ? *)"', "cron(0 12 * * ? *)"), ('"0  12 * * ? *"', "cron(0 12 * * ? *)")],
)
def test_a_schedule_takes_a_cron_expression(written: str, expression: str) -> None:
    compilation = compile_text(TICK + f"source clock: schedule {{ cron: {written} emits: [Tick] }}\n", "t.evt")
    assert compilation.diagnostics == ()
    clock = compilation.topology.component("clock")
    assert isinstance(clock, ir.Source) and clock.cron == expression and clock.rate is None


@pytest.mark.parametrize(
    "body",
    ['cron: "0 12 * * *"', 'cron: "cron(0 12 * * 1 *)"', "cron: 5", 'rate: 5m cron: "cron(0 12 * * ? *)"'],
)
def test_a_bad_or_doubled_schedule_expression_is_a_diagnostic(body: str) -> None:
    codes = codes_of(TICK + f"source clock: schedule {{ {body} emits: [Tick] }}\n")
    assert len(codes) == 1 and codes[0] in ("REF004", "REF013"), codes


def test_a_webhook_takes_a_url_path() -> None:
    text = TICK + 'source hook: webhook { path: "/in/hook" verify: hmac_sha256 secret: "k" emits: [Tick] }\n'
    hook = compile_text(text, "t.evt").topology.component("hook")
    assert isinstance(hook, ir.Source) and hook.path == "/in/hook"
    assert codes_of(text.replace('"/in/hook"', '"hook"')) == ["REF004"]


@pytest.mark.parametrize(
    "literal",
    ["memory: " + "9" * 400 + "MiB", "timeout: " + "9" * 400 + "s", "concurrency: " + "9" * 5000],
)
def test_literals_beyond_float_range_are_out_of_range(literal: str) -> None:
    compilation = compile_text(f'topology t\nfunction f {{ handler: "h:f" {literal} }}\n', "t.evt")
    (problem,) = [d for d in compilation.diagnostics if d.code == "REF006"]
    assert problem.span.line == 2 and problem.span.column == 31 + len(literal.split(":")[0]) and problem.hint


@pytest.mark.parametrize("number", ["1e999", "9" * 5000])
def test_a_filter_number_beyond_float_range_is_out_of_range(number: str) -> None:
    text = f"topology t\nevent E {{ n: number }}\nsource s: app {{ emits: [E] }}\nqueue q {{}}\nroute s -> q when n == {number}\n"
    assert "REF006" in codes_of(text)
