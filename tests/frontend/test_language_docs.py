"""docs/language.md documents every property, kind and compiler code the front end knows, and its
property tables list exactly the properties the schema (derived from the IR) accepts."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from evtc.frontend import codes
from evtc.frontend.schema import ENDPOINT_KINDS, KINDS, SCHEMAS, SOURCE_KINDS, specs_for
from evtc.spec import EXTERNAL

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


# each property table of docs/language.md, by the text that introduces it, and whose properties it lists
_OWNERS = {
    "`source NAME: KIND`": ("source", None),
    "`queue NAME": ("queue", None),
    "`stream NAME": ("stream", None),
    "`topic NAME": ("topic", None),
    "`bus NAME": ("bus", None),
    "`function NAME": ("function", None),
    "route FROM": ("route", None),
    "### External stores, routers and functions": ("queue", EXTERNAL),
    "`source NAME: external`": ("source", EXTERNAL),
    "### Webhooks: signed requests from real senders": ("source", "webhook"),
}


def _tables(header: str) -> list[tuple[str, list[list[str]]]]:
    """(the text before it, its rows' cells) for every table of the page whose header starts so."""
    found, lines = [], DOC.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(header) and not lines[i - 1].startswith("|"):
            rows = [r.strip("|").split(" | ") for r in itertools.takewhile(lambda r: r.startswith("|"), lines[i + 2 :])]
            found.append(("\n".join(lines[:i]), rows))
    return found


def _owner(before: str) -> tuple[str, str | None]:
    return max(_OWNERS.items(), key=lambda item: before.rfind(item[0]))[1]


def test_each_property_table_lists_exactly_the_properties_its_keyword_takes() -> None:
    seen = set()
    for before, rows in _tables("| property |"):
        keyword, kind = _owner(before)
        listed = {m.group(1) for m in (re.match(r"\s*`(\w+)`", row[0]) for row in rows) if m}
        takes = set(specs_for(keyword, kind)) - (
            set(SCHEMAS[keyword]) if kind == EXTERNAL and keyword != "source" else set()
        )
        assert listed == takes, f"{keyword} {kind or ''}: the docs list {sorted(listed ^ takes)} wrongly"
        seen.add((keyword, kind))
    assert seen == set(_OWNERS.values())


@pytest.mark.parametrize("keyword", ["source", "endpoint"])
def test_each_kind_row_lists_the_properties_that_kind_adds(keyword: str) -> None:
    kinds = {row[0].strip(" `"): row[1] for _, rows in _tables("| kind | properties |") for row in rows}
    for kind in (*KINDS[keyword], *((EXTERNAL,) if keyword == "source" else ())):
        listed = set(re.findall(r"`(\w+)[:`]", kinds[kind]))
        takes = set(specs_for(keyword, kind))
        added = takes - set(SCHEMAS[keyword])
        assert added <= listed <= takes, f"{keyword}: {kind}: lists {sorted(listed)}, adds {sorted(added)}"
