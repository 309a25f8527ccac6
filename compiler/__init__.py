"""evtc: a compiler for event-driven architectures."""

from __future__ import annotations

__version__ = "0.1.0"
