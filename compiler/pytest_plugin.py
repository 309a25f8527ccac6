"""The evtc pytest plugin (entry point `pytest11`), loaded wherever evtc is installed.

- fixture `evt_runtime`: a factory, `evt_runtime("examples/orders.evt", handlers=..., seed=7)`;
  arguments left out come from the test's `@pytest.mark.evt(path, seed=..., ...)` marker.
  A relative path is looked up beside the test file, then under the rootdir.
- `pytest --evt-lint` collects every `.evt` file as a lint item that fails with
  evtc's diagnostics when `evtc check` would exit non-zero.

NOTE: the runtime is imported only when a test uses it, so the plugin costs other
projects' test runs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("evtc")
    group.addoption("--evt-lint", action="store_true", default=False, help="check .evt files with evtc as test items")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "evt(path, **options): the topology (and Runtime options) for the evt_runtime fixture"
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix == ".evt" and parent.config.getoption("--evt-lint"):
        return EvtFile.from_parent(parent, path=file_path)
    return None


class EvtLintError(Exception):
    """`evtc check` found problems; the message is its text report."""


class EvtFile(pytest.File):
    def collect(self) -> list[pytest.Item]:
        return [EvtLintItem.from_parent(self, name="evt-lint")]


class EvtLintItem(pytest.Item):
    # NOTE: pytest-lsp 1.0.1's runtest wrapper returns without yielding for an item that
    # has no `funcargs`, which fails every such item when both plugins are installed.
    funcargs: dict[str, object] = {}

    def runtest(self) -> None:
        from evtc.check.catalog import catalog
        from evtc.check.checker import check_paths
        from evtc.report.formatters import text

        result = check_paths([self.path])
        if result.exit_code != 0:
            raise EvtLintError(text.write(result.diagnostics, result.sources, catalog()))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, EvtLintError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"evt-lint {self.path.name}"


@pytest.fixture
def evt_runtime(request: pytest.FixtureRequest) -> Callable[..., Any]:
    """Build `evtc.local.Runtime`s; the `evt` marker supplies defaults."""
    from evtc.local import Runtime

    marker = request.node.get_closest_marker("evt")
    defaults: dict[str, Any] = dict(marker.kwargs) if marker else {}
    default_path = marker.args[0] if marker and marker.args else defaults.pop("path", None)

    def build(path: str | Path | None = None, **options: Any) -> Runtime:
        chosen = path if path is not None else default_path
        if chosen is None:
            raise pytest.UsageError("evt_runtime needs a path: pass one or mark the test @pytest.mark.evt(path)")
        return Runtime.from_file(_locate(Path(chosen), request), **{**defaults, **options})

    return build


def _locate(path: Path, request: pytest.FixtureRequest) -> Path:
    if path.is_absolute():
        return path
    for base in (request.path.parent, request.config.rootpath):
        if (base / path).exists():
            return base / path
    return path
