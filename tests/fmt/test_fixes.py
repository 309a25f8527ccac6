"""evtc.check.fixes: each fix's edits, the layouts they keep, and that applying them is sound."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evtc.check.checker import check_compilation
from evtc.check.fixes import Edit, Fix, apply_fixes, fixability, fixes_for
from evtc.frontend import compile_text

SENSITIVE = (
    "topology t\nevent E {{ email: string @sensitive }}\nsource s: app {{ emits: [E] }}\n{queue}\n"
    'function w {{ handler: "w:r" clearance: [sensitive] }}\nroute s.E -> jobs\nroute jobs -> w\n'
)


def fixed(text: str, code: str, unsafe: bool = False) -> str:
    compilation = compile_text(text, "t.evt")
    found = [d for d in check_compilation(compilation) if d.code == code]
    assert found, f"no {code} in {[d.code for d in check_compilation(compilation)]}"
    fixes = [f for d in found for f in fixes_for(d, text, compilation) if f.safe or unsafe]
    assert fixes, f"no fix for {code}"
    return apply_fixes(text, fixes)[0]


@pytest.mark.parametrize(
    "before, after",
    [
        ("topology t\nqueue jobs { retension: 4d }\n", "topology t\nqueue jobs { retention: 4d }\n"),
        (
            "topology t\nqueue jobs { dead_leter: q }\nqueue q {}\n",
            "topology t\nqueue jobs { dead_letter: q }\nqueue q {}\n",
        ),
        ("topology t\nevent E { a: strng }\n", "topology t\nevent E { a: string }\n"),
        ("topology t\nevent E { a: string @sensitve }\n", "topology t\nevent E { a: string @sensitive }\n"),
        ("topology t\nqeueu jobs {}\n", "topology t\nqueue jobs {}\n"),
        ("topology t\nsource s: ap { emits: [] }\n", "topology t\nsource s: app { emits: [] }\n"),
    ],
)
def test_misspellings_are_replaced_by_the_suggestion(before: str, after: str) -> None:
    compilation = compile_text(before, "t.evt")
    fixes = [f for d in compilation.diagnostics for f in fixes_for(d, before, compilation)]
    assert fixes and all(f.safe for f in fixes)
    assert apply_fixes(before, fixes)[0] == after


def test_a_misspelt_reference_is_replaced() -> None:
    text = "topology t\nqueue jobs { dead_letter: jobs_dql }\nqueue jobs_dlq {}\n"
    assert "dead_letter: jobs_dlq }" in fixed(text, "REF001")


@pytest.mark.parametrize(
    "queue, expected",
    [
        ("queue jobs {}", "queue jobs { encrypted: true }"),
        ("queue jobs { retention: 4d }", "queue jobs { retention: 4d encrypted: true }"),
        ("queue jobs {\n  retention: 4d\n}", "queue jobs {\n  retention: 4d\n  encrypted: true\n}"),
        ("queue jobs { encrypted: false }", "queue jobs { encrypted: true }"),
    ],
)
def test_encryption_is_added_in_the_blocks_layout(queue: str, expected: str) -> None:
    assert expected in fixed(SENSITIVE.format(queue=queue), "SEC011")  # SQS: an AWS-owned key until then


def test_a_dead_letter_queue_is_added_as_an_unsafe_fix() -> None:
    text = SENSITIVE.format(queue="queue jobs {\n  encrypted: true\n}\nqueue jobs_dlq {}")
    compilation = compile_text(text, "t.evt")
    (d,) = [d for d in check_compilation(compilation) if d.code == "DLV001"]
    (fix,) = fixes_for(d, text, compilation)
    assert not fix.safe and fixability(d) == "unsafe"
    after = apply_fixes(text, [fix])[0]
    assert "  max_receives: 5\n  dead_letter: jobs_dlq2\n}\nqueue jobs_dlq2 { retention: 14d encrypted: true }" in after
    assert "DLV001" not in {d.code for d in check_compilation(compile_text(after, "t.evt"))}


def test_an_unused_suppression_is_removed() -> None:
    text = "topology t\nqueue q {}  # evtc: ignore[DLV007, DLV001]\nqueue r {}  # evtc: ignore[DLV001] why\n"
    compilation = compile_text(text, "t.evt")
    found = [d for d in check_compilation(compilation) if d.code == "REF018"]
    fixes = [f for d in found for f in fixes_for(d, text, compilation)]
    assert apply_fixes(text, fixes)[0] == "topology t\nqueue q {}  # evtc: ignore[DLV007]\nqueue r {}\n"


def test_overlapping_fixes_are_applied_one_at_a_time() -> None:
    first = Fix("a", (Edit(0, 3, "x"),), True)
    second = Fix("b", (Edit(2, 4, "y"),), True)
    assert apply_fixes("abcdef", [first, second]) == ("xdef", 1)
    assert apply_fixes("abcdef", [Fix("c", (Edit(1, 1, "+"),), True), first]) == ("a+bcdef", 1)


def test_edit_ranges_are_lsp_positions() -> None:
    assert Edit(13, 17, "").range("topology t\nqueue q {}\n") == ((1, 2), (1, 6))


ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
DECLS = [
    block
    for p in sorted((ROOT / "examples").glob("*.evt"))
    for block in p.read_text(encoding="utf-8").split("\n\n")
    if not block.startswith(("#", "topology"))
]


@st.composite
def broken_topologies(draw: st.DrawFn) -> str:
    """Example declarations with property names misspelt (two letters swapped) and encryption dropped."""
    lines = "\n\n".join(draw(st.lists(st.sampled_from(DECLS), min_size=1, max_size=10))).splitlines()
    for i, line in enumerate(lines):
        name = line.strip().split(":", 1)[0]
        if line.startswith("  ") and ":" in line and len(name) > 5 and draw(st.integers(0, 3)) == 0:
            at = draw(st.integers(1, len(name) - 3))
            swapped = name[:at] + name[at + 1] + name[at] + name[at + 2 :]
            lines[i] = line.replace(name, swapped, 1)
        elif line.strip() == "encrypted: true" and draw(st.booleans()):
            lines[i] = ""
    return "topology gen\n\n" + "\n".join(lines) + "\n"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_topologies(), st.booleans())
def test_fixing_removes_what_it_fixes_and_breaks_nothing(text: str, unsafe: bool) -> None:
    from evtc.check.config import Config
    from evtc.cli._fix import fix_text

    before = [d for d in check_compilation(compile_text(text, "t.evt")) if not d.suppressed]
    after, applied = fix_text(text, "t.evt", Config(), unsafe)
    remaining = [d for d in check_compilation(compile_text(after, "t.evt")) if not d.suppressed]
    assert not [d for d in remaining if d.category.value == "syntax"], after
    fixable = [d for d in before if fixability(d) == "safe" or (unsafe and fixability(d) == "unsafe")]
    assert applied or not fixable, [d.code for d in fixable]
    if applied:
        # NOTE: a fixed name error can unmask findings it silenced (follow-on noise), so
        # count what was fixable, not every finding
        left = [d for d in remaining if fixability(d) == "safe" or (unsafe and fixability(d) == "unsafe")]
        assert len(left) < len(fixable), [d.code for d in left]
    still = [d for d in remaining if d.code in ("SEC003", "SEC011", "REF003") and fixability(d) == "safe"]
    assert not still, [(d.code, d.message) for d in still]
