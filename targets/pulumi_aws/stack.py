"""The stack-scoped default name prefix, shared by the generated program and `evtc.pulumi`.

`stack_prefix` is written into every generated `__main__.py` as it stands here (the program
imports nothing from evtc), so it may use only `hashlib` and `re`.
"""

from __future__ import annotations

import hashlib
import inspect
import re

PREFIX_PATTERN = r"[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?"


def stack_prefix(*parts: str) -> str:
    """`{project}-{stack}` as a name prefix: 1-20 lowercase letters, digits or hyphens.

    A text that had to be folded or shortened gets a hash of the original, so two stacks
    never share a prefix.
    """
    text = "-".join(parts)
    folded = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "evtc"
    if folded == text and len(folded) <= 20:
        return folded
    digest = hashlib.sha256(text.encode()).hexdigest()[:6]
    return f"{folded[:13].rstrip('-')}-{digest}"


def source() -> str:
    """The function's source, for the generated program."""
    return inspect.getsource(stack_prefix)
