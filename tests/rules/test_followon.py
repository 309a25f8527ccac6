"""A front-end error silences the rules' findings about the same declaration, and only those:
hand-written cases, and every route name, property name and kind of the examples misspelt
in turn (the examples check clean, so any rule finding after a typo is follow-on noise)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evtc import ir
from evtc.check.checker import check_compilation
from evtc.frontend import compile_text

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.evt"))
BASE = """topology t
event OrderPlaced { id: string }
queue q { max_receives: 3 dead_letter: dlq }
queue dlq { retention: 14d }
function billing { handler: "b:h" }
"""


def _codes(text: str) -> list[str]:
    return [d.code for d in check_compilation(compile_text(text, "t.evt"))]


def test_kind_typo_gives_no_false_sec002() -> None:
    text = BASE + "source checkout: ap { emits: [OrderPlaced] }\nroute checkout.OrderPlaced -> q\nroute q -> billing\n"
    assert _codes(text) == ["REF007"]
    fixed = _codes(text.replace(": ap {", ": app {"))
    assert fixed == []


def test_route_to_undefined_consumer_gives_no_false_dlv007() -> None:
    text = BASE + "source checkout: app { emits: [OrderPlaced] }\nroute checkout.OrderPlaced -> q\nroute q -> billng\n"
    assert _codes(text) == ["REF001"]


def test_property_typo_gives_no_false_dlv001() -> None:
    text = BASE + (
        "source checkout: app { emits: [OrderPlaced] }\nqueue jobs { dead_leter: dlq }\n"
        "route checkout.OrderPlaced -> jobs\nroute jobs -> billing\nroute q -> billing\nroute checkout.OrderPlaced -> q\n"
    )
    assert _codes(text) == ["REF003"]


def test_findings_elsewhere_stay() -> None:
    text = BASE + (
        "source checkout: app { emits: [OrderPlaced] }\nqueue jobs {}\nroute checkout.OrderPlaced -> jobs\n"
        "route jobs -> billing\nroute q -> billng\n"
    )
    assert sorted(_codes(text)) == ["DLV001", "REF001"]


def test_misspelled_event_gives_no_false_dlv010_downstream() -> None:
    text = BASE + "source checkout: app { emits: [OrderPlaced] }\nroute checkout.OrderPlacd -> q\nroute q -> billing\n"
    assert _codes(text) == ["REF001"]


def test_misspelled_source_gives_no_false_dlv008() -> None:
    text = BASE + "source checkout: app { emits: [OrderPlaced] }\nroute chekout.OrderPlaced -> q\nroute q -> billing\n"
    assert _codes(text) == ["REF001"]


def test_docstring_examples_run() -> None:
    import doctest

    from evtc.analysis import encryption
    from evtc.check import followon

    for module in (followon, encryption):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def _typos() -> list[tuple[str, int, str]]:
    """(example, route line, which name) for every name of every route of the examples."""
    found = []
    for path in EXAMPLES:
        for route in compile_text(path.read_text(encoding="utf-8"), path.name).topology.routes:
            found += [
                (path.name, route.span.line, which)
                for which in ("source", "target", "event")
                if which != "event" or route.event
            ]
    return found


@pytest.mark.parametrize(("example", "line", "which"), _typos(), ids=lambda x: str(x))
def test_a_misspelt_route_name_in_an_example_adds_no_rule_finding(example: str, line: int, which: str) -> None:
    """The examples check clean; misspelling one name of one route must give the name error only."""
    lines = (EXAMPLES_DIR / example).read_text(encoding="utf-8").splitlines(keepends=True)
    route = next(r for r in compile_text("".join(lines), example).topology.routes if r.span.line == line)
    old = {"source": f"route {route.source}", "target": f"-> {route.target}", "event": f".{route.event}"}[which]
    lines[line - 1] = lines[line - 1].replace(old, old + "x", 1)
    found = check_compilation(compile_text("".join(lines), example))
    assert [d.code for d in found if d.category.value == "reference"], "the typo itself must be reported"
    assert [
        f"{d.code} {d.span.line}: {d.message}" for d in found if d.category.value not in ("syntax", "reference")
    ] == []


def _property_typos() -> list[tuple[str, int, int, str]]:
    """(example, line, column, property name) for every property written in the examples."""
    found = []
    for path in EXAMPLES:
        t = compile_text(path.read_text(encoding="utf-8"), path.name).topology
        for owner in (*t.components, *t.routes):
            found += [(path.name, p.span.line, p.span.column, p.name) for p in owner.props]
    return found


def _kind_typos() -> list[tuple[str, int, str]]:
    found = []
    for path in EXAMPLES:
        t = compile_text(path.read_text(encoding="utf-8"), path.name).topology
        found += [(path.name, c.span.line, c.kind) for c in t.components if isinstance(c, (ir.Source, ir.Endpoint))]
    return found


def _rule_findings(text: str, file: str) -> list[str]:
    found = check_compilation(compile_text(text, file))
    assert [d for d in found if d.category.value == "reference"], "the typo itself must be reported"
    return [f"{d.code} {d.span.line}: {d.message}" for d in found if d.category.value not in ("syntax", "reference")]


@pytest.mark.parametrize(("example", "line", "column", "prop"), _property_typos(), ids=lambda x: str(x))
def test_a_misspelt_property_in_an_example_adds_no_rule_finding(
    example: str, line: int, column: int, prop: str
) -> None:
    lines = (EXAMPLES_DIR / example).read_text(encoding="utf-8").splitlines(keepends=True)
    text = lines[line - 1]
    lines[line - 1] = text[: column - 1] + prop + "x" + text[column - 1 + len(prop) :]
    assert _rule_findings("".join(lines), example) == []


@pytest.mark.parametrize(("example", "line", "kind"), _kind_typos(), ids=lambda x: str(x))
def test_a_misspelt_kind_in_an_example_adds_no_rule_finding(example: str, line: int, kind: str) -> None:
    lines = (EXAMPLES_DIR / example).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].replace(f": {kind}", f": {kind}x", 1)
    assert _rule_findings("".join(lines), example) == []


def test_a_route_aws_cannot_carry_gets_no_other_finding() -> None:
    text = """topology t
event Alert { text: string }
source monitor: app { emits: [Alert] }
bus ops {}
endpoint hook: https { url: "https://example.com/hook" }
route monitor.Alert -> ops
route ops -> hook
"""
    assert _codes(text) == ["LIM010"]
