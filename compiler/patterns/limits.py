"""What each filter dialect accepts: operators and size limits, one table, each with its source.

When AWS changes a limit, this is the only file to edit.
"""

from __future__ import annotations

from evtc.util.record import record


@record
class Dialect:
    """The facts evtc needs about one place AWS evaluates a filter."""

    name: str
    operators: frozenset[str]
    anything_but: frozenset[str]  # forms allowed inside `anything-but: {...}`
    ignore_case_affixes: bool  # `prefix`/`suffix` with `{"equals-ignore-case": ...}`
    number_limit: float
    max_chars: int | None  # length of the pattern's JSON text
    max_keys: int | None
    max_combinations: int | None
    source: str
    # Decided as EventBridge's open-source matching library (aws/event-ruler) decides:
    # Unicode case folding, IP addresses, dotted event keys, a path given twice, `exists:
    # false` over the whole event. SNS has a matcher of its own.
    ruler: bool = False
    # THE SWITCH for the rows where AWS's guide and the library disagree (docs/filters.md,
    # "where evtc and AWS's matching library differ"). False: the guide (numbers within
    # +-5e9 compared to six decimals; no `exactly`). True: the library since 1.8 (numbers
    # compared as exact doubles of any size; `exactly`). Flip it when AWS is observed.
    library_numbers: bool = False


_ALL_OPERATORS = frozenset(
    {"prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists", "cidr"}
)

EVENTBRIDGE = Dialect(
    name="eventbridge",
    operators=_ALL_OPERATORS,
    anything_but=frozenset({"prefix", "suffix", "equals-ignore-case", "wildcard"}),
    ignore_case_affixes=True,
    number_limit=5e9,
    # NOTE: 2048 is the default quota; it can be raised to 4096 on request.
    max_chars=2048,
    max_keys=None,
    max_combinations=None,
    source="EventBridge user guide: content filtering, event patterns; EventBridge quotas",
    ruler=True,
)

SNS = Dialect(
    name="sns",
    operators=_ALL_OPERATORS - {"wildcard"},
    # NOTE: SNS documents anything-but with a prefix only (not suffix, wildcard, ignore-case).
    anything_but=frozenset({"prefix"}),
    ignore_case_affixes=False,
    number_limit=1e9,
    max_chars=256 * 1024,
    max_keys=5,
    max_combinations=150,
    source="SNS developer guide: filter policy constraints; string and numeric value matching",
)

# Lambda event source mapping FilterCriteria (SQS, Kinesis, DynamoDB streams) and Pipes:
# the EventBridge syntax without wildcard, cidr and the anything-but sub-forms.
ESM = Dialect(
    name="esm",
    operators=frozenset({"prefix", "suffix", "equals-ignore-case", "anything-but", "numeric", "exists"}),
    anything_but=frozenset(),
    ignore_case_affixes=True,
    number_limit=5e9,
    max_chars=4096,
    max_keys=None,
    max_combinations=None,
    source="Lambda developer guide: event filtering, filter rule syntax; Lambda API Filter.Pattern",
    ruler=True,
)

DIALECTS: dict[str, Dialect] = {d.name: d for d in (EVENTBRIDGE, SNS, ESM)}

# The library's own operator names, which it refuses as field names inside `$or`.
RULER_RESERVED = frozenset(
    {"exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard", "numeric", "cidr"}
    | {"=", "<", "<=", ">", ">=", "regex", "not-wildcard", "not-equals-ignore-case"}
    | {"date-after", "date-on-or-after", "date-before", "date-on-or-before", "in-date-range"}
    | {"ip-address-in-range", "ip-address-not-in-range"}
)

# AWS rejects wildcard patterns whose automaton can be in too many places at once
# ("Rule is too complex"). NOTE: the exact threshold is not published; this value accepts
# every pattern in AWS's documentation and rejects the ones AWS was seen to reject.
MAX_WILDCARD_COMPLEXITY = 10

S3_SOURCE = "S3 user guide: event notifications, filtering on object key name (one prefix, one suffix)"
