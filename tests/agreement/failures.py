"""Failure agreement: for one hop into a function whose handler always fails, how many
attempts the local runtime makes and where the event ends, against what the pulumi-aws
plan configures for that hop (the queue's redrive policy, the mapping's retries and
on-failure destination, the function's asynchronous invocation config).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from evtc import aws
from evtc.frontend import compile_text
from evtc.local import Runtime
from evtc.targets.pulumi_aws.plan import Json, Ref, Resource, ordered
from evtc.targets.pulumi_aws.planner import plan

LAMBDA_ASYNC_RETRIES = 2  # Lambda's default for an asynchronous invocation without a config
HEAD = """topology fail
event A { key: string }
source app: app { emits: [A] }
source table: dynamodb { emits: [A: "INSERT"] }
queue dlq { retention: 14d }
function fn { handler: "h:fail" }
"""


# NOTE: what the pulumi-aws target is known to deploy wrongly here (issue 10)
KNOWN_FAILURES: dict[str, str] = {}  # failure shapes the product still gets wrong (none left)


@dataclass(frozen=True)
class Outcome:
    attempts: int
    dead_letter: str | None  # where the event ends: a queue's name, or None (dropped or lost)


@st.composite
def failing_hops(draw: st.DrawFn, known: bool = False) -> tuple[str, str]:
    """(kind of the hop's source, topology text) for one hop into the failing function or
    the endpoint that is down; `known` lets in what `KNOWN_FAILURES` describes."""
    kinds = ["app", "table", "topic", "bus", "queue", "stream", "email", "https"]
    kind = draw(st.sampled_from(kinds))
    dead_letter = draw(st.booleans())
    lines = [HEAD]
    if kind in ("email", "https"):  # an endpoint that stays down longer than any retry policy
        address = 'address: "ops@example.com"' if kind == "email" else 'url: "https://example.com/in"'
        retries = draw(st.sampled_from(["", "retries: 1", "retries: 5"])) if kind == "https" else ""
        settings = "  ".join(filter(None, [retries, "dead_letter: dlq" if dead_letter else ""]))
        lines += [
            f"endpoint ep: {kind} {{ {address} }}",
            "topic r {}",
            "route app -> r",
            f"route r -> ep {{ {settings} }}",
        ]
        return kind, "\n".join(lines) + "\n"
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
    elif kind == "table":  # the table's own change stream, read by an event source mapping
        lines += [f"route table -> fn {{ {settings} }}"]
    else:
        lines += [f"route app -> fn {{ {settings} }}"]
    return kind, "\n".join(lines) + "\n"


class _Counting(Runtime):
    """Counts the delivery attempts to the endpoint `ep`, which is down for a day and a half."""

    attempts = 0

    def down(self, component: str) -> bool:
        if component == "ep":
            self.attempts += 1
            return self.clock.now < OUTAGE
        return super().down(component)

    def back_up(self, component: str) -> float:
        return OUTAGE if component == "ep" else super().back_up(component)


OUTAGE = 36 * 3600.0


def local_outcome(text: str) -> Outcome:
    runtime = _Counting(compile_text(text, "fail.evt"), {"fn": _fail})
    routes = runtime.topology.routes
    runtime.emit("table" if any(r.source == "table" for r in routes) else "app", "A", {"key": "k"})
    runtime.run_until_idle()
    held = runtime.dead_letters("dlq")
    attempts = runtime.attempts if runtime.topology.component("ep") is not None else len(runtime.deliveries("fn"))
    return Outcome(attempts, "dlq" if held else None)


def _fail(event: Any, context: Any) -> None:
    raise RuntimeError("always fails")


def planned_outcome(text: str, kind: str) -> Outcome:
    """What AWS does with the hop as the plan configures it."""
    compilation = compile_text(text, "fail.evt")
    resources = {r.var: r for r in ordered(plan(compilation).entries) if isinstance(r, Resource)}
    if kind in ("email", "https"):
        subscription = resources["subscription_r_ep"].args
        redrive = subscription.get("redrive_policy")
        policy = subscription.get("delivery_policy")
        retries = aws.default("sns.email_retries") if kind == "email" else aws.default("sns.https_retries")
        if isinstance(policy, Json):  # NOTE: only HTTP/S takes a delivery policy
            retries = policy.value["healthyRetryPolicy"]["numRetries"]
        return Outcome(int(retries) + 1, _queue(redrive.value["deadLetterTargetArn"]) if redrive else None)
    if kind == "queue":
        queue = resources["queue_q"].args
        redrive = queue.get("redrive_policy")
        if not isinstance(redrive, Json):  # SQS redelivers after each visibility timeout until retention ends
            return Outcome(-(-queue["message_retention_seconds"] // queue["visibility_timeout_seconds"]), None)
        return Outcome(int(redrive.value["maxReceiveCount"]), _queue(redrive.value["deadLetterTargetArn"]))
    if kind in ("stream", "table"):
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
