"""Every property the schema accepts is carried by the IR (issue 10: `cron` and `path` were
accepted and then crashed every command), and literals too large to read are diagnostics."""

from __future__ import annotations

import dataclasses

import pytest

from evtc import ir
from evtc.frontend import compile_text
from evtc.frontend.schema import ENDPOINT_KINDS, SCHEMAS, SOURCE_KINDS, specs_for

KINDS = {"source": SOURCE_KINDS, "endpoint": ENDPOINT_KINDS}
CASES = [(keyword, kind) for keyword in SCHEMAS for kind in (sorted(KINDS[keyword]) if keyword in KINDS else [None])]


def ir_fields(keyword: str) -> set[str]:
    cls = ir.Route if keyword == "route" else ir.COMPONENT_TYPES[keyword]
    return {f.name for f in dataclasses.fields(cls)}


@pytest.mark.parametrize(("keyword", "kind"), CASES)
def test_every_accepted_property_has_an_ir_field(keyword: str, kind: str | None) -> None:
    missing = set(specs_for(keyword, kind)) - ir_fields(keyword)
    assert not missing, f"{keyword} {kind or ''}: the schema accepts {sorted(missing)} but the IR has no field"


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
