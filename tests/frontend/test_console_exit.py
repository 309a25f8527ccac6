"""The `evtc` console command's fast exit keeps everything a normal exit promises: the exit
status, all output, `atexit` handlers and waiting for other threads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _evtc(prelude: str, *args: str) -> subprocess.CompletedProcess[str]:
    code = f"import sys\n{prelude}\nsys.argv = ['evtc', *{list(args)!r}]\nfrom evtc.cli import run\nrun()"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)


def test_the_console_script_is_run() -> None:
    from importlib.metadata import entry_points

    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == "evtc"]
    assert script.value == "evtc.cli:run"


@pytest.mark.parametrize(
    ("args", "status", "expected"),
    [
        (("check", str(EXAMPLES / "orders.evt")), 0, "no problems found"),
        (("check", "--format", "json", "missing.evt"), 2, "missing.evt"),
        (("no-such-command",), 2, "No such command"),
        (("--version",), 0, "evtc, version"),
    ],
)
def test_status_and_output_are_kept(args: tuple[str, ...], status: int, expected: str) -> None:
    done = _evtc("", *args)
    assert done.returncode == status
    assert expected in done.stdout + done.stderr


def test_a_failing_check_exits_1_with_its_whole_report(tmp_path: Path) -> None:
    bad = tmp_path / "bad.evt"
    bad.write_text("topology t\nqueue q { retention: 1s }\n" * 200, encoding="utf-8")
    done = _evtc("", "check", "--no-cache", str(bad))
    assert done.returncode == 1
    assert done.stdout.count("bad.evt:") >= 200 and done.stdout.rstrip().endswith(("error", "errors", "warnings"))


def test_exit_handlers_run_and_their_output_is_kept() -> None:
    done = _evtc("import atexit; atexit.register(lambda: print('handler ran'))", "--version")
    assert done.returncode == 0 and done.stdout.rstrip().endswith("handler ran")


def test_other_threads_are_waited_for() -> None:
    prelude = (
        "import threading, time\n"
        "threading.Thread(target=lambda: (time.sleep(0.3), print('thread finished', flush=True))).start()"
    )
    done = _evtc(prelude, "--version")
    assert done.returncode == 0 and "thread finished" in done.stdout


@pytest.mark.parametrize(("code", "status", "stderr"), [(None, 0, ""), (3, 3, ""), ("stopped: why", 1, "stopped: why")])
def test_exit_codes_mean_what_sys_exit_makes_them_mean(code: object, status: int, stderr: str) -> None:
    program = f"from evtc.cli import _exit\n_exit({code!r})"
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False)
    assert done.returncode == status and done.stderr.strip() == stderr
