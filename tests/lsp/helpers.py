"""Opening documents and waiting for their diagnostics, for the LSP tests."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence

from lsprotocol import types
from pytest_lsp import LanguageClient

_COUNTER = itertools.count()


def new_uri(name: str = "doc") -> str:
    return f"file:///tmp/evtc-lsp-tests/{name}-{next(_COUNTER)}.evt"


async def diagnostics_after(client: LanguageClient, uri: str, send) -> Sequence[types.Diagnostic]:
    """Run `send` (an open or a change of `uri`) and wait until `uri`'s diagnostics arrive."""
    client.diagnostics.pop(uri, None)
    send()
    for _ in range(400):
        if uri in client.diagnostics:
            return client.diagnostics[uri]
        await asyncio.sleep(0.025)
    raise AssertionError(f"no diagnostics for {uri}")


async def open_text(client: LanguageClient, text: str, name: str = "doc") -> tuple[str, Sequence[types.Diagnostic]]:
    uri = new_uri(name)
    item = types.TextDocumentItem(uri=uri, language_id="evt", version=1, text=text)
    found = await diagnostics_after(
        client, uri, lambda: client.text_document_did_open(types.DidOpenTextDocumentParams(item))
    )
    return uri, found


async def change_text(client: LanguageClient, uri: str, text: str, version: int) -> Sequence[types.Diagnostic]:
    change = types.TextDocumentContentChangeWholeDocument(text=text)
    params = types.DidChangeTextDocumentParams(types.VersionedTextDocumentIdentifier(uri=uri, version=version), [change])
    return await diagnostics_after(client, uri, lambda: client.text_document_did_change(params))


def position_of(text: str, needle: str, offset: int = 0) -> types.Position:
    """The LSP position of the first `needle` in `text` (plus `offset` characters)."""
    at = text.index(needle) + offset
    line = text.count("\n", 0, at)
    return types.Position(line, at - (text.rfind("\n", 0, at) + 1))
