"""Random topologies and events for the agreement test: every component kind, every route
kind AWS can carry, event-type qualifiers, filters in each hop's dialect, failure settings.

A topology is built in layers so it has no cycle: emitters (app, webhook, s3, dynamodb,
schedule) feed stores and routers; stores and routers feed later ones or consumers
(functions, e-mail and https endpoints). `known` lets in shapes the property leaves out:
several consumers of one queue (`UNCOMPARABLE`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

HEADER = """topology agree
event A { key: string  n: number @attribute  tag: string @attribute  o: { c: string } }
event B { key: string  n: number  tag: string  o: { c: string } }
event O { key: string }
event R { key: string  tag: string }
event T { key: string @optional  n: number @optional }
queue dlq { retention: 14d }
"""
EMITTERS = {
    "app": ("source app: app { emits: [A, B] }", ("A", "B")),
    "hook": ('source hook: webhook { verify: hmac_sha256  secret: "hooksecret"  emits: [A] }', ("A",)),
    "up": ('source up: s3 { bucket: "uploads"  emits: [O] }', ("O",)),
    "tb": ('source tb: dynamodb { table: "items"  emits: [R] }', ("R",)),
    "clock": ("source clock: schedule { rate: 5m  emits: [T] }", ("T",)),
}
# evtc's own events under names the user chose (`evtc.plan.wire`): the app's `source:` and
# detail-type bindings, some types bound and some not
NAMED_APPS = [
    'source app: app { source: "com.example.agree"  emits: [A: "A Happened", B: "B Happened"] }',
    'source app: app { source: "com.example.agree"  emits: [A: "Order Placed", B] }',
    'source app: app { emits: [A, B: "b.v1"] }',
]
# filters by the dialect of the hop they sit on
FULL = [
    "n > 10",
    'tag in ["a", "b"]',
    'tag != "c"',
    'key startswith "k1"',
    'n > 5 and tag == "a"',
    'tag == "a" or n < 3',
    'o.c == "x"',
    "n >= 7 and n <= 12",
    'not (tag == "b")',
]
ESM = [
    "n > 10",
    'tag in ["a", "b"]',
    'key startswith "k1"',
    'n > 5 and tag == "a"',
    'tag == "a" or n < 3',
    'o.c == "x"',
    'tag != "c"',
]
TABLE = ['tag == "a"', 'tag in ["a", "b"]', 'key startswith "k1"']
S3 = ['key startswith "img/"', 'key endswith ".png"', 'key startswith "img/" and key endswith ".png"']
TAGS = ["a", "b", "c"]
KEYINGS = ["key", "key", '"all"', "random"]
KEYS = ["k1", "k2", "k10", "x"]
S3_KEYS = ["img/a.png", "img/b.txt", "doc/c.png", "d.txt"]

# NOTE: shapes the current pulumi-aws target deploys wrongly (issue 10), kept out of the
# main property so that it checks everything else; `known=True` lets them in. (Shared
# resources, qualifiers without `when` and names that join alike were here until the
# delivery plan and the pulumi-aws rework fixed them.)
KNOWN: dict[str, str] = {}  # shapes the product still gets wrong (none left)
PIPED = ("queue", "fifo", "stream", "table")  # a route out of these into a non-function is a Pipe
# NOTE: not a defect: the consumers of one queue compete for its messages; which one
# receives a message is chance on AWS, so hop decisions there cannot be compared.
UNCOMPARABLE = {"competing-consumers": "consumers of one queue compete for its messages (chance on AWS)"}


@dataclass
class Topology:
    """A generated topology: its text, its emitters and what each emits, its functions."""

    lines: list[str] = field(default_factory=list)
    emitters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    functions: list[str] = field(default_factory=list)
    carried: dict[str, set[str]] = field(default_factory=dict)  # component -> event types arriving
    kinds: dict[str, str] = field(default_factory=dict)  # component -> kind word
    pairs: set[tuple[str, str]] = field(default_factory=set)
    shapes: set[str] = field(default_factory=set)  # KNOWN shapes present

    @property
    def text(self) -> str:
        return "\n".join([HEADER, *self.lines]) + "\n"


def _dialect(kinds: dict[str, str], source: str) -> list[str]:
    kind = kinds[source]
    if kind in ("topic", "bus", "nbus", "app", "hook", "relay"):
        return FULL
    if kind in ("queue", "fifo", "stream"):
        return ESM
    if kind in ("tb", "table"):
        return TABLE
    if kind == "up":
        return S3
    return []


@st.composite
def topologies(draw: st.DrawFn, known: bool = False) -> Topology:
    t = Topology()
    for name in draw(st.lists(st.sampled_from(sorted(EMITTERS)), min_size=1, max_size=3, unique=True)) + ["app"]:
        if name in t.emitters:
            continue
        line, events = EMITTERS[name]
        if name == "app" and draw(st.booleans()):
            line = draw(st.sampled_from(NAMED_APPS))
        t.lines.append(line)
        t.emitters[name] = events
        t.kinds[name] = name
        t.carried[name] = set(events)
    middles = _middles(draw, t)
    consumers = _consumers(draw, t)
    for i, middle in enumerate(middles):
        feeders = [e for e in t.emitters if _may_feed(t, e, middle)] + [
            m for m in middles[:i] if _may_feed(t, m, middle)
        ]
        if not feeders:
            continue
        for feeder in draw(st.lists(st.sampled_from(feeders), min_size=1, max_size=2, unique=True)):
            _route(draw, t, feeder, middle, known)
    for source in [*t.emitters, *middles]:
        if not t.carried.get(source) or source == "tb":
            continue
        later = middles[middles.index(source) + 1 :] if source in middles else middles  # NOTE: no cycles
        targets = [c for c in [*later, *consumers] if _may_feed(t, source, c)]
        if not targets:
            continue
        out = draw(st.integers(1, 3))
        for target in draw(st.lists(st.sampled_from(targets), min_size=1, max_size=out)):  # NOTE: repeats share
            _route(draw, t, source, target, known)
    if draw(st.booleans()):
        _relay(draw, t, [*t.emitters, *middles], known)
    return t


def _relay(draw: st.DrawFn, t: Topology, sources: list[str], known: bool) -> None:
    """A function that emits a B for each A or B it receives (`h:relay`), and its routes."""
    feeders = [
        s
        for s in sources
        if t.carried.get(s)
        and t.carried[s] <= {"A", "B"}
        and "function" in _CARRY.get(t.kinds[s], set())
        and t.kinds[s] != "nbus"  # NOTE: its functions get the app's own EventBridge event, not an envelope
        and (known or t.kinds[s] not in ("queue", "fifo") or not any(pair[0] == s for pair in t.pairs))
    ]
    if not feeders:
        return
    t.lines.append('function relay { handler: "h:relay"  emits: [B]  clearance: [sensitive] }')
    t.kinds["relay"] = "relay"
    _route(draw, t, draw(st.sampled_from(feeders)), "relay", known)
    t.carried["relay"] = {"B"}  # what it emits, not what it receives
    for target in draw(st.lists(st.sampled_from([*t.functions, "rq"]), min_size=1, max_size=2, unique=True)):
        if target == "rq":
            t.lines += ["queue rq { max_receives: 3  dead_letter: dlq }", f"route rq -> {t.functions[0]}"]
            t.kinds["rq"] = "queue"
        _route(draw, t, "relay", target, known)


def _middles(draw: st.DrawFn, t: Topology) -> list[str]:
    names = []
    if "tb" in t.emitters:
        t.lines.append("stream table { shards: 1 }")
        t.lines.append("route tb -> table")
        t.kinds["table"], t.carried["table"] = "table", {"R"}
        t.pairs.add(("tb", "table"))
        names.append("table")
    kinds = ["queue", "fifo", "stream", "topic", "bus", "nbus"]
    for i, kind in enumerate(draw(st.lists(st.sampled_from(kinds), max_size=4))):
        name = f"{kind[0]}{i}"
        key = draw(st.sampled_from(KEYINGS))  # a field, a constant or random (evtc.frontend.keying)
        t.lines.append(
            {
                "queue": f"queue {name} {{ max_receives: 3  dead_letter: dlq }}",
                "fifo": f"queue {name} {{ fifo: true  group_by: {key}  max_receives: 3  dead_letter: dlqf }}",
                "stream": f"stream {name} {{ shards: 2  partition_key: {key} }}",
                "topic": f"topic {name} {{}}",
                "bus": f"bus {name} {{}}",
                "nbus": f"bus {name} {{}}",  # NOTE: the app's events in their own shape (`wire: payload`)
            }[kind]
        )
        if kind == "fifo" and "queue dlqf { fifo: true  retention: 14d }" not in t.lines:
            t.lines.append("queue dlqf { fifo: true  retention: 14d }")
        t.kinds[name] = kind
        names.append(name)
    return names


def _consumers(draw: st.DrawFn, t: Topology) -> list[str]:
    names = []
    for i in range(draw(st.integers(1, 3))):
        name = f"fn{i}"
        t.lines.append(f'function {name} {{ handler: "h:ok"  clearance: [sensitive] }}')
        t.kinds[name] = "function"
        t.functions.append(name)
        names.append(name)
    if draw(st.booleans()):
        t.lines.append('endpoint mail: email { address: "ops@example.com" }')
        t.kinds["mail"] = "email"
        names.append("mail")
    if draw(st.booleans()):
        t.lines.append('endpoint hook2: https { url: "https://example.com/in" }')
        t.kinds["hook2"] = "https"
        names.append("hook2")
    return names


# what AWS (and evtc's target) can carry from a kind to a kind
_CARRY = {
    "app": {"queue", "fifo", "stream", "topic", "bus", "nbus", "function"},
    "hook": {"queue", "fifo", "stream", "topic", "bus", "function"},
    "clock": {"queue", "stream", "topic", "bus", "function"},
    "up": {"queue", "topic", "function", "stream"},
    "topic": {"queue", "function", "email", "https"},
    "bus": {"queue", "fifo", "topic", "stream", "function"},
    "nbus": {"queue", "fifo", "topic", "stream", "function"},
    "queue": {"function", "topic", "bus", "queue", "stream"},
    "fifo": {"function"},
    "stream": {"function", "topic", "bus", "queue", "stream"},
    "table": {"function"},
    "relay": {"function", "queue"},
}


def _may_feed(t: Topology, source: str, target: str) -> bool:
    if source == target or target in ("table", "relay"):
        return False
    return t.kinds.get(target) in _CARRY.get(t.kinds[source], set())


def _route(draw: st.DrawFn, t: Topology, source: str, target: str, known: bool) -> None:
    arriving = sorted(t.carried.get(source, ()))
    if not arriving:
        return
    if (source, target) in t.pairs and t.kinds[source] in PIPED and t.kinds[target] != "function":
        if not known:
            return
        t.shapes.add("shared-pipe")
    if (source, target) in t.pairs and t.kinds[source] == "clock":
        if not known:
            return
        t.shapes.add("shared-schedule")
    if t.kinds[source] == "up" and any(pair[0] == "up" for pair in t.pairs):
        return  # NOTE: S3 notifications of one bucket may not overlap (LIM005): one route out
    if t.kinds[source] in ("queue", "fifo") and not known and any(p[0] == source and p[1] != target for p in t.pairs):
        return  # NOTE: consumers of one queue compete for its messages: which one gets it is chance
    qualifier = ""
    if len(arriving) > 1 and draw(st.integers(0, 2)):  # NOTE: qualified two times in three
        qualifier = "." + draw(st.sampled_from(arriving))
    events = {qualifier[1:]} if qualifier else set(arriving)
    filters = _dialect(t.kinds, source)
    if events & {"O", "R", "T"} and t.kinds[source] not in ("up", "tb", "table"):
        filters = [f for f in filters if f.startswith("key")] if events <= {"O", "R"} else []
        if "T" in events:
            filters = []
    when = draw(st.sampled_from(["", *filters])) if filters else ""
    settings = _settings(draw, t, source, target)
    t.lines.append(f"route {source}{qualifier} -> {target}{' when ' + when if when else ''}{settings}")
    t.pairs.add((source, target))
    t.carried.setdefault(target, set()).update(events)


def _settings(draw: st.DrawFn, t: Topology, source: str, target: str) -> str:
    kind, into = t.kinds[source], t.kinds[target]
    options: list[str] = []
    if kind in ("stream", "table") and into == "function":
        options = [
            "",
            "retries: 2  dead_letter: dlq",
            "retries: 1  bisect: true  dead_letter: dlq",
            "max_age: 1h  on_exhausted: drop",
        ]
    elif kind in ("queue",) and into == "function":
        options = ["", "batch_size: 5", "batch_size: 1  batching_window: 2s"]
    elif into == "nbus":
        options = ["wire: payload"]
    elif into == "function" and kind in ("topic", "bus", "nbus"):
        options = [
            "",
            "retries: 1  dead_letter: dlq",
            "on_exhausted: drop",
            "dead_letter: dlq  delivery_dead_letter: dlq",
        ]
    elif into == "function" and kind in ("app", "hook"):
        options = ["", "retries: 1  dead_letter: dlq", "on_exhausted: drop"]
    elif into in ("email", "https"):
        options = ["", "dead_letter: dlq"]
    chosen = draw(st.sampled_from(options)) if options else ""
    return f" {{ {chosen} }}" if chosen else ""


@st.composite
def events(draw: st.DrawFn, t: Topology) -> list[tuple[str, str, dict[str, Any]]]:
    """(emitter, event type, data) triples for the topology's emitters."""
    found = []
    for _ in range(draw(st.integers(1, 6))):
        emitter = draw(st.sampled_from(sorted(t.emitters)))
        event = draw(st.sampled_from(t.emitters[emitter]))
        found.append((emitter, event, draw(_data(event))))
    return found


def _data(event: str) -> st.SearchStrategy[dict[str, Any]]:
    if event == "O":
        return st.fixed_dictionaries({"key": st.sampled_from(S3_KEYS)})
    if event == "R":
        return st.fixed_dictionaries({"key": st.sampled_from(KEYS), "tag": st.sampled_from(TAGS)})
    if event == "T":
        return st.just({})
    return st.fixed_dictionaries(
        {
            "key": st.sampled_from(KEYS),
            "n": st.sampled_from([0, 2, 3, 5, 6, 7, 10, 11, 12, 13, 2.5]),
            "tag": st.sampled_from(TAGS),
            "o": st.fixed_dictionaries({"c": st.sampled_from(["x", "y"])}),
        }
    )
