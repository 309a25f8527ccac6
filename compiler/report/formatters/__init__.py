"""Output formats for diagnostics, one module each; `FORMATS` maps a name to its writer.

Every writer takes the sorted diagnostics, the source texts by file (to quote lines) and
the catalogue of codes, and returns the whole output as text, deterministic byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from evtc.check.catalog import CodeInfo
from evtc.diagnostics import Diagnostic
from evtc.report.formatters import github, json, junit, sarif, text

Writer = Callable[[Sequence[Diagnostic], Mapping[str, str], Mapping[str, CodeInfo]], str]

FORMATS: dict[str, Writer] = {
    "text": text.write,
    "json": json.write,
    "sarif": sarif.write,
    "github": github.write,
    "junit": junit.write,
}
