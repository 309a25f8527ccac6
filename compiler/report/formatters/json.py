"""The JSON contract CI users script against: `{"files": [...], "diagnostics": [...], "summary": {...}}`."""

from __future__ import annotations

import json as _json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from evtc import __version__
from evtc.check.catalog import CodeInfo
from evtc.diagnostics import Diagnostic


def as_dict(d: Diagnostic) -> dict[str, Any]:
    s = d.span
    return {
        "code": d.code,
        "name": d.name,
        "severity": d.severity.value,
        "category": d.category.value,
        "message": d.message,
        "hint": d.hint,
        "file": s.file,
        "line": s.line,
        "column": s.column,
        "end_line": s.end_line,
        "end_column": s.end_column,
        "related": [
            {"file": r.span.file, "line": r.span.line, "column": r.span.column, "message": r.message} for r in d.related
        ],
        "suppressed": d.suppressed,
    }


def write(diagnostics: Sequence[Diagnostic], sources: Mapping[str, str], catalog: Mapping[str, CodeInfo]) -> str:
    counts = Counter(d.severity.value for d in diagnostics if not d.suppressed)
    document = {
        "version": __version__,
        "files": list(sources),
        "diagnostics": [as_dict(d) for d in diagnostics],
        "summary": {
            "files": len(sources),
            "errors": counts["error"],
            "warnings": counts["warning"],
            "infos": counts["info"],
            "suppressed": sum(1 for d in diagnostics if d.suppressed),
        },
    }
    return _json.dumps(document, indent=2, ensure_ascii=False) + "\n"
