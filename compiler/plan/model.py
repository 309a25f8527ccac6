"""What the delivery plan says of each route and of each AWS resource routes share.

All durations are seconds and may be `inf`; attempts count the first try.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

from evtc import ir
from evtc.diagnostics import Diagnostic
from evtc.graph import EventRef
from evtc.plan.accountmodel import AccountPlan, Crossing
from evtc.plan.wire import WireName
from evtc.util.record import record


@record
class Retry:
    """Who retries one kind of failure on a hop, how often and for how long, and where the
    event goes when that runs out (None: nowhere)."""

    by: str  # the AWS service doing the retrying: sns | eventbridge | scheduler | lambda | sqs | esm | pipes | caller
    attempts: float
    max_age: float
    dead_letter: str | None = None


@record(slots=False)
class RoutePlan:
    """How AWS carries one route: the mechanism, the filter it deploys, who retries what.

    `ends` are the hop kinds of the two components (`emitter`, `schedule`, `s3`,
    `dynamodb`, `queue`, `stream`, `table_stream`, `topic`, `bus`, `function`,
    `endpoint`). `selects` is true when the deployed filter must pick the route's event
    type out of others reaching the same resource. `filter` is this route's own artefact
    in `dialect` (event-type selection and `when`); None when it lets everything through
    or cannot be compiled (`problem` then says why). `delivery` covers failures to hand
    the event over; `handler` failures of the consumer's code (None for stores and routers).
    """

    route: ir.Route
    ends: tuple[str, str]
    carrier: str
    dialect: str
    resource: str
    ordinal: int
    events: tuple[str, ...]
    selects: bool
    filter: dict[str, Any] | None
    delivery: Retry
    handler: Retry | None
    problem: Diagnostic | None = field(default=None, compare=False)
    crossing: Crossing | None = None  # the hop's ends live in different accounts or regions
    wire: str = "envelope"  # what the hop hands over: evtc's envelope, or the payload alone (evtc.plan.wire)
    names: tuple[WireName, ...] = ()  # on EventBridge: the `source` and `detail-type` of the events it carries

    @property
    def id(self) -> str:
        return self.route.id

    @property
    def scope(self) -> str:
        """The SNS FilterPolicyScope its filter is written for (`MessageBody` elsewhere)."""
        from evtc.filters.dialects import scope_of

        return scope_of(self.dialect)


@record(slots=False)
class Shared:
    """One AWS resource and the routes it carries: AWS keeps one SNS subscription per topic
    and endpoint, one event source mapping per store and function, and one asynchronous
    invocation configuration per function. `artefact` is the merged filter it deploys
    (None: every event)."""

    key: str
    carrier: str
    routes: tuple[str, ...]
    artefact: dict[str, Any] | None


@record(slots=False)
class DeliveryPlan:
    """Every route's carriage, the shared resources, and what cannot be deployed."""

    routes: dict[str, RoutePlan]
    shared: dict[str, Shared]
    problems: tuple[Diagnostic, ...]
    accounts: AccountPlan | None = None  # where components live, and the cross-account statements
    names: dict[EventRef, WireName] = field(default_factory=dict)  # (emitter, event) -> its EventBridge name

    def name_of(self, emitter: str, event: str) -> WireName | None:
        """The `source` and `detail-type` `emitter` puts `event` on a bus with."""
        return self.names.get((emitter, event))

    def of(self, route: ir.Route) -> RoutePlan | None:
        return self.routes.get(route.id)

    def resource_of(self, route: ir.Route) -> Shared | None:
        found = self.routes.get(route.id)
        return self.shared.get(found.resource) if found else None
