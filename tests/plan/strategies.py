"""Random topologies over every component kind, route pair, qualifier, filter and failure
setting, valid or not: the input of the property tests that hold commands to each other."""

from __future__ import annotations

from hypothesis import strategies as st

COMPONENTS = {
    "app": "source {n}: app {{ emits: [A, B] }}",
    "namedapp": 'source {n}: app {{ source: "com.example.{n}" emits: [A: "A Happened", B] }}',
    "namedfunction": 'function {n} {{ handler: "h:ok" source: "com.example.{n}" emits: [A: "a.v1", B: "b.v1"] }}',
    "hook": 'source {n}: webhook {{ emits: [A, B] secret: "s" verify: hmac_sha256 }}',
    "stripehook": 'source {n}: webhook {{ verify: stripe secret: "s" emits: [A: "a.done", B] concurrency: 3 timeout: 20s }}',
    "iamhook": "source {n}: webhook {{ verify: iam emits: [A, B] }}",
    "openhook": "source {n}: webhook {{ verify: none emits: [A, B] lossy: true }}",
    "tick": "source {n}: schedule {{ rate: 5m emits: [A, B] }}",
    "bucket": 'source {n}: s3 {{ bucket: "b-{n}" emits: [A] }}',
    "table": 'source {n}: dynamodb {{ table: "t-{n}" emits: [A] }}',
    "queue": "queue {n} {{ dead_letter: dlq }}",
    "fifo": "queue {n} {{ fifo: true group_by: key dead_letter: fifo_dlq }}",
    "stream": "stream {n} {{ partition_key: key }}",
    "topic": "topic {n} {{}}",
    "fifotopic": "topic {n} {{ fifo: true }}",
    "bus": "bus {n} {{}}",
    "function": 'function {n} {{ handler: "h:ok" emits: [A, B] }}',
    "writer": 'function {n} {{ handler: "h:ok" emits: [A] writes: [{writes}] }}',  # to the tables and buckets
    "onestream": 'stream {n} {{ partition_key: "all" }}',
    "spreadstream": "stream {n} {{ partition_key: random shards: 2 }}",
    "onefifo": 'queue {n} {{ fifo: true group_by: "all" dead_letter: fifo_dlq }}',
    "spreadfifo": "queue {n} {{ fifo: true group_by: random dead_letter: fifo_dlq }}",
    "email": 'endpoint {n}: email {{ address: "ops@example.com" }}',
    "https": 'endpoint {n}: https {{ url: "https://example.com/{n}" }}',
    # what the target cannot create as written (LIM012 must say so)
    "idle": "source {n}: schedule {{ emits: [A, B] }}",
    "keyless": 'source {n}: dynamodb {{ table: "k-{n}" emits: [Empty] }}',
    "global": 'source {n}: dynamodb {{ table: "g-{n}" emits: [A] replicas: ["eu-west-1"] }}',
    "secretstream": "stream {n} {{ encrypted: true }}",
    "oddhook": 'source {n}: webhook {{ verify: github secret: "g" tolerance: 1m emits: [A: "x", B: "x"] }}',
}
HEAD = (
    "topology prop\nevent A { key: string @attribute n: number @attribute }\nevent B { key: string n: integer }\nevent Empty {}\n"
    "queue dlq { retention: 14d }\nqueue fifo_dlq { fifo: true retention: 14d }\n"
)
FILTERS = ["", ' when key == "a"', " when n > 3", ' when key == "b" or n < 1', ' when not (key startswith "x")']
SETTINGS = [
    "",
    " { retries: 1 }",
    " { dead_letter: dlq }",
    " { retries: 2 max_age: 1h dead_letter: dlq }",
    " { batch_size: 5 }",
    " { delivery_retries: 3 delivery_dead_letter: dlq }",
    " { dead_letter: dlq delivery_max_age: 2h delivery_dead_letter: dlq }",
    " { wire: payload }",  # what AWS cannot strip is LIM010 (evtc.plan.wireproblems)
    " { wire: payload dead_letter: dlq }",
]


# the hop kind each generated kind has at a route's ends (`evtc.plan.carriers`)
ENDS = {
    "app": "emitter",
    "namedapp": "emitter",
    "namedfunction": "function",
    "hook": "emitter",
    "stripehook": "emitter",
    "iamhook": "emitter",
    "openhook": "emitter",
    "oddhook": "emitter",
    "tick": "schedule",
    "bucket": "s3",
    "table": "dynamodb",
    "queue": "queue",
    "fifo": "queue",
    "stream": "stream",
    "topic": "topic",
    "fifotopic": "topic",
    "bus": "bus",
    "function": "function",
    "writer": "function",
    "onestream": "stream",
    "spreadstream": "stream",
    "onefifo": "queue",
    "spreadfifo": "queue",
    "email": "endpoint",
    "https": "endpoint",
    "idle": "schedule",
    "keyless": "dynamodb",
    "global": "dynamodb",
    "secretstream": "stream",
}


def _fits(source_kind: str, target_kind: str) -> bool:
    from evtc.plan import CARRIERS

    start = "emitter" if ENDS[source_kind] == "function" else ENDS[source_kind]
    end = ENDS[target_kind]
    return (start, end) in CARRIERS or (start, "table_stream") in CARRIERS and end == "stream"


@st.composite
def topologies(draw: st.DrawFn, max_components: int = 8, max_routes: int = 10) -> str:
    """Mostly wiring AWS can carry (so that many files check clean), some that it cannot."""
    kinds = draw(st.lists(st.sampled_from(sorted(COMPONENTS)), min_size=2, max_size=max_components))
    names = [f"{kind}{i}" for i, kind in enumerate(kinds)]
    sinks = ", ".join(n for n, k in zip(names, kinds) if ENDS[k] in ("s3", "dynamodb"))
    lines = [COMPONENTS[kind].format(n=name, writes=sinks) for kind, name in zip(kinds, names)]
    fitting = {n: [t for t, k in zip(names, kinds) if _fits(kind, k)] for n, kind in zip(names, kinds)}
    sources = [n for n in names if fitting[n]] or names
    for _ in range(draw(st.integers(1, max_routes))):
        anywhere = draw(st.integers(0, 29)) == 0
        source = draw(st.sampled_from(names if anywhere else sources))
        target = draw(st.sampled_from(names if anywhere or not fitting[source] else fitting[source]))
        one_type = source.startswith(("table", "bucket", "keyless", "global"))
        qualifier = draw(st.sampled_from(["", ".A"] if one_type else ["", ".A", ".B"]))
        filter_ = draw(st.sampled_from(FILTERS))
        lines.append(f"route {source}{qualifier} -> {target}{filter_}{draw(st.sampled_from(SETTINGS))}")
    return HEAD + "\n".join(lines) + "\n"
