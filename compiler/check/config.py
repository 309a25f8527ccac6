"""Project configuration: `[tool.evtc]` in pyproject.toml or an `evtc.toml`, found from the
checked file upwards (the nearest file that configures evtc wins).

Every key is documented, with an example, in docs/configuration.md.

```toml
[tool.evtc]                 # in evtc.toml: the same keys at top level
select = ["SEC", "ORD", "DLV001"]   # codes or prefixes; default: every rule
extend-select = ["LIM"]
ignore = ["DLV007"]
compatibility = "backward"  # what `evtc diff` holds schemas to: backward, forward or full
exclude = ["generated"]     # gitignore-style patterns; replaces the default list
extend-exclude = ["scratch/*.evt"]
respect-gitignore = true
[tool.evtc.per-file-ignores]
"legacy/*.evt" = ["SEC003"]
[tool.evtc.severity]
DLV001 = "error"            # by code or rule name
[tool.evtc.rules.SEC006]    # per-rule options, by code or rule name
max_readers = 5
```
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from evtc.diagnostics import Severity
from evtc.util.record import record

COMPATIBILITY_MODES = ("backward", "forward", "full")
# The compiler's own codes that select and ignore apply to as to rules: the checks of the
# suppression comments (as ruff's RUF100 is selected like any rule).
SELECTABLE_CODES = (
    ("REF016", "bare-suppression"),
    ("REF017", "unknown-suppression-code"),
    ("REF018", "unused-suppression"),
)
DEFAULT_EXCLUDE = ("node_modules", "__pycache__", "site-packages", "__pypackages__")


class ConfigError(ValueError):
    """The configuration cannot be used (bad TOML, unknown code, option or severity)."""


@record(slots=False)
class Config:
    """The `[tool.evtc]` settings that apply to a file."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    path: Path | None = None
    compatibility: str = "backward"  # `evtc diff`'s schema mode: backward | forward | full
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] | None = None  # None: DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    respect_gitignore: bool = True

    def enabled(self, code: str, name: str) -> bool:
        selectors = (*(self.select or ("ALL",)), *self.extend_select)
        selected = any(_matches(s, code, name) for s in selectors)
        return selected and not any(_matches(s, code, name) for s in self.ignore)

    def exclude_patterns(self) -> tuple[str, ...]:
        return (*(DEFAULT_EXCLUDE if self.exclude is None else self.exclude), *self.extend_exclude)

    def overridden(
        self, select: tuple[str, ...] = (), ignore: tuple[str, ...] = (), extend_select: tuple[str, ...] = ()
    ) -> Config:
        """The command line's choices over this file's: `--select` replaces, the others add (as ruff)."""
        return (
            replace(
                self,
                select=select or self.select,
                extend_select=() if select else self.extend_select + extend_select,
                ignore=self.ignore + ignore,
            )
            if (select or ignore or extend_select)
            else self
        )

    def for_file(self, path: Path) -> Config:
        """This configuration with the `per-file-ignores` that match `path` added to `ignore`."""
        if not self.per_file_ignores:
            return self
        import pathspec

        base = self.path.parent.resolve() if self.path else Path.cwd()
        try:
            relative = path.resolve().relative_to(base).as_posix()
        except ValueError:
            relative = path.as_posix()
        extra = [
            code
            for pattern, codes in self.per_file_ignores.items()
            if pathspec.GitIgnoreSpec.from_lines([pattern]).match_file(relative)
            for code in codes
        ]
        return replace(self, ignore=self.ignore + tuple(extra)) if extra else self

    def severity_of(self, code: str, name: str, default: Severity) -> Severity:
        return self.severity.get(code) or self.severity.get(name) or default

    def options_of(self, code: str, name: str) -> Mapping[str, Any]:
        return {**self.options.get(name, {}), **self.options.get(code, {})}

    def fingerprint(self) -> bytes:
        """Canonical bytes that differ whenever two configurations would check differently."""
        data = [
            self.select,
            self.extend_select,
            self.ignore,
            sorted((k, v.value) for k, v in self.severity.items()),
            sorted((k, sorted(v.items())) for k, v in self.options.items()),
        ]
        return json.dumps(data, default=str).encode()


def _matches(selector: str, code: str, name: str) -> bool:
    return selector in ("ALL", name) or code.startswith(selector)


def find_config(directory: Path) -> Config:
    """The configuration that applies to files in `directory` (a default one if none)."""
    for folder in (directory, *directory.parents):
        for candidate in (folder / "evtc.toml", folder / "pyproject.toml"):
            table = _table(candidate)
            if table is not None:
                return parse_config(table, candidate)
    return Config()


def _table(path: Path) -> dict[str, Any] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return _parsed(path, stat.st_mtime_ns, stat.st_size) if path.is_file() else None


