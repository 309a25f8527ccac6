"""Which files make up a topology, and the one loader every command reads topologies with.

A topology is a file that declares `topology NAME` (its entry) and the files it `use`s,
transitively: its *parts*, which declare no topology of their own (a path relative to the
using file). All of them share one namespace. Naming a part names the topologies that use
it (found in its folder and the folders above, nearest first); naming a folder names the
topologies of the files in it. docs/language.md, "Topologies in several files", says why.

Grouping reads only each file's `topology` and `use` lines (so a cached re-check parses
nothing); `link` then parses and resolves the files of a group together.

>>> [g.files for g in group(["examples/ami_scan.evt"], Disk())]
[('examples/ami_scan.evt',)]
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import field
from pathlib import Path

from evtc.diagnostics import Diagnostic
from evtc.frontend import codes
from evtc.frontend.compile import Compilation, link, parse_unit
from evtc.frontend.files import Disk, Files, Memory
from evtc.span import Span
from evtc.util.record import record
from evtc.util.suggest import did_you_mean

_HEAD = re.compile(r"^[ \t]*topology[ \t]+([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)
_USE = re.compile(r'^[ \t]*use[ \t]+("((?:[^"\\\r\n]|\\[^\r\n])*)")', re.MULTILINE)


def may_have_parts(data: bytes) -> bool:
    """Whether a file's topology may have other files: it `use`s one, or it declares no
    `topology` (it may be another's part)."""
    text = _text(data)
    return _USE.search(text) is not None or _HEAD.search(text) is None


@record(slots=False)
class Group:
    """The files of one topology (its folder's first, then those it uses) and the loader's
    findings about its `use` declarations."""

    name: str
    files: tuple[str, ...]
    problems: tuple[Diagnostic, ...] = ()
    data: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)


@record
class _Use:
    path: str
    span: Span


class _Heads:
    """Each file's `topology` name and `use` lines, read once."""

    def __init__(self, files: Files) -> None:
        self.files = files
        self._data: dict[str, bytes | None] = {}
        self._heads: dict[str, str | None] = {}
        self._closures: dict[str, Group] = {}
        self._given: dict[str, str] = {}  # a file's key → the name it was given by

    def named(self, name: str) -> str:
        """`name` as the command line gave it (one file, one name in every report)."""
        return self._given.setdefault(self.files.key(name), name)

    def data(self, name: str) -> bytes | None:
        if name not in self._data:
            self._data[name] = self.files.read(name)
        return self._data[name]

    def head(self, name: str) -> str | None:
        if name not in self._heads:
            text = _text(self.data(name))
            found = _HEAD.search(text)
            self._heads[name] = found.group(1) if found else None
        return self._heads[name]

    def uses(self, name: str) -> list[_Use]:
        text = _text(self.data(name))
        return [_Use(_unescape(m.group(2)), _span(name, text, m.start(1), m.end(1))) for m in _USE.finditer(text)]

    def expand(self, target: str, user: str) -> list[str]:
        """What `use "target"` names: the file, or every `.evt` file of the folder `target`
        (but the file that says it); the file alone when neither exists (REF030)."""
        if self.data(target) is not None:
            return [target]
        members = [self.named(f) for f in self.files.evt_files(target)]
        return [m for m in members if self.files.key(m) != self.files.key(user)] if members else [target]

    def closure(self, entry: str) -> Group:
        if entry not in self._closures:
            self._closures[entry] = _closure(entry, self)
        return self._closures[entry]

    def entries(self, part: str) -> list[str]:
        """The entries whose topology includes `part`: in its folder, else the nearest folder
        above that has one (up to the repository's root, at most `SEARCH_UP` levels)."""
        key = self.files.key(part)
        folder: str | None = os.path.dirname(part)
        for _ in range(SEARCH_UP + 1):
            if folder is None:
                break
            found = [f for f in self.files.evt_files(folder) if self.head(f) is not None and self._includes(f, key)]
            if found or self.files.is_root(folder):
                return found
            folder = self.files.parent(folder)
        return []

    def _includes(self, entry: str, key: str) -> bool:
        return any(self.files.key(f) == key for f in self.closure(entry).files)


SEARCH_UP = 3  # folders above a part searched for the file that uses it


def group(names: Iterable[str | Path], files: Files | None = None) -> list[Group]:
    """The topologies the files `names` belong to, each once, in the order first named: a
    file's own, or a part's (the topologies that use it; the part alone when none does, so
    that its missing `topology` is reported). A topology all of whose files belong to a
    larger one is left out."""
    heads = _Heads(files or Disk())
    groups: dict[tuple[str, ...], Group] = {}
    for raw in names:
        name = heads.named(os.path.normpath(str(raw)))
        entries = [name] if heads.head(name) is not None else heads.entries(name) or [name]
        for entry in entries:
            found = heads.closure(entry)
            groups.setdefault(found.files, found)
    # NOTE: only a topology of several files can hold another; most topologies are one file
    larger = [set(g.files) for g in groups.values() if len(g.files) > 1]
    return [g for g in groups.values() if not any(set(g.files) < files for files in larger)]


