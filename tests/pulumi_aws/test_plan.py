"""The plan itself, without running it: what only large topologies exercise."""

from __future__ import annotations

from typing import Any

from evtc.frontend import compile_text
from evtc.targets.pulumi_aws.planner import plan


def _pipelines(count: int) -> str:
    body = "topology big\nevent E { id: string }\n"
    for i in range(count):
        body += f"source s{i}: app {{ emits: [E] }}\ntopic t{i} {{ }}\nqueue q{i} {{ encrypted: true }}\n"
        body += f"route s{i}.E -> t{i}\nroute t{i} -> q{i}\n"
    return body


def _key_statements(count: int) -> list[dict[str, Any]]:
    entries = plan(compile_text(_pipelines(count), "big.evt")).resources
    [policy] = [r for r in entries if r.type == "kms.KeyPolicy"]
    return list(policy.args["policy"].value["Statement"])


def test_key_policy_names_each_source_arn_while_it_fits() -> None:
    sns = [s for s in _key_statements(3) if s.get("Principal") == {"Service": "sns.amazonaws.com"}]
    assert len(sns[0]["Condition"]["ArnEquals"]["aws:SourceArn"]) == 3


def test_key_policy_falls_back_to_the_stacks_own_names_past_its_size_budget() -> None:
    [sns] = [s for s in _key_statements(120) if s.get("Principal") == {"Service": "sns.amazonaws.com"}]
    assert set(sns["Condition"]) == {"ArnLike", "StringEquals"}
    assert sns["Condition"]["ArnLike"]["aws:SourceArn"].template.endswith("{prefix}-*")


def test_a_pipe_into_a_fifo_topic_is_refused() -> None:
    import pytest

    from evtc.targets.pulumi_aws import BuildError

    text = "topology t\nevent E { id: string }\nsource s: app { emits: [E] }\nqueue q { fifo: true }\ntopic f { fifo: true }\nroute s.E -> q\nroute q -> f\n"
    with pytest.raises(BuildError, match="FIFO topic"):
        plan(compile_text(text, "t.evt"))
