"""Every command on examples/teams.evt, a topology in four files: naming the entry, a part
or the folder of the parts reads the same topology (docs/language.md, "Topologies in
several files"); `diff` compares two versions of it; `fmt` formats each file alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from evtc.cli import main

ROOT = Path(__file__).resolve().parents[2]
NAMES = ["examples/teams.evt", "examples/teams/billing.evt", "examples/teams"]
COMMANDS = [
    ["explain", "--format", "json"],
    ["filters", "--format", "json"],
    ["export", "jsonschema"],
    ["export", "asyncapi"],
    ["dump"],
    ["run", "--count", "5"],
]


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_the_entry_a_part_and_the_folder_name_one_topology(command: list[str]) -> None:
    outputs = [invoke(*command, name) for name in NAMES]
    assert [code for code, _ in outputs] == [0, 0, 0]
    # NOTE: `run` says which path it was given ("PATH: running …"); nothing else differs
    same = [out.replace(f"{name}: running", "PATH: running") for (_, out), name in zip(outputs, NAMES)]
    assert same[1] == same[0] and same[2] == same[0]


def test_graph_draws_every_file_s_components() -> None:
    code, drawing = invoke("graph", "--format", "mermaid", "examples/teams/risk.evt")
    assert code == 0
    for name in ("checkout", "billing", "fraud_check", "risk_team"):  # from orders, billing and risk.evt
        assert name in drawing


def test_check_reports_every_file_of_the_topology() -> None:
    code, output = invoke("check", "--no-cache", "--format", "json", "examples/teams/billing.evt")
    assert code == 0 and sorted(json.loads(output)["files"]) == sorted(
        ["examples/teams.evt", "examples/teams/orders.evt", "examples/teams/billing.evt", "examples/teams/risk.evt"]
    )


def test_build_writes_one_pulumi_project(tmp_path: Path) -> None:
    code, output = invoke("build", "examples/teams", "--target", "pulumi-aws", "--out", str(tmp_path))
    assert code == 0, output
    program = (tmp_path / "__main__.py").read_text()
    for name in ("order_log", "billing", "fraud_check", "risk_alerts"):
        assert f'"{name}"' in program
    assert "evtc build teams.evt --target pulumi-aws" in (tmp_path / "README.md").read_text()


def test_a_folder_of_several_topologies_is_a_usage_error() -> None:
    code, output = invoke("explain", "examples")
    count = len(list((ROOT / "examples").glob("*.evt")))  # each a topology, teams.evt's parts in teams/
    assert code == 2 and f"holds {count} topologies" in output and "teams (examples/teams.evt)" in output


def test_docs_has_one_page_for_the_topology(tmp_path: Path) -> None:
    code, _ = invoke("docs", "examples/teams.evt", "-o", str(tmp_path))
    assert code == 0
    index = (tmp_path / "index.html").read_text()
    assert "teams" in index and "examples/teams/risk.evt" in index


def test_fmt_formats_each_file_on_its_own(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples" / "teams", tmp_path / "teams")
    shutil.copy(ROOT / "examples" / "teams.evt", tmp_path)
    assert invoke("fmt", "--check", str(tmp_path))[0] == 0
    part = tmp_path / "teams" / "billing.evt"
    part.write_text(part.read_text().replace("route order_log -> billing {", "route   order_log->billing {"))
    code, output = invoke("fmt", "--check", str(tmp_path))
    assert code == 1 and "billing.evt" in output and "1 file would be reformatted" in output


def test_diff_compares_two_versions_of_a_topology_in_several_files(tmp_path: Path) -> None:
    for side in ("old", "new"):
        shutil.copytree(ROOT / "examples" / "teams", tmp_path / side / "teams")
        shutil.copy(ROOT / "examples" / "teams.evt", tmp_path / side)
    orders = tmp_path / "new" / "teams" / "orders.evt"
    orders.write_text(orders.read_text().replace("  amount: number\n", "  amount: number\n  currency: string\n"))
    code, output = invoke("diff", str(tmp_path / "old"), str(tmp_path / "new"), "--format", "json")
    found = json.loads(output)["diagnostics"]
    assert code == 1 and [d["code"] for d in found] == ["CMP005"]  # a new required field, in a part
    assert found[0]["file"].endswith("new/teams/orders.evt")
    # moving a declaration from one part to another changes nothing a consumer sees
    shutil.copy(tmp_path / "old" / "teams" / "orders.evt", orders)
    risk, billing = tmp_path / "new" / "teams" / "risk.evt", tmp_path / "new" / "teams" / "billing.evt"
    moved = "queue alert_failures {\n  retention: 14d\n}\n"
    risk.write_text(risk.read_text().replace(moved, ""))
    billing.write_text(billing.read_text() + "\n" + moved)
    assert invoke("diff", str(tmp_path / "old"), str(tmp_path / "new"))[0] == 0


def test_the_local_runtime_loads_the_folder_or_a_part() -> None:
    from evtc.local import Runtime

    for name in NAMES[1:]:
        rt = Runtime.from_file(ROOT / name, seed=1)
        order = {"order_id": "o1", "customer_email": "a@b.c", "amount": 5000, "region": "eu-west-1"}
        rt.emit("checkout", "OrderPlaced", order)
        rt.run_until_idle()
        assert rt.audit().ok
        assert [e.data["order_id"] for e in rt.deliveries("billing")] == ["o1"]  # billing.evt's function
        assert [e.data["order_id"] for e in rt.deliveries("fraud_check")] == [
            "o1"
        ]  # risk.evt's, over orders.evt's topic
