"""`evtc fmt [FILE|DIR|-]…`: rewrite .evt files in the canonical layout (see evtc.frontend.fmt).

As `ruff format`: files are rewritten in place and a summary says how many changed;
`--check` changes nothing and exits 1 when a file would change; `--diff` prints the
changes as a unified diff (and exits 1 too). A file that does not parse is reported and
left alone (exit 2). `-` reads standard input and writes the result to standard output.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from evtc.cli._options import config_option, files_or_fail, paths_argument, stdin_filename_option
from evtc.frontend.fmt import FormatError, format_text


@click.command()
@paths_argument
@click.option("--check", is_flag=True, help="change nothing; exit 1 if a file would be reformatted")
@click.option("--diff", is_flag=True, help="change nothing; print a diff of what would change, exit 1 if any")
@click.option("-q", "--quiet", is_flag=True, help="print nothing but errors")
@stdin_filename_option
@config_option
def command(
    paths: tuple[str, ...], check: bool, diff: bool, quiet: bool, stdin_filename: str | None, config: str | None
) -> None:
    """Format .evt files (directories are searched as `evtc check` does; `-` is standard input)."""
    if paths == ("-",):
        sys.exit(_stdin(stdin_filename or "-", check, diff))
    changed = unchanged = failed = 0
    for path in files_or_fail(paths, config):
        outcome = _one(path, check, diff, quiet)
        changed += outcome == "changed"
        unchanged += outcome == "unchanged"
        failed += outcome == "failed"
    if not quiet:
        click.echo(_summary(changed, unchanged, check or diff), err=diff)
    sys.exit(2 if failed else 1 if changed and (check or diff) else 0)


def _one(path: Path, check: bool, diff: bool, quiet: bool) -> str:
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        click.echo(f"error: cannot read {path}: {error}", err=True)
        return "failed"
    try:
        formatted = format_text(text, str(path))
    except FormatError as error:
        click.echo(f"error: cannot format {error}", err=True)
        return "failed"
    if formatted == text:
        return "unchanged"
    if diff:
        sys.stdout.write(_diff(text, formatted, str(path)))
    elif check:
        if not quiet:
            click.echo(f"Would reformat: {path}")
    else:
        bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""  # NOTE: kept, as the editor wrote it
        path.write_bytes(bom + formatted.encode("utf-8"))
    return "changed"


def _stdin(name: str, check: bool, diff: bool) -> int:
    text = sys.stdin.read()
    try:
        formatted = format_text(text, name)
    except FormatError as error:
        click.echo(f"error: cannot format {error}", err=True)
        return 2
    if diff:
        sys.stdout.write(_diff(text, formatted, name))
    elif not check:
        sys.stdout.write(formatted)
    return 1 if (check or diff) and formatted != text else 0


def _diff(before: str, after: str, name: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"{name}\t(original)", f"{name}\t(formatted)"
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _summary(changed: int, unchanged: int, dry: bool) -> str:
    def files(n: int) -> str:
        return f"{n} file{'s' if n != 1 else ''}"

    if dry:
        parts = [f"{files(changed)} would be reformatted"] if changed else []
        parts += [f"{files(unchanged)} already formatted"] if unchanged else []
    else:
        parts = [f"{files(changed)} reformatted"] if changed else []
        parts += [f"{files(unchanged)} left unchanged"] if unchanged else []
    return ", ".join(parts) or "no files formatted"
