"""Filter engine: agreement with the shared AWS conformance vectors, and decisions per second.

Run from the repository root:  python benchmarks/filters.py [--seconds 1.0]

The conformance vectors are read from ../shared/conformance (or $EVTC_CONFORMANCE) when
present; they are reference data and are never copied into the project. Speed is measured
(a) on simple patterns of one to three keys, compiled once, and (b) over the conformance
set, evtc and moto's matchers side by side in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from evtc.filters import InvalidPatternError, compile, validate

REPO = Path(__file__).resolve().parent.parent
MAIN_FILES = ("sns_filter_policy.jsonl", "eventbridge_pattern.jsonl")
INVALID_FILE = "eventbridge_invalid_patterns.jsonl"

Case = dict[str, Any]


def conformance_dir() -> Path | None:
    configured = os.environ.get("EVTC_CONFORMANCE")
    folder = Path(configured) if configured else REPO.parent / "shared" / "conformance"
    return folder if folder.is_dir() else None


def load(path: Path) -> list[Case]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def event_of(case: Case) -> Any:
    """What evtc is handed: the raw body text when the case gives one, else the event."""
    return case.get("message_raw", case["event"])


def decide(case: Case) -> bool | str:
    try:
        matcher = compile(case["pattern"], dialect=case["dialect"], scope=case.get("scope", "MessageBody"))
    except InvalidPatternError as error:
        return f"rejected: {error}"
    return matcher.matches(event_of(case))


def agreement(folder: Path) -> tuple[list[tuple[str, int, int]], list[str]]:
    """Per main file (name, agreed, total), plus a line per disagreement."""
    rows: list[tuple[str, int, int]] = []
    problems: list[str] = []
    for name in MAIN_FILES:
        cases = load(folder / name)
        agreed = 0
        for number, case in enumerate(cases, 1):
            got = decide(case)
            if got is case["match"]:
                agreed += 1
            else:
                problems.append(f"{name}:{number}: expected {case['match']}, evtc says {got}")
        rows.append((name, agreed, len(cases)))
    return rows, problems


def rejected(folder: Path) -> tuple[tuple[str, int, int], list[str]]:
    cases = load(folder / INVALID_FILE)
    missed = [
        f"{INVALID_FILE}:{n}: accepted {json.dumps(c['pattern'])}"
        for n, c in enumerate(cases, 1)
        if not validate(c["pattern"], dialect=c["dialect"])
    ]
    return (INVALID_FILE, len(cases) - len(missed), len(cases)), missed


def rates(sides: list[list[Callable[[], object]]], seconds: float, rounds: int = 15) -> list[float]:
    """Decisions per second for each side, best round of `rounds`, the sides interleaved.

    NOTE: best round, as timeit advises, and interleaved: other work on a shared machine
    only slows a round down, and it then slows both sides alike.
    """
    best = [0.0] * len(sides)
    for _ in range(rounds):
        for index, calls in enumerate(sides):
            done = 0
            start = time.perf_counter()
            deadline = start + seconds / rounds / len(sides)
            while time.perf_counter() < deadline:
                for call in calls:
                    call()
                done += len(calls)
            best[index] = max(best[index], done / (time.perf_counter() - start))
    return best


SIMPLE_PATTERNS: list[dict[str, Any]] = [
    {"source": ["checkout"]},
    {"detail-type": ["OrderPlaced", "OrderCancelled"], "source": ["checkout"]},
    {"source": ["checkout"], "detail": {"data": {"total": [{"numeric": [">", 100]}]}}},
    {"detail": {"data": {"country": [{"prefix": "D"}], "total": [{"numeric": [">=", 10, "<", 500]}]}}},
    {"detail-type": [{"anything-but": ["Ping"]}], "detail": {"data": {"vip": [True]}}},
]

SIMPLE_EVENTS: list[dict[str, Any]] = [
    {
        "source": "checkout",
        "detail-type": "OrderPlaced",
        "detail": {"data": {"total": 120, "country": "DE", "vip": True}},
    },
    {"source": "billing", "detail-type": "Ping", "detail": {"data": {"total": 5, "country": "FR", "vip": False}}},
]


def simple_rate(seconds: float) -> float:
    calls = []
    for pattern in SIMPLE_PATTERNS:
        matcher = compile(pattern, dialect="eventbridge").matches
        calls.extend(_bind(matcher, event) for event in SIMPLE_EVENTS)
    return rates([calls], seconds)[0]


def _bind(function: Callable[..., object], *args: Any) -> Callable[[], object]:
    return partial(function, *args)


def timed_input(case: Case, as_given: bool = False) -> Any:
    """The input an engine is handed. `as_given`: the case as the conformance set gives it
    (the event object, or `message_raw` text where a case has one), which evtc's API takes
    as it is. Otherwise SNS bodies are always text, the only form moto's API accepts."""
    if as_given:
        return event_of(case)
    if case["dialect"] != "sns" or case.get("scope") != "MessageBody":
        return case["event"]
    return case.get("message_raw", json.dumps(case["event"]))


