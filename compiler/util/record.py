"""`@record`: a frozen dataclass whose `==`, `hash()` and `repr()` are shared, not generated.

On Python 3.11 `@dataclass(frozen=True)` compiles six functions from source for every
class, at every start of the program; equality, hashing and repr are half of that cost.
evtc defines about sixty dataclasses on the way to checking a file, so generating them
took a tenth of a cold `evtc check`. A record gets the same three methods from here, with
the same behaviour as the generated ones: only fields with `compare=True` take part in
`==` and `hash()` (compared as a tuple, so identical values are equal even when they are
NaN), only fields with `repr=True` appear in `repr()`, and comparing with an instance of
another class is `NotImplemented`. `tests/test_record.py` holds them to that.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

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
        made: T = dataclass(frozen=True, slots=slots, eq=False, repr=False)(cls)
        return made

    return wrap if cls is None else wrap(cls)
