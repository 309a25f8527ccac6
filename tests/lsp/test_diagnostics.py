"""Diagnostics: as `evtc check` reports them, published after the debounce."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from evtc.check.checker import check_compilation
from evtc.frontend import compile_text

from .helpers import change_text, open_text, publications

pytestmark = pytest.mark.asyncio(loop_scope="module")

UNENCRYPTED = """topology t
event Paid {
  id: string
  card: string @sensitive
}
source shop: app { emits: [Paid] }
queue jobs { dead_letter: dlq max_receives: 3 }
queue dlq { retention: 14d encrypted: true }
function worker { handler: "h:f" clearance: [sensitive] }
route shop.Paid -> jobs
route jobs -> worker
"""


def _rule(d: types.Diagnostic) -> bool:
    """A rule's finding (not the front end's: SYN/REF codes)."""
    return not str(d.code).startswith(("SYN", "REF"))


async def test_same_findings_as_check(client: LanguageClient) -> None:
    uri, found = await open_text(client, UNENCRYPTED)
    expected = [d for d in check_compilation(compile_text(UNENCRYPTED, "x.evt")) if not d.suppressed]
    assert sorted((d.code, d.range.start.line + 1, d.range.start.character + 1) for d in found) == sorted(
        (d.code, d.span.line, d.span.column) for d in expected
    )
    assert any(_rule(d) for d in found)


async def test_hint_related_and_docs_link(client: LanguageClient) -> None:
    text = "topology t\nqueue jobs {}\nqueue jobs {}\n"
    _, found = await open_text(client, text)
    duplicate = next(d for d in found if d.code == "REF002")
    assert "hint: rename or remove one of them" in duplicate.message
    assert duplicate.related_information and duplicate.related_information[0].location.range.start.line == 1
    assert duplicate.code_description.href.endswith("language.md#diagnostics-of-the-front-end")
    assert duplicate.severity == types.DiagnosticSeverity.Error
    _, rules = await open_text(client, UNENCRYPTED)
    rule = next(d for d in rules if _rule(d))
    name = rule.data["name"]
    assert rule.code_description.href.endswith(f"rules.md#{rule.code.lower()}-{name}")


async def test_diagnostics_follow_typing(client: LanguageClient) -> None:
    uri, found = await open_text(client, "topology t\nqueue jobs { retention: 4d }\n")
    assert [d.code for d in found if d.severity == types.DiagnosticSeverity.Error] == []
    found = await change_text(client, uri, "topology t\nqueue jobs { retension: 4d }\n", 2)
    unknown = next(d for d in found if d.code == "REF003")
    assert "did you mean 'retention'?" in unknown.message
    assert (unknown.range.start.line, unknown.range.start.character) == (1, 13)
    found = await change_text(client, uri, "topology t\nqueue jobs { retention: 4d \n", 3)
    assert [d.code for d in found] == ["SYN005"]


async def test_a_burst_of_changes_ends_with_the_last_texts_diagnostics(client: LanguageClient) -> None:
    uri, _ = await open_text(client, "topology t\n")
    client.diagnostics.pop(uri, None)
    text = "topology t\n"
    for version, char in enumerate("queue q {}", start=2):
        text += char
        change = types.TextDocumentContentChangeWholeDocument(text=text)
        ident = types.VersionedTextDocumentIdentifier(uri=uri, version=version)
        client.text_document_did_change(types.DidChangeTextDocumentParams(ident, [change]))
    found = await change_text(client, uri, text + "\n", 99)
    assert not [d for d in found if d.severity == types.DiagnosticSeverity.Error]


async def test_front_end_findings_first_with_the_rules_findings_carried_over(client: LanguageClient) -> None:
    uri, found = await open_text(client, UNENCRYPTED)
    sec = next(d for d in found if _rule(d))
    edited = "# a comment above everything\n" + UNENCRYPTED.replace("id: string", "id: strin")
    change = types.TextDocumentContentChangeWholeDocument(text=edited)
    ident = types.VersionedTextDocumentIdentifier(uri=uri, version=2)
    first, final = await publications(
        client, uri, lambda: client.text_document_did_change(types.DidChangeTextDocumentParams(ident, [change]))
    )
    assert "REF010" in [d.code for d in first]  # the typo, before any rule ran
    carried = next(d for d in first if d.code == sec.code)  # the untouched queue's finding, one line down
    assert carried.range.start.line == sec.range.start.line + 1
    assert sorted(d.code for d in final) == sorted({*(d.code for d in found), "REF010"})


async def test_columns_count_utf16_code_units(client: LanguageClient) -> None:
    text = 'topology t\nfunction f { handler: "😀:é" timeoot: 3s }\n'
    _, found = await open_text(client, text)
    unknown = next(d for d in found if d.code == "REF003")
    before = text.splitlines()[1].index("timeoot")
    assert unknown.range.start.character == before + 1  # the emoji is two UTF-16 units, one character
