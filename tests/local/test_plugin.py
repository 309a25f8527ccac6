"""The pytest plugin: the evt_runtime fixture, the evt marker and `--evt-lint`."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_fixture_and_marker(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import pytest

        @pytest.mark.evt({str(EXAMPLES / "ami_scan.evt")!r}, seed=3)
        def test_scan(evt_runtime):
            rt = evt_runtime(handlers={{"scanner": lambda e, c: None}})
            rt.emit("uploads", "ImageUploaded", {{"bucket": "b", "key": "images/a.ami", "size": 1}})
            rt.run_until_idle()
            assert len(rt.deliveries("scanner")) == 1 and rt.audit().ok

        def test_without_marker(evt_runtime):
            with pytest.raises(pytest.UsageError):
                evt_runtime()
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_evt_lint_collects_evt_files(pytester: pytest.Pytester) -> None:
    (pytester.path / "good.evt").write_text((EXAMPLES / "ami_scan.evt").read_text())
    (pytester.path / "bad.evt").write_text("topology t\nqueue q { retention: banana }\n")
    result = pytester.runpytest("--evt-lint", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*bad.evt:2:*"])


def test_evt_files_are_ignored_without_the_flag(pytester: pytest.Pytester) -> None:
    (pytester.path / "bad.evt").write_text("topology t\nqueue {\n")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes()
