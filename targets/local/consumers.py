"""Consumers: functions (handlers run in-process) and endpoints (email, https).

A function honours its reserved concurrency; each invocation runs the handler at once
(so its emits happen at the invocation's start) and settles after the function's virtual
duration, or fails at its timeout when that duration is longer. Async invocations (from a
topic, a bus or an emitter) are retried by Lambda as the delivery plan configures the
function (twice by default, 1 and 2 minutes apart: `evtc.aws`), and wait out throttling
and outages for up to the event's maximum age (6 hours by default).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from evtc import aws, ir
from evtc.emit import enter, leave
from evtc.envelope import Envelope
from evtc.plan.model import Retry
from evtc.targets.local.hops import delivery_retry
from evtc.targets.local.ledger import DELIVERED, Tracked
from evtc.targets.local.sensitive import Prune, pruned
from evtc.targets.local.writes import change_view

if TYPE_CHECKING:
    from evtc.targets.local.core import Core
ALL = frozenset({"*"})  # the whole batch failed
Result = frozenset[str] | None  # None: every record succeeded; else the failed identifiers
Done = Callable[[Result], None]
ASYNC_DELAYS = aws.LAMBDA_ASYNC_DELAYS
HTTPS_RETRY_DELAY = aws.default("sns.https_retry_delay")


class LambdaContext:
    """The parts of Lambda's context object handlers use (built lazily: most never look)."""

    __slots__ = ("_deadline", "_function", "_request")

    function_version = "$LATEST"

    def __init__(self, function: FunctionSim, request: int) -> None:
        self._function, self._request = function, request
        self._deadline = function.core.clock.now + function.ir.timeout

    @property
    def function_name(self) -> str:
        return self._function.name

    @property
    def aws_request_id(self) -> str:
        return f"{self._request:08x}-0000-4000-8000-{self._function.name[:6].encode().hex():0<12}"

    @property
    def memory_limit_in_mb(self) -> int:
        return self._function.ir.memory

    @property
    def invoked_function_arn(self) -> str:
        return self._function.arn

    def get_remaining_time_in_millis(self) -> int:
        return int((self._deadline - self._function.core.clock.now) * 1000)


class FunctionSim:
    kind = "function"

    def __init__(self, core: Core, component: ir.Function, handler: Callable[..., Any], duration: float) -> None:
        self.core, self.ir, self.name, self.handler = core, component, component.name, handler
        self.arn = f"arn:aws:lambda:us-east-1:000000000000:function:{component.name}"
        self.limit = component.concurrency or int(aws.default("lambda.account_concurrency"))
        self.duration = duration
        self.inflight = 0
        self.peak = 0
        self.invocations = 0
        self.waiters: list[Callable[[], None]] = []
        self.delivered: list[Envelope] = []
        # async invocations: [envelope, route, attempt, first, shape, Lambda's retries of the route]
        self.pending: deque[list[Any]] = deque()
        self.pumping = False
        self.strip: dict[str, Prune] = {}

    # ---- emit backend: `evtc.emit` inside this function's handler lands here -----------------
    def emit(self, event_type: str, data: Any, *, time: float | str | None = None) -> str:
        return self.core.emit_from(self.name, event_type, data, time)

    # ---- write backend: `evtc.write` inside this function's handler lands here ---------------
    def put_item(self, table: str, item: Any) -> str:
        return self.core.tables.put_item(self.ir, table, item)  # type: ignore[attr-defined]

    def update_item(self, table: str, key: Any, values: Any) -> str:
        return self.core.tables.update_item(self.ir, table, key, values)  # type: ignore[attr-defined]

    def delete_item(self, table: str, key: Any) -> bool:
        return self.core.tables.delete_item(self.ir, table, key)  # type: ignore[attr-defined]

    def put_object(self, bucket: str, key: str, body: bytes | str) -> None:
        self.core.tables.put_object(self.ir, bucket, key, body)  # type: ignore[attr-defined]

    def available(self) -> bool:
        return self.inflight < self.limit and not self.core.down(self.name)

    def wait(self, wake: Callable[[], None]) -> None:
        """Call `wake` once when a slot frees or an outage ends."""
        if self.core.down(self.name):
            self.core.clock.at(self.core.back_up(self.name), lambda _: wake())
        elif wake not in self.waiters:
            self.waiters.append(wake)

    def invoke(self, event: Any, done: Done) -> None:
        self.inflight += 1
        self.invocations += 1
        self.peak = max(self.peak, self.inflight)
        result = self._call(event)
        if self.duration <= 0.0:
            self._settle((result, done))
        else:
            failed = self.duration > self.ir.timeout
            when = self.core.clock.now + (self.ir.timeout if failed else self.duration)
            self.core.clock.at(when, self._settle, (ALL if failed else result, done))

    def _call(self, event: Any) -> Result:
        token = enter(self)
        try:
            returned = self.handler(event, LambdaContext(self, self.invocations))
        except Exception as error:  # noqa: BLE001 - a handler error is an AWS outcome, not ours to raise
            self.core.errors.append((self.core.clock.now, self.name, f"{type(error).__name__}: {error}"))
            return ALL
        finally:
            leave(token)
        if self.core.chaos.crash_rate and self.core.crash():
            return ALL
        return None if returned is None else _partial(returned)

    def _settle(self, pair: tuple[Result, Done]) -> None:
        self.inflight -= 1
        result, done = pair
        done(result)
        if self.waiters:
            waiters, self.waiters = self.waiters, []
            for wake in waiters:
                wake()

    # ---- async invocation ---------------------------------------------------------------------
    def invoke_async(self, envelope: Tracked, route: ir.Route, shape: Callable[[Envelope], Any], retry: Retry) -> None:
        """Invoke asynchronously; Lambda retries a failure as `retry` (the delivery plan's) says."""
        envelope.live += 1
        self.pending.append([envelope, route, 0, self.core.clock.now, shape, retry])
        self._soon()

    def _soon(self) -> None:
        """Pump on the next turn of the clock, never inside the caller (an emitting handler)."""
        if not self.pumping:
            self.pumping = True
            self.core.clock.at(self.core.clock.now, self.pump)

    def pump(self, _: object = None) -> None:
        self.pumping = False
        while self.pending and self.available():
            item = self.pending.popleft()
            envelope, route = item[0], item[1]
            if self.core.clock.now - item[3] > item[5].max_age:
                where = f"function '{self.name}': event older than its maximum age"
                self.core.exhaust(envelope, route, where, item[5].dead_letter)
                continue
            view = self.view(envelope)
            self.delivered.append(view)
            self.invoke(item[4](view), partial(self._async_done, item))
        if self.pending:
            self.wait(self.pump)

    def _async_done(self, item: list[Any], result: Result) -> None:
        envelope, route, attempt, retry = item[0], item[1], item[2], item[5]
        if result is None:
            envelope.live -= 1
            envelope.fate |= DELIVERED
            return
        if attempt + 1 >= retry.attempts:
            self.core.exhaust(envelope, route, f"function '{self.name}' failed {attempt + 1} times", retry.dead_letter)
            return
        item[2] = attempt + 1
        delay = ASYNC_DELAYS[min(attempt, len(ASYNC_DELAYS) - 1)]
        self.core.clock.at(self.core.clock.now + delay, self._retry, item)

    def _retry(self, item: list[Any]) -> None:
        self.pending.append(item)
        self._soon()

    def view(self, envelope: Envelope) -> Envelope:
        return visible(envelope, self.strip)


