"""How a store or router is encrypted at rest as evtc deploys it: the one place that says so.

`encrypted: true` asks for evtc's customer-managed KMS key everywhere. Without it, what
is left depends on the service: SQS queues get SSE-SQS (evtc's build sets it), an
EventBridge bus and a DynamoDB change stream are encrypted by AWS with a key AWS owns,
while a Kinesis stream and an SNS topic store their data unencrypted.

>>> from evtc import ir
>>> t = ir.Topology("t", "t.evt", None)
>>> at_rest(t, ir.Queue("q", None)), at_rest(t, ir.Topic("t", None))
('AWS-owned key', 'none')
"""

from __future__ import annotations

from evtc import ir
from evtc.plan.carriers import table_streams

CUSTOMER = "customer-managed key"
AWS_OWNED = "AWS-owned key"
NONE = "none"


def at_rest(t: ir.Topology, component: ir.Component) -> str:
    """`CUSTOMER`, `AWS_OWNED` or `NONE` for a store or router (`NONE` for anything else)."""
    if getattr(component, "encrypted", False):
        return CUSTOMER
    if isinstance(component, (ir.Queue, ir.Bus)):
        return AWS_OWNED
    if isinstance(component, ir.Stream) and component.name in table_streams(t):
        return AWS_OWNED  # a DynamoDB table's change stream takes the table's encryption
    return NONE


def how(t: ir.Topology, component: ir.Component) -> str:
    """A few words for messages: `encrypted with a customer-managed key`, `NOT encrypted`."""
    key = at_rest(t, component)
    if key == NONE:
        return "NOT encrypted"
    return f"encrypted with {'an' if key == AWS_OWNED else 'a'} {key}"
