"""What the delivery plan says of accounts: where components live, which hops cross an
account boundary, and the resource-policy statements those hops need (see `accounts`)."""

from __future__ import annotations

from dataclasses import field

from evtc.diagnostics import Diagnostic
from evtc.util.record import record

# What a rule's creator may do on a bus another account owns: its own rules and their targets.
CREATE_RULES = (
    "events:DeleteRule",
    "events:DescribeRule",
    "events:DisableRule",
    "events:EnableRule",
    "events:PutRule",
    "events:PutTargets",
    "events:RemoveTargets",
)

# The actions a principal needs to put events into, or read them from, a component's kind.
PUBLISH = {
    "queue": ("sqs:SendMessage",),
    "stream": ("kinesis:PutRecord", "kinesis:PutRecords"),
    "topic": ("sns:Publish",),
    "bus": ("events:PutEvents",),
    "function": ("lambda:InvokeFunction",),
}
READ = {
    "queue": ("sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"),
    "stream": (
        "kinesis:DescribeStream",
        "kinesis:DescribeStreamSummary",
        "kinesis:GetRecords",
        "kinesis:GetShardIterator",
        "kinesis:ListShards",
    ),
}
PROTOCOL = {"queue": "sqs", "function": "lambda"}  # an SNS subscription's protocol per endpoint kind


@record
class Place:
    """An AWS account and region; None: the stack's own (not declared)."""

    account: str | None
    region: str | None


@record
class ArnOf:
    """An ARN only a target can spell: a component's (`arn`), its execution role's (`role`),
    the rules on a bus (`rules`), or the execution role of the rule, pipe or schedule that
    carries a route (`route` set, `role`)."""

    component: str | None = None
    route: str | None = None
    part: str = "arn"

    def __str__(self) -> str:
        if self.route is not None:
            return f"<role of {self.route}>"
        return f"<{self.part} of {self.component}>"


@record
class Principal:
    """Who a statement admits: an `account` (its ID) or a `role` (its ARN)."""

    kind: str
    value: str | ArnOf

    def __str__(self) -> str:
        return f"account {self.value}" if self.kind == "account" else str(self.value)


@record
class Condition:
    test: str  # StringEquals | StringEqualsIfExists | ArnEquals
    key: str
    values: tuple[str | ArnOf, ...]


@record
class Statement:
    """One statement of `resource`'s resource policy (a component's name): `principal` may do
    `actions` under `conditions`. `owed`: the resource is owned elsewhere, and its owner must
    attach the statement (SQS, SNS and EventBridge keep one policy per resource)."""

    resource: str
    actions: tuple[str, ...]
    principal: Principal
    conditions: tuple[Condition, ...] = ()
    owed: bool = False
    sid: str = ""
    resource_arn: ArnOf | None = None  # None: the resource's own ARN


@record
class Crossing:
    """A hop whose ends live in different accounts or regions, and what it needs."""

    route: str
    source: Place
    target: Place
    accounts: bool
    regions: bool
    statements: tuple[Statement, ...]
    owed: tuple[str, ...] = ()  # resources the other account must create (`subscription`, …)


@record(slots=False)
class AccountPlan:
    home: Place
    crossings: dict[str, Crossing]
    producers: tuple[Statement, ...]  # bus statements for external producers in other accounts
    problems: tuple[Diagnostic, ...] = field(default=(), compare=False)

    def statements(self) -> tuple[Statement, ...]:
        """Every statement, each once: the producers' and the hops'."""
        seen: dict[Statement, None] = dict.fromkeys(self.producers)
        for crossing in self.crossings.values():
            seen.update(dict.fromkeys(crossing.statements))
        return tuple(seen)
