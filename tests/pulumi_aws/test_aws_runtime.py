"""The Lambda emit backend publishes exactly the declared events to their first hops."""

from __future__ import annotations

import json
from typing import Any

import pytest

from evtc.emit import EmitError
from evtc.export.jsonschema import topology_schemas
from evtc.frontend import compile_text
from evtc.targets.pulumi_aws.runtime import aws_runtime
from evtc.targets.pulumi_aws.runtime.aws_runtime import LambdaBackend, UndeclaredEventError

SCORED = {
    "OrderScored": {
        "type": "object",
        "properties": {"order_id": {"type": "string"}, "score": {"type": "number"}},
        "required": ["order_id", "score"],
    }
}


class FakeClient:
    def __init__(self, service: str, calls: list[tuple[str, str, dict[str, Any]]]) -> None:
        self.service, self.calls = service, calls

    def __getattr__(self, operation: str) -> Any:
        return lambda **kwargs: self.calls.append((self.service, operation, kwargs)) or {}


def backend(hops: dict[str, Any]) -> tuple[LambdaBackend, list[tuple[str, str, dict[str, Any]]]]:
    calls: list[tuple[str, str, dict[str, Any]]] = []
    return LambdaBackend("orders", "fraud_check", hops, client=lambda s: FakeClient(s, calls)), calls


def test_publishes_the_envelope_to_each_first_hop() -> None:
    hops = {
        "OrderScored": [
            {"kind": "topic", "arn": "arn:t", "fifo": False},
            {"kind": "stream", "arn": "arn:s", "key": "order_id"},
        ]
    }
    b, calls = backend(hops)
    event_id = b.emit("OrderScored", {"order_id": "o1", "score": 0.95})
    assert [(s, op) for s, op, _ in calls] == [("sns", "publish"), ("kinesis", "put_record")]
    envelope = json.loads(calls[0][2]["Message"])
    assert (envelope["specversion"], envelope["id"], envelope["type"]) == ("1.0", event_id, "OrderScored")
    assert envelope["source"] == "evtc://orders/fraud_check" and envelope["data"]["score"] == 0.95
    assert calls[1][2]["PartitionKey"] == "o1"


def test_emit_time_filter_drops_what_the_route_does_not_carry() -> None:
    pattern = {"data": {"score": [{"numeric": [">=", 0.9]}]}, "type": ["OrderScored"]}
    b, calls = backend({"OrderScored": [{"kind": "topic", "arn": "arn:t", "filter": pattern}]})
    b.emit("OrderScored", {"order_id": "o1", "score": 0.2})
    assert calls == []
    b.emit("OrderScored", {"order_id": "o2", "score": 0.91})
    assert len(calls) == 1


def test_an_undeclared_event_raises() -> None:
    b, calls = backend({"OrderScored": [{"kind": "topic", "arn": "arn:t"}]})
    with pytest.raises(UndeclaredEventError):
        b.emit("OrderPlaced", {"order_id": "o1"})
    assert calls == []


def test_data_its_schema_refuses_raises_before_anything_is_sent() -> None:
    calls: list[tuple[str, str, dict[str, Any]]] = []
    hops = {"OrderScored": [{"kind": "topic", "arn": "arn:t"}]}
    b = LambdaBackend("orders", "fraud_check", hops, client=lambda s: FakeClient(s, calls), schemas=SCORED)
    with pytest.raises(EmitError, match="OrderScored data does not match its schema"):
        b.emit("OrderScored", {"order_id": "o1", "score": "high"})
    with pytest.raises(EmitError, match="must be a JSON object, not list"):
        b.emit("OrderScored", [1])  # type: ignore[arg-type]
    assert calls == []
    b.emit("OrderScored", {"order_id": "o1", "score": 0.5})
    assert len(calls) == 1
    assert issubclass(UndeclaredEventError, EmitError)  # NOTE: one `except EmitError` catches both


