"""JUnit XML, as ruff and sqlfluff write it for CI test reports: one test suite per file, one
failing test case per finding (a file without findings gets one passing case)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from evtc.check.catalog import CodeInfo
from evtc.diagnostics import Diagnostic


def write(diagnostics: Sequence[Diagnostic], sources: Mapping[str, str], catalog: Mapping[str, CodeInfo]) -> str:
    import xml.etree.ElementTree as ET  # NOTE: here, so that other formats never pay for it

    shown = [d for d in diagnostics if not d.suppressed]
    root = ET.Element("testsuites", name="evtc", tests=str(max(1, len(shown))), failures=str(len(shown)))
    files = sorted(set(sources) | {d.span.file for d in shown})
    for file in files:
        found = [d for d in shown if d.span.file == file]
        suite = ET.SubElement(
            root, "testsuite", name=file, tests=str(max(1, len(found))), failures=str(len(found)), errors="0"
        )
        if not found:
            ET.SubElement(suite, "testcase", name="no problems found", classname=file)
        for d in found:
            s = d.span
            case = ET.SubElement(suite, "testcase", name=f"{d.code} {d.name}", classname=file, line=str(s.line))
            failure = ET.SubElement(case, "failure", message=d.message, type=d.severity.value)
            failure.text = f"{s.file}:{s.line}:{s.column}: {d.message}" + (f"\nhint: {d.hint}" if d.hint else "")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
