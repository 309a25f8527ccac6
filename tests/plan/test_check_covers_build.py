"""`evtc check` ⊇ `evtc build`: whatever the pulumi-aws target cannot build is a check error
with a position, so a file that checks without errors always builds."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from evtc.check.checker import check_compilation
from evtc.diagnostics import Severity
from evtc.frontend import compile_text

pytest.importorskip("pulumi")  # NOTE: the plan itself needs no pulumi; the test extra installs it

from evtc.targets.pulumi_aws.context import BuildError  # noqa: E402
from evtc.targets.pulumi_aws.planner import plan  # noqa: E402

from .strategies import topologies  # noqa: E402


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(topologies())
def test_a_file_that_checks_without_errors_builds(text: str) -> None:
    compilation = compile_text(text, "prop.evt")
    errors = [d for d in check_compilation(compilation) if d.severity is Severity.ERROR and not d.suppressed]
    try:
        plan(compilation)
    except BuildError as refused:
        assert errors, f"check found no error, but the build refuses: {refused}\n{text}"


def test_every_carrier_the_plan_names_has_a_pulumi_route_emitter() -> None:
    from evtc.plan import CARRIERS
    from evtc.targets.pulumi_aws.planner import _HANDLERS

    for start, end in CARRIERS:
        names = (f"route_{start}_{end}", f"route_{start}")
        assert any(n in _HANDLERS for n in names), f"the plan carries {start} -> {end}, the target cannot"
