from __future__ import annotations

from collections.abc import Iterator

from evtc.analysis.payload import human
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules.base import Rule, RuleContext


class PayloadExceedsHopLimit(Rule):
    """An event that can be larger than a hop on its path can carry.

    ## What it does
    Sizes each event type from its schema (`@maxlen(N)` on strings, `@maxitems(N)` on
    lists; unbounded fields are left out, so the size is a lower bound of the worst case)
    and compares it with the limit of every hop it travels: 256 KiB for SNS, 1 MiB for
    SQS, EventBridge, Kinesis and asynchronous Lambda invocations, 400 KB for a DynamoDB
    item and its change stream.

    ## Why is this bad?
    The publish call fails for exactly the largest (often most important) events, in
    production, and only for them.

    ## Example
    ```evt
    event ReportReady { body: string @maxlen(400000) }
    source reporting: app { emits: [ReportReady] }
    topic reports {}
    function mailer { handler: "mail:send" }
    route reporting.ReportReady -> reports
    route reports -> mailer { dead_letter: mail_failures }
    queue mail_failures { retention: 14d }
    ```

    ## Use instead
    ```evt
    event ReportReady { bucket: string @maxlen(63) key: string @maxlen(1024) }   # a claim check
    source reporting: app { emits: [ReportReady] }
    topic reports {}
    function mailer { handler: "mail:send" }
    route reporting.ReportReady -> reports
    route reports -> mailer { dead_letter: mail_failures }
    queue mail_failures { retention: 14d }
    ```
    """

    code = "LIM002"
    name = "payload-exceeds-hop-limit"
    category = Category.LIMITS
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        seen: set[tuple[str, str]] = set()
        for flow in ctx.analysis.flows.values():
            for facts in flow.reach.values():
                for hop in facts.hops:
                    limit = hop.size_limit
                    key = (hop.route.id, flow.event)
                    if limit is None or key in seen or flow.size.bytes <= limit[1]:
                        continue
                    seen.add(key)
                    yield self.report(
                        hop.route.span,
                        f"{flow.event} can be {human(flow.size.bytes)} or more, larger than {limit[0]} "
                        f"can carry ({human(limit[1])})",
                        "send a notification (a pointer to the data) and let consumers read it back: the claim-check pattern",
                    )
