"""Failure agreement: for one hop into a function whose handler always fails, how many
attempts the local runtime makes and where the event ends, against what the pulumi-aws
plan configures for that hop (the queue's redrive policy, the mapping's retries and
on-failure destination, the function's asynchronous invocation config).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from evtc.frontend import compile_text
from evtc.local import Runtime
from evtc.targets.pulumi_aws.plan import Json, Ref, Resource, ordered
from evtc.targets.pulumi_aws.planner import plan

LAMBDA_ASYNC_RETRIES = 2  # Lambda's default for an asynchronous invocation without a config
HEAD = """topology fail
event A { key: string }
source app: app { emits: [A] }
queue dlq { retention: 14d }
function fn { handler: "h:fail" }
"""


@dataclass(frozen=True)
class Outcome:
    attempts: int
    dead_letter: str | None  # where the event ends: a queue's name, or None (dropped or lost)


@st.composite
def failing_hops(draw: st.DrawFn) -> tuple[str, str]:
    """(kind of the hop's source, topology text) for one hop into the failing function."""
    kinds = ["app", "topic", "bus", "queue", "stream"]
    kind = draw(st.sampled_from(kinds))
    dead_letter = draw(st.booleans())
    lines = [HEAD]
    if kind == "queue":
        receives = draw(st.integers(1, 4))
        settings = f"max_receives: {receives}  dead_letter: dlq" if dead_letter else f"max_receives: {receives}"
        lines += [
            f"queue q {{ visibility_timeout: 30s  retention: 1h  {settings} }}",
            "route app -> q",
            "route q -> fn",
        ]
        return kind, "\n".join(lines) + "\n"
    retries = draw(st.integers(0, 3))
    settings = f"retries: {retries}" + ("  dead_letter: dlq" if dead_letter else "  on_exhausted: drop")
    if kind == "stream":
        lines += ["stream s { partition_key: key }", "route app -> s", f"route s -> fn {{ {settings} }}"]
    elif kind in ("topic", "bus"):
        lines += [f"{kind} r {{}}", "route app -> r", f"route r -> fn {{ {settings} }}"]
    else:
        lines += [f"route app -> fn {{ {settings} }}"]
    return kind, "\n".join(lines) + "\n"


def local_outcome(text: str) -> Outcome:
    runtime = Runtime(compile_text(text, "fail.evt"), {"fn": _fail})
    runtime.emit("app", "A", {"key": "k"})
    runtime.run_until_idle()
    held = runtime.dead_letters("dlq")
    return Outcome(len(runtime.deliveries("fn")), "dlq" if held else None)


def _fail(event: Any, context: Any) -> None:
    raise RuntimeError("always fails")


def planned_outcome(text: str, kind: str) -> Outcome:
    """What AWS does with the hop as the plan configures it."""
    compilation = compile_text(text, "fail.evt")
    resources = {r.var: r for r in ordered(plan(compilation).entries) if isinstance(r, Resource)}
    if kind == "queue":
        queue = resources["queue_q"].args
        redrive = queue.get("redrive_policy")
        if not isinstance(redrive, Json):  # SQS redelivers after each visibility timeout until retention ends
            return Outcome(-(-queue["message_retention_seconds"] // queue["visibility_timeout_seconds"]), None)
        return Outcome(int(redrive.value["maxReceiveCount"]), _queue(redrive.value["deadLetterTargetArn"]))
    if kind == "stream":
        mapping = next(r for r in resources.values() if r.type == "lambda_.EventSourceMapping")
        destination = (mapping.args.get("destination_config") or {}).get("on_failure", {}).get("destination_arn")
        return Outcome(int(mapping.args["maximum_retry_attempts"]) + 1, _queue(destination))
    config = resources.get("function_fn_async")  # app, topic and bus invoke the function asynchronously
    if config is None:
        return Outcome(LAMBDA_ASYNC_RETRIES + 1, None)
    destination = (config.args.get("destination_config") or {}).get("on_failure", {}).get("destination")
    retries = config.args.get("maximum_retry_attempts", LAMBDA_ASYNC_RETRIES)
    return Outcome(int(retries) + 1, _queue(destination))


def _queue(value: Any) -> str | None:
    if isinstance(value, Ref) and value.var.startswith("queue_"):
        return value.var.removeprefix("queue_")
    return None
