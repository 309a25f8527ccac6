"""The `pulumi-aws` target: a deployable, least-privilege Pulumi (Python) project.

`evtc build orders.evt --target pulumi-aws --out build/` writes `Pulumi.yaml`,
`__main__.py`, `requirements.txt`, `README.md` and `app/` (the Lambda code). The mapping
from .evt to AWS is in docs/targets/pulumi-aws.md.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from pathlib import Path

from evtc.frontend import Compilation
from evtc.targets.pulumi_aws.context import BuildError
from evtc.targets.pulumi_aws.emitters import registry as schema_registry
from evtc.targets.pulumi_aws.planner import plan
from evtc.targets.pulumi_aws.project import write_project

__all__ = ["BuildError", "PulumiAws", "target"]


class PulumiAws:
    name = "pulumi-aws"
    description = "a Pulumi (Python) project deploying the topology to AWS"
    options = {schema_registry.OPTION: "true: publish the events' JSON Schemas to an EventBridge schema registry"}

    def build(self, compilation: Compilation, out: Path, options: Mapping[str, str] | None = None) -> list[Path]:
        # NOTE: the plan is millions of small acyclic objects at 10k components; the cyclic
        # collector would rescan them again and again (most of the time at that size).
        enabled = gc.isenabled()
        gc.disable()
        try:
            built = plan(compilation)
            if (options or {}).get(schema_registry.OPTION) == "true":
                built = plan(compilation, extra=(schema_registry.emit_schema_registry,))
            return write_project(compilation, built, Path(out))
        finally:
            if enabled:
                gc.enable()


target = PulumiAws()
