"""The plugin registry's entry-point index: the same answer as importlib.metadata, kept
across processes, and rebuilt whenever the import path changes or the index is damaged."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest

from evtc.util import registry


@pytest.fixture
def fresh_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("EVTC_CACHE_DIR", str(tmp_path))
    registry._index.cache_clear()
    yield tmp_path / "entry-points"
    registry._index.cache_clear()


def _from_metadata(group: str) -> list[tuple[str, str]]:
    return sorted((ep.name, ep.value) for ep in metadata.entry_points(group=group))


@pytest.mark.parametrize("group", registry.GROUPS)
def test_index_agrees_with_importlib_metadata(fresh_index: Path, group: str) -> None:
    assert registry.entry_points(group) == _from_metadata(group)
    registry._index.cache_clear()
    assert len(list(fresh_index.glob("*.json"))) == 1
    assert registry.entry_points(group) == _from_metadata(group)  # now read from the index


def test_a_stale_index_is_rebuilt(fresh_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry.entry_points("evtc.rules")
    (index,) = fresh_index.glob("*.json")
    stored = json.loads(index.read_text())
    stored["evtc.rules"] = [["SEC999", "nowhere:Nothing"]]
    index.write_text(json.dumps(stored))
    registry._index.cache_clear()
    assert ("SEC999", "nowhere:Nothing") in registry.entry_points("evtc.rules")  # same state: trusted

    monkeypatch.setattr(registry, "_path_state", lambda: [*stored["state"], "a package was installed"])
    registry._index.cache_clear()
    assert registry.entry_points("evtc.rules") == _from_metadata("evtc.rules")


@pytest.mark.parametrize("damage", ["", "{", "[]", '{"state": 1}', "\x00\xff"])
def test_a_damaged_index_is_rebuilt(fresh_index: Path, damage: str) -> None:
    registry.entry_points("evtc.rules")
    (index,) = fresh_index.glob("*.json")
    index.write_text(damage, encoding="latin-1")
    registry._index.cache_clear()
    assert registry.entry_points("evtc.rules") == _from_metadata("evtc.rules")
    assert json.loads(index.read_text())["evtc.rules"]


def test_an_unwritable_cache_still_finds_every_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("EVTC_CACHE_DIR", str(blocker / "below-a-file"))
    registry._index.cache_clear()
    try:
        assert registry.entry_points("evtc.targets") == _from_metadata("evtc.targets")
    finally:
        registry._index.cache_clear()


def test_a_second_process_reads_the_index_instead_of_the_metadata(tmp_path: Path) -> None:
    probe = (
        "import sys; from evtc.util.registry import rules; found = rules(); "
        "print(len(found), 'importlib.metadata' in sys.modules)"
    )
    # NOTE: -P keeps the working directory (whose contents change) off the import path.
    run = [sys.executable, "-P", "-c", probe]
    env = {"EVTC_CACHE_DIR": str(tmp_path), "PATH": ""}
    first = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout.split()
    second = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout.split()
    assert first[1] == "True" and second == [first[0], "False"]
    assert int(first[0]) >= 30


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("json:dumps", json.dumps),
        ("json.decoder:JSONDecoder.decode", json.decoder.JSONDecoder.decode),
        ("json:loads [speedups]", json.loads),
        (" json : dumps ", json.dumps),
        ("json", json),
    ],
)
def test_load_resolves_values_as_entry_points_do(value: str, expected: object) -> None:
    assert registry.load(value) is expected
    assert metadata.EntryPoint("x", value.strip(), "g").load() is expected
