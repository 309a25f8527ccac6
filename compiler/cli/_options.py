"""Options shared by the commands that read many files (`check`, `fmt`), spelt as ruff's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from evtc.check.config import Config, ConfigError, find_config, load_config_file

F = TypeVar("F", bound=Callable[..., Any])


def paths_argument(function: F) -> F:
    return click.argument("paths", nargs=-1)(function)  # type: ignore[return-value]


def config_option(function: F) -> F:
    return click.option(
        "--config",
        type=click.Path(dir_okay=False),
        help="use this evtc.toml or pyproject.toml for every file, instead of the nearest one",
    )(function)  # type: ignore[return-value]


def stdin_filename_option(function: F) -> F:
    return click.option(
        "--stdin-filename",
        metavar="NAME",
        help="the name to report for standard input (`-`), and to find its configuration by",
    )(function)  # type: ignore[return-value]


def configuration(config_file: str | None) -> Callable[[Path], Config]:
    """Folder → the configuration that applies there: `--config`'s file, else the nearest one."""
    if config_file:
        fixed = _usage(lambda: load_config_file(Path(config_file)))
        return lambda folder: fixed
    cache: dict[Path, Config] = {}

    def nearest(folder: Path) -> Config:
        resolved = folder.resolve()
        if resolved not in cache:
            cache[resolved] = _usage(lambda: find_config(resolved))
        return cache[resolved]

    return nearest


def files_or_fail(paths: tuple[str, ...], config_file: str | None) -> list[Path]:
    """The .evt files to read (the current directory when no path is given); none is a usage error."""
    from evtc.check.discover import NoFilesError, discover

    try:
        return discover(paths or (".",), configuration(config_file))
    except NoFilesError as error:
        raise click.UsageError(str(error)) from None


def _usage(load: Callable[[], Config]) -> Config:
    try:
        return load()
    except ConfigError as error:
        raise click.UsageError(str(error)) from None
