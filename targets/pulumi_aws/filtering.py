"""The one call that turns a route's `when` into the JSON its hop deploys (`evtc.filters`).

The target picks the dialect from the hop it actually builds, which can differ from the
default `evtc.filters` guesses (a stream fed by a DynamoDB table is that table's change
stream: `esm_dynamodb`, not `esm_kinesis`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evtc import ir
from evtc.filters.routes import route_filter

if TYPE_CHECKING:
    from evtc.targets.pulumi_aws.context import Context


def hop_filter(ctx: Context, route: ir.Route, dialect: str) -> dict[str, Any] | None:
    """The compiled artefact, or None when the route delivers every event."""
    if route.when is None:
        return None
    found = route_filter(ctx.graph, route, dialect)
    if found.artefact is None:
        from evtc.targets.pulumi_aws.context import BuildError

        reason = found.diagnostic.message if found.diagnostic else "the filter cannot be compiled"
        raise BuildError(reason)
    if dialect.startswith("esm_"):
        return found.artefact if found.artefact.get("Filters") else None
    return found.artefact or None


def criteria(artefact: dict[str, Any]) -> dict[str, Any]:
    """Lambda / Pipes FilterCriteria in pulumi-aws's spelling (patterns stay JSON text)."""
    return {"filters": [{"pattern": f["Pattern"]} for f in artefact["Filters"]]}
