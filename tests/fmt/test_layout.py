"""The canonical layout, rule by rule (the rules are listed in evtc.frontend.fmt and docs/language.md)."""

from __future__ import annotations

import pytest

from evtc.frontend.fmt import FormatError, format_text

CASES = {
    "indent and spacing": (
        "topology t\nqueue q {\nretention : 4d\n    dead_letter:dlq }\nqueue dlq{}\n",
        "topology t\nqueue q {\n  retention: 4d\n  dead_letter: dlq\n}\nqueue dlq {}\n",
    ),
    "a block begun on the brace's line stays on one line": (
        "topology t\nroute a -> b {retries:3\n max_age: 1h}\n",
        "topology t\nroute a -> b { retries: 3 max_age: 1h }\n",
    ),
    "a block that does not fit in 100 columns is exploded": (
        "topology t\nqueue q { " + " ".join(f"p{i}: {i}" for i in range(20)) + " }\n",
        "topology t\nqueue q {\n" + "".join(f"  p{i}: {i}\n" for i in range(20)) + "}\n",
    ),
    "an empty block": ("topology t\nqueue q {\n\n}\n", "topology t\nqueue q {}\n"),
    "lists, trailing commas and annotations": (
        "topology t\nevent E { a: string@sensitive  b: [ [number] ] }\nsource s: app { emits: [ E , ] }\n",
        "topology t\nevent E { a: string @sensitive b: [[number]] }\nsource s: app { emits: [E] }\n",
    ),
    "filters on one line, operators spaced": (
        'topology t\nroute s.E->q\n  when a>1 and(b=="x"or not exists c.d)\n',
        'topology t\nroute s.E -> q when a > 1 and (b == "x" or not exists c.d)\n',
    ),
    "nested object types follow the same rule": (
        "topology t\nevent E {\n  o: {\n x: string } }\n",
        "topology t\nevent E {\n  o: {\n    x: string\n  }\n}\n",
    ),
    "blank lines: at most one, none after { or before }": (
        "\n\ntopology t\n\n\n\nqueue q {\n\n  retention: 4d\n\n\n  encrypted: true\n\n}\nqueue r {}\n\n\n",
        "topology t\n\nqueue q {\n  retention: 4d\n\n  encrypted: true\n}\nqueue r {}\n",
    ),
    "comments stay after their token or before it": (
        "# head\n\ntopology t   # name\nqueue q {   # opens\n# first\n  retention: 4d   # keep\n    # last\n}\n# tail\n",
        "# head\n\ntopology t  # name\nqueue q {  # opens\n  # first\n  retention: 4d  # keep\n  # last\n}\n# tail\n",
    ),
    "a comment inside a one-line block explodes it": (
        "topology t\nroute a -> b { retries: 3 # why\n}\n",
        "topology t\nroute a -> b {\n  retries: 3  # why\n}\n",
    ),
    "a comment inside a declaration's line puts the rest on a continuation line": (
        "topology t\nroute s.E -> q when a > 1 # big ones\n and b < 2\n",
        "topology t\nroute s.E -> q when a > 1  # big ones\n    and b < 2\n",
    ),
    "CRLF line ends are kept": ("topology t\r\nqueue q {}\r\n", "topology t\r\nqueue q {}\r\n"),
    "an empty file stays empty": ("\n\n", ""),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_layout(case: str) -> None:
    source, expected = CASES[case]
    assert format_text(source, "t.evt") == expected
    assert format_text(expected, "t.evt") == expected


def test_strings_and_numbers_are_written_as_they_were() -> None:
    text = 'topology t\nsource s: app { name: "a\\"b#c" limit: 1e3 size: 256KiB }\n'
    assert format_text(text, "t.evt") == text


def test_syntax_errors_are_refused_with_their_diagnostics() -> None:
    with pytest.raises(FormatError) as raised:
        format_text("topology t\nqueue q { retention: }\n", "bad.evt")
    assert raised.value.diagnostics[0].code == "SYN002"
    assert "bad.evt:2:" in str(raised.value)
