"""`evtc build --target local`: a deterministic harness whose test passes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from evtc.cli import main
from evtc.util.registry import targets

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_local_target_is_registered() -> None:
    assert targets()["local"].name == "local"


def test_build_writes_the_same_harness_twice_and_it_passes(tmp_path: Path) -> None:
    outputs = []
    for out in (tmp_path / "a", tmp_path / "b"):
        result = CliRunner().invoke(
            main, ["build", str(EXAMPLES / "orders.evt"), "--target", "local", "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        outputs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outputs[0] == outputs[1] and set(outputs[0]) == {"events.jsonl", "test_orders.py"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path / "a")],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
