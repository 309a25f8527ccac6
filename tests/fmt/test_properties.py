"""`evtc fmt` is idempotent and never changes what a file means, over generated topologies laid
out at random and over the front end's fuzz corpus (mutated examples, tests/frontend/bad_inputs)."""

from __future__ import annotations

import dataclasses
import importlib.util
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evtc.frontend import compile_text
from evtc.frontend.fmt import FormatError, comments_between, format_text
from evtc.frontend.parse import tokens as read_tokens
from evtc.span import Span

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.evt"))
BAD_INPUTS = sorted((ROOT / "tests" / "frontend" / "bad_inputs").glob("*.evt"))
DECLS = [
    block for p in EXAMPLES for block in p.read_text(encoding="utf-8").split("\n\n") if not block.startswith("topology")
]
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


PUNCTUATION = set("{}[](),:.@") | {"->"}


def without_spans(value: Any) -> Any:
    if isinstance(value, Span):
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # NOTE: fields derived at construction (a route's id names its line) follow from the rest
        written = (f for f in dataclasses.fields(value) if f.init)
        return (type(value).__name__, *(without_spans(getattr(value, f.name)) for f in written))
    if isinstance(value, (tuple, list)):
        return tuple(without_spans(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, without_spans(v)) for k, v in value.items()))
    return value


def ir_of(text: str) -> tuple[Any, Any]:
    """The topology without positions, and each diagnostic's code and message."""
    compilation = compile_text(text, "t.evt")
    return without_spans(compilation.topology), sorted((d.code, d.message) for d in compilation.diagnostics)


def relayout(text: str, rng: random.Random, newlines: bool, comments: bool) -> str:
    """The same tokens and comments with other whitespace between them: horizontal only, or
    (with `newlines`) line breaks moved too, and (with `comments`) comments added."""
    tokens = read_tokens(text, "t.evt")[0]
    found = comments_between(text, tokens)
    elements = sorted([*tokens, *found], key=lambda t: t.start_pos)
    out: list[str] = []
    previous = None
    for tok in elements:
        if previous is not None:
            out.append(_gap(text, previous, tok, rng, newlines))
        if comments and previous is not None and not str(previous).startswith("#") and rng.random() < 0.05:
            out.append(f"  # note {rng.randint(0, 9)}\n")
        out.append(str(tok))
        previous = tok
    return "".join(out) + "\n"


def _gap(text: str, before: Any, after: Any, rng: random.Random, newlines: bool) -> str:
    written = text[before.end_pos : after.start_pos]
    if str(before).startswith("#"):
        return "\n" * max(1, written.count("\n")) + " " * rng.randint(0, 4)
    breaks = written.count("\n")
    if newlines:
        breaks = rng.choice([0, 0, 1, 1, 2])
    glue = str(before) in PUNCTUATION or str(after) in PUNCTUATION
    spaces = rng.choice(["", " ", "  ", "\t"] if glue else [" ", "  ", "\t "])
    return "\n" * breaks + spaces if breaks else spaces


def _fuzz_module():
    spec = importlib.util.spec_from_file_location("evtc_fuzz", ROOT / "tests" / "frontend" / "test_fuzz.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@st.composite
def topologies(draw: st.DrawFn) -> str:
    decls = draw(st.lists(st.sampled_from(DECLS), min_size=1, max_size=12))
    return "topology gen\n\n" + "\n\n".join(decls) + "\n"


def assert_formats_soundly(text: str) -> str:
    formatted = format_text(text, "t.evt")
    assert format_text(formatted, "t.evt") == formatted, "not idempotent"
    assert ir_of(formatted) == ir_of(text), "the formatted file means something else"
    return formatted


@SETTINGS
@given(topologies(), st.integers(0, 2**32), st.booleans(), st.booleans())
def test_any_layout_formats_idempotently_and_keeps_the_ir(text: str, seed: int, newlines: bool, comments: bool) -> None:
    messy = relayout(text, random.Random(seed), newlines, comments)
    assert_formats_soundly(messy)


@SETTINGS
@given(topologies(), st.integers(0, 2**32))
def test_spaces_within_lines_do_not_change_the_result(text: str, seed: int) -> None:
    assert format_text(relayout(text, random.Random(seed), False, False), "t.evt") == format_text(text, "t.evt")


@SETTINGS
@given(_fuzz_module().mutated())
def test_fuzz_inputs_format_soundly_or_are_refused(data: bytes) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return
    try:
        assert_formats_soundly(text)
    except FormatError as error:
        assert error.diagnostics, "a refusal names the syntax errors"


@pytest.mark.parametrize("path", BAD_INPUTS + EXAMPLES, ids=lambda p: p.name)
def test_corpus_formats_soundly_or_is_refused(path: Path) -> None:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8: the front end reports it, the formatter never sees it")
    try:
        assert_formats_soundly(text)
    except FormatError as error:
        assert error.diagnostics and all(d.category.value == "syntax" or d.code == "REF005" for d in error.diagnostics)
