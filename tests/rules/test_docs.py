"""docs/rules.md is generated from the rules, and every rule documents itself fully."""

from __future__ import annotations

from pathlib import Path

import pytest

from evtc.check.rulesdoc import markdown, missing_parts
from evtc.util.registry import rules

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_rules_md_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == markdown(), "regenerate: evtc rules --markdown > docs/rules.md"


@pytest.mark.parametrize("rule", rules(), ids=lambda r: r.code)
def test_rule_is_documented(rule: object) -> None:
    assert missing_parts(rule) == []


@pytest.mark.parametrize("rule", rules(), ids=lambda r: r.code)
def test_rule_identity(rule: object) -> None:
    code, name = rule.code, rule.name
    prefix = {"security": "SEC", "ordering": "ORD", "delivery": "DLV", "limits": "LIM"}[rule.category.value]
    assert code.startswith(prefix) and code[3:].isdigit()
    assert name == name.lower() and " " not in name and "_" not in name


def test_codes_and_names_are_unique() -> None:
    found = rules()
    assert len({r.code for r in found}) == len(found)
    assert len({r.name for r in found}) == len(found)


def test_missing_heading_is_caught() -> None:
    class Undocumented:
        """Does something.

        ## What it does
        Something.
        """

    assert "## Example" in missing_parts(Undocumented)


def test_rules_command_lists_and_prints() -> None:
    from click.testing import CliRunner

    from evtc.cli import main

    listed = CliRunner().invoke(main, ["rules"])
    assert listed.exit_code == 0
    assert all(r.code in listed.output and r.name in listed.output for r in rules())
    one = CliRunner().invoke(main, ["rules", "queue-without-dead-letter"])
    assert one.exit_code == 0 and one.output.startswith("# DLV001") and "## Use instead" in one.output
    assert CliRunner().invoke(main, ["rules", "XYZ001"]).exit_code == 2
