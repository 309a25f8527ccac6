"""'Did you mean' suggestions for misspelt names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint sentence, or '' when nothing is close enough to suggest."""
    match = closest(word, candidates)
    return f"did you mean '{match}'?" if match else ""


def suggested(hint: str) -> str | None:
    """The name a `did_you_mean` hint suggests (`None` for any other hint)."""
    head, quote, rest = hint.partition("did you mean '")
    return rest[: -len("'?")] if quote and not head and rest.endswith("'?") else None


def indefinite(word: str) -> str:
    """`word` after its indefinite article: 'an endpoint', 'a queue'."""
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"
