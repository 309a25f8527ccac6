"""The .evt language server (`evtc lsp`, built on pygls): diagnostics as `evtc check`
reports them, hover, go to definition, references, rename, outline, folding and
completion. `python -m evtc.lsp` runs it as `evtc lsp` does."""