def visible(envelope: Envelope, strip: dict[str, Prune]) -> Envelope:
    """The envelope a consumer may see: @sensitive fields removed, at any depth, unless it is cleared."""
    plan = strip.get(envelope.type)
    if not plan or not isinstance(envelope.data, dict):
        return envelope
    return change_view(envelope, pruned(envelope.data, plan), lambda old: pruned(old, plan))


def _partial(returned: Any) -> Result:
    """Lambda's partial batch response; an unusable one fails the whole batch, as on AWS."""
    if not isinstance(returned, dict) or "batchItemFailures" not in returned:
        return None
    failures = returned["batchItemFailures"]
    if not isinstance(failures, list):
        return ALL
    ids = [f.get("itemIdentifier") if isinstance(f, dict) else None for f in failures]
    named = [i for i in ids if isinstance(i, str) and i]
    if len(named) < len(ids):
        return ALL
    return frozenset(named) if named else None


class EndpointSim:
    """An e-mail address or https URL, delivered to by SNS, which retries while it is down.

    E-mail follows SNS's fixed policy for SMTP (`evtc.aws`: 50 attempts over more
    than 6 hours); https the default HTTP/S policy (3 retries, 20 s apart) or the route's
    `retries`. The same facts give `evtc explain` its numbers.
    """

    kind = "endpoint"

    def __init__(self, core: Core, component: ir.Endpoint) -> None:
        self.core, self.ir, self.name = core, component, component.name
        self.delivered: list[Envelope] = []
        self.strip: dict[str, Prune] = {}
        self.email = component.kind == "email"

    def _delays(self, route: ir.Route) -> tuple[float, ...]:
        if self.email:
            return aws.SNS_EMAIL_DELAYS
        retries = delivery_retry(self.core.compilation.graph, route).attempts - 1
        return (HTTPS_RETRY_DELAY,) * int(retries)

    def deliver(self, envelope: Tracked, route: ir.Route, attempt: int = 0) -> None:
        if attempt == 0:
            envelope.live += 1
        if not self.core.down(self.name):
            self.delivered.append(visible(envelope, self.strip))
            envelope.live -= 1
            envelope.fate |= DELIVERED
            return
        delays = self._delays(route)
        if attempt >= len(delays):
            self.core.exhaust(envelope, route, f"endpoint '{self.name}' unreachable after {attempt + 1} attempts")
            return
        later = self.core.clock.now + delays[attempt]
        self.core.clock.at(later, lambda _: self.deliver(envelope, route, attempt + 1))
