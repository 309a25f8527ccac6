"""Keys that are not a field (`partition_key: "all"`, `partition_key: random`, the same for
`group_by`): parse → IR → the ordering analysis → the pulumi hops → the local shards and groups."""

from __future__ import annotations

from typing import Any

import pytest

from evtc.check.checker import check_compilation
from evtc.frontend import compile_text
from evtc.targets.local.runtime import Runtime
from evtc.targets.pulumi_aws.runtime.aws_runtime import LambdaBackend

TEXT = """topology metrics
event Reading { sensor: string value: number }
source sensors: app { emits: [Reading] }
stream readings { partition_key: KEY shards: 4 }
queue ledger { fifo: true group_by: GROUP max_receives: 3 dead_letter: ledger_dlq }
queue ledger_dlq { fifo: true retention: 14d }
queue failures { retention: 1d }
function store { handler: "h:store" ordered: true }
function book { handler: "h:book" ordered: true }
route sensors.Reading -> readings
route sensors.Reading -> ledger
route readings -> store { retries: 3 dead_letter: failures }
route ledger -> book
"""


def _text(key: str, group: str) -> str:
    return TEXT.replace("KEY", key).replace("GROUP", group)


def _codes(key: str, group: str) -> list[str]:
    found = check_compilation(compile_text(_text(key, group), "t.evt"))
    return sorted(d.code for d in found if not d.suppressed)


def test_keys_lower_to_a_field_a_constant_or_random() -> None:
    t = compile_text(_text('"all"', "random"), "t.evt").topology
    readings, ledger = t.component("readings"), t.component("ledger")
    assert (readings.partition_key, readings.key_constant, readings.key_random) == (None, "all", False)
    assert (ledger.group_by, ledger.key_constant, ledger.key_random) == (None, None, True)
    t = compile_text(_text("sensor", "sensor"), "t.evt").topology
    assert t.component("readings").partition_key == "sensor" and not t.component("readings").key_random


@pytest.mark.parametrize(
    ("key", "group", "codes"),
    [
        ("sensor", "sensor", []),
        ('"all"', '"all"', ["ORD006"]),  # total order, but three idle shards
        ("random", '"all"', ["ORD001"]),  # the stream loses order, the queue keeps it
        ('"all"', "random", ["ORD001", "ORD006"]),  # the queue loses it
        ("random", "random", ["ORD001", "ORD001"]),
        ("3", "sensor", ["REF004"]),
        ('""', "sensor", ["REF004"]),
    ],
)
def test_what_the_ordering_analysis_says(key: str, group: str, codes: list[str]) -> None:
    assert _codes(key, group) == codes


def test_the_random_finding_points_at_the_key_and_says_why() -> None:
    found = [d for d in check_compilation(compile_text(_text("random", "sensor"), "t.evt")) if d.code == "ORD001"]
    (finding,) = found
    assert "at random (`partition_key: random`)" in finding.message
    assert finding.span.line == 4 and "partition_key" in finding.hint


def test_one_shard_keeps_order_whatever_the_key() -> None:
    text = _text("random", "sensor").replace(" shards: 4", "")
    assert "ORD001" not in {d.code for d in check_compilation(compile_text(text, "t.evt"))}


def test_a_key_on_a_table_change_stream_has_no_effect() -> None:
    text = """topology t
event Added { sku: string }
source products: dynamodb { emits: [Added: "INSERT"] }
stream changes { partition_key: "all" }
queue failures { retention: 1d }
function index { handler: "h:index" }
route products -> changes
route changes -> index { retries: 3 dead_letter: failures }
"""
    (finding,) = [d for d in check_compilation(compile_text(text, "t.evt")) if d.code == "ORD006"]
    assert "change stream of table 'products'" in finding.message


# ---- the pulumi-aws Lambda backend -----------------------------------------------------------
class Client:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        return lambda **args: self.calls.append((name, args)) or {}


