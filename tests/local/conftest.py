"""Helpers for the local runtime's tests: build a Runtime from inline .evt text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from evtc.diagnostics import has_errors
from evtc.frontend import compile_text
from evtc.local import Runtime

Handler = Callable[[Any, Any], Any]


def build(text: str, handlers: dict[str, Handler] | None = None, **options: Any) -> Runtime:
    compilation = compile_text(text, "inline.evt")
    assert not has_errors(list(compilation.diagnostics)), [d.message for d in compilation.diagnostics]
    return Runtime(compilation, handlers or {}, **options)


def ok(event: Any, context: Any) -> None:
    return None


def failing(event: Any, context: Any) -> None:
    raise RuntimeError("boom")


@pytest.fixture
def make() -> Callable[..., Runtime]:
    return build


def cloudevent(text: str) -> dict[str, Any]:
    """Attributes as the cloudevents SDK reads a structured JSON event (it validates them)."""
    try:
        from cloudevents.core.formats.json import JSONFormat
        from cloudevents.core.v1.event import CloudEvent
    except ImportError:  # cloudevents 1.x
        from cloudevents.http import from_json

        event = from_json(text)
        return {**event.get_attributes(), "data": event.data}
    event = JSONFormat().read(CloudEvent, text)
    return {**event.get_attributes(), "data": event.get_data()}
