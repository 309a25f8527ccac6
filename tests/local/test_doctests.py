"""The docstring examples of the local runtime's public modules run."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = [
    "evtc.envelope",
    "evtc.emit",
    "evtc.local",
    "evtc.targets.local.runtime",
    "evtc.targets.local.lazy",
    "evtc.targets.local.chaos",
    "evtc.webhook",
]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
