"""SNS attribute-scope filtering as the local runtime does it, against AWS's decisions.

For every `MessageAttributes` case of the shared conformance vectors (../shared/conformance
or $EVTC_CONFORMANCE; never copied into the repository) whose attributes are of the types
an `@attribute` field is sent as (String, Number, String.Array), the attributes are turned
back into event data, published as evtc's producer publishes them
(`evtc.attributes.message_attributes`) and decided as the local runtime decides a route in
the `sns_attributes` dialect (`evtc.filters.artefact_matcher` on that view). Side by side:
the engine on the case's attributes as given, and on evtc's round trip.

Run from the repository root:  python benchmarks/sns_attributes.py
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from evtc.attributes import message_attributes
from evtc.filters import artefact_matcher
from evtc.patterns.engine import InvalidPatternError
from evtc.patterns.engine import compile as compile_pattern

REPO = Path(__file__).resolve().parent.parent
TYPES = ("String", "Number", "String.Array")


def conformance_dir() -> Path | None:
    configured = os.environ.get("EVTC_CONFORMANCE")
    for folder in (
        Path(configured) if configured else None,
        REPO.parent / "shared" / "conformance",
        Path("/work/shared/conformance"),
    ):
        if folder is not None and folder.is_dir():
            return folder
    return None


def data_of(attributes: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]] | None:
    """The event data and `@attribute` spec that publish these attributes; None when evtc
    has no field type for one of them."""
    data: dict[str, Any] = {}
    spec: dict[str, str] = {}
    for name, attribute in attributes.items():
        kind, text = attribute.get("Type"), attribute.get("Value")
        if kind not in TYPES or not isinstance(text, str) or not text:
            return None
        try:
            value = text if kind == "String" else json.loads(text)
        except ValueError:
            return None
        if kind == "Number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
            return None
        if kind == "String.Array" and not isinstance(value, list):
            return None
        data[name], spec[name] = value, kind
    return data, spec


def main() -> int:
    folder = conformance_dir()
    if folder is None:
        print("conformance vectors not found (../shared/conformance or $EVTC_CONFORMANCE): nothing to compare")
        return 0
    cases = [json.loads(line) for line in (folder / "sns_filter_policy.jsonl").read_text().splitlines() if line.strip()]
    cases = [c for c in cases if c.get("scope") == "MessageAttributes"]
    tally = {"cases": len(cases), "expressible": 0, "as given": 0, "through evtc": 0, "rejected": 0}
    wrong: list[str] = []
    for case in cases:
        try:
            matcher = compile_pattern(case["pattern"], dialect="sns", scope="MessageAttributes")
        except InvalidPatternError:
            tally["rejected"] += 1
            continue
        tally["as given"] += matcher.matches(case["event"]) == case["match"]
        found = data_of(case["event"])
        if found is None:
            continue
        tally["expressible"] += 1
        data, spec = found
        view = message_attributes("E", data, spec)
        decided = artefact_matcher(case["pattern"], "sns_attributes")(view)
        if decided == case["match"]:
            tally["through evtc"] += 1
        else:
            wrong.append(
                f"{json.dumps(case['pattern'])} on {json.dumps(case['event'])}: evtc {decided}, AWS {case['match']}"
            )
    print(f"attribute-scope cases: {tally['cases']} ({tally['rejected']} patterns the engine rejects)")
    print(f"  engine, attributes as given:          {tally['as given']} agree")
    print(
        f"  evtc producer + local view + engine:  {tally['through evtc']} of {tally['expressible']} expressible as @attribute fields agree"
    )
    for line in wrong:
        print("  DISAGREES:", line)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
