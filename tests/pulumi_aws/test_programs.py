"""Every example's generated program, run under mocks: a golden snapshot of what it creates."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import Deployed, Recorded, examples

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SKIPPED_INPUTS = ("tags", "code")  # NOTE: tags are asserted once below; code is the archive


def snapshot(deployed: Deployed) -> str:
    lines = [f"# {deployed.example}: {len(deployed.resources)} resources"]
    for r in sorted(deployed.resources, key=lambda r: (r.type, r.name)):
        inputs = {k: _plain(v) for k, v in sorted(r.inputs.items()) if k not in SKIPPED_INPUTS}
        lines.append(f"{r.type} {r.name}")
        lines += [f"  {k}: {json.dumps(v, sort_keys=True)}" for k, v in inputs.items()]
    return "\n".join(lines) + "\n"


def _plain(value: Any) -> Any:
    """Policy documents and other JSON inputs, decoded so the snapshot shows their structure."""
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@pytest.mark.parametrize("example", list(examples()))
def test_snapshot(example: str, deployments: dict[str, Deployed], golden: Any) -> None:
    golden.check(f"pulumi_aws/{example}.txt", snapshot(deployments[example]))


@pytest.mark.parametrize("example", list(examples()))
def test_every_taggable_resource_carries_topology_and_component_tags(
    example: str, deployments: dict[str, Deployed]
) -> None:
    tagged = [r for r in deployments[example].resources if "tags" in r.inputs]
    assert tagged
    for r in tagged:
        assert r.inputs["tags"]["evtc:topology"] and r.inputs["tags"]["evtc:component"], r.name


def test_build_is_byte_identical_across_runs(tmp_path: Any) -> None:
    from .conftest import EXAMPLES, build

    first, second = build(EXAMPLES / "orders.evt", tmp_path / "a"), build(EXAMPLES / "orders.evt", tmp_path / "b")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_existing_bucket_is_read_not_created(tmp_path: Any) -> None:
    from .conftest import EXAMPLES, build, run_program

    project = build(EXAMPLES / "ami_scan.evt", tmp_path / "p")
    resources = run_program(project, "ami_scan", {"existingBuckets": {"uploads": "their-bucket"}, "prefix": "stage"})
    buckets = [r for r in resources if r.type == "aws:s3/bucket:Bucket"]
    assert [b.read for b in buckets] == [True]
    assert not [r for r in resources if "PublicAccessBlock" in r.type or "ServerSideEncryption" in r.type]
    assert any(r.type.endswith("BucketNotification") for r in resources)
    assert all(
        r.inputs.get("name", "stage-").startswith(("stage-", "/aws/lambda/stage-"))
        for r in resources
        if "name" in r.inputs and "Queue" in r.type
    )


def test_configured_kms_key_replaces_the_generated_one(tmp_path: Any) -> None:
    from .conftest import EXAMPLES, build, run_program

    project = build(EXAMPLES / "orders.evt", tmp_path / "p")
    resources = run_program(
        project, "orders", {"kmsKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/abc", "tags": {"team": "risk"}}
    )
    keys: list[Recorded] = [r for r in resources if r.type == "aws:kms/key:Key"]
    assert [k.read for k in keys] == [True]
    assert not [r for r in resources if r.type == "aws:kms/keyPolicy:KeyPolicy"]
    assert all(r.inputs["tags"]["team"] == "risk" for r in resources if "tags" in r.inputs)


def test_existing_table_is_read_and_its_stream_consumed(tmp_path: Any) -> None:
    from .conftest import EXAMPLES, build, run_program

    project = build(EXAMPLES / "capacity_ordering.evt", tmp_path / "p")
    resources = run_program(project, "capacity_ordering", {"existingTables": {"limit_requests": "their-table"}})
    [table] = [r for r in resources if r.type == "aws:dynamodb/table:Table"]
    assert table.read
    [mapping] = [r for r in resources if r.name == "request_changes-to-planner"]
    assert mapping.inputs["eventSourceArn"] == f"{table.arn}/stream/1"


def test_cli_builds_and_refuses_on_errors(tmp_path: Any) -> None:
    from click.testing import CliRunner

    from evtc.cli import main

    from .conftest import EXAMPLES

    ok = CliRunner().invoke(
        main, ["build", str(EXAMPLES / "orders.evt"), "--target", "pulumi-aws", "--out", str(tmp_path / "ok")]
    )
    assert ok.exit_code == 0 and (tmp_path / "ok" / "__main__.py").is_file()
    broken = tmp_path / "broken.evt"
    broken.write_text("topology broken\nroute nowhere -> nothing\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["build", str(broken), "--target", "pulumi-aws", "--out", str(tmp_path / "no")])
    assert refused.exit_code == 1 and not (tmp_path / "no").exists()
