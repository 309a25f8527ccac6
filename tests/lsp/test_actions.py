"""Code actions and formatting: the fixes of `evtc check --fix` and the layout of `evtc fmt`.

NOTE: both come from evtc.check.fixes and evtc.frontend.fmt; the server offers them only when those
modules are installed, and so these tests skip without them."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .helpers import open_text, position_of

pytestmark = pytest.mark.asyncio(loop_scope="module")
fixes = pytest.importorskip("evtc.check.fixes")
fmt = pytest.importorskip("evtc.frontend.fmt")


async def test_quick_fix_for_a_misspelt_property(client: LanguageClient) -> None:
    text = "topology t\nqueue jobs { retension: 4d }\n"
    uri, found = await open_text(client, text)
    typo = next(d for d in found if d.code == "REF003")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=typo.range,
            context=types.CodeActionContext(diagnostics=[typo]),
        )
    )
    fix = next(a for a in actions if "retention" in a.title)
    (edit,) = fix.edit.changes[uri]
    assert edit.new_text == "retention" and edit.range.start == position_of(text, "retension")


async def test_formatting_is_evtc_fmts_layout(client: LanguageClient) -> None:
    text = "topology t\nqueue   jobs {retention: 4d}\n"
    uri, _ = await open_text(client, text)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    assert [e.new_text for e in edits] == [fmt.format_text(text, "x.evt")]


async def test_formatting_leaves_a_file_with_a_syntax_error_and_says_why(client: LanguageClient) -> None:
    text = "topology t\nqueue jobs { retention: }\n"
    uri, _ = await open_text(client, text)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    assert not edits
    with pytest.raises(fmt.FormatError) as reason:
        fmt.format_text(text, uri.removeprefix("file://"))
    assert f"evtc fmt: {reason.value}" in [m.message for m in client.messages]


async def test_actions_are_the_edits_check_fix_applies(client: LanguageClient) -> None:
    from evtc.check.checker import check_compilation
    from evtc.frontend import compile_text

    text = 'topology t\nqueue jobs { retention: 4d }\nfunction f { handler: "h:f" }\nroute jobs -> f\n'
    uri, found = await open_text(client, text)
    missing = next(d for d in found if d.code == "DLV001")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=missing.range,
            context=types.CodeActionContext(diagnostics=[missing]),
        )
    )
    (action,) = [a for a in actions if a.diagnostics and a.diagnostics[0].code == "DLV001"]
    finding = next(d for d in check_compilation(compile_text(text, "t.evt")) if d.code == "DLV001")
    (fix,) = fixes.fixes_for(finding, text)
    assert action.title == fix.title and action.is_preferred == fix.safe
    fixed = _apply(text, action.edit.changes[uri])
    assert fixed == fixes.apply_fixes(text, [fix])[0]
    assert "DLV001" not in [d.code for d in check_compilation(compile_text(fixed, "t.evt"))]


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.split("\n")
    offsets = [sum(len(line) + 1 for line in lines[:i]) for i in range(len(lines))]
    spans = [
        (
            offsets[e.range.start.line] + e.range.start.character,
            offsets[e.range.end.line] + e.range.end.character,
            e.new_text,
        )
        for e in edits
    ]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text