@pytest.mark.parametrize(
    ("hop", "expected"),
    [
        ({"kind": "stream", "arn": "s", "key": None, "constant": "all"}, ["all", "all"]),
        ({"kind": "queue", "url": "q", "fifo": True, "key": None, "constant": "all"}, ["all", "all"]),
        ({"kind": "stream", "arn": "s", "key": "sensor"}, ["a", "a"]),
    ],
)
def test_on_lambda_a_constant_key_is_put_as_is(hop: dict[str, Any], expected: list[str]) -> None:
    client = Client()
    backend = LambdaBackend("metrics", "f", {"Reading": [hop]}, client=lambda service: client)
    for _ in range(2):
        backend.emit("Reading", {"sensor": "a", "value": 1})
    field = "PartitionKey" if hop["kind"] == "stream" else "MessageGroupId"
    assert [args[field] for _, args in client.calls] == expected


def test_on_lambda_a_random_key_is_new_for_every_record() -> None:
    client = Client()
    hops = {"Reading": [{"kind": "queue", "url": "q", "fifo": True, "key": None, "random": True}]}
    backend = LambdaBackend("metrics", "f", hops, client=lambda service: client)
    ids = [backend.emit("Reading", {"sensor": "a", "value": 1}) for _ in range(3)]
    assert [args["MessageGroupId"] for _, args in client.calls] == ids


def test_the_pulumi_program_carries_the_keys(tmp_path: Any) -> None:
    pytest.importorskip("pulumi")
    from evtc.targets.pulumi_aws import target

    target.build(compile_text(_text('"all"', "random"), str(tmp_path / "t.evt")), tmp_path / "out")
    program = (tmp_path / "out" / "__main__.py").read_text()
    assert '"constant": "all"' in program and '"random": True' in program  # the sensors' publish hops


# ---- local ---------------------------------------------------------------------------------
def _run(key: str, group: str, count: int = 40) -> Runtime:
    handlers = {"store": lambda event, context: None, "book": lambda event, context: None}
    rt = Runtime(compile_text(_text(key, group), "t.evt"), handlers=handlers)
    for i in range(count):
        rt.emit("sensors", "Reading", {"sensor": "s1", "value": i})
    return rt


def test_locally_a_constant_key_fills_one_shard_and_random_spreads() -> None:
    constant, spread, field = _run('"all"', '"all"'), _run("random", "random"), _run("sensor", "sensor")
    assert sorted(len(s) for s in constant.stores["readings"].shards) == [0, 0, 0, 40]
    assert min(len(s) for s in spread.stores["readings"].shards) > 0
    assert sorted(len(s) for s in field.stores["readings"].shards) == [0, 0, 0, 40]  # one sensor: one shard


def test_locally_a_random_group_lets_messages_pass_each_other() -> None:
    seen: list[float] = []

    def book(event: Any, context: Any) -> None:
        from evtc.envelope import records

        seen.extend(e.data["value"] for e in records(event))

    for group, parallel in (("random", True), ('"all"', False)):
        seen.clear()
        handlers = {"store": lambda e, c: None, "book": book}
        rt = Runtime(compile_text(_text("sensor", group), "t.evt"), handlers=handlers, durations={"book": 1.0})
        for i in range(20):
            rt.emit("sensors", "Reading", {"sensor": "s1", "value": i})
        rt.run_until_idle()
        assert sorted(seen) == list(range(20)) and rt.audit().ok
        peak = rt.consumers["book"].peak
        assert (peak > 1) is parallel, (group, peak)


@pytest.mark.parametrize(
    ("key", "group", "limit"), [('"' + "k" * 257 + '"', "sensor", "256"), ("sensor", '"' + "g" * 129 + '"', "128")]
)
def test_a_constant_longer_than_aws_takes_is_an_error(key: str, group: str, limit: str) -> None:
    found = [d for d in check_compilation(compile_text(_text(key, group), "t.evt")) if d.code == "LIM001"]
    (finding,) = found
    assert f"1 to {limit} (characters of a" in finding.message
