"""What a Pulumi user meets on the second day: names per stack, protection, declared
configuration, outputs per component, and the defects of issue 10, all under mocks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from evtc.frontend import compile_text
from evtc.targets.pulumi_aws import target

from .conftest import EXAMPLES, Deployed, build, examples, run_program
from .test_programs import SKIPPED_INPUTS

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
STATEFUL = {
    "aws:sqs/queue:Queue",
    "aws:kinesis/stream:Stream",
    "aws:dynamodb/table:Table",
    "aws:s3/bucket:Bucket",
    "aws:cloudwatch/eventArchive:EventArchive",
    "aws:kms/key:Key",
}
NAME_INPUTS = ("name", "bucket")


def physical_names(resources: list[Any]) -> set[str]:
    return {r.inputs[k] for r in resources for k in NAME_INPUTS if isinstance(r.inputs.get(k), str) and not r.read}


def test_two_stacks_of_one_project_have_disjoint_physical_names(tmp_path: Path) -> None:
    project = build(EXAMPLES / "capacity_ordering.evt", tmp_path / "p")
    dev = run_program(project, "capacity_ordering", stack="dev")
    prod = run_program(project, "capacity_ordering", stack="prod")
    assert physical_names(dev) and not physical_names(dev) & physical_names(prod)


@pytest.mark.parametrize("example", list(examples()))
def test_stateful_resources_are_protected_and_nothing_else(example: str, deployments: dict[str, Deployed]) -> None:
    for r in deployments[example].resources:
        assert r.protect == (r.type in STATEFUL and not r.read), (r.type, r.name)
        assert not r.retain_on_delete


def test_protection_and_retention_follow_the_stack_settings(tmp_path: Path) -> None:
    project = build(EXAMPLES / "orders.evt", tmp_path / "p")
    resources = run_program(project, "orders", {"protect": "false", "retainOnDelete": "true"})
    stateful = [r for r in resources if r.type in STATEFUL]
    assert stateful and not any(r.protect for r in stateful) and all(r.retain_on_delete for r in stateful)


def _declared(project: Path) -> dict[str, Any]:
    return dict(yaml.safe_load((project / "Pulumi.yaml").read_text(encoding="utf-8"))["config"])


@pytest.mark.parametrize("example", list(examples()))
def test_every_config_key_the_program_reads_is_declared(example: str, deployments: dict[str, Deployed]) -> None:
    project = deployments[example].project
    main = (project / "__main__.py").read_text(encoding="utf-8")
    read = set(re.findall(r'config\.get(?:_object|_bool|_int)?\("([^"]+)"\)', main))
    declared = _declared(project)
    assert read == set(declared)
    for key, spec in declared.items():
        assert spec["type"] in ("string", "boolean", "integer", "array", "object"), key
        assert spec["description"] and "default" in spec, key


def test_the_declared_defaults_are_the_programs_own(deployments: dict[str, Deployed]) -> None:
    """Pulumi applies Pulumi.yaml's defaults to a stack; the program must then do what it does
    with no configuration at all."""
    deployed = deployments["everything"]
    config = {
        k: v["default"] if isinstance(v["default"], str) else _text(v["default"])
        for k, v in _declared(deployed.project).items()
    }
    again = run_program(deployed.project, "everything", config)
    assert _view(again) == _view(deployed.resources)


def _text(value: Any) -> Any:
    return str(value).lower() if isinstance(value, bool) else value


def _view(resources: list[Any]) -> list[Any]:
    return sorted(
        (r.type, r.name, repr({k: v for k, v in sorted(r.inputs.items()) if k not in SKIPPED_INPUTS}), r.protect)
        for r in resources
    )


def test_explicit_names_are_used_only_when_the_stack_opts_in(tmp_path: Path) -> None:
    text = (EXAMPLES / "ami_scan.evt").read_text(encoding="utf-8")
    source = tmp_path / "ami_scan.evt"
    source.write_text(
        text.replace("source uploads: s3 {", 'source uploads: s3 {\n  bucket: "acme-uploads"'), encoding="utf-8"
    )
    (tmp_path / "handlers").symlink_to(EXAMPLES / "handlers")
    from evtc.frontend import compile_file

    target.build(compile_file(source), tmp_path / "p")
    [default] = [r for r in run_program(tmp_path / "p", "ami_scan") if r.type == "aws:s3/bucket:Bucket"]
    [explicit] = [
        r
        for r in run_program(tmp_path / "p", "ami_scan", {"explicitNames": "true"})
        if r.type == "aws:s3/bucket:Bucket"
    ]
    from evtc.targets.pulumi_aws.stack import stack_prefix

    assert default.inputs["bucket"] == f"{stack_prefix('ami_scan', 'test')}-acme-uploads"
    assert explicit.inputs["bucket"] == "acme-uploads"


def test_outputs_are_one_object_per_component(deployments: dict[str, Deployed]) -> None:
    from evtc.targets.pulumi_aws.planner import plan

    main = (deployments["everything"].project / "__main__.py").read_text(encoding="utf-8")
    exported = re.findall(r'pulumi\.export\(\s*"([^"]+)"', main)
    compilation = compile_text((Path(__file__).parent / "fixtures" / "everything.evt").read_text(), "everything.evt")
    outputs = plan(compilation).outputs
    assert exported == sorted(outputs) and len(set(exported)) == len(exported)
    wanted = {"queue": {"arn", "name", "url"}, "topic": {"arn", "name"}, "bus": {"arn", "name"}}
    wanted |= {"function": {"arn", "name", "log_group"}}
    for c in compilation.topology.components:
        assert wanted.get(c.keyword, set()) <= set(outputs.get(c.name, {})), (c.name, c.keyword)
        if c.keyword == "source" and getattr(c, "kind", "") == "webhook":
            assert "url" in outputs[c.name]
    assert set(exported) - {"kms-key"} <= {c.name for c in compilation.topology.components}


# ---- issue 10: programs that referenced resources they never created -------------------------
_DEAD_LETTER_TOPIC = """topology t
event A { id: string }
source s: app { emits: [A] }
source lonely: app { emits: [A] }
stream st { partition_key: id }
topic dl {}
function f { handler: "h:ok" }
route s.A -> st
route st -> f { dead_letter: dl }
"""


def _deploy(text: str, tmp_path: Path) -> tuple[str, list[Any]]:
    source = tmp_path / "t.evt"
    source.write_text(text, encoding="utf-8")
    from evtc.frontend import compile_file

    target.build(compile_file(source), tmp_path / "p")
    main = (tmp_path / "p" / "__main__.py").read_text(encoding="utf-8")
    return main, run_program(tmp_path / "p", "t")


def test_a_topic_as_dead_letter_is_the_topic(tmp_path: Path) -> None:
    import json

    main, resources = _deploy(_DEAD_LETTER_TOPIC, tmp_path)
    [topic] = [r for r in resources if r.type == "aws:sns/topic:Topic"]
    [mapping] = [r for r in resources if r.type.endswith("EventSourceMapping")]
    assert mapping.inputs["destinationConfig"]["onFailure"]["destinationArn"] == topic.arn
    [policy] = [r for r in resources if r.type == "aws:iam/rolePolicy:RolePolicy" and r.name == "f-role-policy"]
    grants = {
        a for s in json.loads(policy.inputs["policy"])["Statement"] if topic.arn in s["Resource"] for a in s["Action"]
    }
    assert grants == {"sns:Publish"}


def test_an_app_source_without_routes_exports_nothing_it_does_not_create(tmp_path: Path) -> None:
    main, resources = _deploy(_DEAD_LETTER_TOPIC, tmp_path)
    assert "lonely" not in main
    assert [r.name for r in resources if r.type == "aws:iam/policy:Policy"] == ["s-publish"]


def test_renamed_helpers_keep_their_old_logical_names_as_aliases(deployments: dict[str, Deployed]) -> None:
    """A table stream's envelope function was `<stream>_envelope` (a name a component could
    have); it is `<stream>-envelope` now, with aliases so an existing stack keeps its URNs."""
    helpers = {r.name: r.aliases for r in deployments["product_catalog"].resources if "envelope" in r.name}
    assert helpers == {
        "product_changes-envelope": ("product_changes_envelope",),
        "product_changes-envelope-role": ("product_changes_envelope-role",),
        "product_changes-envelope-role-policy": ("product_changes_envelope-role-policy",),
        "product_changes-envelope-logs": ("product_changes_envelope-logs",),
    }
    others = [r for r in deployments["product_catalog"].resources if "envelope" not in r.name]
    assert not any(r.aliases for r in others)


def test_a_changed_handler_changes_only_its_own_bundle(tmp_path: Path) -> None:
    import shutil

    from evtc.frontend import compile_file

    shutil.copytree(EXAMPLES / "handlers", tmp_path / "handlers")
    shutil.copyfile(EXAMPLES / "orders.evt", tmp_path / "orders.evt")

    def bundles() -> dict[str, str]:
        target.build(compile_file(tmp_path / "orders.evt"), tmp_path / "p")
        main = (tmp_path / "p" / "__main__.py").read_text(encoding="utf-8")
        blocks = [b for b in main.split("\n\n") if "aws.lambda_.Function(" in b]
        found = {re.findall(r'handler="([^"]+)"', b)[0]: re.findall(r'FileArchive\("([^"]+)"\)', b)[0] for b in blocks}
        assert all((tmp_path / "p" / path).is_file() for path in found.values())
        return found

    before = bundles()
    assert bundles() == before  # NOTE: same code, same bytes, same name: nothing to update
    with (tmp_path / "handlers" / "billing.py").open("a", encoding="utf-8") as handler:
        handler.write("\n# a change\n")
    after = bundles()
    assert after["handlers.fraud.score"] == before["handlers.fraud.score"]
    assert after["handlers.billing.on_order"] != before["handlers.billing.on_order"]
    assert sorted(p.name for p in (tmp_path / "p" / "bundles").iterdir()) == sorted(
        Path(p).name for p in after.values()
    )
