"""A schedule's `cron` and a webhook's `path` reach the deployed resources (issue 10: they
were accepted by the schema and crashed every command)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import build, run_program

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TOPOLOGY = """topology timed
event Tick { id: string }
source clock: schedule { cron: "0 12 * * ? *" emits: [Tick] }
source hook: webhook { path: "/in/hook" verify: hmac_sha256 secret: "timed/hook" emits: [Tick] }
function f { handler: "handlers:ok" }
route clock -> f
route hook -> f
"""


def test_cron_is_the_schedule_expression_and_path_the_route(tmp_path: Path) -> None:
    (tmp_path / "handlers.py").write_text("def ok(event, context):\n    return None\n")
    (tmp_path / "timed.evt").write_text(TOPOLOGY)
    resources = run_program(build(tmp_path / "timed.evt", tmp_path / "out"), "timed")
    [schedule] = [r for r in resources if r.type == "aws:scheduler/schedule:Schedule"]
    assert schedule.inputs["scheduleExpression"] == "cron(0 12 * * ? *)"
    [route] = [r for r in resources if r.type == "aws:apigatewayv2/route:Route"]
    assert route.inputs["routeKey"] == "POST /in/hook"
