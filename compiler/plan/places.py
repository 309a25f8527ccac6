"""Where components live: the stack's own account and region, and each component's.

The stack creates everything it owns in one account and region, its *home* (what its own
components declare; unknown when none does, and then every account a component names is
another one). A component owned elsewhere lives where its `account:` or ARN says, or at home.
"""

from __future__ import annotations

from evtc import ir
from evtc.diagnostics import Diagnostic
from evtc.plan.accountmodel import Place
from evtc.plan.problems import CROSS_ACCOUNT_HOP, STACK_IN_SEVERAL_ACCOUNTS


def home_of(topology: ir.Topology) -> tuple[Place, list[Diagnostic]]:
    """The stack's account and region: what its own components declare (they must agree)."""
    found: dict[str, tuple[str, ir.Component]] = {}
    problems: list[Diagnostic] = []
    for component in topology.components:
        if not created(component):
            continue
        for key in ("account", "region"):
            value = getattr(component, key)
            if value is None:
                continue
            known = found.setdefault(key, (value, component))
            if known[0] != value:
                first = known[1]
                problems.append(
                    STACK_IN_SEVERAL_ACCOUNTS.at(
                        component.span_of(key),
                        f"'{component.name}' is created in {key} \"{value}\", but '{first.name}' in \"{known[0]}\": "
                        f"one stack deploys to one {key}",
                        f"declare the one owned elsewhere as `{component.keyword} {component.name}: external {{ … }}`, "
                        f"or give both the same {key}",
                    )
                )
    return Place(found.get("account", (None,))[0], found.get("region", (None,))[0]), problems


def created(component: ir.Component) -> bool:
    """Whether the stack creates it (an app source is a service elsewhere; an endpoint is outside)."""
    if component.external or isinstance(component, ir.Endpoint):
        return False
    return not (isinstance(component, ir.Source) and component.kind == "app")


def place_of(topology: ir.Topology, home: Place, name: str) -> Place:
    component = topology.component(name)
    if component is None:
        return home
    if created(component):
        return home
    return Place(component.account or home.account, component.region or home.region)


def unreachable(topology: ir.Topology, home: Place) -> list[Diagnostic]:
    """An external store, router or function in another account known only by name: the
    stack looks it up in its own account, where it is not."""
    found = []
    for c in topology.components:
        if c.external and not isinstance(c, ir.Source) and not c.arn and c.account and c.account != home.account:
            found.append(
                CROSS_ACCOUNT_HOP.at(
                    c.span_of("account"),
                    f"'{c.name}' lives in account {c.account} but has no `arn:`: the stack can look up only "
                    "what is in its own account, and AWS takes another account's resources by ARN",
                    f'give its ARN, like `arn: "{_arn_example(c)}"`',
                )
            )
    return found


def _arn_example(c: ir.Component) -> str:
    service = {"queue": "sqs", "topic": "sns", "bus": "events", "stream": "kinesis", "function": "lambda"}[c.keyword]
    resource = {"bus": "event-bus/", "stream": "stream/", "function": "function:"}.get(c.keyword, "")
    return f"arn:aws:{service}:{c.region or 'REGION'}:{c.account}:{resource}{c.physical_name}"
