"""Hover, go to definition, find references, rename, outline and folding, end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .helpers import open_text, position_of

pytestmark = pytest.mark.asyncio(loop_scope="module")
ORDERS = (Path(__file__).resolve().parents[2] / "examples" / "orders.evt").read_text()


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def hover_at(client: LanguageClient, uri: str, text: str, needle: str, offset: int = 1) -> str:
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(uri), position=position_of(text, needle, offset))
    )
    assert result is not None, needle
    assert isinstance(result.contents, types.MarkupContent)
    return result.contents.value


async def test_hover_property_component_event_and_rule(client: LanguageClient) -> None:
    uri, _ = await open_text(client, ORDERS)
    prop = await hover_at(client, uri, ORDERS, "visibility_timeout")
    assert "How long a received message stays hidden" in prop
    assert "Default: `30s`" in prop and "allowed 0s to 12h" in prop and "SQS" in prop
    retries = await hover_at(client, uri, ORDERS, "retries: 3")
    assert "This route is a `poll-stream` hop: up to 4 attempt(s)" in retries
    assert "failed events go to 'billing_failures'" in retries
    kind = await hover_at(client, uri, ORDERS, "risk_team: email", 12)
    assert "**email** (endpoint kind)" in kind and "`address`" in kind and "`https`" in kind
    payload = await hover_at(client, uri, ORDERS, "payload: state")
    assert "`state` | `notification`" in payload
    component = await hover_at(client, uri, ORDERS, "stream order_log", 8)
    assert "**stream order_log**" in component and "Kinesis" in component
    assert "ordering         per order_id" in component  # evtc explain's own line for billing
    event = await hover_at(client, uri, ORDERS, "route checkout.OrderPlaced", 16)
    assert "customer_email: string @sensitive" in event and "Emitted by: checkout." in event
    field = await hover_at(client, uri, ORDERS, "amount > 1000")
    assert "**OrderPlaced.amount**" in field and "amount: number" in field
    text = 'topology t\nqueue jobs { retention: 4d }\nfunction f { handler: "h:f" }\nroute jobs -> f\n'
    uri, found = await open_text(client, text)
    assert any(d.code == "DLV001" for d in found)
    page = await hover_at(client, uri, text, "queue jobs", 7)
    assert "DLV001 `queue-without-dead-letter`" in page and "Why is this bad?" in page


async def test_definition_and_references(client: LanguageClient) -> None:
    uri, _ = await open_text(client, ORDERS)
    use = position_of(ORDERS, "route fraud_jobs -> fraud_check", 8)
    found = await client.text_document_definition_async(types.DefinitionParams(text_document=doc(uri), position=use))
    assert [loc.range.start for loc in found] == [position_of(ORDERS, "queue fraud_jobs", 6)]
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            context=types.ReferenceContext(include_declaration=True), text_document=doc(uri), position=use
        )
    )
    assert len(refs) == 3  # the declaration, the route into it and the route out of it
    # an event field, from its use in a `when` filter
    amount = position_of(ORDERS, "amount > 1000", 2)
    found = await client.text_document_definition_async(types.DefinitionParams(text_document=doc(uri), position=amount))
    assert [loc.range.start for loc in found] == [position_of(ORDERS, "  amount: number", 2)]
    # an event, from `emits`
    emits = position_of(ORDERS, "emits: [OrderScored]", 10)
    found = await client.text_document_definition_async(types.DefinitionParams(text_document=doc(uri), position=emits))
    assert [loc.range.start for loc in found] == [position_of(ORDERS, "event OrderScored", 6)]
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            context=types.ReferenceContext(include_declaration=False), text_document=doc(uri), position=emits
        )
    )
    uses = [position_of(ORDERS, "emits: [OrderScored]").line, position_of(ORDERS, "route fraud_check.OrderScored").line]
    assert [r.range.start.line for r in refs] == uses


async def test_rename_across_the_file(client: LanguageClient) -> None:
    uri, _ = await open_text(client, ORDERS)
    at = position_of(ORDERS, "order_id: string", 1)
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=doc(uri), position=at)
    )
    assert prepared is not None and prepared.placeholder == "order_id"
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc(uri), position=at, new_name="order_key")
    )
    edits = edit.changes[uri]
    renamed = _apply(ORDERS, edits)
    assert "order_key: string" in renamed and "partition_key: order_key" in renamed
    assert "event OrderScored {\n  order_id: string" in renamed  # another event's field of that name stays
    component = position_of(ORDERS, "queue fraud_dlq", 7)
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc(uri), position=component, new_name="fraud_dead")
    )
    renamed = _apply(ORDERS, edit.changes[uri])
    assert renamed.count("fraud_dead") == 2 and "fraud_dlq" not in renamed
    with pytest.raises(Exception, match="not a name"):
        await client.text_document_rename_async(
            types.RenameParams(text_document=doc(uri), position=component, new_name="two words")
        )
    with pytest.raises(Exception, match="already a component named 'billing'"):
        await client.text_document_rename_async(
            types.RenameParams(text_document=doc(uri), position=component, new_name="billing")
        )
    with pytest.raises(Exception, match="already a field named 'amount'"):
        await client.text_document_rename_async(
            types.RenameParams(text_document=doc(uri), position=at, new_name="amount")
        )


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.split("\n")
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        line = lines[e.range.start.line]
        lines[e.range.start.line] = line[: e.range.start.character] + e.new_text + line[e.range.end.character :]
    return "\n".join(lines)


async def test_outline_and_folding(client: LanguageClient) -> None:
    uri, _ = await open_text(client, ORDERS)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(uri)))
    names = [s.name for s in symbols]
    assert names.index("OrderPlaced") < names.index("OrderScored") < names.index("checkout")
    assert "checkout.OrderPlaced -> order_log" in names
    placed = symbols[0]
    assert [c.name for c in placed.children] == ["order_id", "customer_email", "amount", "region"]
    assert placed.selection_range.start == position_of(ORDERS, "event OrderPlaced", 6)
    folds = await client.text_document_folding_range_async(types.FoldingRangeParams(text_document=doc(uri)))
    starts = {(f.start_line, f.end_line, f.kind) for f in folds}
    header = len(ORDERS.split("\ntopology")[0].splitlines())  # the comment lines above `topology`
    assert (0, header - 1, types.FoldingRangeKind.Comment) in starts
    event = position_of(ORDERS, "event OrderPlaced").line
    close = event + ORDERS.split("event OrderPlaced")[1].split("\n}")[0].count("\n") + 1
    assert (event, close, types.FoldingRangeKind.Region) in starts  # event OrderPlaced { … }


async def test_a_nested_field_in_a_filter_goes_to_its_declaration(client: LanguageClient) -> None:
    text = (
        "topology t\nevent Paid {\n  detail: { amount: number }\n}\nsource shop: app { emits: [Paid] }\n"
        "queue jobs {}\nroute shop.Paid -> jobs when detail.amount > 1\n"
    )
    uri, _ = await open_text(client, text)
    use = position_of(text, "detail.amount", 8)
    found = await client.text_document_definition_async(types.DefinitionParams(text_document=doc(uri), position=use))
    assert [loc.range.start for loc in found] == [position_of(text, "amount: number")]
    parent = position_of(text, "detail.amount", 1)
    found = await client.text_document_definition_async(types.DefinitionParams(text_document=doc(uri), position=parent))
    assert [loc.range.start for loc in found] == [position_of(text, "detail: {")]
