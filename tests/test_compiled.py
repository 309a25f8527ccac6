"""The source `dataclass` writes, compiled once per machine: the same functions, from a cache
that a missing, damaged or unwritable file only makes slower."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path
from typing import Any

import pytest

from evtc.util import compiled
from evtc.util.record import record

TEXT = "def __create_fn__(x):\n def f(y=1):\n  return x + y\n return f"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EVTC_CACHE_DIR", str(tmp_path))
    return tmp_path


def _made(store: Any) -> Any:
    namespace: dict[str, Any] = {}
    exec(store.code(TEXT), {}, namespace)  # noqa: S102
    return namespace["__create_fn__"](10)


def _no_compile(*args: object) -> object:
    raise AssertionError("compiled again")


def test_a_saved_text_is_not_compiled_again(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = compiled._Store()
    assert _made(first)() == 11 and first.code(TEXT) is first.code(TEXT)
    first.save()
    assert list((cache_dir / "records").iterdir())
    monkeypatch.setattr(compiled, "compile", _no_compile, raising=False)
    again = compiled._Store()
    assert _made(again)(5) == 15


def test_a_damaged_cache_is_only_a_compile(cache_dir: Path) -> None:
    compiled._path().parent.mkdir(parents=True)
    compiled._path().write_bytes(b"\x00not marshal")
    assert _made(compiled._Store())() == 11


def test_an_unwritable_cache_is_only_slower(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("EVTC_CACHE_DIR", str(blocker / "below-a-file"))
    store = compiled._Store()
    assert _made(store)() == 11
    store.save()  # NOTE: must not raise


def test_records_get_the_init_dataclass_writes(cache_dir: Path) -> None:
    @record
    class Cached:
        name: str
        items: tuple[int, ...] = ()
        extra: list[int] = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(frozen=True)
    class Plain:
        name: str
        items: tuple[int, ...] = ()
        extra: list[int] = dataclasses.field(default_factory=list)

    assert str(inspect.signature(Cached)) == str(inspect.signature(Plain))
    assert Cached("a").extra == [] and Cached("a").extra is not Cached("a").extra
    assert not hasattr(dataclasses, "exec")  # NOTE: `dataclass` is left as it was
