"""Code actions and formatting: the fixes of `evtc check --fix` and the layout of `evtc fmt`.

NOTE: both come from modules of another branch (evtc.fixes, evtc.fmt); until they are on
main these tests are skipped, and they run (and can fail) as soon as they are."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .helpers import open_text, position_of

pytestmark = pytest.mark.asyncio(loop_scope="module")
fixes = pytest.importorskip("evtc.fixes")
fmt = pytest.importorskip("evtc.fmt")


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
    uri, _ = await open_text(client, "topology t\nqueue jobs { retention: }\n")
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    assert not edits
    assert any("fix the syntax error" in m.message for m in client.messages)
