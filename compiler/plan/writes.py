"""Writes that close the loop: a function's `writes` to a table or bucket whose changes
flow on through the topology (the transactional-outbox pattern), and what each grants.

A write is an edge of the topology like a route: function -> table (or bucket). What it
writes comes back as the table's change records (INSERT, MODIFY or REMOVE), or as the
bucket's "Object Created" notification, along every route out of the table or bucket.
The cycle analysis (DLV006) follows writes as it follows routes; the pulumi-aws target
grants exactly the actions below on exactly those resources; the local runtime turns
each write into the change record a deployed stream would carry.
"""

from __future__ import annotations

from evtc import ir
from evtc.plan.changes import KINDS
from evtc.span import Span
from evtc.util.record import record

KINDS_ALL = KINDS  # a write bound to no kind may make any

# The IAM actions that make each change of a table (Amazon DynamoDB Developer Guide,
# "Actions, resources, and condition keys for Amazon DynamoDB"; checked 2026-11): a put
# creates or replaces an item, an update creates or modifies one, a batch does either.
TABLE_ACTIONS: dict[str, tuple[str, ...]] = {
    "INSERT": ("dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
    "MODIFY": ("dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
    "REMOVE": ("dynamodb:BatchWriteItem", "dynamodb:DeleteItem"),
}
BUCKET_ACTIONS = ("s3:PutObject",)


@record
class Write:
    """`writes: [target]` on function `source`, read like a route by the cycle analysis."""

    source: str  # the function
    target: str  # the table or bucket
    kinds: tuple[str, ...]  # the change kinds its writes make (a table); all three when unbound
    span: Span
    when: None = None  # NOTE: a write has no filter; the routes out of the table may

    @property
    def id(self) -> str:
        return f"write:{self.source}->{self.target}"


def writes_of(t: ir.Topology) -> tuple[Write, ...]:
    """Every write of every function to a declared table or bucket, in declaration order."""
    found = []
    for f in t.components:
        if not isinstance(f, ir.Function):
            continue
        prop = f.prop("writes")
        for name in f.writes:
            target = t.component(name)
            if not isinstance(target, ir.Source) or target.kind not in ("dynamodb", "s3"):
                continue  # NOTE: REF001/REF009 report it
            kinds = tuple(kind for table, kind in f.write_kinds if table == name) or KINDS
            found.append(Write(f.name, name, kinds, prop.span_of_item(name) if prop else f.span))
    return tuple(found)


def written_events(t: ir.Topology, write: Write) -> tuple[str, ...]:
    """The event types the write's changes arrive as: those bound to a kind it makes, and
    every type bound to none (it takes every change); a bucket's types, all of them."""
    target = t.component(write.target)
    if not isinstance(target, ir.Source):
        return ()
    if target.kind != "dynamodb":
        return target.emits
    bound: dict[str, set[str]] = {}
    for event, kind in target.change_kinds:
        bound.setdefault(event, set()).add(kind)
    return tuple(e for e in target.emits if e not in bound or bound[e] & set(write.kinds))


def write_actions(t: ir.Topology, write: Write) -> tuple[str, ...]:
    """The IAM actions the write needs, and no others."""
    target = t.component(write.target)
    if isinstance(target, ir.Source) and target.kind == "s3":
        return BUCKET_ACTIONS
    return tuple(sorted({action for kind in write.kinds for action in TABLE_ACTIONS[kind]}))
