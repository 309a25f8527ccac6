"""`@record`: a frozen dataclass whose `==`, `hash()` and `repr()` are shared, not generated.

On Python 3.11 `@dataclass(frozen=True)` compiles six functions from source for every
class, at every start of the program; equality, hashing and repr are half of that cost.
evtc defines about sixty dataclasses on the way to checking a file, so generating them
took a tenth of a cold `evtc check`. A record gets the same three methods from here, with
the same behaviour as the generated ones: only fields with `compare=True` take part in
`==` and `hash()` (compared as a tuple, so identical values are equal even when they are
NaN), only fields with `repr=True` appear in `repr()`, and comparing with an instance of
another class is `NotImplemented`. The frozen `__setattr__` and `__delattr__` are closures
made here rather than source compiled by `dataclass` (see `_frozen_methods`), with the same
behaviour. `tests/test_record.py` holds them to that.
"""

from __future__ import annotations

import dataclasses
import reprlib
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import FrozenInstanceError, dataclass, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

from evtc.util.compiled import compiled_once

T = TypeVar("T", bound=type)

_Values = Callable[[Any], tuple[Any, ...]]
_PLANS: dict[type, tuple[_Values, tuple[str, ...]]] = {}


def _plan(cls: type) -> tuple[_Values, tuple[str, ...]]:
    """(the compared fields' values as a tuple, the names repr shows), computed once a class."""
    plan = _PLANS.get(cls)
    if plan is None:
        every = fields(cls)
        compared = tuple(f.name for f in every if f.compare)
        # NOTE: attrgetter returns a bare value for one name and nothing useful for none.
        if len(compared) > 1:
            values: _Values = attrgetter(*compared)
        elif compared:
            (only,) = compared
            values = lambda record: (getattr(record, only),)  # noqa: E731
        else:
            values = lambda record: ()  # noqa: E731
        plan = _PLANS[cls] = (values, tuple(f.name for f in every if f.repr))
    return plan


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    values = _plan(self.__class__)[0]
    return values(self) == values(other)


def _hash(self: Any) -> int:
    return hash(_plan(self.__class__)[0](self))


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _plan(self.__class__)[1])
    return f"{self.__class__.__qualname__}({shown})"


_SHARED = {"__eq__": _eq, "__hash__": _hash, "__repr__": _repr}


def _frozen_methods(cls: Any, every: Sequence[dataclasses.Field[Any]], _globals: object = None) -> tuple[Any, Any]:
    """The `__setattr__` and `__delattr__` that `dataclass(frozen=True)` would compile for
    `cls` from source, as closures: the same test (`type(self) is cls` or a field's name),
    the same error and the same fallback to the parent's method for a plain subclass."""
    names = frozenset(f.name for f in every)

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    __setattr__.__qualname__ = f"{cls.__qualname__}.__setattr__"
    __delattr__.__qualname__ = f"{cls.__qualname__}.__delattr__"
    return __setattr__, __delattr__


_SWAP = threading.Lock()
# NOTE: Python 3.11 and 3.12 compile the two methods in `dataclasses._frozen_get_del_attr`,
# a third of the cost of defining a record; 3.13 compiles all of a class's methods at once
# and calls that function differently, so there `dataclass` is left as it is.
_SWAPPABLE = sys.version_info < (3, 13) and hasattr(dataclasses, "_frozen_get_del_attr")


@contextmanager
def _closures_for_frozen_methods() -> Iterator[None]:
    if not _SWAPPABLE:
        yield
        return
    with _SWAP:
        original = dataclasses._frozen_get_del_attr  # type: ignore[attr-defined]
        dataclasses._frozen_get_del_attr = _frozen_methods  # type: ignore[attr-defined]
        try:
            yield
        finally:
            dataclasses._frozen_get_del_attr = original  # type: ignore[attr-defined]


@overload
def record(cls: T, /) -> T: ...
@overload
def record(*, slots: bool = True) -> Callable[[T], T]: ...


@dataclass_transform(frozen_default=True)
def record(cls: T | None = None, /, *, slots: bool = True) -> T | Callable[[T], T]:
    """`@dataclass(frozen=True, slots=slots)` with the shared `==`, `hash()` and `repr()`.

    A method the class defines itself is kept, as `dataclass` keeps it.
    """

    def wrap(cls: T) -> T:
        for name, method in _SHARED.items():
            if name not in cls.__dict__:
                setattr(cls, name, method)
        # NOTE: another thread defining a frozen dataclass meanwhile gets these closures too,
        # which behave exactly as the methods it would have compiled.
        with _closures_for_frozen_methods(), compiled_once():
            made: T = dataclass(frozen=True, slots=slots, eq=False, repr=False)(cls)
        return made

    return wrap if cls is None else wrap(cls)
