"""The server never crashes: the front end's fuzz inputs (tests/frontend/bad_inputs, the
extreme inputs of test_fuzz.py and seeded mutations of the examples), each opened and
asked every kind of request at several positions, must all get answers."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .helpers import open_text

pytestmark = pytest.mark.asyncio(loop_scope="module")
FRONTEND = Path(__file__).resolve().parents[1] / "frontend"


def _fuzz_module():
    spec = importlib.util.spec_from_file_location("evtc_fuzz_inputs", FRONTEND / "test_fuzz.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FUZZ = _fuzz_module()
# NOTE: code actions and formatting exist when evtc.check.fixes / evtc.frontend.fmt do (see test_actions.py)
HAS_FIXES = importlib.util.find_spec("evtc.check.fixes") is not None
HAS_FMT = importlib.util.find_spec("evtc.frontend.fmt") is not None


def _mutations(count: int, seed: int = 7) -> list[bytes]:
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        data = bytearray(rng.choice(FUZZ.SOURCES))
        for _ in range(rng.randint(1, 6)):
            at = rng.randint(0, len(data))
            if rng.random() < 0.5:
                del data[at : at + rng.randint(1, 40)]
            else:
                data[at:at] = b" " + rng.choice(FUZZ.TOKENS) + b" "
        found.append(bytes(data))
    return found


INPUTS = (
    [p.read_bytes() for p in sorted((FRONTEND / "bad_inputs").glob("*.evt"))]
    + [FUZZ.EXTREMES[k] for k in sorted(FUZZ.EXTREMES)]
    + _mutations(40)
)


async def _ask_everything(client: LanguageClient, uri: str, text: str) -> None:
    ident = types.TextDocumentIdentifier(uri=uri)
    lines = text.split("\n")
    rng = random.Random(len(text))
    for _ in range(4):
        line = rng.randrange(len(lines))
        position = types.Position(line, rng.randint(0, min(len(lines[line]), 400)))
        await client.text_document_hover_async(types.HoverParams(text_document=ident, position=position))
        await client.text_document_definition_async(types.DefinitionParams(text_document=ident, position=position))
        await client.text_document_references_async(
            types.ReferenceParams(
                context=types.ReferenceContext(include_declaration=True), text_document=ident, position=position
            )
        )
        await client.text_document_completion_async(types.CompletionParams(text_document=ident, position=position))
        await client.text_document_prepare_rename_async(
            types.PrepareRenameParams(text_document=ident, position=position)
        )
        if HAS_FIXES:
            where = types.Range(position, position)
            context = types.CodeActionContext(diagnostics=[])
            await client.text_document_code_action_async(
                types.CodeActionParams(text_document=ident, range=where, context=context)
            )
    if HAS_FMT:
        options = types.FormattingOptions(tab_size=2, insert_spaces=True)
        await client.text_document_formatting_async(
            types.DocumentFormattingParams(text_document=ident, options=options)
        )
    await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=ident))
    await client.text_document_folding_range_async(types.FoldingRangeParams(text_document=ident))


async def test_every_fuzz_input_gets_answers(client: LanguageClient) -> None:
    for data in INPUTS:
        text = data.decode("utf-8", errors="replace")
        uri, found = await open_text(client, text, "fuzz")
        assert all(d.range.start.line >= 0 and d.message for d in found)
        await _ask_everything(client, uri, text)
        client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=uri)))
    # still alive and answering after all of them
    uri, found = await open_text(client, "topology t\nqueue q { retension: 1d }\n")
    assert "REF003" in [d.code for d in found]
    errors = [m.message for m in client.log_messages if m.type == types.MessageType.Error]
    assert errors == []