def _closure(entry: str, heads: _Heads) -> Group:
    topology = heads.head(entry) or Path(entry).stem
    order: list[str] = []
    problems: list[Diagnostic] = []
    state: dict[str, bool] = {}  # False while a file's uses are being followed, True after

    def visit(name: str, chain: list[str]) -> None:
        state[name] = False
        order.append(name)
        for use in heads.uses(name):
            named = heads.named(os.path.normpath(os.path.join(os.path.dirname(name), use.path)))
            for target in heads.expand(named, name):
                problem = _problem(use, target, topology, chain, state, heads)
                if problem is not None:
                    problems.append(problem)
                elif target not in state:
                    visit(target, [*chain, target])
        state[name] = True

    visit(entry, [entry])
    data = {n: d for n in order if (d := heads.data(n)) is not None}
    return Group(topology, tuple(order), tuple(problems), data)


def _problem(
    use: _Use, target: str, topology: str, chain: list[str], state: dict[str, bool], heads: _Heads
) -> Diagnostic | None:
    if heads.data(target) is None:
        folder = os.path.dirname(target)
        nearby = [os.path.relpath(f, os.path.dirname(use.span.file) or ".") for f in heads.files.evt_files(folder)]
        hint = did_you_mean(use.path, nearby) or "the path is relative to the folder of the file that uses it"
        return codes.MISSING_USED_FILE.at(use.span, f"`use` names '{use.path}', but there is no file {target}", hint)
    other = heads.head(target)
    if other is not None and other == topology:
        return codes.FOREIGN_USED_FILE.at(
            use.span,
            f"'{use.path}' is the entry of topology '{other}': a part cannot use it",
            "remove this `use`: every file of a topology sees all of its names already",
        )
    if other is not None:
        return codes.FOREIGN_USED_FILE.at(
            use.span,
            f"'{use.path}' is a topology of its own ('{other}'), not a part of '{topology}'",
            "a part declares no `topology`: remove that line from it to make it one; to refer to "
            "another topology's components, declare them here as `: external`",
        )
    if state.get(target) is False:
        cycle = " → ".join([*chain[chain.index(target) :], target]) if target in chain else f"{target}"
        return codes.USE_CYCLE.at(
            use.span,
            f"`use` cycle: {cycle}",
            "a used file must not use its user back; move what both need into a file both use",
        )
    return None


def load(names: Sequence[str | Path], files: Files | None = None) -> list[Compilation]:
    """The compilations of the topologies `names` belong to (see `group`)."""
    return [compile_group(g) for g in group(names, files)]


def compile_group(found: Group) -> Compilation:
    """One group through the front end: every file parsed, then linked as one topology."""
    units = [parse_unit(found.data.get(f, b""), f) for f in found.files]
    missing = [_unreadable(f) for f in found.files if f not in found.data]
    return link(units, [*found.problems, *missing])


def _unreadable(name: str) -> Diagnostic:
    try:
        Path(name).read_bytes()
        reason = "it changed while being read"
    except OSError as error:
        reason = error.strerror or str(error)
    return codes.UNREADABLE.at(
        Span.point(name, 1, 1), f"cannot read the file: {reason}", "check the path and its permissions"
    )


def _text(data: bytes | None) -> str:
    return data.decode("utf-8-sig", errors="replace") if data else ""


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _span(file: str, text: str, start: int, end: int) -> Span:
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return Span(file, line, column, line, column + (end - start))


class LoadError(ValueError):
    """A path that names no topology, or several where one is wanted."""


def load_topology(path: str | Path, files: Files | None = None) -> Compilation:
    """The one topology `path` names: a file's (with the rest of its files), or the one whose
    files are in folder `path` (its subfolders are not part of it, as in a Terraform module)."""
    disk = files or Disk()
    return compile_group(one_group(path, disk))


def one_group(path: str | Path, files: Files | None = None) -> Group:
    """The files of the one topology `path` names (see `load_topology`); LoadError if none or several."""
    disk = files or Disk()
    name = os.path.normpath(str(path))
    members = disk.evt_files(name) if Path(name).is_dir() else [name]
    if not members:
        raise LoadError(f"no .evt file in {path}")
    groups = group(members, disk)
    if len(groups) > 1:
        names = ", ".join(f"{g.name} ({g.files[0]})" for g in groups)
        raise LoadError(f"{path} holds {len(groups)} topologies: {names}; name one of their files")
    return groups[0]


def compile_in_place(file: str, text: str) -> Compilation:
    """The topology `file` is part of, with `text` as that file's contents (standard input,
    an editor's unsaved text, a fix being tried)."""
    if file in ("-", "") or not Path(file).parent.exists():
        return compile_group(group([file], Memory({file: text.encode("utf-8")}))[0])
    return compile_group(group([file], Disk({file: text}))[0])
