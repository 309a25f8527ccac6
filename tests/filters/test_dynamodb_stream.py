"""DynamoDB stream filters against the records the local runtime writes (issue 17):
numbers as DynamoDB's canonical text, `!=` on a boolean as a `BOOL` test, `not in [null]`."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from evtc import ir
from evtc.envelope import dynamodb_number, from_dynamodb, to_dynamodb
from evtc.filters import artefact_matcher, compile_when
from evtc.frontend import compile_text
from evtc.targets.local.hops import VIEWS

HEAD = "topology t\nevent E { id: string amount: number flag: boolean note: string }\n"
TYPES = {("amount",): "number", ("flag",): "boolean", ("note",): "string", ("id",): "string"}
CANONICAL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?")


def when(condition: str) -> ir.Filter:
    text = HEAD + f"source s: app {{ emits: [E] }}\nqueue q {{}}\nroute s -> q when {condition}\n"
    found = compile_text(text, "t.evt").topology.routes[0].when
    assert found is not None
    return found


def decides(condition: str) -> Any:
    artefact = compile_when(when(condition), dialect="esm_dynamodb", field_types=TYPES)
    decide = artefact_matcher(artefact, "esm_dynamodb")
    return artefact, lambda data: decide(VIEWS["esm_dynamodb"](_envelope(data)))


def _envelope(data: dict[str, Any]) -> Any:
    from evtc.envelope import Envelope

    return Envelope("e1", "evtc://t/s", "E", 0.0, 0.0, data, None)


@pytest.mark.parametrize(
    ("number", "text"),
    [(5.0, "5"), (1e-06, "0.000001"), (-0.0, "0"), (1e22, "10000000000000000000000"), (2.50, "2.5"), (7, "7")],
)
def test_numbers_are_written_as_dynamodb_stores_them(number: float, text: str) -> None:
    assert to_dynamodb(number) == {"N": text}


@pytest.mark.parametrize("number", [float("nan"), float("inf"), 10**38 + 1, 1e-131, 1e127])
def test_numbers_dynamodb_cannot_store_are_refused(number: float) -> None:
    with pytest.raises(ValueError):
        dynamodb_number(number)


def test_an_equality_on_a_float_matches_the_integer_dynamodb_stores() -> None:
    artefact, decide = decides("amount == 5")
    assert json.loads(artefact["Filters"][0]["Pattern"])["dynamodb"]["NewImage"] == {"amount": {"N": ["5"]}}
    assert decide({"amount": 5.0}) and decide({"amount": 5}) and not decide({"amount": 5.5})


def test_not_equal_on_a_boolean_is_a_bool_test() -> None:
    artefact, decide = decides("flag != true")
    assert json.loads(artefact["Filters"][0]["Pattern"])["dynamodb"]["NewImage"] == {"flag": {"BOOL": [False]}}
    assert decide({"flag": False}) and not decide({"flag": True}) and not decide({"note": "x"})


def test_not_in_null_asks_for_a_value_of_the_declared_type() -> None:
    _, decide = decides("note not in [null]")
    assert decide({"note": "x"}) and not decide({"note": None}) and not decide({"id": "a"})
    _, decide = decides('note not in [null, "x"]')
    assert decide({"note": "y"}) and not decide({"note": "x"}) and not decide({"note": None})


def test_a_boolean_excluded_both_ways_is_not_expressible() -> None:
    from evtc.filters import NotExpressible

    with pytest.raises(NotExpressible, match="neither true nor false"):
        compile_when(when("flag not in [true, false]"), dialect="esm_dynamodb", field_types=TYPES)


NUMBERS = st.one_of(
    st.integers(-(10**40), 10**40),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.sampled_from([5, 5.0, 1e-06, 0.000001, 100, 1e2, -0.0, 0, 0.1, 1e22, 10**22]),
)


def storable(number: float) -> bool:
    try:
        dynamodb_number(number)
    except ValueError:
        return False
    return True


def same_decimal(a: float, b: float) -> bool:
    """What DynamoDB compares: the numbers the JSON texts denote."""
    return Decimal(json.dumps(a)) == Decimal(json.dumps(b))


@settings(max_examples=150, deadline=None)
@given(NUMBERS, NUMBERS)
def test_compiled_number_filters_agree_with_the_records_the_runtime_writes(x: float, y: float) -> None:
    assume(storable(x) and storable(y))
    literal = json.dumps(x)
    _, equal = decides(f"amount == {literal}")
    _, unequal = decides(f"amount != {literal}")
    assert equal({"amount": y}) == same_decimal(x, y)
    assert unequal({"amount": y}) == (not same_decimal(x, y))


@settings(max_examples=150, deadline=None)
@given(NUMBERS)
def test_number_text_is_canonical_and_round_trips(x: float) -> None:
    assume(storable(x))
    text = to_dynamodb(x)["N"]
    assert CANONICAL.fullmatch(text), text
    assert Decimal(text) == Decimal(json.dumps(x)) and same_decimal(from_dynamodb({"N": text}), x)


TABLE = (
    HEAD
    + """source table: dynamodb { table: "t" emits: [E] }
stream changes { partition_key: id }
function f { handler: "h:ok" }
function g { handler: "h:ok" }
route table -> changes
route changes -> f when flag != true { retries: 2 max_age: 1h }
route changes -> g when note not in [null] { retries: 2 max_age: 1h }
"""
)


def test_check_and_filters_compile_the_table_stream_filters(tmp_path: Any) -> None:
    """Issue 10: `evtc filters` crashed on `not in [null]`, and check said "rule LIM003 failed" at 1:1."""
    from click.testing import CliRunner

    from evtc.cli import main

    path = tmp_path / "t.evt"
    path.write_text(TABLE)
    runner = CliRunner()
    checked = runner.invoke(main, ["check", str(path)])
    shown = runner.invoke(main, ["filters", str(path)])
    assert checked.exception is None or isinstance(checked.exception, SystemExit)
    assert "failed on this file" not in checked.output and "LIM003" not in checked.output
    assert shown.exit_code == 0, shown.output
    assert '\\"flag\\":{\\"BOOL\\":[false]}' in shown.output
    assert '\\"note\\":{\\"S\\":[{\\"exists\\":true}]}' in shown.output
