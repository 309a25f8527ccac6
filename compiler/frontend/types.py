"""Named types: `type Order { … }` used as a field's type (`order: Order`, `[Order]`) or
as the start of an event (`event OrderPlaced: Order { … }`).

They are resolved once, right after parsing: every use becomes the type's object (with
its `name` kept for the formatter-free consumers that show it, such as the JSON schema's
`title`), so every later stage (filters, payload sizes, `@sensitive` pruning, schemas,
samples) sees plain object types and needs no notion of a name. A type that contains
itself, at any depth, is an error: an evtc schema is finite, as AWS filters and JSON
Schema without references need.

>>> from evtc.frontend import compile_text
>>> t = compile_text('topology t type Money { amount: number } event Paid { price: Money }', "t.evt").topology
>>> t.event("Paid").fields[0].type.fields[0].name, t.event("Paid").fields[0].type.name
('amount', 'Money')
"""

from __future__ import annotations

from dataclasses import replace

from evtc import ir
from evtc.diagnostics import Diagnostic, Related
from evtc.frontend import codes
from evtc.frontend.resolve import SCALAR_TYPES
from evtc.span import Span
from evtc.util.suggest import did_you_mean


def resolve_types(
    types: tuple[ir.TypeDecl, ...],
    events: tuple[ir.Event, ...],
    diagnostics: list[Diagnostic],
    broken: frozenset[str] = frozenset(),
) -> tuple[tuple[ir.TypeDecl, ...], tuple[ir.Event, ...]]:
    """`types` and `events` with every use of a named type replaced by its object type;
    problems go to `diagnostics` (none for a name in `broken`: its declaration did not
    parse, and that syntax error was reported)."""
    declared: dict[str, ir.TypeDecl] = {}
    for decl in types:
        if decl.name in SCALAR_TYPES:
            diagnostics.append(
                codes.DUPLICATE_NAME.at(
                    decl.span, f"type '{decl.name}' has the name of a built-in type", "give it a name of its own"
                )
            )
            continue
        if decl.name in declared:
            diagnostics.append(
                codes.DUPLICATE_NAME.at(
                    decl.span,
                    f"type '{decl.name}' is declared twice",
                    "rename or remove one of them",
                    (Related(declared[decl.name].span, "first declared here"),),
                )
            )
            continue
        declared[decl.name] = decl
    if not declared and not any(e.base for e in events):
        return types, events  # NOTE: the common case costs one scan
    expander = _Expander(declared, diagnostics, broken)
    # NOTE: cycles are reported while the declarations expand, once each, never at the uses
    expanded = tuple(replace(d, fields=expander.fields(d.fields, (d.name,))) for d in types)
    expander.report = False
    return expanded, tuple(expander.event(e) for e in events)


class _Expander:
    def __init__(self, declared: dict[str, ir.TypeDecl], diagnostics: list[Diagnostic], broken: frozenset[str]) -> None:
        self.declared, self.diagnostics, self.broken = declared, diagnostics, broken
        self.report = True

    def event(self, event: ir.Event) -> ir.Event:
        fields = self.fields(event.fields, ())
        if event.base is None:
            return replace(event, fields=fields)
        decl = self.declared.get(event.base)
        if decl is None:
            self._unknown(event.base, event.base_span or event.span)
            return replace(event, fields=fields)
        own = {f.name for f in fields}
        inherited = tuple(f for f in self.fields(decl.fields, (decl.name,)) if f.name not in own)
        return replace(event, fields=inherited + fields)

    def fields(self, fields: tuple[ir.Field, ...], inside: tuple[str, ...]) -> tuple[ir.Field, ...]:
        return tuple(replace(f, type=self.type(f.type, inside)) for f in fields)

    def type(self, t: ir.TypeExpr, inside: tuple[str, ...]) -> ir.TypeExpr:
        if isinstance(t, ir.ListType):
            return replace(t, item=self.type(t.item, inside))
        if isinstance(t, ir.ObjectType):
            return replace(t, fields=self.fields(t.fields, inside))
        decl = self.declared.get(t.name)
        if decl is None:
            return t  # a scalar, or an unknown name the resolver reports with its candidates
        if decl.name in inside:
            if self.report:
                chain = " -> ".join((*inside[inside.index(decl.name) :], decl.name))
                self.diagnostics.append(
                    codes.RECURSIVE_TYPE.at(
                        t.span,
                        f"type '{decl.name}' contains itself ({chain})",
                        "an evtc schema is finite: give the inner one its own type, or a list of ids",
                    )
                )
            return ir.ScalarType("string", t.span)  # NOTE: cut the cycle, so no stage loops on it
        return ir.ObjectType(self.fields(decl.fields, (*inside, decl.name)), t.span, decl.name)

    def _unknown(self, name: str, span: Span) -> None:
        if name in self.broken:
            return
        hint = did_you_mean(name, list(self.declared)) or f"declare `type {name} {{ … }}`"
        self.diagnostics.append(codes.UNKNOWN_TYPE.at(span, f"no type is named '{name}'", hint))
