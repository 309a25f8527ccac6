"""Importing a library that probes for an optional module it is never asked to use.

lark tries `import regex` when it is imported, to offer `Lark(regex=True)`, which evtc never
asks for. Where `regex` is installed (a common dependency of other tools), that probe alone
is a fortieth of a cold `evtc check`, so evtc imports lark with the probe answered "absent".
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def unprobed(name: str) -> Iterator[None]:
    """Inside, `import name` fails as if the module were not installed, unless something has
    imported it already; afterwards it imports normally again.

    NOTE: another thread importing `name` meanwhile would fail too; evtc imports its front
    end before it starts any thread.
    """
    if name in sys.modules:
        yield
        return
    sys.modules[name] = None  # type: ignore[assignment]  # NOTE: None makes an import raise ImportError
    try:
        yield
    finally:
        if sys.modules.get(name, ...) is None:
            del sys.modules[name]
