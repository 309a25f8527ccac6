from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.plan.wire import RESERVED_PREFIX
from evtc.rules.base import Rule, RuleContext


class WireNameConflict(Rule):
    """Events whose EventBridge `source` and `detail-type` cannot work on their bus.

    ## What it does
    Reads the names the delivery plan gives events on EventBridge (`evtc.plan.wire`: an
    emitter's `source:` and its `emits: [T: "Detail Type"]` bindings, `evtc.<topology>` and
    the type's name by default) and reports an own emitter whose `source` starts with
    `aws.`, and two event types that reach one bus under the same `source` and
    `detail-type`.

    ## Why is this bad?
    PutEvents rejects an entry whose `Source` starts with `aws.` (AWS reserves those for its
    own services): every event would fail to publish. Two event types with one name on a bus
    look the same to every rule there: a rule meant for one delivers both, and the consumer
    receives a type it never declared, on AWS and for every other team on a shared bus.

    ## Example
    ```evt
    event OrderPlaced { id: string }
    event OrderAmended { id: string }
    source checkout: app { source: "com.example.webstore" emits: [OrderPlaced: "Order", OrderAmended: "Order"] }
    bus shop {}
    function billing { handler: "billing:run" }
    route checkout -> shop
    route shop.OrderPlaced -> billing { lossy: true }
    ```

    ## Use instead
    ```evt
    event OrderPlaced { id: string }
    event OrderAmended { id: string }
    source checkout: app {
      source: "com.example.webstore"
      emits: [OrderPlaced: "Order Placed", OrderAmended: "Order Amended"]
    }
    bus shop {}
    function billing { handler: "billing:run" }
    route checkout -> shop
    route shop.OrderPlaced -> billing { lossy: true }
    ```
    """

    code = "LIM015"
    name = "wire-name-conflict"
    category = Category.LIMITS
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for emitter in ctx.components(ir.Source, ir.Function):
            chosen = emitter.event_source
            if chosen and not emitter.external and chosen.startswith(RESERVED_PREFIX):
                yield self.report(
                    emitter.span_of("source"),
                    f"'{emitter.name}' puts its events with source '{chosen}', and EventBridge rejects every "
                    f"event whose source starts with '{RESERVED_PREFIX}' (reserved for AWS's own services)",
                    'name the source after your organisation and service, like `source: "com.example.webstore"`',
                )
            if emitter.type_field is not None and not (isinstance(emitter, ir.Source) and emitter.kind != "app"):
                yield from self._type_field(ctx, emitter)
        yield from self._clashes(ctx)

    def _type_field(self, ctx: RuleContext, emitter: ir.Source | ir.Function) -> Iterator[Diagnostic]:
        """A detail-type taken from the payload: a required string field of every event, and no bindings."""
        field = emitter.type_field or ""
        span = emitter.span_of("type_field")
        if emitter.detail_types:
            bound = ", ".join(event for event, _ in emitter.detail_types)
            yield self.report(
                span,
                f"'{emitter.name}' takes its detail-types from the payload field '{field}' and binds {bound} too",
                'remove `type_field`, or the `: "…"` bindings of `emits`',
            )
        for event in emitter.emits:
            problem = _string_field(ctx.topology.event(event), field)
            if problem is not None:
                yield self.report(
                    span,
                    f"'{emitter.name}' takes its detail-types from the field '{field}', but {event} {problem}: "
                    "EventBridge needs a detail-type for every event",
                    f'add a required string field `{field}` to {event}, or bind its detail-type: `{event}: "…"`',
                )

    def _clashes(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        names = ctx.plan.names
        for bus in ctx.components(ir.Bus):
            seen: dict[tuple[str, str], tuple[str, str]] = {}
            for ref in sorted(ctx.graph.arriving.get(bus.id, ())):
                name = names.get(ref)
                if name is None or name.type_field is not None:
                    continue
                key = (name.source, name.detail_type)
                first = seen.setdefault(key, ref)
                if first[1] == ref[1]:
                    continue
                emitter = ctx.topology.component(ref[0])
                emits = emitter.prop("emits") if emitter else None
                yield self.report(
                    emits.span_of_item(ref[1]) if emits else bus.span,
                    f"{ref[1]} (from '{ref[0]}') and {first[1]} (from '{first[0]}') both reach bus '{bus.name}' "
                    f"as source '{name.source}', detail-type '{name.detail_type}': no rule can tell them apart",
                    f'bind {ref[1]} to a detail-type of its own: `{ref[1]}: "…"`',
                )


def _string_field(event: ir.Event | None, path: str) -> str | None:
    """Why `path` is not a required string field of `event` (None: it is)."""
    if event is None:
        return None
    fields: tuple[ir.Field, ...] = event.fields
    found: ir.Field | None = None
    for part in path.split("."):
        found = next((f for f in fields if f.name == part), None)
        if found is None:
            return "has no such field"
        if found.optional:
            return "may leave it out (`@optional`)"
        fields = found.type.fields if isinstance(found.type, ir.ObjectType) else ()
    if found is None or not (isinstance(found.type, ir.ScalarType) and found.type.name == "string"):
        return "has it, but not as a string"
    return None
