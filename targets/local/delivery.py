"""The delivering service's stage of an asynchronous invocation, before Lambda's.

A bus, a topic or a schedule hands each event to the function's Invoke API; while that
refuses (a `Chaos.delivery_outages` window) the service retries by its own policy, as
the delivery plan's `delivery` retry says (EventBridge and Scheduler: the route's
`delivery_retries` and `delivery_max_age`, else 185 retries over 24 hours; SNS: its fixed
policy for Lambda), then sends the event to the plan's delivery dead letter. Once handed
over, Lambda's own retries of a failing handler take it (`FunctionSim.invoke_async`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from evtc import aws, ir
from evtc.plan import Retry
from evtc.targets.local.ledger import Tracked

if TYPE_CHECKING:
    from evtc.targets.local.core import Core

Send = Callable[[Tracked], None]


class Handover:
    """`send` wrapped in the delivering service's retries of one route."""

    __slots__ = ("core", "retry", "route", "send")

    def __init__(self, core: Core, route: ir.Route, retry: Retry, send: Send) -> None:
        self.core, self.route, self.retry, self.send = core, route, retry, send

    def __call__(self, envelope: Tracked) -> None:
        if not self._refused():
            self.send(envelope)
            return
        envelope.live += 1  # NOTE: held by the delivering service while it retries
        self._later(envelope, 0, self.core.clock.now)

    def _refused(self) -> bool:
        chaos = self.core.chaos
        return bool(chaos.delivery_outages) and chaos.refuses(self.route.target, self.core.clock.now)

    def _later(self, envelope: Tracked, retry: int, first: float) -> None:
        now = self.core.clock.now
        at = now + aws.delivery_delay(self.retry.by, retry)
        if retry + 1 >= self.retry.attempts or at - first > self.retry.max_age:
            where = f"{self.retry.by} could not hand it to '{self.route.target}' in {retry + 1} attempt(s)"
            self.core.exhaust(envelope, self.route, where, self.retry.dead_letter)
            return
        self.core.clock.at(at, lambda _: self._again(envelope, retry + 1, first))

    def _again(self, envelope: Tracked, retry: int, first: float) -> None:
        if self._refused():
            self._later(envelope, retry, first)
            return
        envelope.live -= 1
        self.send(envelope)
