"""`python -m evtc.lsp`: the same as `evtc lsp`."""

from __future__ import annotations

from evtc.cli.lsp import command

command(prog_name="evtc lsp")
