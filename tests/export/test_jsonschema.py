"""`evtc export jsonschema` and the local runtime's emit read the same schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from evtc.cli import main
from evtc.export.jsonschema import topology_schemas
from evtc.frontend import compile_file, compile_text
from evtc.local import EmitError, Runtime

ROOT = Path(__file__).resolve().parents[2]
CATALOG = """
topology shop
event ProductChanged {
  sku: string
  price: number
  updated_at: timestamp
  tags: [string] @maxitems(3) @maxlen(8)
  dimensions: { width_cm: number  height_cm: number @optional }
  owner_email: string @sensitive
}
source admin: app { emits: [ProductChanged] }
function index { handler: "x:y" }
route admin.ProductChanged -> index
"""


def test_every_example_schema_is_a_valid_2020_12_schema() -> None:
    for path in sorted((ROOT / "examples").glob("*.evt")):
        for schema in topology_schemas(compile_file(path).topology).values():
            Draft202012Validator.check_schema(schema)


def test_the_schema_carries_nesting_lists_optional_limits_and_sensitivity() -> None:
    schema = topology_schemas(compile_text(CATALOG, "shop.evt").topology)["ProductChanged"]
    props = schema["properties"]
    assert schema["$id"] == "evtc://shop/events/ProductChanged"
    assert props["updated_at"] == {"type": "string", "format": "date-time"}
    assert props["tags"] == {
        "type": "array",
        "items": {"type": "string", "maxLength": 8, "x-evtc-maxBytes": 8},
        "maxItems": 3,
    }
    assert props["dimensions"]["required"] == ["width_cm"]
    assert props["owner_email"]["x-evtc-sensitive"] is True
    assert "tags" in schema["required"] and "dimensions" in schema["required"]


def test_cli_prints_one_event_or_writes_one_file_per_event(tmp_path: Path) -> None:
    runner = CliRunner()
    one = runner.invoke(main, ["export", "jsonschema", str(ROOT / "examples/orders.evt"), "OrderScored"])
    assert one.exit_code == 0 and json.loads(one.output)["title"] == "OrderScored"
    every = runner.invoke(main, ["export", "jsonschema", str(ROOT / "examples/orders.evt"), "-o", str(tmp_path)])
    assert every.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["OrderPlaced.schema.json", "OrderScored.schema.json"]
    unknown = runner.invoke(main, ["export", "jsonschema", str(ROOT / "examples/orders.evt"), "OrderScore"])
    assert unknown.exit_code == 2 and "did you mean 'OrderScored'" in unknown.output


def _runtime() -> Runtime:
    return Runtime(compile_text(CATALOG, "shop.evt"), handlers={"index": lambda event, context: None})


GOOD = {
    "sku": "a",
    "price": 3,
    "updated_at": "2026-01-01T00:00:00Z",
    "tags": ["x"],
    "dimensions": {"width_cm": 1},
    "owner_email": "e@x",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"price": "3"}, "price: '3' is not of type 'number'"),
        ({"updated_at": "yesterday"}, "updated_at: 'yesterday' is not a 'date-time'"),
        ({"tags": ["x", "y", "z", "w"]}, "tags: .* is too long"),
        ({"tags": ["€€€"]}, "tags.0: '€€€' is longer than 8 bytes"),
        ({"dimensions": {"height_cm": 1}}, "dimensions: 'width_cm' is a required property"),
    ],
)
def test_emit_rejects_what_the_exported_schema_rejects(change: dict[str, object], message: str) -> None:
    with pytest.raises(EmitError, match=message):
        _runtime().emit("admin", "ProductChanged", {**GOOD, **change})


def test_emit_accepts_a_valid_payload_with_extra_fields() -> None:
    rt = _runtime()
    rt.emit("admin", "ProductChanged", {**GOOD, "new_field": True})
    rt.run_until_idle()
    assert len(rt.deliveries("index")) == 1
