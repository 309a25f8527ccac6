"""Mistakes newcomers make get one diagnostic, on the mistake, that says what to write instead."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evtc.frontend import compile_text

HEAD = "topology t\nevent E { a: number b: string }\nsource s: app { emits: [E] }\nqueue q { encrypted: true }\n"


def only(text: str) -> tuple[str, int, int, str, str]:
    (d,) = [d for d in compile_text(text, "t.evt").diagnostics if d.severity.value == "error"]
    return d.code, d.span.line, d.span.column, d.message, d.hint


@pytest.mark.parametrize(
    "value, kind, better",
    [
        ("5min", "duration", "5m"),
        ("1hr", "duration", "1h"),
        ("1w", "duration", "7d"),
        ("30sec", "duration", "30s"),
        ("14days", "duration", "14d"),
        ("256kb", "size", "256KB or 256KiB"),
        ("512M", "size", "512MB or 512MiB"),
    ],
)
def test_a_unit_evtc_does_not_know_is_ref005_on_the_value(value: str, kind: str, better: str) -> None:
    prop = "memory" if kind == "size" else "retention"
    owner = 'function f { handler: "h:f" ' if kind == "size" else "queue j { "
    code, line, column, message, hint = only(f"topology t\n{owner}{prop}: {value} }}\n")
    assert (code, line) == ("REF005", 2) and column == len(owner) + len(prop) + 3
    assert f"'{value}'" in message and ("ms, s, m, h, d" if kind == "duration" else "KiB") in message
    assert hint == f"write `{better}`"


@pytest.mark.parametrize("value", ["30 s", "4 d", "30 sec"])
def test_a_space_before_the_unit_is_ref005_on_the_value_not_the_next_line(value: str) -> None:
    text = f"topology t\nqueue j {{\n  retention: {value}\n  encrypted: true\n}}\n"
    (d,) = [d for d in compile_text(text, "t.evt").diagnostics if d.code.startswith(("SYN", "REF"))]
    assert (d.code, d.span.line, d.span.column, d.span.end_column) == ("REF005", 3, 14, 14 + len(value))
    assert "without a space" in d.message


@pytest.mark.parametrize(
    "line, written, hint",
    [
        ("route s.E => q", "=>", "routes use `->`"),
        ("route s.E --> q", "-->", "routes use `->`"),
        ("route s.E → q", "→", "routes use `->`"),
        ("route s.E -> q when a = 1", "=", "compare with `==`: `a == 1`"),
        ('route s.E -> q when a > 1 && b == "x"', "&&", "write `and`"),
        ('route s.E -> q when a > 1 || b == "x"', "||", "write `or`"),
        ("route s.E -> q when b == 'x'", "'x'", 'write "x"'),
        ("// a note", "//", "comments start with `#`"),
        ("queue r { retention = 4d }", "=", "write `retention: 4d`"),
    ],
)
def test_habits_from_other_languages_get_a_targeted_hint(line: str, written: str, hint: str) -> None:
    code, number, column, _, found = only(HEAD + line + "\n")
    assert code == "SYN003" and number == 5 and column == line.index(written) + 1
    assert found.startswith(hint)


def test_a_misspelt_keyword_says_so_and_causes_nothing_else() -> None:
    text = 'topology t\nqeueu jobs {\n  retention: 4d\n}\nfunction w { handler: "w:r" }\nroute jobs -> w\n'
    diagnostics = compile_text(text, "t.evt").diagnostics
    assert [(d.code, d.span.line, d.message) for d in diagnostics] == [
        ("SYN002", 2, "unknown declaration keyword 'qeueu' — did you mean 'queue'?")
    ]


def test_did_you_mean_suggests_only_a_name_of_a_kind_that_fits() -> None:
    text = 'topology t\nfunction jobs_worker { handler: "w:r" }\nqueue q { dead_letter: jobs_workr }\n'
    (d,) = [d for d in compile_text(text, "t.evt").diagnostics if d.code == "REF001"]
    assert "jobs_worker" not in d.hint and d.hint == "declare component 'jobs_workr'"
    text += "queue jobs_work {}\n"
    (d,) = [d for d in compile_text(text, "t.evt").diagnostics if d.code == "REF001"]
    assert d.hint == "did you mean 'jobs_work'?"


BAD = sorted((Path(__file__).parent / "bad_inputs").glob("*.evt"))


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_messages_use_the_right_article(path: Path) -> None:
    from evtc.frontend import compile_bytes

    for d in compile_bytes(path.read_bytes(), path.name).diagnostics:
        for text in (d.message, d.hint):
            assert not re.search(r"\ba [aeio]\w+", text), text


def test_an_endpoint_kind_takes_an() -> None:
    code, *_, message, _ = only('topology t\nendpoint e: smtp { address: "a@b.c" }\n')
    assert code == "REF007" and message == "'smtp' is not an endpoint kind"
