"""`evtc.emit(event_type, data)`: how a handler emits an event, locally and on AWS alike.

Resolution order:

1. an invocation of the local runtime is active (a context variable it sets around each
   handler call): the event leaves the function being invoked;
2. a backend set with `set_backend(...)` (an object, or the name of a registered one);
3. `EVTC_TOPOLOGY` is set in the environment (on Lambda): the backend that the module
   named by `EVTC_BACKEND` returns from its `backend()` function. The deploying target
   writes both variables (pulumi-aws names its own runtime), so this module names no target.

A backend is any object with the `EmitBackend` method below; it returns the event id.

>>> class Printer:
...     def emit(self, event_type, data, *, time=None):
...         return f"{event_type}:{data['n']}"
>>> with active(Printer()):
...     emit("Counted", {"n": 1})
'Counted:1'
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol, runtime_checkable

TOPOLOGY_ENV = "EVTC_TOPOLOGY"
BACKEND_ENV = "EVTC_BACKEND"


@runtime_checkable
class EmitBackend(Protocol):
    def emit(self, event_type: str, data: Mapping[str, Any], *, time: float | str | None = None) -> str:
        """Send one event of `event_type` from the current component; return its id."""
        ...


class NoBackendError(RuntimeError):
    """`emit` was called outside an invocation with no backend configured."""


class EmitError(Exception):
    """A backend refused the event, the same way in every runtime: an event type the
    emitter does not declare, data that is not a JSON object, or data its event's schema
    (`evtc export jsonschema`) says is invalid."""


class UndeclaredEventError(EmitError):
    """The emitter does not declare the event type in `emits`."""


class InvalidDataError(EmitError):
    """The data is not a JSON object, or its event's schema says it is invalid."""


_current: ContextVar[EmitBackend | None] = ContextVar("evtc_emit_backend", default=None)
_registered: dict[str, Callable[[], EmitBackend]] = {}
_chosen: list[EmitBackend] = []  # NOTE: a one-slot registry, like the plugin registries


def register_backend(name: str, factory: Callable[[], EmitBackend]) -> None:
    """Make a backend selectable by name with `set_backend(name)`."""
    _registered[name] = factory


def set_backend(backend: EmitBackend | str | None) -> None:
    """Use `backend` (or the registered one of that name) outside invocations; None resets."""
    _chosen.clear()
    if isinstance(backend, str):
        if backend not in _registered:
            raise NoBackendError(f"no emit backend named {backend!r}; registered: {sorted(_registered)}")
        backend = _registered[backend]()
    if backend is not None:
        _chosen.append(backend)


@contextmanager
def active(backend: EmitBackend) -> Iterator[EmitBackend]:
    """Route `emit` calls made inside the block to `backend` (the local runtime's invocations)."""
    token = _current.set(backend)
    try:
        yield backend
    finally:
        _current.reset(token)


def enter(backend: EmitBackend) -> Any:
    """Make `backend` current; return the token for `leave` (cheaper than `active` in hot loops)."""
    return _current.set(backend)


def leave(token: Any) -> None:
    _current.reset(token)


def emit(event_type: str, data: Mapping[str, Any], *, time: float | str | None = None) -> str:
    """Emit `event_type` with `data` from the component being invoked; return the event id."""
    return _resolve().emit(event_type, data, time=time)


def _resolve() -> EmitBackend:
    backend = _current.get()
    if backend is not None:
        return backend
    if _chosen:
        return _chosen[0]
    if os.environ.get(TOPOLOGY_ENV) and os.environ.get(BACKEND_ENV):
        module = importlib.import_module(os.environ[BACKEND_ENV])
        _chosen.append(module.backend())
        return _chosen[0]
    raise NoBackendError(
        "evtc.emit was called outside a handler invocation; run the handler through "
        "evtc.local.Runtime, set EVTC_TOPOLOGY and EVTC_BACKEND on Lambda, or call evtc.emit.set_backend()"
    )


class _CallableModule(types.ModuleType):
    """NOTE: importing the submodule `evtc.emit` rebinds the package attribute `evtc.emit`
    to this module, so the module itself must be callable for `evtc.emit(...)` to work."""

    def __call__(self, event_type: str, data: Mapping[str, Any], *, time: float | str | None = None) -> str:
        return emit(event_type, data, time=time)


sys.modules[__name__].__class__ = _CallableModule
