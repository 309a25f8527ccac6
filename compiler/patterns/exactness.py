"""Which numbers EventBridge's matching library can compare: exactly one double.

The library reads a number in a `numeric` or `anything-but` operand as a decimal and refuses
it ("Cannot compare number") unless the double nearest to it prints back as the same decimal:
`0.1` and `300` are comparable, `12345678901234567890`, `0.1234567890123456789` and `1e400`
are not. A pattern given as JSON text keeps each number's own spelling, so evtc can tell;
a pattern given as Python objects has already rounded its floats (ints stay exact).
"""

from __future__ import annotations

import json
import math
from decimal import Decimal, InvalidOperation
from typing import Any


def comparable(number: Any) -> bool:
    """True when `number` (an int, a float, or a number's JSON spelling) is one exact double."""
    try:
        value = float(number)
    except (OverflowError, ValueError):
        return False
    if not math.isfinite(value):
        return False
    if type(number) is float:
        return True
    try:
        return Decimal(repr(value)) == Decimal(number if type(number) is str else int(number))
    except InvalidOperation:
        return False


def load_with_spellings(text: str) -> tuple[Any, set[float]]:
    """The pattern in `text`, and the floats whose spelling there was not one exact double."""
    inexact: set[float] = set()

    def read_float(spelling: str) -> float:
        value = float(spelling)
        if not comparable(spelling):
            inexact.add(value)
        return value

    return json.loads(text, parse_float=read_float), inexact
