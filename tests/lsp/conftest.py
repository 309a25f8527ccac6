"""One `evtc lsp` server process per test module, driven by pytest-lsp's client."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from .helpers import Recorded

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "evtc.lsp"])


@pytest.fixture(scope="module", autouse=True)
def _event_loop_left_usable() -> Iterator[None]:
    """pytest-asyncio leaves the main thread without an event loop when its loop closes;
    code run by later tests (pulumi's mocks) calls `asyncio.get_event_loop()`."""
    yield
    asyncio.set_event_loop(asyncio.new_event_loop())


@pytest_lsp.fixture(scope="module", config=SERVER)
async def client(lsp_client: LanguageClient):
    lsp_client.diagnostics = Recorded()
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
            initialization_options={"debounce": 20},
        )
    )
    yield
    await lsp_client.shutdown_session()
