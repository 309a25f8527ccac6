"""The public local runtime: build from a .evt file, emit as a source, run on a virtual clock.

>>> rt = Runtime.from_file("examples/ami_scan.evt", handlers={"scanner": lambda event, context: None})
>>> _ = rt.emit("uploads", "ImageUploaded", {"bucket": "b", "key": "images/x.ami", "size": 1})
>>> _ = rt.emit("uploads", "ImageUploaded", {"bucket": "b", "key": "notes.txt", "size": 1})
>>> rt.run_until_idle()
>>> [e.data["key"] for e in rt.deliveries("scanner")], str(rt.audit())
(['images/x.ami'], '2 events: 0 lost, 0 dead-lettered, 0 held, 0 dropped, 1 delivered, 1 filtered (ok: nothing lost)')
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from evtc import ir
from evtc.diagnostics import Severity
from evtc.emit import EmitError, InvalidDataError, UndeclaredEventError  # NOTE: shared with every backend
from evtc.envelope import Envelope, parse_time, source_uri
from evtc.export.validate import Checker, payload_checker
from evtc.frontend import Compilation
from evtc.frontend.load import LoadError, load_topology
from evtc.plan import plan_of
from evtc.targets.local.chaos import Chaos
from evtc.targets.local.clock import EPOCH
from evtc.targets.local.core import Core, Fan
from evtc.targets.local.foreign import event_type_of, native, refusal
from evtc.targets.local.handlers import resolve_handlers
from evtc.targets.local.hops import FilterError, RouteError
from evtc.targets.local.ledger import Audit, Tracked
from evtc.targets.local.pollers import StreamPoller
from evtc.targets.local.webhooks import Webhooks
from evtc.targets.local.writes import Tables, Writing, as_change
from evtc.util.gcpause import collector_paused
from evtc.util.suggest import did_you_mean as _did_you_mean

DEFAULT_RUN_LIMIT = 30 * 86400.0


def did_you_mean(word: str, names: list[str]) -> str:
    hint = _did_you_mean(word, names)
    return f"; {hint}" if hint else ""


class TopologyError(Exception):
    """The .evt file does not compile, so there is nothing to run."""


def sign(secret: str, data: Any) -> str:
    """The signature a webhook caller sends: HMAC-SHA256 of the canonical JSON body."""
    body = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Plan(NamedTuple):
    event: str
    uri: str
    key: str | None
    check: Checker | None  # what is wrong with a payload, from the event's exported JSON Schema
    fan: Fan
    verify: ir.Source | None
    producer: ir.Source | None = None  # an external producer: its events travel in their own shape
    constant: str | None = None  # the key when the keyed hop's key is a constant (`partition_key: "all"`)
    spread: bool = False  # the keyed hop's key is `random`: a fresh one (the event's id) per record
    table: bool = False  # a dynamodb source: an emit is a write its items keep


class Runtime(Webhooks, Writing, Core):
    """A topology running in-process. See docs/local.md for the semantics."""

    def __init__(
        self,
        compilation: Compilation,
        handlers: Mapping[str, Callable[..., Any]] | None = None,
        seed: int = 0,
        chaos: Chaos | None = None,
        durations: Mapping[str, float] | None = None,
        secrets: Mapping[str, str] | None = None,
        base_dir: str | Path | None = None,
    ) -> None:
        base = Path(base_dir) if base_dir is not None else Path(compilation.file).parent
        found = resolve_handlers(compilation.topology, handlers or {}, base)
        try:
            super().__init__(compilation, found, seed, chaos, durations or {})
        except (FilterError, RouteError) as error:
            raise TopologyError(f"{compilation.file}: {error}") from None
        self.secrets = dict(secrets or {})
        self.ignored: list[tuple[str, str]] = []  # (webhook, the sender's type) acknowledged, not emitted
        self._count = 0
        self._salt = f"{seed & 0xFFFFFFFF:08x}-"  # NOTE: ids differ between seeds, repeat with one
        self._plans: dict[tuple[str, str], Plan] = {}
        self.tables = Tables(self)

    @classmethod
    def from_file(
        cls, path: str | Path, handlers: Mapping[str, Callable[..., Any]] | None = None, seed: int = 0, **options: Any
    ) -> Runtime:
        """The runtime of the topology at `path`: an .evt file (with the rest of its
        topology's files) or the folder of a topology in several files."""
        try:
            compilation = load_topology(path)
        except LoadError as error:
            raise TopologyError(str(error)) from None
        errors = [d for d in compilation.diagnostics if d.severity is Severity.ERROR and not d.suppressed]
        if errors:
            lines = "\n".join(f"{d.span}: {d.code} {d.message}" for d in errors)
            raise TopologyError(f"{path} does not compile:\n{lines}")
        return cls(compilation, handlers, seed, **options)

    # ---- emitting ------------------------------------------------------------------------------------
    def emit(
        self,
        source: str,
        event_type: str,
        data: Mapping[str, Any],
        *,
        time: float | str | None = None,
        signature: str | None = None,
    ) -> str:
        """Emit `event_type` as the source `source` would; return the event id."""
        plan = self._plans.get((source, event_type)) or self._plan(source, event_type, ir.Source)
        if plan.verify is not None:
            self._verify(plan.verify, data, signature)
        if plan.table:
            self.tables.observe(source, event_type, data)  # NOTE: the write the record is of
        return self._send(plan, data, time)

    def inject(self, source: str, event: Mapping[str, Any]) -> str:
        """Deliver an external producer's EventBridge event, as it arrives on AWS
        (`{"source": …, "detail-type": …, "detail": {…}}`); return the event id."""
        producer = self.topology.component(source)
        if not isinstance(producer, ir.Source) or not producer.external:
            names = [c.name for c in self.topology.components if isinstance(c, ir.Source) and c.external]
            raise EmitError(f"'{source}' is not an external source of this topology{did_you_mean(source, names)}")
        placed = plan_of(self.compilation).accounts
        denied = refusal(producer, event, placed.home.account if placed else None)
        if denied is not None:
            raise EmitError(denied)
        event_type = event_type_of(producer, event)
        if event_type is None:
            bound = [text for _, text in producer.detail_types]
            raise EmitError(
                f"external source '{source}' sends source {producer.event_source!r} with detail-type {bound}; "
                f"this event ({event.get('source')!r}, {event.get('detail-type')!r}) is not one of its"
            )
        plan = self._plans.get((source, event_type)) or self._plan(source, event_type, ir.Source)
        return self._send(plan, event.get("detail", {}), event.get("time"), event)

    def emit_change(self, table: str, event_type: str, data: Mapping[str, Any], kind: str, old: Any) -> str:
        """A table's change record of `kind` (see `writes`), sent on as its stream carries it."""
        plan = self._plans.get((table, event_type)) or self._plan(table, event_type, ir.Source)
        return self._send(plan, data, None, change=(kind, old))

    def emit_from(self, component: str, event_type: str, data: Any, time: float | str | None) -> str:
        """Emit from a function's invocation (what `evtc.emit` inside a handler calls)."""
        plan = self._plans.get((component, event_type)) or self._plan(component, event_type, ir.Function)
        return self._send(plan, data, time)

    def _send(
        self,
        plan: Plan,
        data: Any,
        time: float | str | None,
        given: Mapping[str, Any] | None = None,
        change: tuple[str, Any] | None = None,
    ) -> str:
        event, uri, key, check, fan, _, producer, constant, spread, _ = plan
        if type(data) is not dict and not isinstance(data, Mapping):
            raise InvalidDataError(f"{event} data must be a JSON object, not {type(data).__name__}")
        problem = check(data if type(data) is dict else dict(data)) if check is not None else None
        if problem is not None:
            raise InvalidDataError(f"{event} data does not match its schema: {problem}")
        self._count += 1
        now = EPOCH + self.clock.now
        partition = str(data[key]) if key is not None and key in data else constant
        event_id = self._salt + str(self._count)
        if spread:
            partition = event_id
        envelope = Tracked(event_id, uri, event, now if time is None else parse_time(time), now, data, partition)
        if producer is not None:
            envelope = native(envelope, producer, given)
        elif change is not None:
            envelope = as_change(envelope, *change)
        self.ledger.emitted.append(envelope)
        if fan.direct is not None:
            fan.direct(envelope)  # NOTE: one unfiltered route out, the common case: no fan-out loop
        else:
            self.fan_out(fan, envelope)
        return envelope.id

    def _plan(self, component: str, event_type: str, kind: type[ir.Component]) -> Plan:
        """Check once that `component` may emit `event_type`; keep what every emit needs."""
        emitter = self.topology.component(component)
        if not isinstance(emitter, kind):
            names = [c.name for c in self.topology.components if isinstance(c, kind)]
            raise EmitError(f"'{component}' is not a {kind.keyword} of this topology{did_you_mean(component, names)}")
        owned = getattr(emitter, "emits", ())
        if event_type not in owned:
            raise UndeclaredEventError(f"'{component}' does not emit {event_type}; it emits {list(owned)}")
        verify = emitter if isinstance(emitter, ir.Source) and emitter.kind == "webhook" else None
        keyed = self._keyed(component, event_type)
        plan = Plan(
            event_type,
            source_uri(self.topology.name, component),
            getattr(keyed, "partition_key", None) or getattr(keyed, "group_by", None),
            self._checker(event_type),
            self.fan(component, event_type),
            verify,
            emitter if isinstance(emitter, ir.Source) and emitter.external else None,
            getattr(keyed, "key_constant", None),
            bool(getattr(keyed, "key_random", False)),
            isinstance(emitter, ir.Source) and emitter.kind == "dynamodb",
        )
        self._plans[(component, event_type)] = plan
        return plan

    def _checker(self, event_type: str) -> Checker | None:
        event = self.topology.event(event_type)
        return payload_checker(event) if event is not None else None

    def _keyed(self, component: str, event_type: str) -> ir.Component | None:
        """The first store that keys this event (a stream's key or a FIFO group): by a field,
        a constant or `random` (see evtc.frontend.keying)."""
        for route in self.compilation.graph.event_routes(component, event_type):
            target = self.topology.component(route.target)
            field = getattr(target, "partition_key", None) or getattr(target, "group_by", None)
            if field or getattr(target, "key_constant", None) is not None or getattr(target, "key_random", False):
                return target
        return None

    def _verify(self, source: ir.Source, data: Any, signature: str | None) -> None:
        problem = self.check_emit_signature(source, data, signature)
        if problem is not None:
            raise EmitError(problem)

    def _emit_as(self, source: str, event_type: str, data: dict[str, Any]) -> str:
        """Emit what a webhook's ingress accepted (its signature already judged)."""
        plan = self._plans.get((source, event_type)) or self._plan(source, event_type, ir.Source)
        return self._send(plan, data, None)

    # ---- time ----------------------------------------------------------------------------------------
    @property
    def now(self) -> float:
        """Virtual seconds since the runtime started."""
        return self.clock.now

    def run_until_idle(self, max_seconds: float = DEFAULT_RUN_LIMIT) -> None:
        """Deliver everything that is due, moving the clock through backoffs and timeouts."""
        with collector_paused():
            self.clock.run_until_idle(self.clock.now + max_seconds)

    def advance(self, seconds: float) -> None:
        """Move the virtual clock, running everything due on the way (retention included)."""
        with collector_paused():
            self.clock.advance_to(self.clock.now + seconds)

    # ---- looking -------------------------------------------------------------------------------------
    def deliveries(self, consumer: str) -> list[Envelope]:
        """Envelopes delivered to a function or endpoint, in order, redeliveries included."""
        if consumer not in self.consumers:
            raise KeyError(f"'{consumer}' is not a function or endpoint{did_you_mean(consumer, list(self.consumers))}")
        return list(self.consumers[consumer].delivered)

    def dead_letters(self, store: str) -> list[Envelope]:
        """What sits in a queue or stream (typically a dead-letter queue) now."""
        if store not in self.stores:
            raise KeyError(f"'{store}' is not a queue or stream{did_you_mean(store, list(self.stores))}")
        return list(self.stores[store].held())

    def audit(self) -> Audit:
        return self.ledger.audit()

    def replay(self, consumer: str, start: str | float = "trim_horizon") -> None:
        """Move a stream consumer back: to the oldest record, the latest, or a time."""
        pollers = [p for p in self.pollers if isinstance(p, StreamPoller) and p.target_name == consumer]
        if not pollers:
            raise KeyError(f"'{consumer}' does not read a stream")
        for poller in pollers:
            for shard in range(len(poller.positions)):
                poller.replay(shard, self._position(poller, shard, start))

    def _position(self, poller: StreamPoller, shard: int, start: str | float) -> int:
        stream = poller.stream
        if start == "trim_horizon":
            return stream.base[shard]
        if start == "latest":
            return stream.end(shard)
        moment = start if isinstance(start, (int, float)) else parse_time(start) - EPOCH
        return stream.start_of(shard, float(moment))
