"""A topology in several files in the editor: diagnostics from the whole topology (and to
each of its files), definition, references and rename across the files."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient

from .helpers import change_text, diagnostics_after, position_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

ENTRY = 'topology shop\nuse "orders.evt"\nuse "billing.evt"\n'
ORDERS = """event OrderPlaced { order_id: string amount: number }
source checkout: app { emits: [OrderPlaced] }
queue order_jobs { retention: 4d dead_letter: order_dlq }
queue order_dlq { retention: 14d }
"""
BILLING = """function billing { handler: "billing:run" }
route checkout.OrderPlaced -> order_jobs when amount > 10
route order_jobs -> billing
queue order_dlq { retention: 14d }
"""


def write(folder: Path) -> dict[str, str]:
    texts = {"shop.evt": ENTRY, "orders.evt": ORDERS, "billing.evt": BILLING}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return {name: from_fs_path(str(folder / name)) for name in texts}


async def open_file(client: LanguageClient, uri: str, text: str) -> list[types.Diagnostic]:
    item = types.TextDocumentItem(uri=uri, language_id="evt", version=1, text=text)
    return list(
        await diagnostics_after(
            client, uri, lambda: client.text_document_did_open(types.DidOpenTextDocumentParams(item))
        )
    )


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def test_a_part_is_checked_with_its_topology(client: LanguageClient, tmp_path: Path) -> None:
    uris = write(tmp_path)
    found = await open_file(client, uris["billing.evt"], BILLING)
    # NOTE: `checkout`, `order_jobs` and `amount` are declared in orders.evt: no REF001/REF008
    assert {d.code for d in found} == {"REF002"}
    (duplicate,) = found
    assert duplicate.range.start == position_of(BILLING, "queue order_dlq")
    (related,) = duplicate.related_information or []
    assert related.location.uri == uris["orders.evt"]
    assert related.location.range.start == position_of(ORDERS, "queue order_dlq")
    # the finding's other end is published to the file it is in, which is not even open
    others = client.diagnostics.get(uris["orders.evt"], [])  # type: ignore[attr-defined]
    assert [d.code for d in others] == []
    assert uris["orders.evt"] in client.diagnostics.log  # type: ignore[attr-defined]


async def test_the_other_files_get_their_own_findings(client: LanguageClient, tmp_path: Path) -> None:
    uris = write(tmp_path)
    broken = ORDERS.replace("dead_letter: order_dlq", "dead_letter: order_dl")
    (tmp_path / "orders.evt").write_text(broken, encoding="utf-8")
    await open_file(client, uris["billing.evt"], BILLING)
    others = client.diagnostics[uris["orders.evt"]]  # type: ignore[index]
    (undefined,) = [d for d in others if d.code == "REF001"]
    assert undefined.range.start == position_of(broken, "order_dl ")


async def test_unsaved_text_of_an_open_part_is_what_the_others_see(client: LanguageClient, tmp_path: Path) -> None:
    uris = write(tmp_path)
    await open_file(client, uris["orders.evt"], ORDERS.replace("order_jobs", "jobs"))
    found = await open_file(client, uris["billing.evt"], BILLING)
    assert {d.code for d in found} >= {"REF001"}  # `order_jobs` is renamed in the editor, not on disk


async def test_definition_references_and_rename_cross_files(client: LanguageClient, tmp_path: Path) -> None:
    uris = write(tmp_path)
    await open_file(client, uris["billing.evt"], BILLING)
    use = position_of(BILLING, "route order_jobs", 6)
    (found,) = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uris["billing.evt"]), position=use)
    )
    assert found.uri == uris["orders.evt"] and found.range.start == position_of(ORDERS, "order_jobs")
    references = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(uris["billing.evt"]),
            position=use,
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert sorted((r.uri == uris["orders.evt"], r.range.start.line) for r in references) == [
        (False, 1),
        (False, 2),
        (True, 2),
    ]
    field = position_of(BILLING, "amount > 10")
    (declared,) = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uris["billing.evt"]), position=field)
    )
    assert declared.uri == uris["orders.evt"] and declared.range.start == position_of(ORDERS, "amount")
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc(uris["billing.evt"]), position=use, new_name="jobs")
    )
    assert edit is not None and edit.changes is not None
    assert {uri: len(edits) for uri, edits in edit.changes.items()} == {uris["billing.evt"]: 2, uris["orders.evt"]: 1}
    assert all(e.new_text == "jobs" for edits in edit.changes.values() for e in edits)
    (declaration,) = edit.changes[uris["orders.evt"]]
    assert declaration.range.start == position_of(ORDERS, "order_jobs")


async def test_outline_shows_only_the_open_files_declarations(client: LanguageClient, tmp_path: Path) -> None:
    uris = write(tmp_path)
    await open_file(client, uris["billing.evt"], BILLING)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(uris["billing.evt"]))
    )
    names = [s.name for s in symbols]  # type: ignore[union-attr]
    assert names == ["billing", "checkout.OrderPlaced -> order_jobs", "order_jobs -> billing", "order_dlq"]


async def test_definition_on_a_use_opens_the_part(client: LanguageClient, tmp_path: Path) -> None:
    uris = write(tmp_path)
    await open_file(client, uris["shop.evt"], ENTRY)
    (found,) = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uris["shop.evt"]), position=position_of(ENTRY, "billing.evt"))
    )
    assert found.uri == uris["billing.evt"] and found.range.start == types.Position(0, 0)


async def test_completion_in_a_part_offers_the_other_files_names(client: LanguageClient, tmp_path: Path) -> None:
    uris = write(tmp_path)
    await open_file(client, uris["billing.evt"], BILLING)
    text = BILLING + "route checkout."
    await change_text(client, uris["billing.evt"], text, 2)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=doc(uris["billing.evt"]),
            position=types.Position(text.count("\n"), len(text) - (text.rfind("\n") + 1)),
        )
    )
    items = result.items if isinstance(result, types.CompletionList) else result or []
    assert [i.label for i in items] == ["OrderPlaced"]  # declared, with `checkout`, in orders.evt


async def test_each_file_keeps_its_own_configuration(client: LanguageClient, tmp_path: Path) -> None:
    uris = write(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.evtc]\nper-file-ignores = { "billing.evt" = ["DLV007"] }\n')
    extra = BILLING + "queue spare_b { retention: 4d dead_letter: order_dlq }\n"
    (tmp_path / "orders.evt").write_text(ORDERS + "queue spare_o { retention: 4d dead_letter: order_dlq }\n")
    found = await open_file(client, uris["billing.evt"], extra)
    assert "DLV007" not in {d.code for d in found}  # ignored for billing.evt by its configuration
    others = client.diagnostics[uris["orders.evt"]]  # type: ignore[index]
    assert "DLV007" in {d.code for d in others}  # not for orders.evt
