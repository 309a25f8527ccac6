"""`evtc check -`: the file read from standard input, named by `--stdin-filename`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from evtc.check.checker import CheckResult, UsageError, check_compilation_with
from evtc.check.config import Config, ConfigError
from evtc.check.ruleset import ruleset
from evtc.diagnostics import Severity


def check_stdin(
    name: str, config_for: Callable[[Path], Config], fail_on: Severity, fix: bool, unsafe: bool
) -> tuple[CheckResult, int]:
    """Check standard input as the file `name`; with `fix`, the fixed text goes to stdout."""
    from evtc.frontend.load import compile_in_place

    text = sys.stdin.read()
    path = Path(name) if name != "-" else Path.cwd() / "-"
    config = config_for(path)
    fixed = 0
    if fix:
        from evtc.cli._fix import fix_text

        text, fixed = fix_text(text, name, config, unsafe)
        sys.stdout.write(text)
    try:
        rules = ruleset(config)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    # NOTE: a file of a topology in several files is checked with the rest of it, as on disk
    compilation = compile_in_place(name, text)
    found = tuple(check_compilation_with(compilation, rules))
    return CheckResult((path,), found, fail_on, dict(compilation.sources)), fixed