@lru_cache(maxsize=256)
def _parsed(path: Path, _mtime: int, _size: int, top_level: bool = False) -> dict[str, Any] | None:
    """The evtc table of one file, parsed once per version of the file."""
    import tomllib  # NOTE: here, so a project without configuration never pays for the import

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the configuration: {error}") from None
    if top_level or path.name == "evtc.toml":
        return data
    tool = data.get("tool", {})
    section = tool.get("evtc") if isinstance(tool, dict) else None
    return section if isinstance(section, dict) else None


KEYS = (
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "exclude",
    "extend-exclude",
    "respect-gitignore",
    "severity",
    "rules",
    "compatibility",
)


def load_config_file(path: Path) -> Config:
    """The configuration in one named file (`--config`): a pyproject.toml's `[tool.evtc]`, or
    any other TOML file read as an evtc.toml (keys at top level), as ruff reads `--config`."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    if path.name == "pyproject.toml":
        return parse_config(_table(path) or {}, path)
    stat = path.stat()
    return parse_config(_parsed(path, stat.st_mtime_ns, stat.st_size, top_level=True) or {}, path)


def parse_config(table: Mapping[str, Any], path: Path | None = None) -> Config:
    where = f"{path}: " if path else ""
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{where}unknown key(s) {', '.join(unknown)}; the keys are {', '.join(KEYS)}")
    compatibility = table.get("compatibility", "backward")
    if compatibility not in COMPATIBILITY_MODES:
        raise ConfigError(f"{where}compatibility must be backward, forward or full, not {compatibility!r}")
    severity = {}
    for key, value in _mapping(table.get("severity", {}), f"{where}severity").items():
        if value not in ("error", "warning", "info"):
            raise ConfigError(f"{where}severity of {key} must be error, warning or info, not {value!r}")
        severity[key] = Severity(value)
    rules = _mapping(table.get("rules", {}), f"{where}rules")
    options = {k: dict(_mapping(v, f"{where}rules.{k}")) for k, v in rules.items()}
    per_file = {
        pattern: _strings(codes, f"{where}per-file-ignores.{pattern}")
        for pattern, codes in _mapping(table.get("per-file-ignores", {}), f"{where}per-file-ignores").items()
    }
    gitignore = table.get("respect-gitignore", True)
    if not isinstance(gitignore, bool):
        raise ConfigError(f"{where}respect-gitignore must be true or false, not {gitignore!r}")
    return Config(
        _strings(table.get("select", []), f"{where}select"),
        _strings(table.get("ignore", []), f"{where}ignore"),
        severity,
        options,
        path,
        compatibility,
        extend_select=_strings(table.get("extend-select", []), f"{where}extend-select"),
        exclude=_strings(table["exclude"], f"{where}exclude") if "exclude" in table else None,
        extend_exclude=_strings(table.get("extend-exclude", []), f"{where}extend-exclude"),
        per_file_ignores=per_file,
        respect_gitignore=gitignore,
    )


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{where} must be a list of strings, like ["SEC", "DLV001"]')
    return tuple(value)


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table")
    return value


def validate(config: Config, rules: Iterable[Any]) -> None:
    """Every code, name and option the configuration mentions must exist."""
    known = {r.code: r for r in rules} | {r.name: r for r in rules}
    where = f"{config.path}: " if config.path else ""
    per_file = [c for codes in config.per_file_ignores.values() for c in codes]
    selectable = [(r.code, r.name) for r in known.values()] + list(SELECTABLE_CODES)
    for selector in (*config.select, *config.extend_select, *config.ignore, *per_file):
        if selector != "ALL" and not any(_matches(selector, code, name) for code, name in selectable):
            raise ConfigError(f"{where}'{selector}' matches no rule; `evtc rules` lists them")
    if any(key not in known for key in (*config.severity, *config.options)):
        # NOTE: `evtc diff` reads the same table: its rules' severities and options belong here too
        from evtc.util.registry import diff_rules

        known |= {r.code: r for r in diff_rules()} | {r.name: r for r in diff_rules()}
    for key in (*config.severity, *config.options):
        if key not in known:
            raise ConfigError(f"{where}'{key}' is not a rule code or name; `evtc rules` lists them")
    for key, values in config.options.items():
        allowed = getattr(known[key], "options", {})
        for option, value in values.items():
            if option not in allowed:
                choices = ", ".join(sorted(allowed)) or "none"
                raise ConfigError(f"{where}rule {key} has no option '{option}' (options: {choices})")
            if not _same_kind(value, allowed[option].default):
                raise ConfigError(
                    f"{where}option '{option}' of rule {key} must be like {allowed[option].default!r}, not {value!r}"
                )


def _same_kind(value: object, default: object) -> bool:
    """A number for a number (int or float), a list for a list, and so on."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    return default is None or isinstance(value, type(default))
