"""`unprobed`: a module hidden from imports made inside, and only there."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from evtc.util.probes import unprobed


@pytest.fixture
def optional(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "evtc_optional_probe.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "evtc_optional_probe", raising=False)
    return "evtc_optional_probe"


def test_inside_the_module_is_absent_and_afterwards_it_imports(optional: str) -> None:
    with unprobed(optional), pytest.raises(ImportError):
        importlib.import_module(optional)
    assert importlib.import_module(optional).VALUE == 1


def test_a_module_already_imported_stays_importable(optional: str) -> None:
    module = importlib.import_module(optional)
    with unprobed(optional):
        assert importlib.import_module(optional) is module
    assert sys.modules[optional] is module


def test_the_front_end_never_leaves_a_hidden_module_behind() -> None:
    import evtc.frontend  # noqa: F401

    assert sys.modules.get("regex", "absent") is not None
