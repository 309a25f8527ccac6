"""Rules and `evtc explain` never crash, whatever the front end let through: Hypothesis recombines the
examples' lines (dropping, repeating and reordering declarations and properties), which
yields topologies with dangling names, missing pieces and odd wiring, all of which parse."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evtc.check.checker import check_compilation
from evtc.frontend import compile_text
from evtc.report.explain import explain_json, explain_text

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.evt"))
LINES = sorted(
    {line for p in EXAMPLES for line in p.read_text(encoding="utf-8").splitlines() if line.startswith("route ")}
)
DECLS = [
    block
    for p in EXAMPLES
    for block in p.read_text(encoding="utf-8").split("\n\n")
    if not block.startswith(("#", "route", "topology"))
]
EXTRA = [
    "route fraud_jobs -> fraud_jobs",
    "route billing_failures -> billing",
    "route order_events -> order_events",
    "route checkout.OrderScored -> fraud_dlq",
    "route scan_jobs -> risk_team { retries: 99999 max_age: 999d }",
]


@st.composite
def topologies(draw: st.DrawFn) -> str:
    decls = draw(st.lists(st.sampled_from(DECLS), max_size=20))
    routes = draw(st.lists(st.sampled_from(LINES + EXTRA), max_size=20))
    return "topology fuzz\n" + "\n\n".join(decls) + "\n" + "\n".join(routes) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(topologies())
def test_rules_and_explain_never_crash(text: str) -> None:
    compilation = compile_text(text, "fuzz.evt")
    assert explain_text(compilation) and isinstance(explain_json(compilation), list)
    for d in check_compilation(compilation):
        assert "failed on this file" not in d.message, d.message
        assert d.span.line >= 1 and d.span.column >= 1 and d.message