def moto_matcher(case: Case) -> Callable[[], object]:
    """moto's matcher for one case, compiled once (imported late: moto is optional)."""
    given = timed_input(case)
    if case["dialect"] == "sns":
        from moto.sns.utils import FilterPolicyMatcher

        policy = FilterPolicyMatcher(case["pattern"], case.get("scope"))
        if case.get("scope") == "MessageAttributes":
            return _bind(policy.matches, given, "")
        return _bind(policy.matches, None, given)
    from moto.events.models import EventPattern

    pattern = EventPattern(json.dumps(case["pattern"]), case["pattern"])
    return _bind(pattern.matches_event, given)


Calls = list[Callable[[], object]]


def conformance_calls(cases: list[Case], as_given: bool = False) -> tuple[Calls, Calls]:
    """(evtc, moto) closures for every case both can decide, each pattern compiled once."""
    ours: Calls = []
    theirs: Calls = []
    for case in cases:
        scope = case.get("scope", "MessageBody")
        try:
            matcher = compile(case["pattern"], dialect=case["dialect"], scope=scope)
            mine = _bind(matcher.matches, timed_input(case, as_given))
            other = moto_matcher(case)
            mine(), other()
        except Exception:  # noqa: BLE001, S112 - a case either side cannot decide is not timed
            continue
        ours.append(mine)
        theirs.append(other)
    return ours, theirs


def _sns_body(case: Case) -> bool:
    return case["dialect"] == "sns" and case.get("scope") == "MessageBody"


# (label, which cases, evtc handed the cases as given); moto always gets SNS bodies as text
SPEED_GROUPS: list[tuple[str, Callable[[Case], bool], bool]] = [
    ("sns, attribute scope", lambda c: c["dialect"] == "sns" and c.get("scope") == "MessageAttributes", True),
    ("sns, body as given (evtc: object)", _sns_body, True),
    ("sns, body as text for both", _sns_body, False),
    ("eventbridge", lambda c: c["dialect"] == "eventbridge", True),
    ("all conformance, as given", lambda c: True, True),
    ("all conformance, sns bodies as text", lambda c: True, False),
]


def speed_rows(folder: Path | None, seconds: float) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [("simple patterns, 1-3 keys", f"{simple_rate(seconds):,.0f}", "-", "target 1M/s")]
    if folder is None:
        return rows
    cases = [case for name in MAIN_FILES for case in load(folder / name)]
    for label, wanted, as_given in SPEED_GROUPS:
        ours, theirs = conformance_calls([c for c in cases if wanted(c)], as_given)
        evtc_rate, moto_rate = rates([ours, theirs], seconds)
        ratio = f"{evtc_rate / moto_rate:.1f}x"
        rows.append((f"{label} ({len(ours)})", f"{evtc_rate:,.0f}", f"{moto_rate:,.0f}", ratio))
    return rows


def table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)) for row in [headers, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per speed measurement")
    options = parser.parse_args()
    folder = conformance_dir()
    problems: list[str] = []
    if folder is None:
        print("conformance vectors not found (../shared/conformance or $EVTC_CONFORMANCE): agreement skipped")
    else:
        rows, problems = agreement(folder)
        invalid_row, missed = rejected(folder)
        problems += missed
        cells = [(n, f"{a}/{t}", f"{100 * a / t:.1f}%") for n, a, t in [*rows, invalid_row]]
        print(table(("conformance file", "agreed", "agreement"), cells))
        print("\n".join(["", "disagreements:", *problems] if problems else ["", "no disagreements"]))
    print()
    print(
        table(
            ("speed (cases)", "evtc decisions/s", "moto decisions/s", "evtc/moto"), speed_rows(folder, options.seconds)
        )
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
