"""The front end as one pure function: file text → `Compilation` (IR, graph, diagnostics).

>>> c = compile_text('topology t\\nqueue jobs { retention: 4d }', "demo.evt")
>>> c.topology.component("jobs").retention
345600.0
>>> [d.code for d in compile_text("topology t\\nqueue { }", "bad.evt").diagnostics]
['SYN002']
"""

from __future__ import annotations

from evtc.util.probes import unprobed

with unprobed("regex"):  # NOTE: lark probes for it at import; evtc never uses it
    import lark  # noqa: F401

from evtc.frontend.compile import (  # noqa: E402
    Compilation,
    Unit,
    compile_bytes,
    compile_file,
    compile_parsed,
    compile_text,
    link,
    parse_unit,
)

__all__ = [
    "Compilation",
    "Unit",
    "compile_bytes",
    "compile_file",
    "compile_parsed",
    "compile_text",
    "link",
    "parse_unit",
]
