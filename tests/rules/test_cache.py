"""Re-checking an unchanged file reads the cached rule results; a changed file or
configuration is checked afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

import evtc.check.checker
from evtc.check.checker import check_paths
from evtc.check.fingerprint import compiler_files
from evtc.util.cache import Cache

SOURCE = (
    "topology t\nevent Job { id: string }\nsource app: app { emits: [Job] }\nqueue audit {}\nroute app.Job -> audit\n"
)


def _no_compiling(*args: object, **kwargs: object) -> None:
    raise AssertionError("compiled although the result was cached")


def test_unchanged_file_is_not_compiled_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.evt"
    path.write_text(SOURCE, encoding="utf-8")
    cache = Cache(tmp_path / "cache")
    first = check_paths([path], cache=cache)
    with monkeypatch.context() as m:
        m.setattr(evtc.check.checker, "compile_file", _no_compiling)
        second = check_paths([path], cache=cache)
    assert second.diagnostics == first.diagnostics and [d.code for d in second.diagnostics] == ["DLV007"]
    assert second.sources == first.sources
    assert second.compilations[0].topology.name == "t"  # loaded on demand


def test_changed_configuration_is_checked_again(tmp_path: Path) -> None:
    path = tmp_path / "t.evt"
    path.write_text(SOURCE, encoding="utf-8")
    cache = Cache(tmp_path / "cache")
    assert [d.code for d in check_paths([path], cache=cache).diagnostics] == ["DLV007"]
    (tmp_path / "evtc.toml").write_text('ignore = ["DLV007"]\n', encoding="utf-8")
    assert check_paths([path], cache=cache).diagnostics == ()


def test_changed_file_is_checked_again(tmp_path: Path) -> None:
    path = tmp_path / "t.evt"
    path.write_text(SOURCE, encoding="utf-8")
    cache = Cache(tmp_path / "cache")
    check_paths([path], cache=cache)
    path.write_text(SOURCE.replace("route app.Job -> audit\n", ""), encoding="utf-8")
    assert sorted(d.code for d in check_paths([path], cache=cache).diagnostics) == ["DLV007", "DLV008"]


def test_the_cache_key_covers_every_stage_of_the_compiler_and_the_grammar() -> None:
    """A change to the IR, the front end or the grammar changes what `check` reports, so it
    must miss the cache (the key once covered only the modules of `evtc.check`)."""
    import evtc

    root = Path(evtc.__file__).resolve().parent
    covered = {path.relative_to(root.parent).as_posix() for path in compiler_files()}
    expected = {"compiler/ir.py", "compiler/spec.py", "compiler/frontend/lower.py", "compiler/rules/base.py"}
    assert expected <= covered and "grammar/evt.lark" in covered
