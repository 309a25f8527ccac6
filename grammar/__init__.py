"""The .evt grammar: `evt.lark` is the language specification."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def text() -> str:
    """The grammar's source. Read beside this module rather than through importlib.resources,
    whose import costs more than a whole small `evtc check`; pip never installs evtc zipped."""
    return Path(__file__).with_name("evt.lark").read_text(encoding="utf-8")
