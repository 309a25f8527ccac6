"""docs/local.md: its tutorial block runs as written, from the repository root."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def tutorial() -> dict[str, object]:
    text = (ROOT / "docs" / "local.md").read_text(encoding="utf-8")
    section = text.split("## Tutorial", 1)[1]
    (code,) = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    namespace: dict[str, object] = {}
    exec(compile(code, "docs/local.md", "exec"), namespace)  # noqa: S102 - our own docs
    return namespace


@pytest.mark.parametrize("name", sorted(n for n in tutorial() if n.startswith("test_")))
def test_tutorial(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    import sys

    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    for module in ("billing", "fraud"):
        loaded = sys.modules.get(f"handlers.{module}")
        if loaded is not None:
            loaded.reset()  # type: ignore[attr-defined]
    tutorial()[name]()  # type: ignore[operator]
    assert os.getcwd() == str(ROOT)
