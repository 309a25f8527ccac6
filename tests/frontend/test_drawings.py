"""Drawings show user-written text exactly, in every format (issue 17: a filter literal
`"<b> #1;"` reached the rendered Mermaid label as HTML and an entity code)."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from evtc.frontend import compile_text
from evtc.report.draw import DRAWERS, edge_label

HEAD = "topology t\nevent E { b: string }\nsource s: app { emits: [E] }\nqueue q {}\n"
_EVT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
MERMAID_EDGE = re.compile(r'-->\|"(.*)"\| ')
DOT_EDGE = re.compile(r' -> "[^"]*" \[label="((?:[^"\\]|\\.)*)"\];')


def evt_string(text: str) -> str:
    return '"' + "".join(_EVT_ESCAPES.get(ch, ch) for ch in text) + '"'


def drawn(literal: str) -> tuple[str, str, str]:
    """The route's label as written, and as Mermaid and DOT draw it."""
    compilation = compile_text(HEAD + f"route s -> q when b == {evt_string(literal)}\n", "t.evt")
    assert compilation.graph is not None and not compilation.diagnostics, compilation.diagnostics
    label = edge_label(compilation.topology.routes[0])
    return label, DRAWERS["mermaid"](compilation.graph), DRAWERS["dot"](compilation.graph)


def mermaid_shows(label: str) -> str:
    """What Mermaid renders for a quoted label holding no raw HTML: each `#NN;` code becomes
    the HTML entity `&#NN;`, which the browser shows as that one character."""
    assert '"' not in label and "<" not in label.replace("<br/>", "") and "&" not in label
    assert all(re.fullmatch(r"#\d+;", m) for m in re.findall(r"#[^;]*;?", label)), label
    as_html = re.sub(r"#(\d+);", r"&#\1;", label).replace("<br/>", "\n")
    return html.unescape(as_html)


def dot_shows(label: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), label)


def test_html_and_entity_codes_are_shown_as_written() -> None:
    label, mermaid, dot = drawn("<b> #1; &amp; `x` #quot;")
    (shown,) = MERMAID_EDGE.findall(mermaid)
    assert "<b>" not in shown and "#1;" not in shown and "&amp;" not in shown
    assert mermaid_shows(shown) == label
    assert dot_shows(DOT_EDGE.findall(dot)[0]) == label


@settings(max_examples=200, deadline=None)
@given(
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=30)
)  # NOTE: no noncharacters (U+FFFE): HTML drops their codes
def test_every_drawing_shows_any_literal_exactly(literal: str) -> None:
    label, mermaid, dot = drawn(literal)
    (mermaid_label,) = MERMAID_EDGE.findall(mermaid)
    (dot_label,) = DOT_EDGE.findall(dot)
    assert mermaid_shows(mermaid_label) == label
    assert dot_shows(dot_label) == label
