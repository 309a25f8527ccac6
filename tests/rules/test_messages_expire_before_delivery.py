"""A queue whose delay (or a route's batching window) outlasts its retention loses every
message (issue 17): DLV014 is an error with a position, and `explain` promises no delivery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evtc.cli import main

TOPOLOGY = """topology t
event Job {{ id: string }}
source app: app {{ emits: [Job] }}
queue jobs {{ {queue} }}
function worker {{ handler: "w:h" }}
route app.Job -> jobs
route jobs -> worker {{ {route} }}
"""


def run(tmp_path: Path, queue: str, route: str, *command: str) -> tuple[int, str]:
    path = tmp_path / "t.evt"
    path.write_text(TOPOLOGY.format(queue=queue, route=route))
    result = CliRunner().invoke(main, [*command, str(path)])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("queue", "route", "line", "column"),
    [("delay: 15m retention: 1m", "", 4, 14), ("delay: 1m retention: 2m", "batch_size: 10 batching_window: 1m", 7, 39)],
)
def test_every_message_expiring_is_an_error_and_explain_says_so(
    tmp_path: Path, queue: str, route: str, line: int, column: int
) -> None:
    code, checked = run(tmp_path, queue, route, "check")
    assert code == 1 and f"t.evt:{line}:{column}: DLV014 error" in checked
    _, explained = run(tmp_path, queue, route, "explain", "--format", "json")
    (path,) = json.loads(explained)["paths"]
    assert not path["delivery"]["semantics"].startswith("at-least-once")
    assert "undeliverable" in [d["kind"] for d in path["delivery"]["drops"]]
    (tmp_path / "w.py").write_text("def h(event, context=None):\n    return None\n")
    _, ran = run(tmp_path, queue, route, "run", "--count", "3")
    assert "3 lost" in ran and "0 delivered" in ran  # the local runtime loses them as SQS does


def test_a_delay_shorter_than_the_retention_is_fine(tmp_path: Path) -> None:
    _, checked = run(tmp_path, "delay: 15m retention: 1h", "batch_size: 10 batching_window: 5m", "check")
    assert "DLV014" not in checked
    _, explained = run(tmp_path, "delay: 15m retention: 1h", "", "explain", "--format", "json")
    assert (
        json.loads(explained)["paths"][0]["delivery"]["semantics"]
        != "none: every event expires before it can be delivered"
    )
