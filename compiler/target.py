"""What a build target is: an object registered under the `evtc.targets` entry point group.

A target reads only the compiled IR and graph (never text or parse trees) and writes its
output below `out`, returning the paths it wrote, sorted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from evtc.frontend import Compilation


class BuildError(Exception):
    """The topology asks for something a target cannot build. `evtc check` reports every such
    case with a position first (LIM010-LIM012), so a build that meets one is a bug; `evtc
    build` prints it as an error, never a traceback."""


@runtime_checkable
class Target(Protocol):
    name: str
    description: str

    def build(self, compilation: Compilation, out: Path) -> list[Path]: ...
