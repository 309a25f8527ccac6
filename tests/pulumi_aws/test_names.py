"""Generated names, over random topologies: program variables and logical names are
injective (no resource lost to a collision), and every physical name keeps its service's
rules (length, characters, the `.fifo` suffix) for any valid prefix."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from evtc.frontend import compile_text
from evtc.targets.pulumi_aws.plan import Fmt, Named, Resource, refs_in
from evtc.targets.pulumi_aws.planner import plan
from evtc.targets.pulumi_aws.stack import PREFIX_PATTERN, stack_prefix

# AWS's own rules, restated here (not read from the target) so the test can disagree with it.
RULES: dict[tuple[str, str], tuple[int, str]] = {
    ("sqs.Queue", "name"): (80, r"[A-Za-z0-9_-]+(\.fifo)?"),
    ("sns.Topic", "name"): (256, r"[A-Za-z0-9_-]+(\.fifo)?"),
    ("kinesis.Stream", "name"): (128, r"[A-Za-z0-9_.-]+"),
    ("lambda_.Function", "name"): (64, r"[A-Za-z0-9_-]+"),
    ("iam.Role", "name"): (64, r"[\w+=,.@-]+"),
    ("iam.Policy", "name"): (128, r"[\w+=,.@-]+"),
    ("cloudwatch.EventBus", "name"): (256, r"[/.\-_A-Za-z0-9]+"),
    ("cloudwatch.EventRule", "name"): (64, r"[.\-_A-Za-z0-9]+"),
    ("cloudwatch.EventArchive", "name"): (48, r"[.\-_A-Za-z0-9]+"),
    ("pipes.Pipe", "name"): (64, r"[.\-_A-Za-z0-9]+"),
    ("scheduler.Schedule", "name"): (64, r"[0-9a-zA-Z_.-]+"),
    ("dynamodb.Table", "name"): (255, r"[A-Za-z0-9_.-]{3,}"),
    ("s3.Bucket", "bucket"): (63, r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"),
    ("cloudwatch.LogGroup", "name"): (512, r"[.\-_/#A-Za-z0-9]+"),
    ("apigatewayv2.Api", "name"): (128, r".+"),
}
NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,70}", fullmatch=True)
# NOTE: names built to collide when joined with "_" (f / f_role, x_y / y_z / x / z).
TRICKY = st.sampled_from(["f", "f_role", "x", "x_y", "y_z", "z", "a_envelope", "A", "a", "q_policy", "q", "q_2", "x_2"])


def topology(names: list[str]) -> str:
    """Every component kind and most route kinds, named from `names` (unique, in order)."""
    n = iter(names)
    app, queue, fifo, stream, topic, bus, fn, fn2, table, bucket, hook, tick, dl = (next(n) for _ in range(13))
    return f"""topology {next(n)}
