from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules.base import Rule, RuleContext


class ChangeKindNotBound(Rule):
    """A table's change stream delivers creations, updates and deletions as one event type.

    ## What it does
    Reports an event type of a `dynamodb` source that is not bound to a change kind
    (`INSERT`, `MODIFY` or `REMOVE`).

    ## Why is this bad?
    A table's stream carries every write, deletions included. An event type not bound to a
    kind takes them all, so a consumer handling `ProductAdded` also receives the record of
    a deleted product (with no new image) as if it had been created: the classic bug of
    stream consumers that forget to check `eventName`.

    ## Example
    ```evt
    event ProductAdded { sku: string }
    source products: dynamodb { emits: [ProductAdded] }
    stream changes { partition_key: sku }
    queue failures { retention: 1d }
    function indexer { handler: "index:handle" }
    route products -> changes
    route changes -> indexer { retries: 3 dead_letter: failures }
    ```

    ## Use instead
    ```evt
    event ProductAdded { sku: string }
    event ProductRemoved { sku: string }
    source products: dynamodb { emits: [ProductAdded: "INSERT", ProductRemoved: "REMOVE"] }
    stream changes { partition_key: sku }
    queue failures { retention: 1d }
    function indexer { handler: "index:handle" }
    route products -> changes
    route changes -> indexer { retries: 3 dead_letter: failures }
    ```
    """

    code = "DLV021"
    name = "change-kind-not-bound"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for source in ctx.components(ir.Source):
            if source.kind != "dynamodb":
                continue
            bound = {event for event, _ in source.change_kinds}
            emits = source.prop("emits")
            for event in source.emits:
                if event not in bound:
                    yield self.report(
                        emits.span_of_item(event) if emits else source.span,
                        f"every change of table '{source.name}' arrives as {event}: a deletion looks like a creation",
                        f'bind it to the change it is: `{event}: "INSERT"` (or "MODIFY", "REMOVE"), '
                        "and declare the other kinds as their own events",
                    )
