"""The typed intermediate representation: one frozen dataclass per concept of the language.

Every node carries the `Span` it was written at, so rules and targets can point back at
the source without ever seeing lark trees or text. Durations are seconds (float), sizes
are bytes (int). Defaults are AWS's defaults (read from `evtc.aws`), so an omitted
property means what AWS would do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field, replace
from typing import ClassVar

from evtc import aws
from evtc.span import Span
from evtc.spec import EXTERNAL, Spec, enum, prop
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
    """`string`, `number`, `integer`, `boolean` or `timestamp`."""

    name: str  # string | number | integer | boolean | timestamp
    span: Span


@record
class ListType:
    """`[item]`: a list of one type."""

    item: TypeExpr
    span: Span


@record
class ObjectType:
    """`{ field… }`: a nested object; `name` is the `type` it was written as (`order: Order`)."""

    fields: tuple[Field, ...]
    span: Span
    name: str | None = None


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
    """`event Name { fields }`: the schema of one event type. `base` is the named type whose
    fields it starts with (`event OrderPlaced: Order`), already copied into `fields`."""

    name: str
    fields: tuple[Field, ...]
    span: Span
    base: str | None = None
    base_span: Span | None = field(default=None, compare=False)


@record
class TypeDecl:
    """`type Name { fields }`: an object type shared by fields and events."""

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
# Each written property is a field with its spec (`prop`); the property schema is derived from them.
_EMITS = Spec("names", doc="the event types this component publishes")
_PAYLOAD = enum("state", "notification", doc="state transfer (the data) or notification (a pointer)")
_CLEARANCE = Spec("names", choices=("sensitive",), doc="data classes this consumer may receive")
_ENCRYPTED = Spec("bool", doc="encrypt at rest with a customer-managed KMS key")
_LOSSY = Spec("bool", doc="losing an occurrence is fine (the next one replaces it): no loss findings for it")
_OUTSIDE = (EXTERNAL,)
# Where a component lives (`evtc.frontend.placement`, `evtc.plan.accounts`); endpoints live nowhere.
_ACCOUNT = Spec("account", doc="the AWS account it lives in (twelve digits); the stack's own when omitted")
_REGION = Spec("region", doc="the AWS region it lives in; the stack's own when omitted")
_HOOK = ("webhook",)
# evtc's own emitters on a bus: the EventBridge `source` and `detail-type`s they put events with
_WIRE_SOURCE = Spec(
    "string",
    name="source",
    doc='the EventBridge `source` its events carry on a bus (`"com.example.webstore"`); `evtc.<topology>` when omitted',
)
_TYPE_FIELD = Spec(
    "string",
    doc="the payload field (a dotted path) whose value is the detail-type its events carry on a bus",
)
_OWN_EMITS = Spec(
    "bindings",
    pairs="detail_types",
    doc='event types this function publishes (`evtc.emit`), each optionally with its detail-type: `[Paid: "Order Paid"]`',
)


@record
class Component:
    """Fields shared by every component. `props` keeps each written property (with its
    span) so a diagnostic can point at the exact line that set a value."""

    name: str
    span: Span
    props: tuple[Property, ...] = field(default=(), repr=False)
    external: bool = False  # `NAME: external`: owned elsewhere, referenced and never created
    arn: str | None = prop(  # an external component's ARN (another stack or account)
        None, Spec("string", kinds=_OUTSIDE, doc="its ARN (another stack or account); its name is the ARN's last part")
    )
    aws_name: str | None = prop(  # an external component's AWS name, when it differs from NAME
        None,
        Spec(
            "string",
            kinds=_OUTSIDE,
            name="name",
            doc="its AWS name in this account and region, when it differs from NAME",
        ),
    )
    account: str | None = prop(None, _ACCOUNT)  # None: the stack's own account
    region: str | None = prop(None, _REGION)  # None: the stack's own region
    clearance: tuple[str, ...] = prop(  # data classes its owner is cleared for (consumers; external ones)
        (), Spec("names", choices=("sensitive",), kinds=_OUTSIDE, doc="data classes its owner is cleared to receive")
    )

    keyword = "component"
    kinds: ClassVar[tuple[str, ...]] = ()  # the kinds `KEYWORD NAME: KIND` may name (none: the keyword has no kind)

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

    # NOTE: an external source is known by its `source` and bus, not by an ARN or a name
    arn: str | None = None
    aws_name: str | None = None
    kind: str = "app"  # app | s3 | dynamodb | webhook | schedule | external
    emits: tuple[str, ...] = prop(
        (),
        _EMITS,
        Spec(
            "bindings",
            choices=("INSERT", "MODIFY", "REMOVE"),
            kinds=("dynamodb",),
            pairs="change_kinds",
            doc='the event types of its changes, each bound to a change kind: `[Added: "INSERT", Removed: "REMOVE"]`',
        ),
        Spec(
            "bindings",
            kinds=_OUTSIDE,
            pairs="detail_types",
            doc='the event types it may publish, each with its detail-type: `[T: "Detail Type"]`',
        ),
        Spec(
            "bindings",
            kinds=("app",),
            pairs="detail_types",
            doc='the event types it publishes, each optionally with the detail-type it carries on a bus: `[Placed: "Order Placed"]`',
        ),
        Spec(
            "bindings",
            kinds=_HOOK,
            pairs="wire_types",
            doc='the event types it accepts, each bound to the sender\'s type name: `[Paid: "payment_intent.succeeded"]`',
        ),
    )
    detail_types: tuple[tuple[str, str], ...] = ()  # external, app: (event, its wire detail-type)
    event_source: str | None = prop(  # external, app: the EventBridge `source` it publishes with
        None,
        Spec(
            "string",
            kinds=_OUTSIDE,
            name="source",
            doc='the EventBridge `source` its events carry (`"aws.ec2"`, `"com.example.shop"`)',
        ),
        replace(_WIRE_SOURCE, kinds=("app",)),
    )
    bus: str | None = prop(  # external: the bus its events arrive on (None: the default bus)
        None, Spec("name", kinds=_OUTSIDE, doc="the bus its events arrive on; the account's default bus when omitted")
    )
    change_kinds: tuple[tuple[str, str], ...] = ()  # dynamodb: (event, INSERT | MODIFY | REMOVE)
    payload: str = prop("state", _PAYLOAD, replace(_PAYLOAD, kinds=_OUTSIDE))  # state | notification
    bucket: str | None = prop(
        None, Spec("string", kinds=("s3",), doc="bucket name (created, or an existing one by stack config)")
    )
    table: str | None = prop(None, Spec("string", kinds=("dynamodb",), doc="table name"))
    verify: str | None = prop(
        None,
        enum(
            "stripe",
            "github",
            "hmac_sha256",
            "hmac_sha512",
            "iam",
            "none",
            kinds=_HOOK,
            doc="how callers are authenticated: a sender's signature scheme, IAM (SigV4), or `none` (public)",
        ),
    )
    secret: str | None = prop(
        None, Spec("string", kinds=_HOOK, doc="the name of the secret holding the signing key, never its value")
    )
    tolerance: float | None = prop(  # stripe: the oldest signed timestamp accepted, seconds
        None,
        Spec("duration", minimum=1, kinds=_HOOK, doc="`verify: stripe`: the oldest signed timestamp accepted (5m)"),
    )
    signature_header: str | None = prop(
        None, Spec("string", kinds=_HOOK, doc="`verify: hmac_*`: the header carrying the signature")
    )
    signature_prefix: str | None = prop(
        None, Spec("string", kinds=_HOOK, doc="`verify: hmac_*`: the text before the digest, like `sha256=`")
    )
    signature_encoding: str | None = prop(
        None, enum("hex", "base64", kinds=_HOOK, doc="`verify: hmac_*`: how the digest is written")
    )
    type_field: str | None = prop(
        None,
        Spec("string", kinds=_HOOK, doc="the payload field (a dotted path) naming the event type"),
        replace(_TYPE_FIELD, kinds=("app",)),
    )
    type_header: str | None = prop(None, Spec("string", kinds=_HOOK, doc="the request header naming the event type"))
    wire_types: tuple[tuple[str, str], ...] = ()  # webhook: (event, the type name its sender uses)
    concurrency: int | None = prop(
        None, Spec("int", minimum=1, kinds=_HOOK, doc="reserved concurrency of the ingress function")
    )
    timeout: float | None = prop(  # the ingress function's timeout, seconds
        None, Spec("duration", minimum=0.001, kinds=_HOOK, doc="timeout of the ingress function (at most 30s)")
    )
    rate: float | None = prop(  # seconds between events of a schedule
        None, Spec("duration", minimum=60, kinds=("schedule",), doc="emit every so often")
    )
    cron: str | None = prop(  # an EventBridge cron expression, always spelt `cron(…)`
        None,
        Spec("cron", kinds=("schedule",), doc="a cron expression, as EventBridge Scheduler takes it (six fields)"),
    )
    path: str | None = prop(  # a webhook's URL path (`/hook`); None: `/<name>`
        None, Spec("url_path", kinds=("webhook",), doc="URL path of the endpoint (default: `/<source name>`)")
    )
    account: str | None = prop(None, _ACCOUNT, replace(_ACCOUNT, kinds=_OUTSIDE))
    region: str | None = prop(None, _REGION, replace(_REGION, kinds=_OUTSIDE))
    clearance: tuple[str, ...] = ()  # NOTE: a producer receives nothing
    replicas: tuple[str, ...] = prop(
        (), Spec("strings", kinds=("dynamodb",), doc="regions the table is replicated to (a global table)")
    )
    lossy: bool = prop(False, _LOSSY)  # the next occurrence replaces a lost one

    keyword = "source"
    kinds = ("app", "s3", "dynamodb", "webhook", "schedule")


@record
class Queue(Component):
    """An SQS queue (standard or FIFO); durations in seconds."""

    visibility_timeout: float = prop(
        float(aws.default("sqs.visibility_timeout")),
        Spec("duration", minimum=0, doc="how long a received message stays hidden"),
    )
    retention: float = prop(
        aws.default("sqs.retention"), Spec("duration", minimum=0, doc="how long an unconsumed message is kept")
    )
    max_receives: int | None = prop(
        None, Spec("int", minimum=1, doc="receives before a message moves to `dead_letter`")
    )
    dead_letter: str | None = prop(None, Spec("name", doc="the queue that takes messages after `max_receives`"))
    fifo: bool = prop(False, Spec("bool", doc="first-in-first-out per message group"))
    group_by: str | None = prop(
        None,
        Spec(
            "key", doc='the event field that names a FIFO message group; `"text"`: one group; `random`: one per message'
        ),
    )  # NOTE: a field only; a constant or `random` is key_constant / key_random (evtc.frontend.keying)
    key_constant: str | None = None  # `group_by: "text"`: every message in one group
    key_random: bool = False  # `group_by: random`: a group of its own per message
    content_dedup: bool = prop(False, Spec("bool", doc="FIFO deduplication by a hash of the body"))
    encrypted: bool = prop(False, _ENCRYPTED)
    delay: float = prop(
        float(aws.default("sqs.delay")), Spec("duration", minimum=0, doc="delivery delay of every message")
    )
    on_exhausted: str | None = prop(None, enum("drop", "dead_letter", doc="what happens when receives run out"))

    keyword = "queue"


@record
class Stream(Component):
    """A Kinesis stream: ordered per partition key, replayable within its retention."""

    shards: int = prop(
        int(aws.default("kinesis.shards")), Spec("int", minimum=1, doc="number of shards (ordered lanes)")
    )
    partition_key: str | None = prop(
        None, Spec("key", doc='the event field that picks the shard; `"text"`: one shard; `random`: spread at random')
    )  # NOTE: a field only; a constant or `random` is key_constant / key_random (evtc.frontend.keying)
    key_constant: str | None = None  # `partition_key: "text"`: every record on one shard
    key_random: bool = False  # `partition_key: random`: a fresh key per record
    retention: float = prop(
        aws.default("kinesis.retention"), Spec("duration", minimum=0, doc="how long records are kept")
    )
    encrypted: bool = prop(False, _ENCRYPTED)

    keyword = "stream"


@record
class Topic(Component):
    """An SNS topic (standard or FIFO): fan-out to subscribers."""

    fifo: bool = prop(False, Spec("bool", doc="ordered fan-out (SNS FIFO)"))
    encrypted: bool = prop(False, _ENCRYPTED)
    content_dedup: bool = prop(False, Spec("bool", doc="FIFO deduplication by a hash of the body"))

    keyword = "topic"


@record
class Bus(Component):
    """An EventBridge bus: rule-based routing, optionally archived for replay."""

    encrypted: bool = prop(False, _ENCRYPTED)
    archive: float | None = prop(  # retention of the archive in seconds; None: no archive
        None, Spec("archive", doc="keep an archive for replay: `true` or a retention duration")
    )

    keyword = "bus"


@record
class Function(Component):
    """A Lambda function: consumes events and may emit its own."""

    handler: str = prop("", Spec("string", required=True, doc='"module.path:callable", relative to the .evt file'))
    timeout: float = prop(
        float(aws.default("lambda.timeout")), Spec("duration", minimum=0.001, doc="maximum run time of one invocation")
    )
    memory: int = prop(
        int(aws.default("lambda.memory")), Spec("memory", minimum=1, doc="memory size (`512MiB`, or a number of MB)")
    )
    concurrency: int | None = prop(None, Spec("int", minimum=1, doc="reserved concurrency: at most this many at once"))
    ordered: bool = prop(False, Spec("bool", doc="the consumer needs events in order per key"))
    emits: tuple[str, ...] = prop((), _OWN_EMITS)
    detail_types: tuple[tuple[str, str], ...] = ()  # (event, the detail-type it carries on a bus)
    event_source: str | None = prop(None, _WIRE_SOURCE)  # the EventBridge `source` it puts events with
    type_field: str | None = prop(None, _TYPE_FIELD)  # the payload field whose value is the detail-type
    reads: tuple[str, ...] = prop((), Spec("names", doc="sources this function may read back (notification payloads)"))
    writes: tuple[str, ...] = prop(
        (),
        Spec(
            "writes",
            choices=("INSERT", "MODIFY", "REMOVE"),
            pairs="write_kinds",
            doc='tables and buckets (dynamodb and s3 sources) it writes to: `[orders: "MODIFY", uploads]`',
        ),
    )
    write_kinds: tuple[tuple[str, str], ...] = ()  # (table, INSERT | MODIFY | REMOVE) its writes make
    clearance: tuple[str, ...] = prop((), _CLEARANCE)

    keyword = "function"


@record
class Endpoint(Component):
    """A consumer outside the program: an https URL or an e-mail address."""

    # NOTE: an endpoint is never `external` (it is outside the topology already): no identity
    arn: str | None = None
    aws_name: str | None = None
    account: str | None = None  # NOTE: an e-mail address or a URL lives in no account
    region: str | None = None
    kind: str = "https"  # email | https
    address: str | None = prop(
        None, Spec("string", required=True, kinds=("email",), doc="the e-mail address to deliver to")
    )
    url: str | None = prop(None, Spec("string", required=True, kinds=("https",), doc="the https URL to deliver to"))
    clearance: tuple[str, ...] = prop((), _CLEARANCE)

    keyword = "endpoint"
    kinds = ("email", "https")


COMPONENT_TYPES: dict[str, type[Component]] = {
    cls.keyword: cls for cls in (Source, Queue, Stream, Topic, Bus, Function, Endpoint)
}
EMITTERS = (Source, Function)
STORES = (Queue, Stream)
ROUTERS = (Topic, Bus)
CONSUMERS = (Function, Endpoint)


# ---- routes and the whole topology --------------------------------------------------------
@record
class Use:
    """`use "path.evt"`: another file of the same topology, named relative to this one."""

    path: str
    span: Span  # the whole declaration
    path_span: Span  # the string, quotes included


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
    batch_size: int | None = prop(None, Spec("int", minimum=1, doc="records per invocation (queue and stream hops)"))
    batching_window: float | None = prop(None, Spec("duration", minimum=0, doc="how long to gather a batch"))
    retries: int | None = prop(None, Spec("int", minimum=0, doc="retries of a failed delivery or batch"))
    max_age: float | None = prop(None, Spec("duration", minimum=0, doc="give up on records older than this"))
    backoff: str | None = prop(None, enum("exponential", "linear", "none", doc="delay between retries"))
    dead_letter: str | None = prop(None, Spec("name", doc="where failed deliveries go"))
    # Into a function invoked asynchronously (from a bus, a topic or a schedule) the stage
    # before Lambda: the delivering service's own retries and dead letter (the plan decides).
    delivery_retries: int | None = prop(
        None,
        Spec("int", minimum=0, doc="into a function from a bus or schedule: the service's retries of handing it over"),
    )
    delivery_max_age: float | None = prop(
        None,
        Spec("duration", minimum=0, doc="into a function from a bus or schedule: how long the service keeps trying"),
    )
    delivery_dead_letter: str | None = prop(
        None,
        Spec("name", doc="into a function from a bus, topic or schedule: the queue for events it could not hand over"),
    )
    on_exhausted: str | None = prop(None, enum("drop", "dead_letter", doc="what happens when retries run out"))
    bisect: bool = prop(False, Spec("bool", doc="split a failing batch to isolate the bad record"))
    start: str = prop("latest", enum("latest", "trim_horizon", doc="where a new stream consumer starts"))
    lossy: bool = prop(False, _LOSSY)  # losing an event on this route is fine
    wire: str = prop(
        "envelope",
        enum("envelope", "payload", doc="what the hop hands over: evtc's envelope, or the event's payload alone"),
    )
    part: str = ""  # the file it is written in when that is a part of its topology, not the entry
    # NOTE: computed once: the plan, the analysis and the rules look a route up by id a dozen
    # times each; every copy (`replace`, moved spans) is built through __init__ and recomputes it
    id: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # NOTE: a part's routes name their file: a topology's files may each have a line 12
        qualifier = f".{self.event}" if self.event else ""
        where = f"{self.part}:" if self.part else ""
        object.__setattr__(self, "id", f"route:{self.source}{qualifier}->{self.target}@{where}{self.span.line}")

    def prop(self, name: str) -> Property | None:
        return next((p for p in self.props if p.name == name), None)

    def span_of(self, name: str) -> Span:
        found = self.prop(name)
        return found.span if found else self.span


@record(slots=False)
class Topology:
    """A whole topology (one file, or several: `file` is the first of them, each node's span
    names its own): its events, components and routes, with lookup by name."""

    name: str
    file: str
    span: Span
    events: tuple[Event, ...] = ()
    components: tuple[Component, ...] = ()
    types: tuple[TypeDecl, ...] = ()
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

    def first_components(self) -> Iterable[Component]:
        """The first declaration of each component name, in source order (what `component`
        finds; a later duplicate is the resolver's to report)."""
        return self._components.values()
