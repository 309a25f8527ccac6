"""The docstring examples of the export, diff and drawing modules run."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = [
    "evtc.export.jsonschema",
    "evtc.export.validate",
    "evtc.diff.changes",
    "evtc.diff.engine",
    "evtc.report.drawing.svg",
]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
