"""`--option schema_registry=true`: publish every event's JSON Schema to an EventBridge schema
registry (`schemas.Registry` + one `schemas.Schema` each), so consumers find the events in
the console and generate code bindings with AWS's tooling. Off by default.

The schemas are `evtc export jsonschema`'s, in draft 4 (`JSONSchemaDraft4`: AWS takes that
or OpenAPI 3, not 2020-12); nothing here decides what a field is.
"""

from __future__ import annotations

from evtc.export.jsonschema import draft4, topology_schemas
from evtc.targets.pulumi_aws.context import Context
from evtc.targets.pulumi_aws.plan import Fmt, Json, Ref

OPTION = "schema_registry"


def emit_schema_registry(ctx: Context) -> None:
    topology = ctx.graph.topology
    registry = ctx.add(
        "schema_registry",
        "schemas.Registry",
        f"{topology.name}-schemas",
        {"name": Fmt("{prefix}-" + topology.name), "description": f"events of the evtc topology {topology.name}"},
        topology.name,
    )
    for name, schema in topology_schemas(topology).items():
        ctx.add(
            f"schema_{name}",
            "schemas.Schema",
            f"{name}-schema",
            {
                "name": name,
                "registry_name": Ref(registry, "name"),
                "type": "JSONSchemaDraft4",
                "content": Json(draft4(schema)),
                "description": f"data of {name} (the CloudEvents envelope's `data`)",
            },
            name,
        )