event E {{ id: string }}
event F {{ id: string }}
source {app}: app {{ emits: [E] }}
source {table}: dynamodb {{ emits: [E] }}
source {bucket}: s3 {{ emits: [E] }}
source {hook}: webhook {{ emits: [E, F] secret: "s" }}
source {tick}: schedule {{ emits: [E] rate: 5m }}
queue {queue} {{ dead_letter: {dl} max_receives: 3 }}
queue {dl} {{ retention: 14d }}
queue {fifo} {{ fifo: true }}
stream {stream} {{ partition_key: id }}
topic {topic} {{}}
bus {bus} {{ archive: 7d }}
function {fn} {{ handler: "h:a" emits: [E] }}
function {fn2} {{ handler: "h:b" }}
route {app}.E -> {queue}
route {queue} -> {fn}
route {fn}.E -> {topic}
route {topic} -> {fn2}
route {hook}.E -> {bus}
route {hook}.F -> {bus}
route {bus}.E -> {fifo}
route {bus}.F -> {fifo}
route {bucket} -> {fn2}
route {tick} -> {topic}
route {table} -> {stream}
route {stream} -> {fn2}
"""


def unique_names(draw_from: Any) -> Any:
    return st.lists(draw_from, min_size=14, max_size=14, unique_by=str.lower)


def _plan(names: list[str]) -> Any:
    compilation = compile_text(topology(names), "t.evt")
    errors = [d for d in compilation.diagnostics if d.severity.name == "ERROR"]
    assert not errors, errors
    return plan(compilation)


@settings(max_examples=25, deadline=None)
@given(st.one_of(unique_names(TRICKY | NAMES), unique_names(NAMES)))
def test_variables_and_logical_names_are_injective(names: list[str]) -> None:
    result = _plan(names)
    vars_ = [e.var for e in result.entries]
    assert len(vars_) == len(set(vars_)), Counter(vars_).most_common(3)
    logical = Counter((r.type, r.name) for r in result.resources)
    assert max(logical.values()) == 1, logical.most_common(3)
    known = set(vars_)
    for r in result.resources:
        assert refs_in(r.args) | set(r.depends_on) <= known, r.var
    functions = [r for r in result.resources if r.type == "lambda_.Function"]
    # two declared functions, the webhook's ingress; nothing dropped by a collision
    assert len(functions) == 3
    assert len([r for r in result.resources if r.type == "lambda_.EventSourceMapping"]) == 2


def _rendered(value: Any, prefix: str) -> str | None:
    if isinstance(value, Named):
        value = value.default
    if isinstance(value, Fmt):
        return value.template.format(prefix=prefix, partition="aws", region="eu-west-1", account="123456789012")
    return value if isinstance(value, str) else None


@settings(max_examples=25, deadline=None)
@given(unique_names(NAMES), st.from_regex(PREFIX_PATTERN, fullmatch=True))
def test_physical_names_keep_each_services_rules(names: list[str], prefix: str) -> None:
    result = _plan(names)
    seen: Counter[tuple[str, str]] = Counter()
    for r in result.resources:
        assert isinstance(r, Resource)
        for (type_, key), (limit, pattern) in RULES.items():
            if r.type != type_ or key not in r.args:
                continue
            name = _rendered(r.args[key], prefix)
            assert name is not None and len(name) <= limit and re.fullmatch(pattern, name), (type_, name)
            if type_ in ("sqs.Queue", "sns.Topic"):
                assert name.endswith(".fifo") == bool(r.args.get("fifo_queue") or r.args.get("fifo_topic"))
            if type_ == "s3.Bucket":
                assert ".." not in name and not name.startswith("xn--"), name
            seen[(type_, name.lower() if type_ in ("iam.Role", "s3.Bucket") else name)] += 1
    assert max(seen.values()) == 1, seen.most_common(2)


@given(st.text(min_size=1, max_size=60), st.text(min_size=1, max_size=60))
@settings(max_examples=100, deadline=None)
def test_the_stack_prefix_is_valid_and_tells_stacks_apart(project: str, stack: str) -> None:
    prefix = stack_prefix(project, stack)
    assert re.fullmatch(PREFIX_PATTERN, prefix), prefix
    other = stack_prefix(project, stack + "x")
    assert other != prefix


def _resources(text: str) -> list[Resource]:
    return plan(compile_text(text, "t.evt")).resources


def test_functions_f_and_f_role_are_both_deployed() -> None:
    """Issue 17: `function_f_role` was both f_role's function and f's role."""
    text = """topology t
event E { id: string }
source s: app { emits: [E] }
queue q {}
function f { handler: "h:a" }
function f_role { handler: "h:b" }
route s.E -> q
route q -> f
"""
    resources = _resources(text)
    assert sorted(r.name for r in resources if r.type == "lambda_.Function") == ["f", "f_role"]
    assert sorted(r.name for r in resources if r.type == "iam.Role") == ["f-role", "f_role-role"]
    assert len({r.var for r in resources}) == len(resources)


def test_routes_x_y_to_z_and_x_to_y_z_are_both_deployed() -> None:
    """Issue 17: both routes' mappings were `mapping_x_y_z`, and one was dropped."""
    text = """topology t
event E { id: string }
source s: app { emits: [E] }
queue x_y {}
queue x {}
function z { handler: "h:a" }
function y_z { handler: "h:b" }
route s.E -> x_y
route s.E -> x
route x_y -> z
route x -> y_z
"""
    mappings = [r for r in _resources(text) if r.type == "lambda_.EventSourceMapping"]
    assert sorted(r.name for r in mappings) == ["x-to-y_z", "x_y-to-z"]
    assert len({r.var for r in mappings}) == 2
