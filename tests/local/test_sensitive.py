"""`@sensitive` at any depth: no sensitive leaf ever reaches an uncleared consumer, on any
hop, while everything else reaches it whole (a property over random nested schemas)."""

from __future__ import annotations

import itertools
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evtc.frontend import compile_text
from evtc.local import Runtime, records

SECRET = "SECRET-"

# a schema node: ("scalar", sensitive) | ("object", sensitive, [(name, node)]) | ("list", sensitive, node)
scalars = st.tuples(st.just("scalar"), st.booleans())
schemas = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.tuples(st.just("object"), st.booleans(), st.lists(inner, min_size=1, max_size=3)),
        st.tuples(st.just("list"), st.booleans(), inner),
    ),
    max_leaves=8,
)
HOPS = {
    "direct": ["route s -> f"],  # NOTE: an endpoint is reached only through a topic (LIM010)
    "queue": ["queue q {}", "route s -> q", "route q -> f"],
    "topic": ["topic tp {}", "route s -> tp", "route tp -> f", "route tp -> m"],
    "bus": ["bus b {}", "route s -> b", "route b -> f"],
    "stream": ["stream st { partition_key: id }", "route s -> st", "route st -> f"],
    "topic_queue": ["topic tp {}", "queue q {}", "route s -> tp", "route tp -> q", "route q -> f"],
}


def _type(node: Any) -> str:
    if node[0] == "scalar":
        return "string"
    if node[0] == "list":
        return f"[{_type(node[2])}]"
    return "{ " + " ".join(f"f{i}: {_type(child)}{_mark(child)}" for i, child in enumerate(node[2])) + " }"


def _mark(node: Any) -> str:
    return " @sensitive" if node[1] else ""


def _value(node: Any, secret: bool, counter: itertools.count[int], field: bool = True) -> Any:
    secret = secret or (field and node[1])  # NOTE: only a field carries `@sensitive`, not a list's item
    if node[0] == "scalar":
        return f"{SECRET if secret else 'plain-'}{next(counter)}"
    if node[0] == "list":
        return [_value(node[2], secret, counter, field=False) for _ in range(2)]
    return {f"f{i}": _value(child, secret, counter) for i, child in enumerate(node[2])}


def _leaves(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def _topology(fields: list[Any], hop: str, cleared: bool) -> str:
    clearance = "  clearance: [sensitive]" if cleared else ""
    body = " ".join(f"x{i}: {_type(node)}{_mark(node)}" for i, node in enumerate(fields))
    lines = [
        "topology t",
        f"event E {{ id: string {body} }}",
        "source s: app { emits: [E] }",
        f'function f {{ handler: "h:ok"{clearance} }}',
        f'endpoint m: email {{ address: "m@example.com"{clearance} }}',
        *HOPS[hop],
    ]
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=st.lists(schemas, min_size=1, max_size=4), hop=st.sampled_from(sorted(HOPS)), cleared=st.booleans())
def test_no_sensitive_leaf_reaches_an_uncleared_consumer(fields: list[Any], hop: str, cleared: bool) -> None:
    seen: list[str] = []

    def handler(event: Any, context: Any) -> None:
        seen.append(json.dumps(event, default=str))  # the raw Lambda event, as the handler could log it
        seen.extend(json.dumps(e.data) for e in records(event))

    # NOTE: the checker reports such routes (SEC004); the runtime must remove the fields anyway
    compilation = compile_text(_topology(fields, hop, cleared), "sensitive.evt")
    assert not [d for d in compilation.diagnostics if d.category.value in ("syntax", "reference")]
    runtime = Runtime(compilation, {"f": handler})
    counter = itertools.count()
    data = {"id": "e1", **{f"x{i}": _value(node, False, counter) for i, node in enumerate(fields)}}
    runtime.emit("s", "E", data)
    runtime.run_until_idle()
    received = seen + [json.dumps(e.data) for c in ("f", "m") for e in runtime.deliveries(c)]
    assert received, "the event reached no consumer"
    text = "\n".join(received)
    plain = [leaf for leaf in _leaves(data) if not leaf.startswith(SECRET)]
    secret = [leaf for leaf in _leaves(data) if leaf.startswith(SECRET)]
    assert all(f'"{leaf}"' in text for leaf in plain), "a field that is not sensitive was removed"
    if cleared:
        assert all(f'"{leaf}"' in text for leaf in secret)
    else:
        assert SECRET not in text
    fresh = itertools.count()
    assert data == {"id": "e1", **{f"x{i}": _value(node, False, fresh) for i, node in enumerate(fields)}}  # unchanged


def test_nested_and_list_fields_are_removed_for_an_uncleared_function() -> None:
    text = """topology t
event A { id: string  customer: { phone: string @sensitive  name: string }  items: [{ card: string @sensitive  sku: string }] }
source s: app { emits: [A] }
function f { handler: "h:ok" }
route s -> f
"""
    runtime = Runtime(compile_text(text, "nested.evt"), {"f": lambda event, context: None})
    data = {"id": "1", "customer": {"phone": "555", "name": "n"}, "items": [{"card": "4111", "sku": "k"}]}
    runtime.emit("s", "A", data)
    runtime.run_until_idle()
    (delivered,) = runtime.deliveries("f")
    assert delivered.data == {"id": "1", "customer": {"name": "n"}, "items": [{"sku": "k"}]}
    assert data["customer"] == {"phone": "555", "name": "n"}  # the emitter's object is never changed
