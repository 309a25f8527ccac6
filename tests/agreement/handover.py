"""Two-stage failure agreement (issue 13, gap 6): a bus, a schedule or a topic hands an
event to a function's Invoke API, retrying by its own policy while that refuses, then
Lambda retries the failing handler by the function's asynchronous-invocation config.

For each stage the local runtime's attempts and the place the event ends are compared
with what the pulumi-aws plan configures: the EventBridge target's or the schedule's
`retry_policy` and `dead_letter_config`, the SNS subscription's `redrive_policy`, and the
function's `FunctionEventInvokeConfig`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from evtc import aws
from evtc.frontend import compile_text
from evtc.local import Chaos, Runtime
from evtc.targets.pulumi_aws.plan import Json, Ref, Resource, ordered
from evtc.targets.pulumi_aws.planner import plan

HEAD = """topology stages
event A { key: string }
source app: app { emits: [A] }
source clock: schedule { rate: 1h  emits: [A] }
queue failed { retention: 14d }
queue undelivered { retention: 14d }
function fn { handler: "h:fail" }
"""
LAMBDA_ASYNC_RETRIES = 2


@dataclass(frozen=True)
class Stages:
    handovers: int  # attempts to hand the event over (refused ones included)
    invocations: int  # handler runs
    ends: str | None  # the queue the event ends in, or None


@st.composite
def two_stage_hops(draw: st.DrawFn) -> tuple[str, str, bool]:
    """(kind, topology text, whether the function refuses deliveries) for one route into `fn`."""
    kind = draw(st.sampled_from(["bus", "schedule", "topic"]))
    settings = [draw(st.sampled_from(["", "retries: 0", "retries: 1"]))]
    settings.append(draw(st.sampled_from(["", "dead_letter: failed"])))
    if kind != "topic":
        settings.append(draw(st.sampled_from(["", "delivery_retries: 0", "delivery_retries: 3"])))
        settings.append(draw(st.sampled_from(["", "delivery_max_age: 2m"])))
    settings.append(draw(st.sampled_from(["", "delivery_dead_letter: undelivered"])))
    block = "  ".join(s for s in settings if s)
    lines = [HEAD]
    if kind == "schedule":
        lines.append(f"route clock -> fn {{ {block} }}")
    else:
        lines += [f"{kind} r {{}}", "route app -> r", f"route r -> fn {{ {block} }}"]
    return kind, "\n".join(lines) + "\n", draw(st.booleans())


class _Refusals(Chaos):
    """A delivery outage of `fn` far longer than any retry policy, counting the refusals."""

    def refuses(self, component: str, now: float) -> bool:
        refused = super().refuses(component, now)
        if refused:
            self.counted.append(now)  # type: ignore[attr-defined]
        return refused


def local_stages(text: str, kind: str, refused: bool) -> Stages:
    outage = (("fn", 0.0, 30 * aws.DAY),) if refused else ()
    chaos = _Refusals(delivery_outages=outage)
    object.__setattr__(chaos, "counted", [])
    runtime = Runtime(compile_text(text, "stages.evt"), {"fn": _fail}, chaos=chaos)
    runtime.emit("clock" if kind == "schedule" else "app", "A", {"key": "k"})
    runtime.run_until_idle()
    ends = next((q for q in ("failed", "undelivered") if runtime.dead_letters(q)), None)
    invocations = len(runtime.deliveries("fn"))
    return Stages(len(chaos.counted) + (1 if invocations else 0), invocations, ends)


def _fail(event: Any, context: Any) -> None:
    raise RuntimeError("always fails")


def planned_stages(text: str, kind: str, refused: bool) -> Stages:
    """What AWS does as the plan configures it: a refused hand-over is retried by the
    delivering service and dead-lettered by it; else the handler stage decides."""
    resources = {r.var: r for r in ordered(plan(compile_text(text, "stages.evt")).entries) if isinstance(r, Resource)}
    if refused:
        retries, dead_letter = _delivery(resources, kind)
        return Stages(retries + 1, 0, dead_letter)
    config = resources.get("function_fn_async")
    if config is None:
        return Stages(1, LAMBDA_ASYNC_RETRIES + 1, None)
    destination = (config.args.get("destination_config") or {}).get("on_failure", {}).get("destination")
    retries = config.args.get("maximum_retry_attempts", LAMBDA_ASYNC_RETRIES)
    return Stages(1, int(retries) + 1, _queue(destination))


def _delivery(resources: dict[str, Resource], kind: str) -> tuple[int, str | None]:
    if kind == "topic":
        subscription = resources["subscription_r_fn"].args
        redrive = subscription.get("redrive_policy")
        target = redrive.value["deadLetterTargetArn"] if isinstance(redrive, Json) else None
        return _sns_attempts() - 1, _queue(target)
    if kind == "bus":
        target = next(r for r in resources.values() if r.type == "cloudwatch.EventTarget").args
    else:
        target = next(r for r in resources.values() if r.type == "scheduler.Schedule").args["target"]
    policy = target.get("retry_policy") or {}
    retries = int(policy.get("maximum_retry_attempts", aws.default("eventbridge.retries")))
    age = policy.get("maximum_event_age_in_seconds", aws.default("eventbridge.max_age"))
    return _fitting(retries, age) - 1, _queue((target.get("dead_letter_config") or {}).get("arn"))


def _fitting(retries: int, age: float) -> int:
    """Attempts within both bounds of a retry policy, at the delivering service's spacing."""
    elapsed, attempts = 0.0, 1
    while attempts <= retries:
        elapsed += aws.delivery_delay("eventbridge", attempts - 1)
        if elapsed > age:
            break
        attempts += 1
    return attempts


def _sns_attempts() -> int:
    """SNS's attempts at a Lambda subscription within its 23 days."""
    elapsed, attempts = 0.0, 1
    while True:
        elapsed += aws.delivery_delay("sns", attempts - 1)
        if elapsed > aws.default("sns.managed_max_age"):
            return attempts
        attempts += 1


def _queue(value: Any) -> str | None:
    if isinstance(value, Ref) and value.var.startswith("queue_"):
        return value.var.removeprefix("queue_")
    return None
