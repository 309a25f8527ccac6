"""Picking the dialect from the hop, and the `limits` diagnostic when a filter has no equivalent."""

from __future__ import annotations

from typing import Any

import pytest

from evtc.filters import FILTER_NOT_EXPRESSIBLE, route_filter
from evtc.frontend import Compilation, compile_text
from evtc.plan import plan_of

TOPOLOGY = """topology t
event E { key: string n: number }
source app: app { emits: [E] }
source bucket: s3 { bucket: "b" emits: [E] payload: notification }
source table: dynamodb { table: "t" emits: [E] }
topic topic {}
bus bus {}
queue queue {}
stream stream {}
stream changes {}
function f { handler: "h.f" }
route app.E -> topic
route topic -> queue when n > 1
route app.E -> bus
route bus -> f when n > 1
route queue -> f when n > 1
route app.E -> stream
route stream -> f when n > 1
route bucket -> queue when key startswith "a/"
route table -> changes
route changes -> f when n == 1
route app.E -> f when n > 1
"""


@pytest.fixture(scope="module")
def compiled() -> Compilation:
    result = compile_text(TOPOLOGY, "t.evt")
    assert not [d for d in result.diagnostics if d.severity.value == "error"], result.diagnostics
    return result


@pytest.mark.parametrize(
    ("source", "dialect"),
    [
        ("topic", "sns"),
        ("bus", "eventbridge"),
        ("queue", "esm_sqs"),
        ("stream", "esm_kinesis"),
        ("bucket", "s3"),
        ("table", "esm_dynamodb"),
        ("changes", "esm_dynamodb"),  # a stream fed by a table is its change stream
        ("app", "envelope"),
    ],
)
def test_dialect_follows_the_hop(compiled: Compilation, source: str, dialect: str) -> None:
    route = next(r for r in compiled.topology.routes if r.source == source)
    assert plan_of(compiled).routes[route.id].dialect == dialect


def test_every_route_compiles_for_its_hop(compiled: Compilation) -> None:
    found = {(p.route.source, p.route.target): p for p in plan_of(compiled).routes.values()}
    assert found[("topic", "queue")].filter == {"data": {"n": [{"numeric": [">", 1]}]}}
    assert found[("bucket", "queue")].filter == {"prefix": "a/"}
    assert found[("app", "f")].filter == {"data": {"n": [{"numeric": [">", 1]}]}}  # the emitter picks the type
    assert found[("changes", "f")].filter == {"Filters": [{"Pattern": '{"dynamodb":{"NewImage":{"n":{"N":["1"]}}}}'}]}


def test_inexpressible_filter_is_a_limits_diagnostic(compiled: Compilation) -> None:
    route = next(r for r in compiled.topology.routes if r.source == "queue")
    found = route_filter(compiled.graph, route, "s3")
    assert found.artefact is None and found.diagnostic is not None
    assert found.diagnostic.code == FILTER_NOT_EXPRESSIBLE.code == "LIM003"
    assert found.diagnostic.category.value == "limits"
    assert found.diagnostic.span == route.when.span  # type: ignore[union-attr]
    assert "S3 notification filter rules" in found.diagnostic.message
    assert found.diagnostic.hint


def test_dynamodb_ranges_are_reported(compiled: Compilation) -> None:
    route = next(r for r in compiled.topology.routes if r.source == "stream")
    found = route_filter(compiled.graph, route, "esm_dynamodb")
    assert found.diagnostic is not None and "numbers as text" in found.diagnostic.message


NEVER = {
    "topic": "n > 5 and n < 3",
    "bus": 'key == "a" and key == "b"',
    "queue": "not exists n and n != 1",
    "stream": "n > 5 and n < 3",
    "bucket": 'key startswith "a/" and key startswith "b/"',
    "changes": 'key == "a" and key == "b"',
    "app": "exists n and not exists n",
}


@pytest.mark.parametrize("source", sorted(NEVER))
def test_a_filter_that_can_never_match_is_dlv009_everywhere(source: str, tmp_path: Any) -> None:
    """One fact, one code (issue 17): `check`, `evtc filters` and every dialect say DLV009."""
    from click.testing import CliRunner

    from evtc.cli import main

    lines = TOPOLOGY.splitlines()
    at = next(
        i for i, line in enumerate(lines) if line.startswith(f"route {source} ") or line.startswith(f"route {source}.")
    )
    lines[at] = lines[at].split(" when ")[0] + " when " + NEVER[source]
    path = tmp_path / "t.evt"
    path.write_text("\n".join(lines) + "\n")
    compiled = compile_text(path.read_text(), str(path))
    route = compiled.topology.routes[at - TOPOLOGY.splitlines().index("route app.E -> topic")]
    for dialect in ("sns", "eventbridge", "esm_sqs", "esm_kinesis", "esm_dynamodb", "s3", "envelope"):
        found = route_filter(compiled.graph, route, dialect).diagnostic
        assert found is not None and found.code == "DLV009", (dialect, found)
    runner = CliRunner()
    checked = runner.invoke(main, ["check", str(path)]).output
    shown = runner.invoke(main, ["filters", str(path)]).output
    position = f"{path}:{at + 1}:{route.when.span.column}: DLV009"  # type: ignore[union-attr]
    assert position in checked and position in shown
    assert "LIM003" not in checked and "LIM003" not in shown
