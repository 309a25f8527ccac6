"""A route's filter as the delivery plan compiled it for the hop AWS carries it on.

The target never compiles a filter itself: `evtc.plan` picked the dialect and compiled the
route's event-type selection and `when`, and folded the routes that share one resource
into one artefact (`Context.shared_filter`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evtc import ir

if TYPE_CHECKING:
    from evtc.targets.pulumi_aws.context import Context


def hop_filter(ctx: Context, route: ir.Route) -> dict[str, Any] | None:
    """The route's own compiled artefact, or None when the route delivers every event."""
    carriage = ctx.carriage(route)
    if carriage.problem is not None:
        from evtc.targets.pulumi_aws.context import BuildError

        raise BuildError(carriage.problem.message)
    return carriage.filter


def criteria(artefact: dict[str, Any]) -> dict[str, Any]:
    """Lambda / Pipes FilterCriteria in pulumi-aws's spelling (patterns stay JSON text)."""
    return {"filters": [{"pattern": f["Pattern"]} for f in artefact["Filters"]]}
