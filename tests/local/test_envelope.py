"""The wire format: CloudEvents envelopes, every Lambda hop shape back to envelopes."""

from __future__ import annotations

import base64
import copy
import json
import pickle

import pytest

from evtc.envelope import Envelope, EnvelopeError, from_dynamodb, parse, records, to_dynamodb

from .conftest import build, cloudevent

TOPOLOGY = """
topology shapes
event Thing { thing_id: string  n: number }
source app1: app { emits: [Thing] }
queue q {}
stream s { partition_key: thing_id }
topic t {}
bus b {}
function via_queue { handler: "x:y" }
function via_stream { handler: "x:y" }
function via_topic { handler: "x:y" }
function via_bus { handler: "x:y" }
function direct { handler: "x:y" }
route app1.Thing -> q
route app1.Thing -> s
route app1.Thing -> t
route app1.Thing -> b
route app1.Thing -> direct
route q -> via_queue
route s -> via_stream
route t -> via_topic
route b -> via_bus
"""


def captured() -> tuple[dict[str, list[object]], dict[str, object]]:
    seen: dict[str, list[object]] = {}

    def handler_for(name: str) -> object:
        def handler(event: object, context: object) -> None:
            seen.setdefault(name, []).append(json.loads(json.dumps(event)))  # what AWS would send: plain JSON

        return handler

    names = ["via_queue", "via_stream", "via_topic", "via_bus", "direct"]
    return seen, {name: handler_for(name) for name in names}


def test_every_hop_shape_carries_a_valid_cloudevent() -> None:
    seen, handlers = captured()
    rt = build(TOPOLOGY, handlers)  # type: ignore[arg-type]
    event_id = rt.emit("app1", "Thing", {"thing_id": "t1", "n": 2}, time="2026-03-01T12:00:00Z")
    rt.run_until_idle()
    assert set(seen) == set(handlers)
    for name, events in seen.items():
        (envelope,) = records(events[0])
        assert envelope.id == event_id and envelope.data == {"thing_id": "t1", "n": 2}, name
        sdk = cloudevent(envelope.to_json())  # the cloudevents SDK accepts it
        assert sdk["specversion"] == "1.0" and sdk["type"] == "Thing" and sdk["source"] == "evtc://shapes/app1"
        assert str(sdk["time"]).startswith("2026-03-01")
    assert seen["via_queue"][0]["Records"][0]["eventSource"] == "aws:sqs"
    assert seen["via_stream"][0]["Records"][0]["kinesis"]["partitionKey"] == "t1"
    assert seen["via_topic"][0]["Records"][0]["Sns"]["TopicArn"].endswith(":topic/t")
    assert seen["via_bus"][0]["detail-type"] == "Thing"


def test_partition_key_is_set_where_a_key_applies() -> None:
    rt = build(TOPOLOGY, {n: lambda e, c: None for n in ["via_queue", "via_stream", "via_topic", "via_bus", "direct"]})
    rt.emit("app1", "Thing", {"thing_id": "t9", "n": 1})
    assert rt.ledger.emitted[0].to_dict()["partitionkey"] == "t9"


def test_lazy_batches_serialise_and_copy_like_the_plain_event() -> None:
    events: list[object] = []
    names = ["via_queue", "via_stream", "via_topic", "via_bus", "direct"]
    rt = build(TOPOLOGY, {n: lambda e, c: events.append(e) for n in names})
    rt.emit("app1", "Thing", {"thing_id": "t1", "n": 1})
    rt.run_until_idle()
    for event in events:
        text = json.dumps(event)  # untouched: the encoder must still see every field
        assert json.loads(text) == json.loads(json.dumps(copy.deepcopy(event))) == pickle.loads(pickle.dumps(event))
        assert records(json.loads(text))[0].data == {"thing_id": "t1", "n": 1}
    batch = events[0]["Records"]  # type: ignore[index]
    assert len(batch) == 1 and list(reversed(batch)) == list(batch) and batch == [batch[0]]


