"""Every rule's example in docs/rules.md triggers that rule, and its "Use instead" is clean.

The blocks are checked as written, with a `topology` line added when they lack one; a
block with a syntax or reference error fails the test, since it would teach a reader a
file that does not compile.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evtc.check.checker import check_compilation
from evtc.frontend import compile_text

RULES_MD = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
_SECTION = re.compile(r"^## (\w+) `[^`]+`\n(.*?)(?=^## |\Z)", re.M | re.S)
_BLOCK = re.compile(r"```evt\n(.*?)```", re.S)


def _examples() -> list[tuple[str, str, str]]:
    """(code, 'Example' or 'Use instead', block) for every evt block under those headings."""
    found = []
    for code, body in _SECTION.findall(RULES_MD.read_text(encoding="utf-8")):
        for part in re.split(r"^### ", body, flags=re.M)[1:]:
            heading = part.split("\n", 1)[0].strip()
            if heading in ("Example", "Use instead"):
                found.extend((code, heading, block) for block in _BLOCK.findall(part))
    return found


EXAMPLES = _examples()


def test_every_rule_has_both_examples() -> None:
    codes = {code for code, _ in _SECTION.findall(RULES_MD.read_text(encoding="utf-8"))}
    for heading in ("Example", "Use instead"):
        assert codes == {c for c, h, _ in EXAMPLES if h == heading}, heading


@pytest.mark.parametrize(("code", "heading", "block"), EXAMPLES, ids=[f"{c}-{h}" for c, h, _ in EXAMPLES])
def test_example_shows_the_rule(code: str, heading: str, block: str) -> None:
    text = block if re.match(r"\s*topology\b", block) else "topology example\n" + block
    diagnostics = check_compilation(compile_text(text, "example.evt"))
    broken = [f"{d.code} {d.message}" for d in diagnostics if d.category.value in ("syntax", "reference")]
    assert not broken, broken
    fired = [f"{d.span.line}: {d.message}" for d in diagnostics if d.code == code]
    if heading == "Example":
        assert fired, f"the example of {code} does not trigger it"
    else:
        # NOTE: what a reader copies must be clean of every rule, not only of this one
        assert not diagnostics, f"the 'Use instead' of {code} has findings: {[d.code for d in diagnostics]}"
