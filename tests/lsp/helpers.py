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


class Recorded(dict):
    """`client.diagnostics`, also keeping every publication per URI (pytest-lsp keeps the last)."""

    def __init__(self) -> None:
        super().__init__()
        self.log: dict[str, list[Sequence[types.Diagnostic]]] = {}

    def __setitem__(self, uri: str, value: Sequence[types.Diagnostic]) -> None:
        self.log.setdefault(uri, []).append(value)
        super().__setitem__(uri, value)


async def publications(client: LanguageClient, uri: str, send) -> list[Sequence[types.Diagnostic]]:
    """Run `send` (an open or a change of `uri`) and collect the two publications that
    answer it: the front end's findings at once, then everything `evtc check` reports."""
    log = client.diagnostics.log  # type: ignore[attr-defined]
    before = len(log.get(uri, []))
    send()
    for _ in range(1200):
        if len(log.get(uri, [])) >= before + 2:
            return log[uri][before : before + 2]
        await asyncio.sleep(0.025)
    raise AssertionError(f"no diagnostics for {uri}")


async def diagnostics_after(client: LanguageClient, uri: str, send) -> Sequence[types.Diagnostic]:
    """Run `send` and answer what `evtc check` reports once the rules have run."""
    return (await publications(client, uri, send))[-1]


async def open_text(client: LanguageClient, text: str, name: str = "doc") -> tuple[str, Sequence[types.Diagnostic]]:
    uri = new_uri(name)
    item = types.TextDocumentItem(uri=uri, language_id="evt", version=1, text=text)
    found = await diagnostics_after(
        client, uri, lambda: client.text_document_did_open(types.DidOpenTextDocumentParams(item))
    )
    return uri, found


async def change_text(client: LanguageClient, uri: str, text: str, version: int) -> Sequence[types.Diagnostic]:
    change = types.TextDocumentContentChangeWholeDocument(text=text)
    params = types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri, version=version), [change]
    )
    return await diagnostics_after(client, uri, lambda: client.text_document_did_change(params))


def position_of(text: str, needle: str, offset: int = 0) -> types.Position:
    """The LSP position of the first `needle` in `text` (plus `offset` characters)."""
    at = text.index(needle) + offset
    line = text.count("\n", 0, at)
    return types.Position(line, at - (text.rfind("\n", 0, at) + 1))
