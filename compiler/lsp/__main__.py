"""`python -m evtc.lsp`: the same as `evtc lsp`."""

from __future__ import annotations

from evtc.lsp.server import serve

serve()
