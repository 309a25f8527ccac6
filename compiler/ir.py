"""The typed intermediate representation: one frozen dataclass per concept of the language.

Every node carries the `Span` it was written at, so rules and targets can point back at
the source without ever seeing lark trees or text. Durations are seconds (float), sizes
are bytes (int). Defaults are AWS's defaults, so an omitted property means what AWS
would do.
"""

from __future__ import annotations

from dataclasses import field

from evtc.span import Span
from evtc.util.record import record

Scalar = str | int | float | bool | None


# ---- values as written ---------------------------------------------------------------
@record
class Duration:
    """A duration as written (`30s`, `4d`): its length in seconds and its text."""

    seconds: float
    text: str

    def __str__(self) -> str:
        return self.text


@record
class Size:
    """A size as written (`256KiB`): its number of bytes and its text."""

    bytes: int
    text: str

    def __str__(self) -> str:
        return self.text


@record
class Name:
    """A bare identifier used as a value (`payload: state`, `dead_letter: dlq`)."""

    text: str

    def __str__(self) -> str:
        return self.text


@record
class Binding:
    """`Name: "text"` inside a list: an event type and the wire `detail-type` it arrives as."""

    name: str
    text: str

    def __str__(self) -> str:
        return f'{self.name}: "{self.text}"'


Value = str | int | float | bool | Duration | Size | Name | Binding | tuple


@record
class Property:
    """One `name: value` line of a component or route, with where it and its value were written."""

    name: str
    value: Value
    span: Span
    value_span: Span
    item_spans: tuple[Span, ...] = ()  # one per element when the value is a list

    def span_of_item(self, item: object) -> Span:
        """Where list element `item` was written (the whole value when it is not a list)."""
        if isinstance(self.value, tuple):
            for element, span in zip(self.value, self.item_spans):
                if element == item or getattr(element, "text", None) == item or getattr(element, "name", None) == item:
                    return span
        return self.value_span


# ---- event schemas ---------------------------------------------------------------------
@record
class Annotation:
    """`@name(args)` on a field, e.g. `@sensitive`."""

    name: str
    args: tuple[Value, ...]
    span: Span


@record
class ScalarType:
    """`string`, `number`, `boolean` or `timestamp`."""

    name: str  # string | number | boolean | timestamp
    span: Span


@record
class ListType:
    """`[item]`: a list of one type."""

    item: TypeExpr
    span: Span


@record
class ObjectType:
    """`{ field… }`: a nested object."""

    fields: tuple[Field, ...]
    span: Span


TypeExpr = ScalarType | ListType | ObjectType


@record
class Field:
    """One field of an event schema, with its type and annotations."""

    name: str
    type: TypeExpr
    annotations: tuple[Annotation, ...]
    span: Span

    @property
    def sensitive(self) -> bool:
        return any(a.name == "sensitive" for a in self.annotations)

    @property
    def optional(self) -> bool:
        return any(a.name == "optional" for a in self.annotations)


@record
class Event:
    """`event Name { fields }`: the schema of one event type."""

    name: str
    fields: tuple[Field, ...]
    span: Span


# ---- filters -------------------------------------------------------------------------
@record
class Path:
    """A dotted field path in a `when` filter (`detail.amount`)."""

    parts: tuple[str, ...]
    span: Span

    def __str__(self) -> str:
        return ".".join(self.parts)


@record
class Compare:
    """`path OP value`; op is one of == != < <= > >= in, not in, startswith, endswith,
    matches (wildcard) and cidr. For `in`/`not in` the value is a tuple of literals."""

    path: Path
    op: str
    value: Scalar | tuple[Scalar, ...]
    ignorecase: bool
    span: Span


@record
class Exists:
    """`exists path` (under `not`: the field is absent)."""

    path: Path
    span: Span


@record
class Not:
    """`not operand`."""

    operand: Filter
    span: Span


@record
class And:
    """`a and b and …`."""

    operands: tuple[Filter, ...]
    span: Span


@record
class Or:
    """`a or b or …`."""

    operands: tuple[Filter, ...]
    span: Span


Filter = Compare | Exists | Not | And | Or


# ---- components ------------------------------------------------------------------------
@record
class Component:
    """Fields shared by every component. `props` keeps each written property (with its
    span) so a diagnostic can point at the exact line that set a value."""

    name: str
    span: Span
    props: tuple[Property, ...] = field(default=(), repr=False)
    external: bool = False  # `NAME: external`: owned elsewhere, referenced and never created
    arn: str | None = None  # an external component's ARN (another stack or account)
    aws_name: str | None = None  # an external component's AWS name, when it differs from NAME

    keyword = "component"

    @property
    def id(self) -> str:
        return f"{self.keyword}:{self.name}"

    def prop(self, name: str) -> Property | None:
        return next((p for p in self.props if p.name == name), None)

    def span_of(self, name: str) -> Span:
        """Where property `name` was written, or the component itself when defaulted."""
        found = self.prop(name)
        return found.span if found else self.span

    @property
    def physical_name(self) -> str:
        """The AWS name of an external component: `name:`, the ARN's last part, or NAME."""
        if self.aws_name:
            return self.aws_name
        if self.arn:
            return self.arn.rsplit(":", 1)[-1].rsplit("/", 1)[-1]
        return self.name


