"""`evtc.pulumi.Topology` creates what the generated program creates, as children."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from .conftest import EXAMPLES, Deployed, Recorder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _component_resources(example: Path, tmp: Path) -> list[Any]:
    import pulumi

    from evtc.pulumi import Topology
    from evtc.targets.pulumi_aws.stack import stack_prefix

    mocks = Recorder()
    pulumi.runtime.set_mocks(mocks, project="host", stack="test", preview=False)
    pulumi.runtime.set_all_config({})
    # NOTE: the prefix the generated program derives for its stack "test", so names compare.
    prefix = stack_prefix(example.stem, "test")
    pulumi.runtime.mocks.test(
        lambda: Topology(example.stem, example, build_dir=tmp / "build", prefix=prefix) and None
    )()
    return mocks.resources


@pytest.mark.parametrize("example", ["orders", "product_catalog"])
def test_component_matches_generated_program(example: str, deployments: dict[str, Deployed], tmp_path: Path) -> None:
    resources = _component_resources(EXAMPLES / f"{example}.evt", tmp_path)
    children = [r for r in resources if r.type != "evtc:aws:Topology"]
    program = deployments[example].resources
    assert Counter(r.type for r in children) == Counter(r.type for r in program)
    assert sorted(r.name for r in children) == sorted(f"{example}-{r.name}" for r in program)
    physical = sorted(str(r.inputs.get("name")) for r in children)
    assert physical == sorted(str(r.inputs.get("name")) for r in program)
