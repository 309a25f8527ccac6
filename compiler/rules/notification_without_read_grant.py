from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Related, Severity
from evtc.rules.base import Rule, RuleContext


class NotificationWithoutReadGrant(Rule):
    """A function receives a notification payload but may not read back its source.

    ## What it does
    Reports a function that some path delivers a `payload: notification` event to, when
    the function has no `reads:` grant on the source the notification points at.

    ## Why is this bad?
    A notification says only that something happened; the consumer has to read the data
    back from the source. Without the grant the read fails at run time, on every event.

    ## Example
    ```evt
    event ImageUploaded { bucket: string key: string }
    source uploads: s3 { bucket: "images" emits: [ImageUploaded] payload: notification }
    queue failures { retention: 14d }
    function scanner { handler: "scan:handle" }
    route uploads.ImageUploaded -> scanner { dead_letter: failures }
    ```

    ## Use instead
    ```evt
    event ImageUploaded { bucket: string key: string }
    source uploads: s3 { bucket: "images" emits: [ImageUploaded] payload: notification }
    queue failures { retention: 14d }
    function scanner { handler: "scan:handle" reads: [uploads] }
    route uploads.ImageUploaded -> scanner { dead_letter: failures }
    ```
    """

    code = "SEC005"
    name = "notification-without-read-grant"
    category = Category.SECURITY
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        seen: set[tuple[str, str]] = set()
        for facts in ctx.analysis.consumers():
            consumer = t.component(facts.via[-1])
            if ctx.analysis.flows[facts.ref].mode != "notification" or not isinstance(consumer, ir.Function):
                continue
            if facts.emitter in consumer.reads or (consumer.name, facts.emitter) in seen:
                continue
            seen.add((consumer.name, facts.emitter))
            yield self.report(
                facts.hops[-1].route.span,
                f"'{consumer.name}' receives notifications from '{facts.emitter}' but may not read it back",
                f"add `reads: [{facts.emitter}]` to '{consumer.name}'",
                (Related(consumer.span, f"'{consumer.name}' is declared here"),),
            )
