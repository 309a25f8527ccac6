"""Name resolution: every name a declaration uses must exist and be of the right kind.

Reports duplicates, undefined names (with "did you mean"), and references to the wrong
kind of component (a `dead_letter` that is a topic, a route out of an endpoint, …).
"""

from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Diagnostic, Related
from evtc.frontend import codes
from evtc.span import Span
from evtc.util.suggest import did_you_mean

SCALAR_TYPES = ("string", "number", "integer", "boolean", "timestamp")
KNOWN_ANNOTATIONS = ("sensitive", "optional", "maxlen", "maxitems", "attribute")


def resolve(topology: ir.Topology, broken: frozenset[str] = frozenset()) -> list[Diagnostic]:
    """All reference problems of `topology`; names in `broken` failed to parse and are not
    reported as undefined (their syntax error already was)."""
    checker = _Resolver(topology, broken)
    return [*checker.duplicates(), *checker.events(), *checker.components(), *checker.routes()]


class _Resolver:
    def __init__(self, topology: ir.Topology, broken: frozenset[str]) -> None:
        self.t = topology
        self.broken = broken

    # ---- helpers --------------------------------------------------------------------
    def _undefined(self, name: str, span: Span, what: str, candidates: list[str]) -> Iterator[Diagnostic]:
        if name in self.broken:
            return
        hint = did_you_mean(name, candidates) or f"declare {what} '{name}'"
        yield codes.UNDEFINED_NAME.at(span, f"no {what} is named '{name}'", hint)

    def _component(self, name: str, span: Span, allowed: tuple[type, ...], role: str) -> Iterator[Diagnostic]:
        found = self.t.component(name)
        if found is None:
            # NOTE: only names of a kind that may stand here are suggested
            fitting = [c.name for c in self.t.components if isinstance(c, allowed)]
            yield from self._undefined(name, span, "component", fitting)
        elif not isinstance(found, allowed):
            kinds = _kinds(allowed)
            yield codes.WRONG_REFERENCE_KIND.at(
                span,
                f"{role} must be {kinds}, but '{name}' is {_a(found.keyword)}",
                f"point it at {kinds}",
                (Related(found.span, f"'{name}' is declared here"),),
            )

    def _writes(self, f: ir.Function) -> Iterator[Diagnostic]:
        """`writes` names tables and buckets: dynamodb and s3 sources; a kind only on a table."""
        for name in f.writes:
            span = _item_span(f, "writes", name)
            found = self.t.component(name)
            if found is None or not isinstance(found, ir.Source):
                yield from self._component(name, span, (ir.Source,), "`writes`")
            elif found.kind not in WRITABLE:
                yield codes.WRONG_REFERENCE_KIND.at(
                    span,
                    f"`writes` names tables and buckets (dynamodb and s3 sources), but '{name}' is {_a(found.kind)} source",
                    "to send an event, declare it in `emits` and route it; `writes` is for a table or bucket",
                    (Related(found.span, f"'{name}' is declared here"),),
                )
            elif found.kind == "s3" and any(table == name for table, _ in f.write_kinds):
                yield codes.WRONG_TYPE.at(
                    span,
                    f"'{name}' is a bucket: a change kind (INSERT, MODIFY, REMOVE) is a table's",
                    f"write `{name}` alone",
                )

    def _event(self, name: str, span: Span) -> Iterator[Diagnostic]:
        if self.t.event(name) is None:
            yield from self._undefined(name, span, "event", [e.name for e in self.t.events])

    # ---- checks ------------------------------------------------------------------------
    def duplicates(self) -> Iterator[Diagnostic]:
        for kind, items in (("event", self.t.events), ("component", self.t.components)):  # types: evtc.frontend.types
            first: dict[str, ir.Event | ir.Component] = {}
            for item in items:
                earlier = first.setdefault(item.name, item)
                if earlier is not item:
                    yield codes.DUPLICATE_NAME.at(
                        item.span,
                        f"{kind} '{item.name}' is declared twice",
                        "rename or remove one of them",
                        (Related(earlier.span, "first declared here"),),
                    )

    def events(self) -> Iterator[Diagnostic]:
        # NOTE: a named type's fields are checked once, at its declaration, not at each use
        for decl in self.t.types:
            yield from self._fields(decl.fields)
        for event in self.t.events:
            yield from self._fields(event.fields)

    def _fields(self, fields: tuple[ir.Field, ...]) -> Iterator[Diagnostic]:
        seen: set[str] = set()
        for f in fields:
            if f.name in seen:
                yield codes.DUPLICATE_NAME.at(f.span, f"field '{f.name}' is declared twice", "remove one of them")
            seen.add(f.name)
            yield from self._type(f.type)
            for a in f.annotations:
                if a.name not in KNOWN_ANNOTATIONS:
                    hint = did_you_mean(a.name, KNOWN_ANNOTATIONS) or f"known: {', '.join(KNOWN_ANNOTATIONS)}"
                    yield codes.UNKNOWN_ANNOTATION.at(a.span, f"unknown annotation '@{a.name}'", hint)

    def _type(self, t: ir.TypeExpr) -> Iterator[Diagnostic]:
        if isinstance(t, ir.ScalarType) and t.name not in SCALAR_TYPES and t.name not in self.broken:
            named = [d.name for d in self.t.types]
            hint = (
                did_you_mean(t.name, [*SCALAR_TYPES, *named])
                or f"use {', '.join(SCALAR_TYPES)}, [T], {{ … }} or a `type`"
            )
            yield codes.UNKNOWN_TYPE.at(t.span, f"unknown type '{t.name}'", hint)
        elif isinstance(t, ir.ListType):
            yield from self._type(t.item)
        elif isinstance(t, ir.ObjectType) and t.name is None:
            yield from self._fields(t.fields)

    def components(self) -> Iterator[Diagnostic]:
        for c in self.t.components:
            for event in getattr(c, "emits", ()):
                yield from self._event(event, _item_span(c, "emits", event))
            if isinstance(c, ir.Function):
                for source in c.reads:
                    yield from self._component(source, _item_span(c, "reads", source), (ir.Source,), "`reads`")
                yield from self._writes(c)
            if isinstance(c, ir.Queue) and c.dead_letter:
                yield from self._component(
                    c.dead_letter, _item_span(c, "dead_letter"), (ir.Queue,), "a queue's dead letter"
                )

    def routes(self) -> Iterator[Diagnostic]:
        for r in self.t.routes:
            yield from self._component(
                r.source, r.source_span, (*ir.EMITTERS, *ir.STORES, *ir.ROUTERS), "a route's source"
            )
            yield from self._component(
                r.target, r.target_span, (*ir.STORES, *ir.ROUTERS, *ir.CONSUMERS), "a route's target"
            )
            if r.event:
                yield from self._event(r.event, r.source_span)
            if r.dead_letter:
                yield from self._component(
                    r.dead_letter, _route_value_span(r, "dead_letter"), (ir.Queue, ir.Topic), "a route's dead letter"
                )
            if r.delivery_dead_letter:
                # NOTE: EventBridge, Scheduler and SNS dead-letter undeliverable events to SQS only
                yield from self._component(
                    r.delivery_dead_letter,
                    _route_value_span(r, "delivery_dead_letter"),
                    (ir.Queue,),
                    "a route's delivery dead letter",
                )


WRITABLE = ("dynamodb", "s3")


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _kinds(allowed: tuple[type, ...]) -> str:
    words = [_a(k.keyword) for k in allowed]  # type: ignore[attr-defined]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _item_span(component: ir.Component, prop: str, item: object = None) -> Span:
    found = component.prop(prop)
    if found is None:
        return component.span
    return found.span_of_item(item) if item is not None else found.value_span


def _route_value_span(route: ir.Route, prop: str) -> Span:
    found = route.prop(prop)
    return found.value_span if found else route.span
