"""Hover states the AWS range that `evtc check` enforces: for every component property,
the fact hover cites is the one LIM001 (value-outside-aws-range) checks it against, and
a value just outside the range hover states is what LIM001 reports."""

from __future__ import annotations

import pytest

from evtc import aws, ir
from evtc.check.checker import check_compilation
from evtc.frontend import compile_text
from evtc.frontend.schema import SCHEMAS
from evtc.lsp import hover
from evtc.rules.value_outside_aws_range import _COMPONENT_FACTS  # NOTE: the rule's own table, to agree with
from evtc.span import Span

CASES = [(kind.keyword, prop, key) for kind, table in _COMPONENT_FACTS.items() for prop, key in table.items()]


@pytest.mark.parametrize(("keyword", "prop", "key"), CASES)
def test_hover_cites_the_fact_the_rule_checks(keyword: str, prop: str, key: str) -> None:
    kind = "webhook" if keyword == "source" else ""  # NOTE: only a webhook source has a `timeout`
    text = hover.property_text(keyword, kind, prop)
    assert text is not None and aws.FACTS[key].what in text


def test_no_other_property_claims_a_fact() -> None:
    checked = {(k, p) for k, p, _ in CASES}
    for keyword in ("queue", "stream", "topic", "bus", "function", "endpoint"):
        for prop in SCHEMAS[keyword]:
            text = hover.property_text(keyword, "", prop) or ""
            assert ("AWS:" in text) == ((keyword, prop) in checked), (keyword, prop)


def test_the_stated_maximum_is_where_the_rule_starts_reporting() -> None:
    fact = aws.FACTS["sqs.visibility_timeout"]
    assert "allowed 0s to 12h" in (hover.property_text("queue", "", "visibility_timeout") or "")
    for seconds, reported in ((fact.maximum, False), (fact.maximum + 1, True)):
        text = f"topology t\nqueue q {{ visibility_timeout: {int(seconds)}s dead_letter: d }}\nqueue d {{}}\n"
        codes = [d.code for d in check_compilation(compile_text(text, "t.evt"))]
        assert ("LIM001" in codes) == reported
    default = ir.Queue("q", Span.point("t.evt", 1, 1)).visibility_timeout
    assert default == fact.default and "Default: `30s`" in (
        hover.property_text("queue", "", "visibility_timeout") or ""
    )
