from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import item_span
from evtc.rules.base import Rule, RuleContext


class UnusedReadGrant(Rule):
    """A `reads:` grant on a source whose notifications never reach the function.

    ## What it does
    Reports a function that may read back a source although no notification from that
    source is routed to it.

    ## Why is this bad?
    Grants should follow the data flow (least privilege): a read grant nobody needs is a
    permission an attacker or a bug can use, and it hides which consumers really depend on
    the source.

    ## Example
    ```evt
    event ImageUploaded { bucket: string key: string }
    source uploads: s3 { bucket: "images" emits: [ImageUploaded] payload: notification }
    queue failures { retention: 14d }
    function scanner { handler: "scan:handle" reads: [uploads] }
    function billing { handler: "billing:handle" reads: [uploads] }   # nothing routes uploads' events here
    route uploads.ImageUploaded -> scanner { dead_letter: failures }
    ```

    ## Use instead
    ```evt
    event ImageUploaded { bucket: string key: string }
    source uploads: s3 { bucket: "images" emits: [ImageUploaded] payload: notification }
    queue failures { retention: 14d }
    function scanner { handler: "scan:handle" reads: [uploads] }
    function billing { handler: "billing:handle" }
    route uploads.ImageUploaded -> scanner { dead_letter: failures }
    ```
    """

    code = "SEC009"
    name = "unused-read-grant"
    category = Category.SECURITY
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        arriving = ctx.graph.arriving
        for f in ctx.components(ir.Function):
            emitters = {emitter for emitter, _ in arriving.get(f.id, ())}
            for source in dict.fromkeys(f.reads):
                if isinstance(ctx.topology.component(source), ir.Source) and source not in emitters:
                    yield self.report(
                        item_span(f, "reads"),
                        f"'{f.name}' may read back '{source}', but no event from '{source}' reaches it",
                        f"remove '{source}' from the `reads` of '{f.name}', or route its notifications to it",
                    )
