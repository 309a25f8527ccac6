"""The ports of writes that close the loop: examples/order_saga.evt and user_avatars.evt,
run locally with their own handlers and sample events, and their role policies."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evtc.frontend import compile_file
from evtc.local import Runtime

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def handlers() -> Iterator[dict[str, Any]]:
    sys.path.insert(0, str(EXAMPLES))
    try:
        modules = {name: importlib.import_module(f"handlers.{name}") for name in ("saga", "avatars")}
        for module in modules.values():
            module.reset()
        yield modules
    finally:
        sys.path.remove(str(EXAMPLES))


def _samples(name: str) -> list[dict[str, Any]]:
    lines = (EXAMPLES / "samples" / f"{name}.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_the_saga_confirms_what_is_in_stock_and_compensates_the_rest(handlers: dict[str, Any]) -> None:
    rt = Runtime.from_file(EXAMPLES / "order_saga.evt", seed=3)
    for record in _samples("order_saga"):
        rt.emit(record["source"], record["type"], record["data"])
    rt.run_until_idle()
    orders = rt.tables.items["orders"]
    assert {key: item["status"] for key, item in orders.items()} == {
        "o-1": "confirmed",
        "o-2": "cancelled",
        "o-3": "confirmed",
    }
    assert handlers["saga"].POINTS == {"ada": 330}  # bob's order was cancelled: no points
    assert handlers["saga"].STOCK == {"lamp": 8, "desk": 9}
    kinds = [(e.source.rsplit("/", 1)[-1], e.type) for e in rt.ledger.emitted if "storefront" not in e.source]
    assert kinds.count(("orders", "OrderCreated")) == 3 and kinds.count(("orders", "OrderStatusChanged")) == 3
    assert rt.audit().ok and not rt.errors


def test_the_saga_survives_crashes_and_duplicates(handlers: dict[str, Any]) -> None:
    from evtc.local import Chaos

    rt = Runtime.from_file(EXAMPLES / "order_saga.evt", seed=11, chaos=Chaos(crash_rate=0.2, duplicates=0.2))
    for record in _samples("order_saga"):
        rt.emit(record["source"], record["type"], record["data"])
    rt.run_until_idle()
    statuses = {key: item["status"] for key, item in rt.tables.items["orders"].items()}
    assert set(statuses) == {"o-1", "o-2", "o-3"} and "pending" not in statuses.values()
    assert rt.audit().ok, rt.audit().lost


def test_the_avatar_loop_runs_once_round_and_stops(handlers: dict[str, Any]) -> None:
    rt = Runtime.from_file(EXAMPLES / "user_avatars.evt")
    for record in _samples("user_avatars"):
        rt.emit(record["source"], record["type"], record["data"])
    rt.run_until_idle()
    assert len(rt.deliveries("thumbnails")) == 1  # the thumbnail write came back, and was filtered
    assert handlers["avatars"].DIRECTORY["david"]["thumbnailUrl"].endswith("david_thumb.png")
    assert "ana" not in handlers["avatars"].DIRECTORY  # a .gif avatar does not pass the pipe
    assert rt.audit().ok


def test_without_its_filter_the_avatar_loop_is_found() -> None:
    from evtc.check.checker import check_compilation
    from evtc.frontend import compile_text

    text = (EXAMPLES / "user_avatars.evt").read_text().replace("thumbnails when not exists thumbnailUrl", "thumbnails")
    text = text.replace('when avatarUrl endswith ".png" ', "")
    (loop,) = [d for d in check_compilation(compile_text(text, "u.evt")) if d.code == "DLV006"]
    assert "users --> user_stream --> user_bus --> thumbnails --writes--> users" in loop.message


def test_each_saga_service_may_write_only_its_own_table(tmp_path: Path) -> None:
    pytest.importorskip("pulumi")
    from evtc.targets.pulumi_aws import target
    from tests.pulumi_aws.conftest import run_program

    target.build(compile_file(EXAMPLES / "order_saga.evt"), tmp_path / "out")
    resources = run_program(tmp_path / "out", "order_saga")
    tables = {r.name: r.arn for r in resources if r.type == "aws:dynamodb/table:Table"}
    written: dict[str, set[str]] = {}
    for policy in (r for r in resources if r.type == "aws:iam/rolePolicy:RolePolicy"):
        for statement in json.loads(policy.inputs["policy"])["Statement"]:
            if any(a in ("dynamodb:PutItem", "dynamodb:DeleteItem") for a in statement["Action"]):
                assert "dynamodb:DeleteItem" not in statement["Action"]  # no service deletes
                written.setdefault(policy.name.split("-")[0], set()).update(statement["Resource"])
    assert written == {
        "create_order": {tables["orders"]},
        "reserve_stock": {tables["reservations"]},
        "settle_order": {tables["orders"]},
    }
