"""The local target: run a topology in-process with AWS's semantics, on a virtual clock.

The runtime lives in `evtc.local` for users (`from evtc.local import Runtime, records`);
this package also registers the `local` build target, which writes a runnable harness.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # NOTE: lazy, because the pytest plugin in this package is imported by every pytest run
    # wherever evtc is installed; only `evtc build --target local` needs the target object.
    if name in ("target", "LocalTarget"):
        from evtc.targets.local.harness import LocalTarget

        return LocalTarget() if name == "target" else LocalTarget
    raise AttributeError(f"module 'evtc.targets.local' has no attribute {name!r}")