def test_an_app_names_its_schemas_file(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    schemas = tmp_path / "schemas.json"
    schemas.write_text(json.dumps(SCORED), encoding="utf-8")
    monkeypatch.setenv("EVTC_TOPOLOGY", "orders")
    monkeypatch.setenv("EVTC_SCHEMAS", str(schemas))
    assert aws_runtime.backend().schemas == SCORED
    monkeypatch.setenv("EVTC_SCHEMAS", str(tmp_path / "missing.json"))
    with pytest.raises(EmitError, match="missing.json, which does not exist"):
        aws_runtime.backend()


def test_table_stream_records_become_envelopes(monkeypatch: pytest.MonkeyPatch) -> None:
    from evtc.targets.pulumi_aws.runtime.aws_runtime import table_stream_envelopes

    monkeypatch.setenv("EVTC_EVENT", "ProductChanged")
    record = {
        "eventID": "e1",
        "eventSource": "aws:dynamodb",
        "eventSourceARN": "arn:aws:dynamodb:eu-west-1:1:table/products/stream/1",
        "dynamodb": {
            "ApproximateCreationDateTime": 1700000000,
            "NewImage": {"sku": {"S": "a"}, "price": {"N": "12.5"}},
        },
    }
    [envelope] = table_stream_envelopes([record])
    assert envelope["id"] == "e1" and envelope["type"] == "ProductChanged"
    assert envelope["data"] == {"sku": "a", "price": 12.5}


def test_the_lambda_bundle_runs_without_evtc_installed(tmp_path: Any) -> None:
    """fraud_check's bundle alone (no site-packages: no lark, networkx or evtc) runs its
    handler, which emits; the other function's module is not in it."""
    import re
    import subprocess
    import sys
    import zipfile

    from .conftest import EXAMPLES, build

    project = build(EXAMPLES / "orders.evt", tmp_path / "p")
    main = (project / "__main__.py").read_text(encoding="utf-8")
    [block] = [b for b in main.split("\n\n") if 'handler="handlers.fraud.score"' in b]
    [bundle] = re.findall(r'code=pulumi.FileArchive\("([^"]+)"\)', block)
    with zipfile.ZipFile(project / bundle) as archive:
        assert "handlers/billing.py" not in archive.namelist()
        archive.extractall(tmp_path / "app")
    orders = EXAMPLES / "orders.evt"
    exported = topology_schemas(compile_text(orders.read_text(encoding="utf-8"), str(orders)).topology)
    bundled = (tmp_path / "app" / "evtc" / "schemas.json").read_text(encoding="utf-8")
    assert json.loads(bundled) == exported  # NOTE: what `evtc export jsonschema` prints
    probe = (
        "import sys, json, os; sys.path.insert(0, 'app');"
        "os.environ.update(EVTC_TOPOLOGY='orders', EVTC_COMPONENT='fraud_check', EVTC_HOPS=json.dumps("
        "{'OrderScored': [{'kind': 'topic', 'arn': 'arn:t', 'filter': {'data': {'score': [{'numeric': ['>=', 0.9]}]}}}]}));"
        "import handlers.fraud; import evtc.targets.pulumi_aws.runtime.aws_runtime as rt; sent = [];"
        "d = rt.backend(); b = rt.LambdaBackend('orders', 'fraud_check', d.hops, schemas=d.schemas,"
        " client=lambda s: type('C', (), {'publish': lambda self, **k: sent.append(k)})());"
        "import evtc.emit; evtc.emit.set_backend(b);"
        "evtc.emit('OrderScored', {'order_id': 'o1', 'score': 0.95}); evtc.emit('OrderScored', {'order_id': 'o2', 'score': 0.1});"
        "refused = 0\ntry: evtc.emit('OrderScored', {'order_id': 'o3', 'score': 'high'})\n"
        "except evtc.emit.EmitError: refused = 1\n"
        "assert 'networkx' not in sys.modules and 'lark' not in sys.modules; print(len(sent), refused)"
    )
    result = subprocess.run(
        [sys.executable, "-S", "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1 1"  # NOTE: the bundled schemas refuse a score that is text


def test_each_hop_is_written_once_however_many_event_types_it_carries() -> None:
    """A function putting a dozen named event types onto one bus: its one hop record once,
    not a dozen times (Lambda allows 4 KB of environment; it took 5.7 KB before)."""
    from evtc.targets.pulumi_aws.plan import Json, Resource
    from evtc.targets.pulumi_aws.planner import plan
    from evtc.targets.pulumi_aws.runtime.aws_runtime import decode_hops, encode_hops

    types = [f"E{i}" for i in range(12)]
    text = "topology svc\n" + "".join(f"event {t} {{ id: string }}\n" for t in types)
    bound = ", ".join(f'{t}: "Order {t} Happened"' for t in types)
    text += f'bus b {{}}\nfunction f {{ handler: "h:x" source: "com.example.orders" emits: [{bound}] }}\n'
    text += "source app: app { emits: [E0] }\nroute app -> f\nroute f -> b\nqueue q {}\nroute b -> q\n"
    entries = plan(compile_text(text, "s.evt")).entries
    [function] = [e for e in entries if isinstance(e, Resource) and e.type == "lambda_.Function" and e.component == "f"]
    value = function.args["environment"]["variables"]["EVTC_HOPS"]
    assert isinstance(value, Json)
    records, index = value.value
    assert len(records) == 1 and index == {t: [0] for t in types}
    hops = decode_hops(value.value)
    assert sorted(hops) == sorted(types) and all(h == records for h in hops.values())
    assert decode_hops(encode_hops(hops)) == hops
    assert decode_hops({"E0": records}) == {"E0": records}  # NOTE: the form apps were given before
