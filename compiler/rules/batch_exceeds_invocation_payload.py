from __future__ import annotations

from collections.abc import Iterator

from evtc import aws, ir
from evtc.analysis import Hop
from evtc.analysis.payload import human
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules.base import Rule, RuleContext


class BatchExceedsInvocationPayload(Rule):
    """A batch of events that can be larger than one Lambda invocation may carry.

    ## What it does
    Multiplies a queue or stream consumer's `batch_size` (or its default: 10 for a queue,
    100 for a stream) by the largest event on the route and compares it with the 6 MB
    payload of a synchronous Lambda invocation.

    ## Why is this bad?
    Lambda cuts the batch short when it does not fit; large batch sizes then promise a
    throughput that never happens, and partial-batch logic meets batches it was not
    tested with.

    ## Example
    ```evt
    event Doc { body: string @maxlen(500000) }
    source editor: app { emits: [Doc] }
    queue docs { max_receives: 5 dead_letter: docs_dlq }
    queue docs_dlq { retention: 14d }
    function indexer { handler: "index:add" }
    route editor.Doc -> docs
    route docs -> indexer { batch_size: 100 }
    ```

    ## Use instead
    ```evt
    event Doc { body: string @maxlen(500000) }
    source editor: app { emits: [Doc] }
    queue docs { max_receives: 5 dead_letter: docs_dlq }
    queue docs_dlq { retention: 14d }
    function indexer { handler: "index:add" }
    route editor.Doc -> docs
    route docs -> indexer { batch_size: 10 }
    ```
    """

    code = "LIM004"
    name = "batch-exceeds-invocation-payload"
    category = Category.LIMITS
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        limit = aws.maximum("lambda.sync_payload")
        for flow in ctx.analysis.flows.values():
            for facts in flow.reach.values():
                hop = facts.hops[-1] if facts.hops else None
                if hop is None or hop.style not in ("poll-queue", "poll-stream"):
                    continue
                if not isinstance(ctx.topology.component(hop.route.target), ir.Function):
                    continue
                batch = hop.route.batch_size or _default(hop)
                if batch * flow.size.bytes > limit:
                    yield self.report(
                        hop.route.span_of("batch_size"),
                        f"a batch of {batch} {flow.event} events can be {human(batch * flow.size.bytes)}, "
                        f"more than a Lambda invocation carries ({human(limit)})",
                        f"use `batch_size: {max(1, int(limit // max(flow.size.bytes, 1)))}` or less",
                    )


def _default(hop: Hop) -> int:
    key = "sqs.batch_size" if hop.style == "poll-queue" else "stream.batch_size"
    return int(aws.default(key))
