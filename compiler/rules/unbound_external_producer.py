from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules.base import Rule, RuleContext


class UnboundExternalProducer(Rule):
    """An external producer that is not bound to the event types it may emit.

    ## What it does
    Reports a `source NAME: external` without `source:` (the EventBridge `source` its
    events carry), without any `emits`, or with an emitted event type that has no
    `detail-type` binding (`emits: [T: "Detail Type"]`).

    ## Why is this bad?
    Events from outside evtc arrive on a bus that other producers also write to. The rule
    evtc deploys admits an event as this producer's only by its `source` and `detail-type`;
    without them any producer on that bus can send events that consumers take for this
    producer's (spoofing), and the consumer receives types it never declared. For a
    producer in another account (`account:`), the same bindings are the conditions of the
    bus policy that admits it (`events:source`, `events:detail-type`): unbound, the policy
    could only admit everything that account sends.

    ## Example
    ```evt
    event InstanceStateChange { instance_id: string state: string }
    source ec2: external { emits: [InstanceStateChange] }
    queue stopped { max_receives: 5 dead_letter: stopped_dlq }
    queue stopped_dlq { retention: 14d }
    function notify { handler: "notify:handle" }
    route ec2.InstanceStateChange -> stopped
    route stopped -> notify
    ```

    ## Use instead
    ```evt
    event InstanceStateChange { instance_id: string state: string }
    source ec2: external {
      source: "aws.ec2"
      emits: [InstanceStateChange: "EC2 Instance State-change Notification"]
    }
    queue stopped { max_receives: 5 dead_letter: stopped_dlq }
    queue stopped_dlq { retention: 14d }
    function notify { handler: "notify:handle" }
    route ec2.InstanceStateChange -> stopped
    route stopped -> notify
    ```
    """

    code = "SEC020"
    name = "unbound-external-producer"
    category = Category.SECURITY
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for source in ctx.components(ir.Source):
            if not source.external:
                continue
            if source.event_source is None:
                yield self.report(
                    source.span,
                    f"external producer '{source.name}' has no `source`: any producer on its bus could pass as it",
                    'add the EventBridge source its events carry, like `source: "aws.ec2"`',
                )
            if not source.emits:
                yield self.report(
                    source.span,
                    f"external producer '{source.name}' is bound to no event type",
                    'list what it may emit with its detail-type: `emits: [T: "Detail Type"]`',
                )
            bound = {event for event, _ in source.detail_types}
            for event in source.emits:
                if event not in bound:
                    yield self.report(
                        source.prop("emits").span_of_item(event) if source.prop("emits") else source.span,
                        f"external producer '{source.name}' emits {event} without a `detail-type`: "
                        "the rule could not tell it from other events on the bus",
                        f'bind it: `{event}: "<its detail-type>"`',
                    )
