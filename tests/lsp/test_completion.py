"""Completion at the cursor, as an editor asks for it while the file is being typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .helpers import change_text, open_text

pytestmark = pytest.mark.asyncio(loop_scope="module")
ORDERS = (Path(__file__).resolve().parents[2] / "examples" / "orders.evt").read_text()


async def labels(client: LanguageClient, typed: str) -> list[str]:
    """Open orders.evt, type `typed` at its end and ask for completion at the cursor."""
    uri, _ = await open_text(client, ORDERS)
    text = ORDERS + typed
    await change_text(client, uri, text, 2)
    line = text.count("\n")
    character = len(text) - (text.rfind("\n") + 1)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character)
        )
    )
    items = result.items if isinstance(result, types.CompletionList) else result or []
    return [i.label for i in items]


async def test_keywords_at_the_start_of_a_line(client: LanguageClient) -> None:
    found = await labels(client, "\nqu")
    assert {"queue", "route", "event", "topic"} <= set(found)


async def test_properties_of_the_blocks_kind_not_yet_written(client: LanguageClient) -> None:
    found = await labels(client, "\nqueue extra {\n  retention: 4d\n  ")
    assert "visibility_timeout" in found and "dead_letter" in found
    assert "retention" not in found and "shards" not in found
    assert "bucket" in await labels(client, "\nsource uploads: s3 {\n  ")


async def test_enumeration_and_boolean_values(client: LanguageClient) -> None:
    assert await labels(client, "\nsource s: app { payload: ") == ["state", "notification"]
    assert await labels(client, "\nqueue q { fifo: ") == ["true", "false"]
    assert set(await labels(client, "\nsource s: ")) == {"app", "s3", "dynamodb", "webhook", "schedule"}
    schemes = {"stripe", "github", "hmac_sha256", "hmac_sha512", "iam", "none"}
    assert set(await labels(client, "\nsource hook: webhook { verify: ")) == schemes
    assert {"tolerance", "type_field", "concurrency"} <= set(await labels(client, "\nsource hook: webhook {\n  "))


async def test_names_a_property_may_take(client: LanguageClient) -> None:
    dead_letters = await labels(client, "\nqueue q { dead_letter: ")
    assert "fraud_dlq" in dead_letters and "order_events" not in dead_letters  # a topic is no queue
    assert await labels(client, "\nfunction f { emits: [") == ["OrderPlaced", "OrderScored"]


async def test_route_ends_only_of_kinds_a_route_may_take(client: LanguageClient) -> None:
    sources = await labels(client, "\nroute ")
    assert "checkout" in sources and "order_log" in sources and "risk_team" not in sources  # an endpoint
    targets = await labels(client, "\nroute checkout.OrderPlaced -> ")
    assert "risk_team" in targets and "checkout" not in targets  # a source cannot be a target
    assert await labels(client, "\nroute fraud_check.") == ["OrderScored"]


async def test_event_fields_in_when(client: LanguageClient) -> None:
    found = await labels(client, "\nroute checkout.OrderPlaced -> fraud_jobs when ")
    assert {"amount", "region", "order_id", "customer_email"} <= set(found) and "score" not in found
    assert "and" in await labels(client, "\nroute checkout.OrderPlaced -> fraud_jobs when amount > 3 ")


NESTED = """topology t
event Paid {
  id: string
  detail: { amount: number card: { brand: string } }
}
source shop: app { emits: [Paid] }
queue jobs {}
route shop.Paid -> jobs when detail.amount > 1
"""


async def test_nested_fields_after_a_dot(client: LanguageClient) -> None:
    uri, _ = await open_text(client, NESTED)
    text = NESTED + "route shop.Paid -> jobs when detail.card."
    await change_text(client, uri, text, 2)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(text.count("\n"), len(text) - (text.rfind("\n") + 1)),
        )
    )
    items = result.items if isinstance(result, types.CompletionList) else result
    assert [i.label for i in items] == ["brand"]
