"""The local target: run a topology in-process with AWS's semantics, on a virtual clock.

The runtime lives in `evtc.local` for users (`from evtc.local import Runtime, records`);
this package also registers the `local` build target, which writes a runnable harness.
"""

from __future__ import annotations

from evtc.targets.local.target import LocalTarget

target = LocalTarget()

__all__ = ["LocalTarget", "target"]
