"""Build every example for pulumi-aws once and run its program under Pulumi's mocks.

No cloud and no Pulumi CLI: `pulumi.runtime.set_mocks` stands in for the engine, and the
mocks record each resource's type, name and resolved inputs for the tests to inspect.
"""

from __future__ import annotations

import json
import os
import runpy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pulumi = pytest.importorskip("pulumi")
pytest.importorskip("pulumi_aws")

from evtc.frontend import compile_file  # noqa: E402  (after the skips: needs pulumi)
from evtc.targets.pulumi_aws import target  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"  # the mappings no example uses
ACCOUNT, REGION = "123456789012", "eu-west-1"


@dataclass(frozen=True)
class Recorded:
    type: str  # e.g. aws:sqs/queue:Queue
    name: str
    inputs: dict[str, Any]
    arn: str
    read: bool  # adopted with `.get`, not created
    protect: bool = False
    retain_on_delete: bool = False
    aliases: tuple[str, ...] = ()  # the names of the aliases it declares
    provider: str = ""  # the provider reference it was registered with ("" = the default)


class Recorder(pulumi.runtime.Mocks):  # type: ignore[misc]
    def __init__(self) -> None:
        self.resources: list[Recorded] = []
        self.options: dict[tuple[str, str], dict[str, Any]] = {}  # filled by OptionsMonitor

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        inputs = dict(args.inputs)
        arn = mock_arn(args.typ, args.name, inputs)
        options = self.options.get((args.typ, args.name), {})
        self.resources.append(
            Recorded(args.typ, args.name, inputs, arn, bool(args.resource_id), provider=args.provider or "", **options)
        )
        outputs = {**inputs, "arn": arn, "name": inputs.get("name", args.name)}
        outputs |= {"url": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{args.name}", "streamArn": f"{arn}/stream/1"}
        outputs |= {
            "executionArn": f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{args.name}",
            "apiEndpoint": f"https://{args.name}.example",
        }
        outputs |= {"bucket": inputs.get("bucket", args.name)}
        return (args.resource_id or f"{args.name}-id", outputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        token = args.token
        if token.endswith("getPartition"):
            return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}
        if token.endswith("getRegion"):
            return {"region": REGION, "name": REGION, "id": REGION}
        if token.endswith("getCallerIdentity"):
            return {"accountId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:root", "id": ACCOUNT, "userId": ACCOUNT}
        lookup = _LOOKUPS.get(token.rsplit(":", 1)[-1])
        if lookup is not None:  # NOTE: an external component, found in the account by name
            name = args.args.get("name") or args.args.get("functionName")
            service, path = lookup
            found = f"arn:aws:{service}:{REGION}:{ACCOUNT}:{path.format(name=name)}"
            url = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"
            return {"arn": found, "name": name, "functionName": name, "url": url, "id": name}
        if token.endswith("getSecret"):
            name = args.args.get("name", "secret")
            return {"arn": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{name}-AbCdEf", "name": name, "id": name}
        return {}


class OptionsMonitor(pulumi.runtime.mocks.MockMonitor):  # type: ignore[misc]
    """The mock monitor, also noting the options Mocks.new_resource is not told about."""

    def __init__(self, mocks: Recorder) -> None:
        super().__init__(mocks)
        self.recorder = mocks

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802  (the gRPC method's name)
        aliases = tuple(a.spec.name if a.HasField("spec") else a.urn for a in request.aliases)
        self.recorder.options[(request.type, request.name)] = {
            "protect": bool(request.protect),
            "retain_on_delete": bool(request.retainOnDelete),
            "aliases": aliases,
        }
        return super().RegisterResource(request)


def use_mocks(mocks: Recorder, project: str, stack: str = "test") -> None:
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, monitor=OptionsMonitor(mocks))


_LOOKUPS = {
    "getQueue": ("sqs", "{name}"),
    "getTopic": ("sns", "{name}"),
    "getEventBus": ("events", "event-bus/{name}"),
    "getStream": ("kinesis", "stream/{name}"),
    "getFunction": ("lambda", "function:{name}"),
}


# NOTE: ARNs in AWS's own shapes where the program builds some from names (functions,
# pipes, schedules), so tests can check that a condition names the exact resource.
_ARN_PATHS = {
    "aws:lambda/function:Function": "function:{name}",
    "aws:pipes/pipe:Pipe": "pipe/{name}",
    "aws:scheduler/schedule:Schedule": "schedule/default/{name}",
}


def mock_arn(typ: str, logical: str, inputs: dict[str, Any]) -> str:
    service = typ.split(":")[1].split("/")[0]
    path = _ARN_PATHS.get(typ, "{logical}").format(name=inputs.get("name", logical), logical=logical)
    return f"arn:aws:{service}:{REGION}:{ACCOUNT}:{path}"


def run_program(
    project: Path, topology: str, config: dict[str, Any] | None = None, stack: str = "test"
) -> list[Recorded]:
    """Run the generated `__main__.py` under mocks; return the resources it registered."""
    mocks = Recorder()
    use_mocks(mocks, topology, stack)
    values = {f"{topology}:{k}": v if isinstance(v, str) else json.dumps(v) for k, v in (config or {}).items()}
    pulumi.runtime.set_all_config(values)
    here = os.getcwd()
    os.chdir(project)
    try:
        pulumi.runtime.mocks.test(lambda: _run(project / "__main__.py"))()
    finally:
        os.chdir(here)
    return mocks.resources


def _run(main: Path) -> None:
    runpy.run_path(str(main), run_name="__main__")


@dataclass(frozen=True)
class Deployed:
    example: str
    project: Path
    resources: list[Recorded]

    def of_type(self, suffix: str) -> list[Recorded]:
        return [r for r in self.resources if r.type.endswith(suffix)]

    def by_arn(self) -> dict[str, Recorded]:
        return {r.arn: r for r in self.resources}


def build(example: Path, out: Path) -> Path:
    compilation = compile_file(example)
    target.build(compilation, out)
    return out


@pytest.fixture(scope="session")
def deployments(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Deployed]:
    found: dict[str, Deployed] = {}
    for example in sources():
        project = build(example, tmp_path_factory.mktemp(example.stem))
        topology = compile_file(example).topology.name
        found[example.stem] = Deployed(example.stem, project, run_program(project, topology))
    return found


def sources() -> list[Path]:
    return sorted(EXAMPLES.glob("*.evt")) + sorted(FIXTURES.glob("*.evt"))


def examples() -> Iterator[str]:
    yield from (p.stem for p in sources())


@pytest.fixture(scope="session")
def compilations() -> dict[str, Any]:
    return {p.stem: compile_file(p) for p in sources()}
