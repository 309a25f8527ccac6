"""A dynamodb source routed straight to a function is an event source mapping on the table's
own change stream (as deployed), not an asynchronous invoke: a failing batch is retried as
a stream's until `retries` run out, and the handler receives a DynamoDB stream batch."""

from __future__ import annotations

from typing import Any

from evtc.frontend import compile_text
from evtc.local import Runtime

TEXT = """topology t
event Added {{ id: string }}
source orders: dynamodb {{ emits: [Added: "INSERT"] }}
queue failures {{ retention: 1d }}
function f {{ handler: "h:f" }}
route orders -> f {{ {settings} }}
"""


def _run(settings: str, handler: Any) -> Runtime:
    runtime = Runtime(compile_text(TEXT.format(settings=settings), "t.evt"), {"f": handler})
    runtime.emit("orders", "Added", {"id": "1"})
    runtime.run_until_idle()
    return runtime


def _fail(event: Any, context: Any) -> None:
    raise RuntimeError("always fails")


def test_a_failing_batch_is_retried_as_the_mapping_says_not_twice_as_lambda_async() -> None:
    runtime = _run("retries: 3  dead_letter: failures", _fail)
    assert len(runtime.deliveries("f")) == 4  # async invokes would stop after 3 (two retries)
    assert len(runtime.dead_letters("failures")) == 1


def test_the_handler_receives_a_dynamodb_stream_batch() -> None:
    seen: list[Any] = []
    _run("retries: 0", lambda event, context: seen.append(event))
    (record,) = seen[0]["Records"]
    assert record["eventName"] == "INSERT"
    assert record["dynamodb"]["NewImage"] == {"id": {"S": "1"}}
