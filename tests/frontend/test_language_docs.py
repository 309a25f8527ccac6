"""docs/language.md documents every property, kind and compiler code the front end knows."""

from __future__ import annotations

from pathlib import Path

import pytest

from evtc.frontend import codes
from evtc.frontend.schema import ENDPOINT_KINDS, SCHEMAS, SOURCE_KINDS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "language.md").read_text(encoding="utf-8")
PROPERTIES = sorted(
    {p for specs in (*SCHEMAS.values(), *SOURCE_KINDS.values(), *ENDPOINT_KINDS.values()) for p in specs}
)


@pytest.mark.parametrize("prop", PROPERTIES)
def test_every_property_is_documented(prop: str) -> None:
    assert f"`{prop}" in DOC


@pytest.mark.parametrize("kind", sorted({*SOURCE_KINDS, *ENDPOINT_KINDS, *SCHEMAS} - {"route"}))
def test_every_kind_and_keyword_is_documented(kind: str) -> None:
    assert f"`{kind}" in DOC


@pytest.mark.parametrize("code", [c.code for c in codes.ALL_CODES])
def test_every_compiler_code_is_documented(code: str) -> None:
    assert f"| {code} |" in DOC
