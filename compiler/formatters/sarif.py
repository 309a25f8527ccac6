"""SARIF 2.1.0, as GitHub code scanning reads it: every code in the run's rule list, with help."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from evtc import __version__
from evtc.catalog import CodeInfo
from evtc.diagnostics import Diagnostic

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rule(info: CodeInfo) -> dict[str, Any]:
    return {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary or info.name},
        "fullDescription": {"text": info.summary or info.name},
        "help": {"text": info.help or info.summary or info.name, "markdown": info.help or info.summary or info.name},
        "defaultConfiguration": {"level": _LEVEL[info.severity]},
        "properties": {"tags": [info.category], "category": info.category},
    }


def _result(d: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    s = d.span
    text = d.message + (f" Hint: {d.hint}" if d.hint else "")
    result: dict[str, Any] = {
        "ruleId": d.code,
        "level": _LEVEL[d.severity.value],
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": s.file.replace("\\", "/")},
                    "region": {
                        "startLine": s.line,
                        "startColumn": s.column,
                        "endLine": s.end_line,
                        "endColumn": s.end_column,
                    },
                }
            }
        ],
    }
    if d.code in index:
        result["ruleIndex"] = index[d.code]
    if d.suppressed:
        result["suppressions"] = [{"kind": "inSource"}]
    return result


def write(diagnostics: Sequence[Diagnostic], sources: Mapping[str, str], catalog: Mapping[str, CodeInfo]) -> str:
    infos = [catalog[code] for code in sorted(catalog)]
    index = {info.code: i for i, info in enumerate(infos)}
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "evtc",
                        "version": __version__,
                        "rules": [_rule(info) for info in infos],
                    }
                },
                "results": [_result(d, index) for d in diagnostics],
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
