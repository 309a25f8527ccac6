"""`equals-ignore-case` as EventBridge's matching library decides it.

The library turns each character of the pattern into the choice of its lower-case and its
upper-case form (Java's, per character, locale-neutral), and the event text must spell the
pattern with one of the two at every position. So `ß` matches `SS` (its upper case) and
`ß`, but not `ss`; `ς` matches `Σ`; the Kelvin sign matches `k`; and `k` does not match the
Kelvin sign. NOTE: two places where the library has a defect and evtc keeps its answer: a
character outside the Basic Multilingual Plane (an emoji) and a titlecase letter (`ǅ`) also
match themselves, which the library's per-UTF-16-unit reading never lets them do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache


def _choices(char: str) -> list[str]:
    lower, upper = char.lower(), char.upper()
    forms = {lower, upper}
    if ord(char) > 0xFFFF or char not in forms:
        forms.add(char)
    return sorted(forms, key=lambda form: (-len(form), form))


@lru_cache(maxsize=1024)
def folded_regex(pattern: str) -> re.Pattern[str]:
    """A regex spelling `pattern` with every character in any of its case forms."""
    parts = []
    for char in pattern:
        forms = _choices(char)
        parts.append(re.escape(forms[0]) if len(forms) == 1 else "(?:" + "|".join(map(re.escape, forms)) + ")")
    return re.compile("".join(parts), re.DOTALL)


def equals_folded(pattern: str) -> Callable[[str], bool]:
    """Text equal to `pattern` ignoring case; for ASCII patterns, one lower-case comparison."""
    if pattern.isascii():
        lowered = pattern.lower()
        return lambda text: text.isascii() and text.lower() == lowered
    fullmatch = folded_regex(pattern).fullmatch
    return lambda text: fullmatch(text) is not None


def starts_folded(pattern: str) -> Callable[[str], bool]:
    if pattern.isascii():
        lowered, size = pattern.lower(), len(pattern)
        return lambda text: text[:size].isascii() and text[:size].lower() == lowered
    match = folded_regex(pattern).match
    return lambda text: match(text) is not None


def ends_folded(pattern: str) -> Callable[[str], bool]:
    if not pattern:
        return lambda text: True
    if pattern.isascii():
        lowered, size = pattern.lower(), len(pattern)
        return lambda text: text[-size:].isascii() and text[-size:].lower() == lowered
    # NOTE: the reversed text against the reversed pattern: a match anchored at the end
    match = _reversed_regex(pattern).match
    return lambda text: match(text[::-1]) is not None


@lru_cache(maxsize=1024)
def _reversed_regex(pattern: str) -> re.Pattern[str]:
    parts = []
    for char in reversed(pattern):
        forms = [form[::-1] for form in _choices(char)]
        parts.append("(?:" + "|".join(map(re.escape, forms)) + ")")
    return re.compile("".join(parts), re.DOTALL)
