"""Durations and sizes written with a unit evtc does not know (`5min`, `256kb`, `30 s`): one
REF005 on the value, naming the accepted units and the spelling evtc wants.

>>> suggestion("5min")
('duration', '5m')
>>> suggestion("1w")
('duration', '7d')
>>> suggestion("512M")
('size', '512MB or 512MiB')
"""

from __future__ import annotations

import re

from evtc.diagnostics import Diagnostic
from evtc.frontend import codes
from evtc.span import Span

DURATION_UNITS = "ms, s, m, h, d"
SIZE_UNITS = "B, KB, KiB, MB, MiB, GB, GiB"
_DURATION = {
    **dict.fromkeys(("msec", "msecs", "millisecond", "milliseconds"), "ms"),
    **dict.fromkeys(("sec", "secs", "second", "seconds", "S"), "s"),
    **dict.fromkeys(("min", "mins", "minute", "minutes"), "m"),
    **dict.fromkeys(("hr", "hrs", "hour", "hours", "H"), "h"),
    **dict.fromkeys(("day", "days", "D"), "d"),
}
_WEEK = ("w", "wk", "wks", "week", "weeks", "W")
_SIZE = {
    **dict.fromkeys(("b", "byte", "bytes"), "B"),
    **dict.fromkeys(("k", "K", "kb", "Kb", "kB"), "KB or {n}KiB"),
    **dict.fromkeys(("M", "mb", "Mb", "mB"), "MB or {n}MiB"),
    **dict.fromkeys(("g", "G", "gb", "Gb", "gB"), "GB or {n}GiB"),
    **dict.fromkeys(("kib", "KIB"), "KiB"),
    **dict.fromkeys(("mib", "MIB"), "MiB"),
    **dict.fromkeys(("gib", "GIB"), "GiB"),
}
_SPLIT = re.compile(r"(-?[0-9]+(?:\.[0-9]+)?)\s*(.*)", re.DOTALL)
# A number, spaces, then a unit word, as a property's value (strings and comments skipped):
# `retention: 30 s`. Only tried on a file that fails to parse.
_SPACED = re.compile(
    r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|(?<=:)([ \t]*-?[0-9]+(?:\.[0-9]+)?)([ \t]+)('
    + "|".join(
        sorted(
            {*_DURATION, *_WEEK, *_SIZE, "ms", "s", "m", "h", "d", "B", "KB", "MB", "GB", "GiB"}, key=len, reverse=True
        )
    )
    + r")(?![A-Za-z0-9_])(?![ \t]*:)"
)


def suggestion(text: str) -> tuple[str, str]:
    """(duration | size | unknown, the value as evtc spells it or '')."""
    match = _SPLIT.fullmatch(text)
    number, unit = (match.group(1), match.group(2)) if match else (text, "")
    if unit in _DURATION or unit in ("ms", "s", "m", "h", "d"):
        return "duration", number + _DURATION.get(unit, unit)
    if unit in _WEEK:
        days = float(number) * 7
        return "duration", f"{days:g}d"
    if unit in _SIZE or unit in ("B", "KB", "KiB", "MB", "MiB", "GB", "GiB"):
        return "size", number + _SIZE.get(unit, unit).format(n=number)
    return "unknown", ""


def bad_quantity(text: str, span: Span) -> Diagnostic:
    """REF005 for a number glued to a unit evtc does not know (`5min`)."""
    kind, better = suggestion(text)
    if kind == "unknown":
        return codes.BAD_UNIT.at(
            span,
            f"'{text}' has a unit evtc does not know",
            f"a duration takes {DURATION_UNITS}; a size takes {SIZE_UNITS}",
        )
    units = DURATION_UNITS if kind == "duration" else SIZE_UNITS
    return codes.BAD_UNIT.at(span, f"'{text}' is not a {kind} evtc reads: units are {units}", f"write `{better}`")


def glue_spaced_units(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """`text` with `30 s` rewritten `30s ` (same length, so every position stays), and
    (start, end, written) of each such value."""
    found: list[tuple[int, int, str]] = []

    def glue(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return match.group(0)
        number, spaces, unit = match.group(1), match.group(2), match.group(3)
        lead = len(number) - len(number.lstrip(" \t"))
        found.append((match.start() + lead, match.end(), number.lstrip(" \t") + spaces + unit))
        return number + unit + spaces

    return _SPACED.sub(glue, text), found


def spaced_unit(written: str, file: str, line: int, column: int) -> Diagnostic:
    """REF005 for a unit written after a space (`30 s`)."""
    glued = re.sub(r"[ \t]+", "", written)
    kind, better = suggestion(glued)
    span = Span.point(file, line, column, len(written))
    units = DURATION_UNITS if kind == "duration" else SIZE_UNITS
    return codes.BAD_UNIT.at(
        span,
        f"'{written}': a unit goes right after its number, without a space (units are {units})",
        f"write `{better or glued}`",
    )
