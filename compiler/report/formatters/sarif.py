"""SARIF 2.1.0, as GitHub code scanning reads it.

Every code is in the run's rule list with its help, `helpUri` and, for security rules, a
`security-severity` (GitHub ranks those Critical/High/Medium/Low). Results point at files
relative to `%SRCROOT%` (the current directory, in `originalUriBaseIds`), percent-encoded,
with columns counted in Unicode code points, related locations, and a `partialFingerprints`
entry made from the code, the file, the message and the flagged text, so a finding keeps
its identity when lines above it move.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from evtc import __version__
from evtc.check.catalog import CodeInfo
from evtc.diagnostics import Diagnostic
from evtc.span import Span
from evtc.util.links import help_uri

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
ROOT = "%SRCROOT%"
FINGERPRINT = "evtc/v1"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
# GitHub: 9.0+ Critical, 7.0-8.9 High, 4.0-6.9 Medium, below Low.
_SECURITY_SEVERITY = {"error": "8.0", "warning": "5.5", "info": "3.0"}


def _rule(info: CodeInfo) -> dict[str, Any]:
    properties: dict[str, Any] = {"tags": [info.category], "category": info.category}
    if info.category == "security":
        properties["security-severity"] = _SECURITY_SEVERITY[info.severity]
    return {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary or info.name},
        "fullDescription": {"text": info.summary or info.name},
        "help": {"text": info.help or info.summary or info.name, "markdown": info.help or info.summary or info.name},
        "helpUri": help_uri(info.code, info.name),
        "defaultConfiguration": {"level": _LEVEL[info.severity]},
        "properties": properties,
    }


def artifact(file: str, root: Path) -> dict[str, str]:
    """A file's location: relative to %SRCROOT% when it is under it, else an absolute file URI."""
    from urllib.parse import quote  # NOTE: imported by the SARIF format only

    path = Path(file)
    absolute = path if path.is_absolute() else root / path
    try:
        relative = absolute.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return {"uri": absolute.resolve().as_uri()}
    return {"uri": quote(relative, safe="/"), "uriBaseId": ROOT}


def _location(span: Span, root: Path, message: str | None = None) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": artifact(span.file, root),
            "region": {
                "startLine": span.line,
                "startColumn": span.column,
                "endLine": span.end_line,
                "endColumn": max(span.end_column, 1),
            },
        }
    }
    if message is not None:
        location["message"] = {"text": message}
    return location


def fingerprint(d: Diagnostic, source: str, seen: dict[str, int]) -> str:
    """Stable across line moves: no line numbers in it, only what the finding is about; a
    count tells identical findings in one file apart."""
    import hashlib

    lines = source.splitlines()
    flagged = "\n".join(line.strip() for line in lines[d.span.line - 1 : d.span.end_line])
    key = "\x00".join((d.code, Path(d.span.file).as_posix(), d.message, flagged))
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    seen[digest] = seen.get(digest, 0) + 1
    return f"{digest}:{seen[digest]}"


def _result(d: Diagnostic, index: dict[str, int], root: Path, source: str, seen: dict[str, int]) -> dict[str, Any]:
    text = d.message + (f" Hint: {d.hint}" if d.hint else "")
    result: dict[str, Any] = {
        "ruleId": d.code,
        "level": _LEVEL[d.severity.value],
        "message": {"text": text},
        "locations": [_location(d.span, root)],
        "partialFingerprints": {FINGERPRINT: fingerprint(d, source, seen)},
    }
    if d.related:
        result["relatedLocations"] = [
            {"id": i, **_location(r.span, root, r.message)} for i, r in enumerate(d.related, start=1)
        ]
    if d.code in index:
        result["ruleIndex"] = index[d.code]
    if d.suppressed:
        result["suppressions"] = [{"kind": "inSource"}]
    return result


def write(diagnostics: Sequence[Diagnostic], sources: Mapping[str, str], catalog: Mapping[str, CodeInfo]) -> str:
    infos = [catalog[code] for code in sorted(catalog)]
    index = {info.code: i for i, info in enumerate(infos)}
    root = Path.cwd()
    seen: dict[str, int] = {}
    run = {
        "tool": {
            "driver": {
                "name": "evtc",
                "version": __version__,
                "informationUri": help_uri("", "").rsplit("/blob/", 1)[0],
                "rules": [_rule(info) for info in infos],
            }
        },
        "originalUriBaseIds": {ROOT: {"uri": root.resolve().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, index, root, sources.get(d.span.file, ""), seen) for d in diagnostics],
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
