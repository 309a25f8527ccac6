"""evtc: a compiler for event-driven architectures."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # NOTE: lazy, so `import evtc` stays as cheap as the front end needs it to be; the
    # module `evtc.emit` is callable, so `evtc.emit(...)` works before and after its import.
    if name == "emit":
        import importlib

        return importlib.import_module("evtc.emit")
    raise AttributeError(f"module 'evtc' has no attribute {name!r}")