def test_lazy_records_behave_like_dicts() -> None:
    seen: list[object] = []
    rt = build(
        TOPOLOGY,
        {
            "via_queue": lambda e, c: seen.append(e["Records"][0]),
            **{n: lambda e, c: None for n in ["via_stream", "via_topic", "via_bus", "direct"]},
        },
    )
    rt.emit("app1", "Thing", {"thing_id": "t1", "n": 1})
    rt.run_until_idle()
    record = seen[0]
    assert isinstance(record, dict)
    assert record.get("eventSource") == "aws:sqs" and "body" in record
    assert json.loads(record["body"])["data"]["n"] == 1
    plain = dict(record)
    assert plain == record and json.loads(json.dumps(record)) == plain
    assert pickle.loads(pickle.dumps(record)) == plain and copy.deepcopy(record) == plain
    assert sorted(record) == sorted(plain)


def test_records_parses_real_aws_shapes() -> None:
    e = Envelope("i1", "evtc://t/c", "Thing", 0.0, 1.0, {"n": 1}, "k")
    text = e.to_json()
    assert records({"Records": [{"eventSource": "aws:sqs", "body": text}]}) == [e]
    kinesis = {"eventSource": "aws:kinesis", "kinesis": {"data": base64.b64encode(text.encode()).decode()}}
    assert records({"Records": [kinesis]}) == [e]
    assert records({"Records": [{"EventSource": "aws:sns", "Sns": {"Message": text}}]}) == [e]
    assert records({"version": "0", "detail-type": "Thing", "detail": e.to_dict()}) == [e]
    assert records(e.to_dict()) == [e] and records([text]) == [e]
    image = {k: to_dynamodb(v) for k, v in e.to_dict().items()}
    assert records({"Records": [{"eventSource": "aws:dynamodb", "dynamodb": {"NewImage": image}}]}) == [e]


@pytest.mark.parametrize(
    "junk",
    [
        None,
        3,
        "nope",
        {"Records": [{"eventSource": "aws:s3"}]},
        {"specversion": "0.3"},
        {"specversion": "1.0", "id": 1},
    ],
)
def test_records_rejects_what_is_not_an_envelope(junk: object) -> None:
    with pytest.raises(EnvelopeError):
        records(junk)


def test_parse_rejects_bad_json_and_times() -> None:
    with pytest.raises(EnvelopeError):
        parse("{not json")
    with pytest.raises(EnvelopeError):
        parse('{"specversion":"1.0","id":"a","source":"s","type":"t","time":"yesterday"}')


def test_dynamodb_json_round_trip() -> None:
    value = {"s": "x", "n": 1, "f": 1.5, "b": True, "z": None, "l": [1, "a"], "m": {"k": [2.5]}}
    assert from_dynamodb(to_dynamodb(value)) == value


TABLE = """
topology tables
event Row { row_id: string  n: number }
source table1: dynamodb { table: "rows"  emits: [Row] }
stream changes { partition_key: row_id }
function reader { handler: "x:y" }
route table1.Row -> changes
route changes -> reader when n == 2
"""


def test_a_table_stream_gives_dynamodb_records_whose_item_is_the_data(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    rt = build(TABLE, {"reader": lambda e, c: seen.append(json.loads(json.dumps(e)))})
    rt.emit("table1", "Row", {"row_id": "r1", "n": 1})
    rt.emit("table1", "Row", {"row_id": "r2", "n": 2})
    rt.run_until_idle()
    (event,) = seen  # the route's filter is DynamoDB FilterCriteria on the typed image
    (record,) = event["Records"]  # type: ignore[index]
    assert record["eventSource"] == "aws:dynamodb" and record["eventName"] == "INSERT"
    assert record["dynamodb"]["NewImage"] == {"row_id": {"S": "r2"}, "n": {"N": "2"}}
    assert record["dynamodb"]["Keys"] == {"row_id": {"S": "r2"}}
    (envelope,) = records(event)
    assert envelope.data == {"row_id": "r2", "n": 2} and envelope.type == "aws.dynamodb.INSERT"
    monkeypatch.setenv("EVTC_EVENT", "Row")  # as the pulumi-aws target sets it on Lambda
    assert records(event)[0].type == "Row"
    assert rt.audit().counts == {"delivered": 1, "filtered": 1}
