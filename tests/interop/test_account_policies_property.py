"""Property: over random cross-account topologies, the statements the pulumi-aws program
grants to principals of other accounts (written on our resources, or owed by their owners)
are exactly those the declarations ask for, derived here independently of evtc.plan.accounts:
no principal, action or condition more, none less."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evtc.frontend import compile_text

pytest.importorskip("pulumi")

from evtc.targets.pulumi_aws.plan import Fmt, Json, Ref, Resource  # noqa: E402
from evtc.targets.pulumi_aws.planner import plan  # noqa: E402

HOME = "333333333333"
OTHERS = ("111111111111", "222222222222")
EVENTS = ("A", "B", "C")
PUBLISH = {"queue": "sqs:SendMessage", "bus": "events:PutEvents", "topic": "sns:Publish"}

Grant = tuple[str, str, str, tuple[str, ...], frozenset[tuple[str, Any]]]


@st.composite
def topologies(draw: st.DrawFn) -> tuple[str, set[Grant]]:
    """A topology text and the cross-account grants its declarations imply."""
    lines = ["topology prop", *(f"event {e} {{ id: string }}" for e in EVENTS)]
    lines += [f'bus hub {{ account: "{HOME}" region: "us-east-1" }}', "topic news {}"]
    expected: set[Grant] = set()
    targets = []
    for i in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(("queue", "bus")))
        account = draw(st.sampled_from(OTHERS))
        arn = (
            f"arn:aws:sqs:us-east-1:{account}:q{i}"
            if kind == "queue"
            else (f"arn:aws:events:us-east-1:{account}:event-bus/b{i}")
        )
        lines.append(f'{kind} x{i}: external {{ arn: "{arn}" }}')
        targets.append((f"x{i}", kind, account, arn))
    for i in range(draw(st.integers(0, 2))):
        account = draw(st.sampled_from((HOME, *OTHERS)))
        emits = draw(st.lists(st.sampled_from(EVENTS), min_size=1, max_size=3, unique=True))
        bound = ", ".join(f'{e}: "{e} Happened"' for e in emits)
        lines.append(f'source p{i}: external {{ account: "{account}" source: "com.p{i}" emits: [{bound}] bus: hub }}')
        for name, _, _, _ in draw(st.lists(st.sampled_from(targets), max_size=2, unique=True)):
            lines.append(f"route p{i} -> {name}")
        if account != HOME:
            types = tuple(sorted(f"{e} Happened" for e in emits))
            conditions = frozenset({("events:source", ("com.p" + str(i),)), ("events:detail-type", types)})
            expected.add(("hub", "account", account, ("events:PutEvents",), conditions))
    for i in range(draw(st.integers(0, 2))):
        account = draw(st.sampled_from((None, *OTHERS)))
        emits = draw(st.lists(st.sampled_from(EVENTS), min_size=1, max_size=2, unique=True))
        placed = f' account: "{account}"' if account else ""
        lines.append(f"source a{i}: app {{{placed} emits: [{', '.join(emits)}] }}")
        into = draw(st.sampled_from(("hub", "news")))
        lines.append(f"route a{i} -> {into}")
        if account:
            conditions: frozenset[tuple[str, Any]] = frozenset()
            if into == "hub":
                conditions = frozenset(
                    {("events:source", ("evtc.prop",)), ("events:detail-type", tuple(sorted(emits)))}
                )
            action = PUBLISH["bus" if into == "hub" else "topic"]
            expected.add((into, "account", account, (action,), conditions))
    for name, kind, account, arn in targets:
        if draw(st.booleans()):
            lines.append(f"route hub -> {name}")
            expected.add((name, "role", f"hub->{name}", (PUBLISH[kind],), frozenset()))
        if kind == "queue" and draw(st.booleans()):
            lines.append(f"route news -> {name}")
            conditions = frozenset({("sns:Endpoint", (arn,)), ("sns:Protocol", ("sqs",))})
            expected.add(("news", "account", account, ("sns:Subscribe",), conditions))
    for source, name in _producer_routes(lines):
        target = next(t for t in targets if t[0] == name)
        expected.add((name, "role", f"{source}->{name}", (PUBLISH[target[1]],), frozenset()))
    return "\n".join(lines) + "\n", expected


def _producer_routes(lines: list[str]) -> list[tuple[str, str]]:
    found = []
    for line in lines:
        if line.startswith("route p"):
            source, target = line.removeprefix("route ").split(" -> ")
            found.append((source, target))
    return found


def emitted(text: str) -> set[Grant]:
    """Every statement of the program that admits an AWS principal (an account or a role)."""
    program = plan(compile_text(text, "prop.evt"))
    documents: list[tuple[str, dict[str, Any]]] = []
    for entry in program.entries:
        if isinstance(entry, Resource) and entry.type in (
            "cloudwatch.EventBusPolicy",
            "sns.TopicPolicy",
            "sqs.QueuePolicy",
        ):
            documents.append((entry.component, entry.args["policy"].value))
    for component, outputs in program.outputs.items():
        owed = outputs.get("policy_owed")
        if isinstance(owed, Json):
            documents.append((component, owed.value))
    found: set[Grant] = set()
    for component, document in documents:
        for statement in document["Statement"]:
            principal = statement.get("Principal", {}).get("AWS")
            if principal is None:
                continue
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            conditions = frozenset(
                (key, tuple(sorted(value)) if isinstance(value, list) else (value,))
                for test in statement.get("Condition", {}).values()
                for key, value in test.items()
            )
            found.add((component, *_principal(principal), tuple(sorted(actions)), conditions))
    return found


def _principal(value: Any) -> tuple[str, str]:
    if isinstance(value, Fmt):
        return "account", value.template.split("::")[1].split(":")[0]
    assert isinstance(value, Ref), value
    source, target = value.var.removeprefix("rule_").removesuffix("_role").split("_", 1)
    return "role", f"{source}->{target}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(topologies())
def test_cross_account_policies_are_exactly_the_declared_associations(case: tuple[str, set[Grant]]) -> None:
    text, expected = case
    assert emitted(text) == expected, text


@st.composite
def regional_topologies(draw: st.DrawFn) -> tuple[str, set[int]]:
    """A stack in us-east-1 whose bus routes to queues and buses in other accounts and
    regions, and the lines of the routes AWS cannot carry (a queue in another region)."""
    lines = ["topology regions", "event A { id: string }", "source web: app { emits: [A] }"]
    lines += [f'bus hub {{ account: "{HOME}" region: "us-east-1" }}', "route web.A -> hub"]
    refused: set[int] = set()
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(("queue", "bus")))
        region = draw(st.sampled_from(("us-east-1", "eu-west-1")))
        account = draw(st.sampled_from((HOME, *OTHERS)))
        arn = (
            f"arn:aws:sqs:{region}:{account}:q{i}"
            if kind == "queue"
            else f"arn:aws:events:{region}:{account}:event-bus/b{i}"
        )
        lines.append(f'{kind} x{i}: external {{ arn: "{arn}" }}')
        lines.append(f"route hub -> x{i}")
        if kind == "queue" and region != "us-east-1":
            refused.add(len(lines))
    return "\n".join(lines) + "\n", refused


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regional_topologies())
def test_check_refuses_exactly_the_hops_aws_cannot_carry_and_builds_the_rest(case: tuple[str, set[int]]) -> None:
    from evtc.check.checker import check_compilation

    text, refused = case
    compilation = compile_text(text, "regions.evt")
    found = {d.span.line for d in check_compilation(compilation) if d.code == "LIM013"}
    assert found == refused, text
    if not refused:
        plan(compilation)  # NOTE: checks clean, so it builds
