"""Accounts and regions: which hops cross an account boundary and the resource-policy
statements each needs, derived from the declared associations and never wider.

Where each component lives is `evtc.plan.places`'s answer. A hop whose two ends live in
different accounts needs the receiving resource to admit the sender: this module says
which statement, on which resource, for which principal and under which conditions; the
pulumi-aws target writes them (or outputs them as owed by the resource's owner) and
`evtc explain` shows them.
"""

from __future__ import annotations

from evtc import ir
from evtc.diagnostics import Diagnostic
from evtc.plan.accountmodel import (
    CREATE_RULES,
    PROTOCOL,
    PUBLISH,
    READ,
    AccountPlan,
    ArnOf,
    Condition,
    Crossing,
    Place,
    Principal,
    Statement,
)
from evtc.plan.foreign import DEFAULT_BUS, bus_of
from evtc.plan.model import RoutePlan
from evtc.plan.places import created, home_of, place_of, unreachable
from evtc.plan.problems import CROSS_ACCOUNT_HOP
from evtc.plan.wire import static_types

_RULES = ("eventbridge-rule", "foreign-rule", "s3-rule")


def plan_accounts(topology: ir.Topology, routes: dict[str, RoutePlan]) -> AccountPlan:
    home, problems = home_of(topology)
    producers = tuple(_producers(topology, home))
    crossings: dict[str, Crossing] = {}
    for plan in routes.values():
        if plan.carrier == "none":
            continue
        crossing, problem = _crossing(topology, home, plan, producers)
        if crossing is not None:
            crossings[plan.id] = crossing
        if problem is not None:
            problems.append(problem)
    problems.extend(unreachable(topology, home))
    return AccountPlan(home, crossings, producers, tuple(problems))


def _producers(topology: ir.Topology, home: Place) -> list[Statement]:
    """An external producer in another account puts its events onto its bus: the bus admits
    that account for exactly its `source` and bound `detail-type`s."""
    found = []
    for source in topology.components:
        if not (isinstance(source, ir.Source) and source.external and source.event_source and source.detail_types):
            continue
        bus = bus_of(source)
        at = place_of(topology, home, bus) if topology.component(bus) else home
        if source.account is None or source.account == at.account:
            continue
        conditions = (
            Condition("StringEquals", "events:detail-type", tuple(sorted({t for _, t in source.detail_types}))),
            Condition("StringEquals", "events:source", (source.event_source,)),
        )
        owned = topology.component(bus)
        owed = owned is None or owned.external or bus == DEFAULT_BUS
        found.append(
            Statement(
                bus, PUBLISH["bus"], Principal("account", source.account), conditions, owed, f"{source.name}Publishes"
            )
        )
    return found


def _crossing(
    topology: ir.Topology, home: Place, plan: RoutePlan, producers: tuple[Statement, ...]
) -> tuple[Crossing | None, Diagnostic | None]:
    """`origin` is where the event comes from, `at` where the resource carrying it lives
    (a rule's bus), `end` where it goes."""
    route = plan.route
    origin, end = place_of(topology, home, route.source), place_of(topology, home, route.target)
    at = place_of(topology, home, _rule_bus(topology, plan)) if plan.carrier in _RULES else origin
    upstream = (
        tuple(s for s in producers if s.sid == f"{route.source}Publishes") if plan.carrier == "foreign-rule" else ()
    )
    reaches = plan.carrier in _RULES and at.account != home.account  # a rule on another account's bus
    if origin == at == end and not reaches:
        return None, None
    statements, owed, problem = _statements(topology, home, plan, at, end) if at != end or reaches else ([], [], None)
    accounts = len({origin.account, at.account, end.account}) > 1
    regions = len({origin.region, at.region, end.region} - {None}) > 1
    return Crossing(route.id, origin, end, accounts, regions, (*upstream, *statements), tuple(owed)), problem


def _rule_bus(topology: ir.Topology, plan: RoutePlan) -> str:
    """The bus an EventBridge rule carrying `plan` lives on."""
    source = topology.component(plan.route.source)
    if plan.carrier == "foreign-rule" and isinstance(source, ir.Source):
        return bus_of(source)
    return DEFAULT_BUS if plan.carrier == "s3-rule" else plan.route.source


def _statements(
    topology: ir.Topology, home: Place, plan: RoutePlan, start: Place, end: Place
) -> tuple[list[Statement], list[str], Diagnostic | None]:
    route, carrier = plan.route, plan.carrier
    target = topology.component(route.target)
    assert target is not None
    kind = "queue" if isinstance(target, ir.Queue) else target.keyword
    owed_target = not created(target)
    if carrier in _RULES:
        return _rule_statements(topology, home, plan, start, end, kind, owed_target)
    if carrier == "sns-subscription" and kind in PROTOCOL:
        return _subscription(topology, home, plan, start, end, kind)
    if carrier == "esm" and kind == "function" and start.account != end.account:
        store = topology.component(route.source)
        assert store is not None
        reader = (
            Principal("role", ArnOf(route.target, part="role"))
            if created(target)
            else Principal("account", end.account or "")
        )
        actions = READ.get(store.keyword, ())
        statement = Statement(route.source, actions, reader, (), not created(store), f"{route.target}Reads")
        owed = [] if created(target) else ["event source mapping"]
        return ([statement] if actions else []), owed, _region_problem(plan, start, end, "an event source mapping")
    if carrier in ("publish", "invoke") and start.account != end.account and kind in PUBLISH:
        return [_publisher(topology, plan, kind, owed_target)], [], None
    if carrier in ("pipe", "scheduler") and start.account != end.account and kind in PUBLISH:
        principal = Principal("role", ArnOf(route=route.id, part="role"))
        return [Statement(route.target, PUBLISH[kind], principal, (), owed_target, f"{_sid(route)}Delivers")], [], None
    return [], [], None


