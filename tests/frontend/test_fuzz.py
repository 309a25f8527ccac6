"""Whatever the input, the front end answers with positioned diagnostics or a clean result:
never an exception, never a hang. Hypothesis mutates the examples; extreme inputs are
spelt out below."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evtc.frontend import compile_bytes

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.evt"))
SOURCES = [p.read_bytes() for p in EXAMPLES]
TOKENS = [
    b"{",
    b"}",
    b"[",
    b"]",
    b"(",
    b")",
    b":",
    b",",
    b".",
    b"->",
    b'"',
    b"@",
    b"#",
    b"\n",
    b"\r\n",
    b"route",
    b"queue",
    b"when",
    b"and",
    b"or",
    b"not",
    b"in",
    b"cidr",
    b"exists",
    b"3m",
    b"1MiB",
    b"-1",
    b"1e99",
    b"\x00",
    b"\xff",
    "é".encode(),
    b"\t",
    b"topology",
    b"event",
    b"ignorecase",
]


def assert_well_formed(data: bytes) -> None:
    compilation = compile_bytes(data, "fuzz.evt")
    lines = data.count(b"\n") + 1
    for d in compilation.diagnostics:
        assert d.span.file == "fuzz.evt"
        assert 1 <= d.span.line <= lines, d
        assert d.span.column >= 1, d
        assert d.message and d.hint, d


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SOURCES)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["delete", "insert", "token", "duplicate", "byte"]))
        if action == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif action == "token":
            data[at:at] = b" " + draw(st.sampled_from(TOKENS)) + b" "
        elif action == "duplicate":
            data[at:at] = data[max(0, at - 60) : at]
        else:
            data[at : at + 1] = bytes([draw(st.integers(0, 255))])
    return bytes(data)


@settings(
    max_examples=int(os.environ.get("EVTC_FUZZ_EXAMPLES", "400")),
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutated())
def test_mutated_examples_never_crash(data: bytes) -> None:
    assert_well_formed(data)


@settings(max_examples=150, deadline=2000)
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data: bytes) -> None:
    assert_well_formed(data)


EXTREMES = {
    "empty": b"",
    "only_comments": b"# nothing here\n# at all\n",
    "bom": b"\xef\xbb\xbftopology t\nqueue q {}\n",
    "long_line": b"topology t\nqueue q { retention: 4d }" + b" " * 200_000 + b"$\n",
    "long_string": b'topology t\nfunction f { handler: "' + b"x" * 200_000 + b'" }\n',
    "long_unterminated": b'topology t\nfunction f { handler: "' + b"x" * 200_000 + b"\n}\n",
    "deep_parentheses": b"topology t\nevent E { a: number }\nsource s: app { emits: [E] }\nqueue q {}\n"
    b"route s.E -> q when " + b"(" * 10_000 + b"a > 1" + b")" * 10_000 + b"\n",
    "deep_not": b"topology t\nevent E { a: number }\nsource s: app { emits: [E] }\nqueue q {}\n"
    b"route s.E -> q when " + b"not " * 5_000 + b"a > 1\n",
    "deep_types": b"topology t\nevent E { a: " + b"[" * 5_000 + b"string" + b"]" * 5_000 + b" }\n",
    "deep_objects": b"topology t\nevent E { a: " + b"{ b: " * 2_000 + b"string" + b" }" * 2_000 + b" }\n",
    "unclosed_brackets": b"topology t\nevent E { a: " + b"[" * 5_000 + b"\n",
    "binary_junk": bytes(range(256)) * 200,
    "many_errors": b"topology t\n" + b"queue { }\n" * 2_000,
    "mixed_newlines": b"topology t\r\nqueue a {}\rqueue b {}\nroute a -> b\r\n",
}


@pytest.mark.parametrize("name", sorted(EXTREMES))
def test_extreme_input(name: str) -> None:
    start = time.perf_counter()
    assert_well_formed(EXTREMES[name])
    assert time.perf_counter() - start < 20, "an extreme input must not hang the front end"
