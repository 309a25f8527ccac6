"""`evtc run`: recorded or sample events, what happened to each, summary, audit, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evtc.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["run", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*.evt")))
def test_every_example_runs_on_sample_events(name: str) -> None:
    code, output = run(str(EXAMPLES / f"{name}.evt"), "--seed", "1")
    assert code == 0, output
    assert "audit:" in output and "nothing lost" in output and "consumer" in output


def test_recorded_events_are_reported_one_by_one(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    lines = [
        {
            "source": "checkout",
            "type": "OrderPlaced",
            "data": {"order_id": "o1", "customer_email": "a@b", "amount": 1500, "region": "eu-west-1"},
        },
        {"source": "checkout", "type": "Nope", "data": {}},
    ]
    events.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    code, output = run(str(EXAMPLES / "orders.evt"), "--events", str(events))
    assert code == 0, output
    assert "checkout.OrderPlaced" in output and "billing, fraud_check" in output
    assert "event 2: rejected" in output


def test_a_long_run_summarises_instead_of_listing(tmp_path: Path) -> None:
    code, output = run(str(EXAMPLES / "orders.evt"), "--count", "1500", "--show", "5")
    assert code == 0 and "more events not listed" in output


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"source": 1}'])
def test_bad_event_files_are_usage_errors_not_tracebacks(tmp_path: Path, content: str) -> None:
    events = tmp_path / "bad.jsonl"
    events.write_text(content + "\n")
    code, output = run(str(EXAMPLES / "orders.evt"), "--events", str(events))
    assert code == 2 and "Traceback" not in output


def test_a_broken_topology_exits_1_with_diagnostics(tmp_path: Path) -> None:
    bad = tmp_path / "bad.evt"
    bad.write_text("topology t\nqueue {\n")
    result = CliRunner().invoke(main, ["run", str(bad)])
    assert result.exit_code == 1 and "SYN" in result.output


def test_a_missing_handler_is_a_clear_error(tmp_path: Path) -> None:
    evt = tmp_path / "t.evt"
    evt.write_text('topology t\nfunction f { handler: "nowhere_mod:run" }\n')
    code, output = run(str(evt))
    assert code == 1 and "cannot import nowhere_mod" in output


def test_lost_events_make_the_exit_code_1(tmp_path: Path) -> None:
    evt = tmp_path / "t.evt"
    evt.write_text("topology t\nevent E { n: number }\nsource s: app { emits: [E] }\ntopic t {}\nroute s.E -> t\n")
    code, output = run(str(evt), "--count", "2")
    assert code == 1 and "LOST" in output and "'t' has no subscription or rule" not in output
    assert "no route carries E out of 't'" in output


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*.evt")))
def test_run_output_matches_the_golden_file(name: str, golden: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES.parent)  # the report names files as given on the command line
    code, output = run(f"examples/{name}.evt", "--seed", "7")
    assert code == 0
    golden.check(f"local/run_{name}.txt", output)  # type: ignore[attr-defined]


def test_webhook_requests_are_judged_as_deployed_and_unaccepted_ones_listed(tmp_path: Path) -> None:
    code, output = run(
        str(EXAMPLES / "stripe_webhooks.evt"), "--events", str(EXAMPLES / "samples" / "stripe_webhooks.jsonl")
    )
    assert code == 0, output
    assert "event 4: ignored (200): 'customer.created' is not an event type" in output
    assert "event 5: rejected (401): no v1 signature in Stripe-Signature matches the body" in output
    assert "event 6: ignored (200): 'ping'" in output
    assert "stripe.PaymentSucceeded data.object.amount=2000 delivered → fulfil" in output
    assert 'github.PushReceived ref="refs/heads/feature" filtered' in output


def test_a_webhook_request_record_needs_a_body_or_a_type(tmp_path: Path) -> None:
    events = tmp_path / "bad.jsonl"
    events.write_text('{"source": "stripe", "headers": {}}\n')
    code, output = run(str(EXAMPLES / "stripe_webhooks.evt"), "--events", str(events))
    assert code == 2 and '"body" (a webhook request)' in output
