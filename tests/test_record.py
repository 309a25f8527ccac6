"""`@record` behaves as `@dataclass(frozen=True)` does: equality, hashing, repr, immutability,
field options, replace and pickling, checked against the methods dataclass generates."""

from __future__ import annotations

import dataclasses
import math
import pickle
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evtc.util.record import record


@dataclass(frozen=True, slots=True)
class Generated:
    name: str
    value: Any
    hidden: int = field(default=0, repr=False)
    ignored: int = field(default=0, compare=False)


@record
class Shared:
    name: str
    value: Any
    hidden: int = field(default=0, repr=False)
    ignored: int = field(default=0, compare=False)


@record
class Base:
    name: str


@record
class Child(Base):
    extra: int = 1


@record(slots=False)
class Loose:
    only: float


@record
class Empty:
    pass


@record
class Custom:
    x: int

    def __repr__(self) -> str:
        return "mine"


VALUES = st.one_of(st.none(), st.integers(), st.floats(allow_nan=True), st.text(max_size=3), st.tuples(st.integers()))
ARGS = st.tuples(st.text(max_size=3), VALUES, st.integers(), st.integers())


@given(ARGS, ARGS)
def test_equality_and_hash_are_those_dataclass_generates(a: tuple[Any, ...], b: tuple[Any, ...]) -> None:
    assert (Shared(*a) == Shared(*b)) == (Generated(*a) == Generated(*b))
    assert (Shared(*a) != Shared(*b)) == (Generated(*a) != Generated(*b))
    if Shared(*a) == Shared(*b):
        assert hash(Shared(*a)) == hash(Shared(*b))
    assert hash(Shared(*a)) == hash(Generated(*a))  # both hash the compared fields as a tuple


@given(ARGS)
def test_repr_is_the_one_dataclass_generates(a: tuple[Any, ...]) -> None:
    assert repr(Shared(*a)) == repr(Generated(*a)).replace("Generated(", "Shared(", 1)


def test_identical_nan_is_equal_as_in_a_tuple() -> None:
    nan = math.nan
    assert Shared("n", nan) == Shared("n", nan) and Generated("n", nan) == Generated("n", nan)
    assert Shared("n", math.nan) != Shared("n", float("nan"))


def test_other_classes_are_never_equal() -> None:
    assert Base("a") != Child("a") and Child("a") != Base("a")
    assert Shared("a", 1) != Generated("a", 1)
    assert Shared("a", 1).__eq__(("a", 1)) is NotImplemented


def test_a_subclass_compares_and_shows_its_own_fields() -> None:
    assert Child("a", 2) == Child("a", 2) != Child("a", 3)
    assert repr(Child("a", 2)) == "Child(name='a', extra=2)"
    assert {Child("a"), Child("a"), Base("a")} == {Child("a"), Base("a")}


def test_single_field_none_and_own_methods() -> None:
    assert Loose(1.0) == Loose(1.0) and hash(Loose(1.0)) == hash((1.0,))
    assert Empty() == Empty() and hash(Empty()) == hash(()) and repr(Empty()) == "Empty()"
    assert repr(Custom(1)) == "mine" and Custom(1) == Custom(1)


def test_records_are_frozen_slotted_and_work_with_dataclass_tools() -> None:
    item = Shared("a", 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.name = "b"  # type: ignore[misc]
    assert not hasattr(item, "__dict__") and hasattr(Loose(1.0), "__dict__")
    assert dataclasses.replace(item, value=2) == Shared("a", 2)
    assert dataclasses.asdict(item) == {"name": "a", "value": 1, "hidden": 0, "ignored": 0}
    assert pickle.loads(pickle.dumps(Child("a", 2))) == Child("a", 2)
    match item:
        case Shared("a", value):
            assert value == 1
        case _:
            pytest.fail("records keep their match arguments")


class PlainShared(Shared):  # NOTE: not dataclasses: their own attributes pass the frozen test
    pass


class PlainGenerated(Generated):
    pass


@dataclass(frozen=True)
class LooseGenerated:
    only: float


class PlainLoose(Loose):
    pass


class PlainLooseGenerated(LooseGenerated):
    pass


def _outcome(action: Any, *args: Any) -> str:
    """What an assignment does. NOTE: with slots, CPython's generated methods name the class
    from before slots were added, so some assignments fail with a TypeError: the same here."""
    try:
        action(*args)
    except (dataclasses.FrozenInstanceError, TypeError) as error:
        return f"{type(error).__name__}: {error}"
    return "allowed"


@pytest.mark.parametrize("attribute", ["name", "hidden", "only", "extra"])
def test_assigning_and_deleting_behave_as_the_generated_methods(attribute: str) -> None:
    pairs = [
        (Shared("a", 1), Generated("a", 1)),
        (PlainShared("a", 1), PlainGenerated("a", 1)),
        (Loose(1.0), LooseGenerated(1.0)),
        (PlainLoose(1.0), PlainLooseGenerated(1.0)),
    ]
    for ours, theirs in pairs:
        assert _outcome(setattr, ours, attribute, 2) == _outcome(setattr, theirs, attribute, 2)
        assert _outcome(delattr, ours, attribute) == _outcome(delattr, theirs, attribute)
    assert _outcome(setattr, PlainLoose(1.0), "extra", 2) == "allowed"
    assert _outcome(delattr, Shared("a", 1), "name") == "FrozenInstanceError: cannot delete field 'name'"


def test_defining_a_record_leaves_dataclass_as_it_was() -> None:
    before = getattr(dataclasses, "_frozen_get_del_attr", None)

    @record
    class Late:
        x: int

    assert getattr(dataclasses, "_frozen_get_del_attr", None) is before
    assert _outcome(setattr, Late(1), "x", 2) == "FrozenInstanceError: cannot assign to field 'x'"
    assert Late.__setattr__.__qualname__.endswith("Late.__setattr__")
