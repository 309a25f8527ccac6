"""Completion: what may be written at the cursor, from the text before it (the file being
typed rarely parses) and the names of the last compilation.

Offered: declaration keywords at the start of a line; a kind after `source NAME:` and
`endpoint NAME:`; the properties of the block's kind (those not yet set); a property's
values (enumerations, booleans, the components or events it may name); in a route, the
components that may be its source or target, the events after `component.`, and the
fields of the events it carries after `when` (nested ones after `field.`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lsprotocol import types

from evtc import ir
from evtc.frontend import Compilation
from evtc.frontend.fields import field_names
from evtc.frontend.parse import DECLARATION_KEYWORDS
from evtc.frontend.resolve import KNOWN_ANNOTATIONS, SCALAR_TYPES
from evtc.frontend.schema import ENDPOINT_KINDS, SOURCE_KINDS, specs_for

Kind = types.CompletionItemKind
_START = re.compile(r"^(?:" + "|".join(DECLARATION_KEYWORDS) + r")\b(?![ \t]*:)", re.MULTILINE)
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|#[^\n]*|->|[A-Za-z_][A-Za-z0-9_]*|[-0-9][0-9.a-zA-Z]*|\S')
SOURCES = (*ir.EMITTERS, *ir.STORES, *ir.ROUTERS)  # what a route may start at (resolve.py's rule)
TARGETS = (*ir.STORES, *ir.ROUTERS, *ir.CONSUMERS)
FILTER_WORDS = ("and", "or", "not", "exists", "in", "startswith", "endswith", "matches", "cidr", "ignorecase")
_NAMED_COMPONENTS = {
    ("queue", "dead_letter"): (ir.Queue,),
    ("route", "dead_letter"): (ir.Queue, ir.Topic),
    ("function", "reads"): (ir.Source,),
    ("function", "writes"): (ir.Source,),
}


def complete(text: str, offset: int, c: Compilation | None) -> list[types.CompletionItem]:
    word_start = _word_start(text, offset)
    starts = [m.start() for m in _START.finditer(text, 0, word_start)]
    line_start = text.rfind("\n", 0, word_start) + 1
    head_start = starts[-1] if starts else None
    if head_start is None or (word_start == line_start and _depth(_tokens(text[head_start:word_start])) == 0):
        return _items(DECLARATION_KEYWORDS, Kind.Keyword, "declaration")
    tokens = _tokens(text[head_start:word_start])
    keyword = tokens[0]
    depth = _depth(tokens)
    if keyword == "route":
        return _route(tokens, depth, c)
    if keyword == "event":
        return _event(tokens, depth)
    if keyword in ir.COMPONENT_TYPES:
        return _component(tokens, depth, keyword, c)
    return []


def _word_start(text: str, offset: int) -> int:
    """Where the word that ends at `offset` starts (a backward scan: a regex search for a
    word at the end is quadratic on a long run of letters)."""
    start = offset
    while start > 0 and (text[start - 1].isascii() and (text[start - 1].isalnum() or text[start - 1] == "_")):
        start -= 1
    return start


def _tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text) if not t.startswith("#")]


def _depth(tokens: list[str]) -> int:
    return sum(1 for t in tokens if t == "{") - sum(1 for t in tokens if t == "}")


def _items(labels: Iterable[str], kind: Kind, detail: str = "") -> list[types.CompletionItem]:
    return [types.CompletionItem(label=label, kind=kind, detail=detail or None) for label in dict.fromkeys(labels)]


# ---- components ----------------------------------------------------------------------------
def _component(tokens: list[str], depth: int, keyword: str, c: Compilation | None) -> list[types.CompletionItem]:
    if depth <= 0:  # NOTE: below zero when a stray `}` closes more than was opened
        if tokens[-1:] == [":"] and len(tokens) == 3:
            kinds = SOURCE_KINDS if keyword == "source" else ENDPOINT_KINDS if keyword == "endpoint" else {}
            return _items(kinds, Kind.EnumMember, f"{keyword} kind")
        return []
    kind = tokens[3] if len(tokens) > 3 and tokens[2] == ":" else ""
    owner = c.topology.component(tokens[1]) if c is not None and len(tokens) > 1 else None
    return _block(tokens[tokens.index("{") + 1 :], keyword, kind, owner, c)


def _block(
    body: list[str], keyword: str, kind: str, owner: ir.Component | None, c: Compilation | None
) -> list[types.CompletionItem]:
    specs = specs_for(keyword, kind or None)
    prop = _property_before(body)
    if prop is None:
        written = {body[i - 1] for i, t in enumerate(body) if t == ":" and i > 0}
        return [
            types.CompletionItem(
                label=name, kind=Kind.Property, detail=spec.type, documentation=spec.doc, insert_text=f"{name}: "
            )
            for name, spec in specs.items()
            if name not in written
        ]
    spec = specs.get(prop)
    if spec is None:
        return []
    if spec.type == "enum" or spec.choices:
        return _items(spec.choices, Kind.EnumMember, prop)
    if spec.type in ("bool", "archive"):
        return _items(("true", "false"), Kind.Value, prop)
    if c is None:
        return []
    t = c.topology
    if prop == "emits":
        return _items((e.name for e in t.events), Kind.Event, "event")
    allowed = _NAMED_COMPONENTS.get((keyword, prop))
    if allowed:
        return _items((x.name for x in t.components if isinstance(x, allowed)), Kind.Module, prop)
    if prop in ("group_by", "partition_key") and owner is not None:
        events = _arriving(c, owner.name)
        return _items((f.name for e in events for f in e.fields), Kind.Field, "event field")
    return []


def _property_before(body: list[str]) -> str | None:
    """The property whose value the cursor is in (after `name:` or inside `name: [ … ,`)."""
    if len(body) >= 2 and body[-1] == ":":
        return body[-2]
    nesting = 0
    for i in range(len(body) - 1, -1, -1):
        if body[i] == "]":
            nesting += 1
        elif body[i] == "[":
            if nesting == 0:
                return body[i - 2] if i >= 2 and body[i - 1] == ":" else None
            nesting -= 1
    return None


# ---- events ---------------------------------------------------------------------------------
def _event(tokens: list[str], depth: int) -> list[types.CompletionItem]:
    if depth < 1:
        return []
    if tokens[-1] == ":":
        return _items(SCALAR_TYPES, Kind.TypeParameter, "type")
    if tokens[-1] == "@":
        return _items(KNOWN_ANNOTATIONS, Kind.Keyword, "annotation")
    return []


# ---- routes -----------------------------------------------------------------------------------
def _route(tokens: list[str], depth: int, c: Compilation | None) -> list[types.CompletionItem]:
    t = c.topology if c is not None else None
    if depth >= 1:
        return _block(tokens[tokens.index("{") + 1 :], "route", "", None, c)
    if t is None:
        return []
    if "->" not in tokens:
        if tokens[-1] == "." and len(tokens) >= 3:
            return _items((e.name for e in _emitted(c, tokens[1])), Kind.Event, "event")
        return _components(t, SOURCES, "route source")
    arrow = tokens.index("->")
    if tokens[-1] == "->":
        return _components(t, TARGETS, "route target")
    if "when" not in tokens[arrow:]:
        return _items(("when",), Kind.Keyword) if len(tokens) == arrow + 2 else []
    event = tokens[3] if arrow == 4 and tokens[2] == "." else None
    events = [e for e in (t.event(event),) if e] if event else _emitted(c, tokens[1])
    parts = _path_before(tokens)
    fields = sorted({n for e in events for n in field_names(e, parts)})
    found = _items(fields, Kind.Field, "event field")
    return found if parts else found + _items(FILTER_WORDS, Kind.Keyword, "filter")


def _path_before(tokens: list[str]) -> tuple[str, ...]:
    """`a.b.` before the cursor → ("a", "b"); anything else → ()."""
    parts: list[str] = []
    i = len(tokens) - 1
    while i >= 1 and tokens[i] == "." and re.fullmatch(r"[A-Za-z_]\w*", tokens[i - 1]):
        parts.insert(0, tokens[i - 1])
        i -= 2
    return tuple(parts)


def _components(t: ir.Topology, kinds: tuple[type, ...], detail: str) -> list[types.CompletionItem]:
    return [
        types.CompletionItem(label=x.name, kind=Kind.Module, detail=f"{x.keyword} ({detail})")
        for x in t.components
        if isinstance(x, kinds)
    ]


def _emitted(c: Compilation | None, name: str) -> list[ir.Event]:
    """The events a route out of component `name` may carry."""
    if c is None:
        return []
    component = c.topology.component(name)
    if isinstance(component, ir.EMITTERS):
        names: Iterable[str] = component.emits
    else:
        names = sorted({e for _, e in c.graph.arriving.get(component.id, ())}) if component else ()
    return [e for e in (c.topology.event(n) for n in names) if e is not None]


def _arriving(c: Compilation, name: str) -> list[ir.Event]:
    component = c.topology.component(name)
    names = sorted({e for _, e in c.graph.arriving.get(component.id, ())}) if component else []
    return [e for e in (c.topology.event(n) for n in names) if e is not None]