def _publisher(topology: ir.Topology, plan: RoutePlan, kind: str, owed: bool) -> Statement:
    """An emitter in another account puts its events into the first hop."""
    route = plan.route
    source = topology.component(route.source)
    assert source is not None
    if isinstance(source, ir.Function):
        principal = Principal("role", ArnOf(route.source, part="role"))
    else:
        principal = Principal("account", source.account or "")
    conditions: tuple[Condition, ...] = ()
    if kind == "bus":
        # NOTE: the names its events carry on the bus (evtc.plan.wire), exactly those
        types = static_types(plan.names)  # NOTE: None: taken from the payload, no one value to admit
        conditions = (
            *((Condition("StringEquals", "events:detail-type", tuple(types)),) if types is not None else ()),
            Condition("StringEquals", "events:source", tuple(sorted({n.source for n in plan.names}))),
        )
    return Statement(route.target, PUBLISH[kind], principal, conditions, owed, f"{route.source}Publishes")


def _rule_statements(
    topology: ir.Topology, home: Place, plan: RoutePlan, start: Place, end: Place, kind: str, owed_target: bool
) -> tuple[list[Statement], list[str], Diagnostic | None]:
    route = plan.route
    bus = _rule_bus(topology, plan)
    statements: list[Statement] = []
    if start.account != home.account:
        # NOTE: the stack creates this rule on a bus another account owns; that bus must let it.
        rules = ArnOf(bus, part="rules")
        conditions = [Condition("StringEqualsIfExists", "events:creatorAccount", ("${aws:PrincipalAccount}",))]
        producer = topology.component(route.source)
        if plan.carrier == "foreign-rule" and isinstance(producer, ir.Source) and producer.event_source:
            # NOTE: its rules may match only the producer's events (the sample's own condition)
            conditions.append(Condition("StringEqualsIfExists", "events:source", (producer.event_source,)))
        statements.append(
            Statement(
                bus,
                CREATE_RULES,
                Principal("account", home.account or ""),
                tuple(conditions),
                True,
                f"{_sid(route)}CreatesRule",
                resource_arn=rules,
            )
        )
        if kind != "bus":
            return (
                statements,
                [],
                _problem(
                    plan,
                    f"the rule lives on '{bus}' in account {start.account}, and EventBridge lets another account add "
                    f"only event buses as targets of a rule there",
                    f"route '{bus}' into a bus of this account first, and from there to '{route.target}'",
                ),
            )
    if start.account == end.account or (kind == "bus" and end.account == home.account):
        # NOTE: the rule's role is this stack's, and so is the bus it puts into: no bus policy needed
        return statements, [], _region_problem(plan, start, end, "an EventBridge rule") if kind != "bus" else None
    if kind != "bus" and _regions_differ(start, end):
        return (
            statements,
            [],
            _problem(
                plan,
                f"EventBridge delivers to a {kind} in another account only within the rule's region "
                f"({start.region or 'the stack’s'}), and '{route.target}' is in {end.region}",
                f"route into a bus in account {end.account} and region {end.region}, and from there to '{route.target}'",
            ),
        )
    principal = Principal("role", ArnOf(route=route.id, part="role"))
    statements.append(
        Statement(route.target, PUBLISH.get(kind, ()), principal, (), owed_target, f"{_sid(route)}Delivers")
    )
    return statements, [], None


def _subscription(
    topology: ir.Topology, home: Place, plan: RoutePlan, start: Place, end: Place, kind: str
) -> tuple[list[Statement], list[str], Diagnostic | None]:
    """A topic admits a subscriber in another account to subscribe exactly its endpoint; the
    subscription is made from the subscriber's account (SNS leaves one made from the topic's
    account to a queue elsewhere unconfirmed)."""
    route = plan.route
    if start.account == end.account:
        return [], [], None
    topic = topology.component(route.source)
    assert topic is not None
    conditions = (
        Condition("StringEquals", "sns:Endpoint", (ArnOf(route.target),)),
        Condition("StringEquals", "sns:Protocol", (PROTOCOL[kind],)),
    )
    subscriber = Principal("account", end.account or "")
    statement = Statement(
        route.source, ("sns:Subscribe",), subscriber, conditions, not created(topic), f"{route.target}Subscribes"
    )
    owed = ["subscription"] if end.account != home.account else []
    return [statement], owed, None


def _regions_differ(start: Place, end: Place) -> bool:
    """Only two known regions differ: the stack's own is whatever `pulumi up` deploys to."""
    return start.region is not None and end.region is not None and start.region != end.region


def _region_problem(plan: RoutePlan, start: Place, end: Place, what: str) -> Diagnostic | None:
    if not _regions_differ(start, end) or plan.ends[1] == "bus":
        return None
    return _problem(
        plan,
        f"{what} delivers within one region, and '{plan.route.source}' is in {start.region or 'the stack’s'} while "
        f"'{plan.route.target}' is in {end.region or 'the stack’s'}",
        "route through an EventBridge bus in the other region (buses deliver across regions)",
    )


def _problem(plan: RoutePlan, message: str, hint: str) -> Diagnostic:
    route = plan.route
    return CROSS_ACCOUNT_HOP.at(route.span, f"'{route.source} -> {route.target}': {message}", hint)


def _sid(route: ir.Route) -> str:
    return f"{route.source}To{route.target}"
