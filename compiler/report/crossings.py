"""What `evtc explain` says of accounts: the hops of a path that cross an account or region
boundary, and the resource-policy statements the delivery plan derived for each."""

from __future__ import annotations

from typing import Any

from evtc.analysis import PathFacts
from evtc.frontend import Compilation
from evtc.plan import plan_of
from evtc.plan.accountmodel import Crossing, Place, Statement


def of_path(compilation: Compilation, facts: PathFacts) -> list[Crossing]:
    plan = plan_of(compilation)
    found = [plan.routes[h.route.id].crossing for h in facts.hops if h.route.id in plan.routes]
    return [c for c in found if c is not None]


def as_dicts(compilation: Compilation, facts: PathFacts) -> list[dict[str, Any]]:
    return [
        {
            "route": c.route,
            "source": {"account": c.source.account, "region": c.source.region},
            "target": {"account": c.target.account, "region": c.target.region},
            "crosses_account": c.accounts,
            "crosses_region": c.regions,
            "statements": [statement_dict(s) for s in c.statements],
            "owed_resources": list(c.owed),
        }
        for c in of_path(compilation, facts)
    ]


def statement_dict(s: Statement) -> dict[str, Any]:
    return {
        "resource": s.resource,
        "principal": str(s.principal),
        "actions": list(s.actions),
        "conditions": [{"test": c.test, "key": c.key, "values": [str(v) for v in c.values]} for c in s.conditions],
        "owed_by_owner": s.owed,
    }


def text(compilation: Compilation, facts: PathFacts) -> str | None:
    """One line per crossing hop (None: the path stays in one account and region)."""
    crossings = of_path(compilation, facts)
    if not crossings:
        return None
    plan = plan_of(compilation)
    parts = []
    for c in crossings:
        route = plan.routes[c.route].route
        hop = f"{route.source} ({_place(c.source)}) -> {route.target} ({_place(c.target)})"
        grants = "; ".join(_statement(s) for s in c.statements) or "no resource policy needed"
        owed = f"; {', '.join(c.owed)} made by the other account" if c.owed else ""
        parts.append(f"{hop}: {grants}{owed}")
    return " | ".join(parts)


def _place(place: Place) -> str:
    account = place.account or "this stack's account"
    return f"{account}, {place.region}" if place.region else account


def _statement(s: Statement) -> str:
    conditions = ", ".join(f"{c.key} {'/'.join(str(v) for v in c.values)}" for c in s.conditions)
    owed = " (owed by its owner)" if s.owed else ""
    where = f" if {conditions}" if conditions else ""
    return f"'{s.resource}' lets {s.principal} {', '.join(s.actions)}{where}{owed}"
