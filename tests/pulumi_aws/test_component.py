"""`evtc.pulumi.Topology` creates what the generated program creates, as children."""

from __future__ import annotations

import re
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


class _ProviderRecorder(Recorder):
    """Answers invokes from the provider they are sent to, and refuses the default provider
    (as `pulumi:disable-default-providers` does)."""

    def __init__(self) -> None:
        super().__init__()
        self.regions: dict[str, str] = {}

    def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
        if args.typ == "pulumi:providers:aws":
            self.regions[args.name] = args.inputs["region"]
            return (f"{args.name}-id", dict(args.inputs))
        if args.typ.startswith("aws:") and not args.provider:
            raise AssertionError(f"{args.name} uses the default provider")
        return super().new_resource(args)

    def call(self, args: Any) -> dict[str, Any]:
        if not args.provider:
            raise AssertionError(f"{args.token} was sent to the default provider")
        region = self.regions[args.provider.split("::")[-2].split("::")[-1]]
        if args.token.endswith("getRegion"):
            return {"region": region, "name": region, "id": region}
        return super().call(args)


@pytest.mark.parametrize("how", ["provider", "providers"])
def test_component_builds_every_arn_in_its_providers_region(how: str, tmp_path: Path) -> None:
    import json

    import pulumi
    import pulumi_aws as aws

    from evtc.pulumi import Topology

    from .conftest import use_mocks

    mocks = _ProviderRecorder()
    use_mocks(mocks, "host")
    pulumi.runtime.set_all_config({"pulumi:disable-default-providers": '["*"]'})

    def program() -> None:
        provider = aws.Provider("eu", region="ap-south-1")
        opts = (
            pulumi.ResourceOptions(provider=provider)
            if how == "provider"
            else pulumi.ResourceOptions(providers=[provider])
        )
        Topology("orders", EXAMPLES / "orders.evt", opts, build_dir=tmp_path)

    pulumi.runtime.mocks.test(program)()
    # NOTE: the ARNs the program builds itself (the mocks make up the others' outputs).
    text = json.dumps([r.inputs for r in mocks.resources], default=str)
    built = re.findall(r"arn:aws:(?:pipes|scheduler):[a-z0-9-]+:\d+:(?:pipe/|schedule/)", text)
    assert built and {a.split(":")[3] for a in built} == {"ap-south-1"}
    assert all(r.provider for r in mocks.resources if r.type.startswith("aws:"))


def test_component_refuses_a_broken_file_with_its_diagnostics(tmp_path: Path) -> None:
    import pulumi

    from evtc.pulumi import Topology, TopologyError

    from .conftest import use_mocks

    broken = tmp_path / "broken.evt"
    broken.write_text("topology broken\nroute nowhere -> nothing\n", encoding="utf-8")
    use_mocks(Recorder(), "host")
    with pytest.raises(TopologyError) as raised:
        pulumi.runtime.mocks.test(lambda: Topology("b", broken, build_dir=tmp_path / "b") and None)()
    assert raised.value.diagnostics
    assert re.search(rf"{re.escape(str(broken))}:2:\d+: ", str(raised.value))


def test_component_writes_bundles_to_a_build_folder_that_ignores_itself(tmp_path: Path) -> None:
    resources = _component_resources(EXAMPLES / "orders.evt", tmp_path)
    assert (tmp_path / "build" / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")
    assert sorted(p.suffix for p in (tmp_path / "build").iterdir() if p.name != ".gitignore") == [".zip", ".zip"]
    assert not (EXAMPLES / ".evtc").exists()
    assert [r for r in resources if r.type == "aws:lambda/function:Function"]
