"""Code actions and formatting, from `evtc.check.fixes` (the edits `evtc check --fix` applies)
and `evtc.frontend.fmt` (the formatter `evtc fmt` runs): the server only turns them into LSP edits."""

from __future__ import annotations

from lsprotocol import types

from evtc.diagnostics import Diagnostic
from evtc.frontend import Compilation
from evtc.lsp.positions import Lines


def code_actions(
    found: list[Diagnostic], compilation: Compilation, uri: str, wanted: types.Range, docs: str, file: str = ""
) -> list[types.CodeAction]:
    """The quick fixes of `found` (findings in `file`, the open document: the compilation's
    first file unless said) that touch the range `wanted`."""
    from evtc.check.fixes import fixes_for
    from evtc.lsp.diagnostics import to_lsp

    text = compilation.sources.get(file, compilation.text)
    lines = Lines(text)
    actions = []
    for d in found:
        where = lines.range(d.span)
        if (where.end.line, where.end.character) < (wanted.start.line, wanted.start.character):
            continue
        if (where.start.line, where.start.character) > (wanted.end.line, wanted.end.character):
            continue
        for fix in fixes_for(d, text, compilation):
            edits = [
                types.TextEdit(types.Range(_position(lines, e.start), _position(lines, e.end)), e.new_text)
                for e in fix.edits
            ]
            actions.append(
                types.CodeAction(
                    title=fix.title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[to_lsp(d, lines, uri, docs)],
                    edit=types.WorkspaceEdit(changes={uri: edits}),
                    is_preferred=fix.safe,
                )
            )
    return actions


def _position(lines: Lines, offset: int) -> types.Position:
    return lines.position(*lines.point(offset))


def formatting(text: str, file: str) -> tuple[list[types.TextEdit], str | None]:
    """One edit replacing the whole text with `evtc fmt`'s layout (none when it is already
    formatted), or no edit and why: a file with a syntax error is left as typed."""
    from evtc.frontend.fmt import FormatError, format_text

    try:
        formatted = format_text(text, file)
    except FormatError as error:
        return [], str(error)
    if formatted == text:
        return [], None
    lines = Lines(text)
    end = lines.position(*lines.point(len(text)))
    return [types.TextEdit(types.Range(types.Position(0, 0), end), formatted)], None
