"""`evtc build --option schema_registry=true`: the events' schemas in an EventBridge registry."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from jsonschema import Draft4Validator

from evtc.cli import main
from evtc.export.jsonschema import topology_schemas
from evtc.frontend import compile_file

from .conftest import run_program

ROOT = Path(__file__).resolve().parents[2]
ORDERS = ROOT / "examples" / "orders.evt"


def _build(out: Path, *options: str) -> list:  # type: ignore[type-arg]
    args = ["build", str(ORDERS), "--target", "pulumi-aws", "--out", str(out)]
    result = CliRunner().invoke(main, [*args, *[x for o in options for x in ("--option", o)]])
    assert result.exit_code == 0, result.output
    return run_program(out, "orders")


def test_off_by_default(tmp_path: Path) -> None:
    assert not [r for r in _build(tmp_path) if r.type.startswith("aws:schemas/")]


def test_one_option_publishes_every_event_as_draft_4(tmp_path: Path) -> None:
    resources = _build(tmp_path, "schema_registry=true")
    [registry] = [r for r in resources if r.type == "aws:schemas/registry:Registry"]
    schemas = {r.inputs["name"]: r for r in resources if r.type == "aws:schemas/schema:Schema"}
    exported = topology_schemas(compile_file(ORDERS).topology)
    assert set(schemas) == set(exported)
    for name, resource in schemas.items():
        assert resource.inputs["type"] == "JSONSchemaDraft4"
        assert resource.inputs["registryName"] == registry.inputs["name"]
        content = json.loads(resource.inputs["content"])
        Draft4Validator.check_schema(content)
        assert content["properties"] == exported[name]["properties"]  # same fields (no byte bounds here)
        assert Draft4Validator(content).is_valid({"order_id": "o-1", "score": 0.5}) is (name == "OrderScored")


def test_an_unknown_option_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(ORDERS), "--target", "pulumi-aws", "--out", str(tmp_path), "--option", "registry=yes"]
    )
    assert result.exit_code == 2 and "schema_registry" in result.output
