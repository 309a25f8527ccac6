"""`evtc lsp`, the console command itself: it answers over stdio and, after `shutdown` and
`exit`, ends with status 0 as the protocol asks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EVTC = Path(sys.executable).parent / "evtc"


def _message(payload: dict[str, object]) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


@pytest.mark.skipif(not EVTC.exists(), reason="the evtc console script is installed next to this Python")
def test_evtc_lsp_answers_and_exits_cleanly() -> None:
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    result = subprocess.run(
        [str(EVTC), "lsp", "--stdio"], input=b"".join(map(_message, messages)), capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr.decode()
    assert b'"name": "evtc"' in result.stdout or b'"name":"evtc"' in result.stdout
