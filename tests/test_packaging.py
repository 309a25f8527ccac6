"""Packaging: every sub-package ships, and the docstring examples of the public API run."""

from __future__ import annotations

import doctest
import importlib
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAPPING = {"compiler": "evtc", "grammar": "evtc.grammar", "targets": "evtc.targets"}


def declared_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return set(config["tool"]["setuptools"]["packages"])


def present_packages() -> set[str]:
    found = set()
    for folder, package in MAPPING.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder).parts
            found.add(".".join((package, *relative)))
    return found


def test_every_package_is_declared() -> None:
    assert present_packages() - declared_packages() == set()


def test_the_grammar_ships_with_the_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "*.lark" in config["tool"]["setuptools"]["package-data"]["evtc.grammar"]


@pytest.mark.parametrize("module", ["evtc.frontend", "evtc.frontend.unparse", "evtc.check.checker"])
def test_docstring_examples_run(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
