"""A front-end error silences the rules' findings about the same declaration, and only those."""

from __future__ import annotations

from evtc.checker import check_compilation
from evtc.frontend import compile_text

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

    from evtc import encryption, followon

    for module in (followon, encryption):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
