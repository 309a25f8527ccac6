"""`evtc check --fix`: apply the fixes of `evtc.check.fixes` until none is left (at most ten rounds,
as ruff iterates), never writing a file that would gain a syntax error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from evtc.check.checker import UsageError, check_compilation_with
from evtc.check.config import Config, ConfigError
from evtc.check.fixes import apply_fixes, fixes_for
from evtc.check.ruleset import ruleset

ROUNDS = 10


def fix_text(text: str, file: str, config: Config, unsafe: bool) -> tuple[str, int]:
    """`text` with its fixes applied, and how many were (the file compiled with the rest of its
    topology, so a name declared in another of its files is not "fixed" away)."""
    from evtc.frontend.load import compile_in_place

    try:
        rules = ruleset(config)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    total = 0
    for _ in range(ROUNDS):
        compilation = compile_in_place(file, text)
        found = [d for d in check_compilation_with(compilation, rules) if not d.suppressed and d.span.file == file]
        fixes = [f for d in found for f in fixes_for(d, text, compilation) if f.safe or unsafe]
        fixed, applied = apply_fixes(text, fixes)
        if not applied or fixed == text or _syntax_errors(fixed, file) > _syntax_errors(text, file):
            break
        text, total = fixed, total + applied
    return text, total


def _syntax_errors(text: str, file: str) -> int:
    from evtc.frontend.parse import parse

    return sum(1 for d in parse(text, file).diagnostics if d.category.value == "syntax")


def fix_files(files: Sequence[Path], config_for: Callable[[Path], Config], unsafe: bool) -> int:
    """Fix every file of the topologies `files` belong to in place (what check reports on);
    the number of fixes applied."""
    from evtc.frontend.load import group

    total = 0
    for path in dict.fromkeys(Path(f) for g in group(files) for f in g.files):
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # NOTE: the check that follows reports it
        fixed, applied = fix_text(text, str(path), config_for(path), unsafe)
        if applied:
            bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
            path.write_bytes(bom + fixed.encode("utf-8"))
            total += applied
    return total