@record
class Source(Component):
    """An emitter outside the program's own functions: app, s3, dynamodb, webhook or schedule."""

    kind: str = "app"  # app | s3 | dynamodb | webhook | schedule | external
    emits: tuple[str, ...] = ()
    detail_types: tuple[tuple[str, str], ...] = ()  # external: (event, its wire detail-type)
    event_source: str | None = None  # external: the EventBridge `source` it publishes with
    bus: str | None = None  # external: the bus its events arrive on (None: the default bus)
    change_kinds: tuple[tuple[str, str], ...] = ()  # dynamodb: (event, INSERT | MODIFY | REMOVE)
    payload: str = "state"  # state | notification
    bucket: str | None = None
    table: str | None = None
    verify: str | None = None
    secret: str | None = None
    rate: float | None = None  # seconds between events of a schedule
    cron: str | None = None  # an EventBridge cron expression, always spelt `cron(…)`
    path: str | None = None  # a webhook's URL path (`/hook`); None: `/<name>`
    region: str | None = None
    replicas: tuple[str, ...] = ()
    lossy: bool = False  # losing an occurrence is fine: the next one replaces it

    keyword = "source"


@record
class Queue(Component):
    """An SQS queue (standard or FIFO); durations in seconds."""

    visibility_timeout: float = 30.0
    retention: float = 4 * 86400.0
    max_receives: int | None = None
    dead_letter: str | None = None
    fifo: bool = False
    group_by: str | None = None
    content_dedup: bool = False
    encrypted: bool = False
    delay: float = 0.0
    on_exhausted: str | None = None  # drop | dead_letter

    keyword = "queue"


@record
class Stream(Component):
    """A Kinesis stream: ordered per partition key, replayable within its retention."""

    shards: int = 1
    partition_key: str | None = None
    retention: float = 86400.0
    encrypted: bool = False

    keyword = "stream"


@record
class Topic(Component):
    """An SNS topic (standard or FIFO): fan-out to subscribers."""

    fifo: bool = False
    encrypted: bool = False
    content_dedup: bool = False

    keyword = "topic"


@record
class Bus(Component):
    """An EventBridge bus: rule-based routing, optionally archived for replay."""

    encrypted: bool = False
    archive: float | None = None  # retention of the archive in seconds; None: no archive

    keyword = "bus"


@record
class Function(Component):
    """A Lambda function: consumes events and may emit its own."""

    handler: str = ""
    timeout: float = 3.0
    memory: int = 128
    concurrency: int | None = None
    ordered: bool = False
    emits: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    clearance: tuple[str, ...] = ()

    keyword = "function"


@record
class Endpoint(Component):
    """A consumer outside the program: an https URL or an e-mail address."""

    kind: str = "https"  # email | https
    address: str | None = None
    url: str | None = None
    clearance: tuple[str, ...] = ()

    keyword = "endpoint"


COMPONENT_TYPES: dict[str, type[Component]] = {
    cls.keyword: cls for cls in (Source, Queue, Stream, Topic, Bus, Function, Endpoint)
}
EMITTERS = (Source, Function)
STORES = (Queue, Stream)
ROUTERS = (Topic, Bus)
CONSUMERS = (Function, Endpoint)


# ---- routes and the whole topology --------------------------------------------------------
@record
class Route:
    """`route source[.Event] -> target [when …] { … }` with its delivery and failure settings."""

    source: str
    event: str | None
    target: str
    when: Filter | None
    span: Span
    source_span: Span
    target_span: Span
    props: tuple[Property, ...] = field(default=(), repr=False)
    batch_size: int | None = None
    batching_window: float | None = None
    retries: int | None = None
    max_age: float | None = None
    backoff: str | None = None  # exponential | linear | none
    dead_letter: str | None = None
    on_exhausted: str | None = None  # drop | dead_letter
    bisect: bool = False
    start: str = "latest"  # latest | trim_horizon
    lossy: bool = False  # losing an event on this route is fine

    @property
    def id(self) -> str:
        qualifier = f".{self.event}" if self.event else ""
        return f"route:{self.source}{qualifier}->{self.target}@{self.span.line}"

    def prop(self, name: str) -> Property | None:
        return next((p for p in self.props if p.name == name), None)

    def span_of(self, name: str) -> Span:
        found = self.prop(name)
        return found.span if found else self.span


@record(slots=False)
class Topology:
    """A whole .evt file: its events, components and routes, with lookup by name."""

    name: str
    file: str
    span: Span
    events: tuple[Event, ...] = ()
    components: tuple[Component, ...] = ()
    routes: tuple[Route, ...] = ()
    _events: dict[str, Event] = field(init=False, repr=False, compare=False)
    _components: dict[str, Component] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # NOTE: first declaration wins; duplicates are reported by the resolver.
        events: dict[str, Event] = {}
        for e in self.events:
            events.setdefault(e.name, e)
        components: dict[str, Component] = {}
        for c in self.components:
            components.setdefault(c.name, c)
        object.__setattr__(self, "_events", events)
        object.__setattr__(self, "_components", components)

    def event(self, name: str) -> Event | None:
        return self._events.get(name)

    def component(self, name: str) -> Component | None:
        return self._components.get(name)
