"""`evtc explain`: the path guarantees of every (emitter, event) × consumer, as a table or JSON.

>>> from evtc.frontend import compile_file
>>> print(explain_text(compile_file("examples/ami_scan.evt")).splitlines()[0])
uploads.ImageUploaded  (notification, 137 B + unbounded: bucket, key)
"""

from __future__ import annotations

import weakref
from typing import Any

from evtc import ir
from evtc.analysis import Flow, PathFacts, analyze, encryption
from evtc.analysis.hops import duration_text
from evtc.analysis.model import Hop
from evtc.analysis.payload import human
from evtc.frontend import Compilation
from evtc.plan.ingress import ingress_of
from evtc.plan.writes import writes_of, written_events
from evtc.report import crossings, wiring

INF = float("inf")


def rows(compilation: Compilation, only: str | None = None) -> list[tuple[Flow, PathFacts]]:
    """(flow, facts) for each consumer path, sorted; `only` selects one `EMITTER.EVENT`."""
    analysis = analyze(compilation)
    found = []
    for facts in analysis.consumers():
        if only is None or f"{facts.emitter}.{facts.event}" == only:
            found.append((analysis.flows[facts.ref], facts))
    return found


def as_dict(t: ir.Topology, flow: Flow, facts: PathFacts, compilation: Compilation | None = None) -> dict[str, Any]:
    found = _as_dict(t, flow, facts)
    if compilation is not None:
        found["accounts"] = crossings.as_dicts(compilation, facts)
        shape = wiring.as_dict(compilation, facts)
        if shape is not None:
            found["wire"] = shape
    return found


def _as_dict(t: ir.Topology, flow: Flow, facts: PathFacts) -> dict[str, Any]:
    ingress = _ingress(t, facts)
    return {**({"ingress": ingress} if ingress else {}), **_guarantees(t, flow, facts)}


def _ingress(t: ir.Topology, facts: PathFacts) -> dict[str, Any] | None:
    """What a webhook emitter's ingress checks before the event enters (None for other emitters)."""
    source = t.component(facts.emitter)
    if not isinstance(source, ir.Source) or source.kind != "webhook":
        return None
    found = ingress_of(source)
    return {
        "verify": found.verify,
        "signature_header": found.signature_header,
        "tolerance_seconds": found.tolerance,
        "type_field": found.type_field,
        "type_header": found.type_header,
        "sent_types": [sent for sent, event in found.types if event == facts.event],
        "default_type": found.default_type,
        "unbound_types": "answered 200, dropped and counted",
    }


def _guarantees(t: ir.Topology, flow: Flow, facts: PathFacts) -> dict[str, Any]:
    return {
        "emitter": facts.emitter,
        "event": facts.event,
        "consumer": facts.via[-1],
        "via": list(facts.via),
        "paths": facts.paths,
        "ordering": {
            "key": facts.order_key,
            "lost_at": facts.order_lost.at if facts.order_lost else None,
            "reason": facts.order_lost.reason if facts.order_lost else None,
        },
        "delivery": {
            "semantics": facts.delivery,
            "attempts": _num(facts.attempts),
            "give_up_seconds": _num(facts.give_up),
            "drops": [{"at": d.at, "kind": d.kind, "reason": d.reason} for d in facts.drops],
            "dead_letters": list(facts.dead_letters),
            "cyclic": facts.cyclic,
            "hops": [
                {
                    "from": h.route.source,
                    "to": h.route.target,
                    "style": h.style,
                    "attempts": _num(h.attempts),
                    "give_up_seconds": _num(h.give_up),
                    "dead_letter": h.dead_letter,
                    "delivery": _stage_json(h),
                }
                for h in facts.hops
            ],
        },
        "durability": {
            "retained": [{"store": s, "seconds": r} for s, r in facts.retained],
            "replayable_from": list(facts.replayable),
            "outage_tolerance_seconds": _num(facts.outage_tolerance),
        },
        "confidentiality": {
            "sensitive_fields": list(flow.sensitive),
            "held_by": _holders(t, facts),
            "consumer_cleared": _cleared(t, facts),
        },
        "payload": {"mode": flow.mode, "max_bytes": flow.size.bytes, "unbounded_fields": list(flow.size.unbounded)},
        "written_by": written_by(t, flow.emitter, flow.event),
    }


def written_by(t: ir.Topology, emitter: str, event: str) -> list[str]:
    """The functions whose `writes` to table or bucket `emitter` come out as `event`."""
    return list(_writers(t).get((emitter, event), ()))


_WRITERS: dict[int, dict[tuple[str, str], tuple[str, ...]]] = {}  # NOTE: by identity, as the plan's cache


def _writers(t: ir.Topology) -> dict[tuple[str, str], tuple[str, ...]]:
    """(table, event) -> its writers, found once per topology (explain asks once per path)."""
    found = _WRITERS.get(id(t))
    if found is None:
        index: dict[tuple[str, str], tuple[str, ...]] = {}
        for w in writes_of(t):
            for event in written_events(t, w):
                index[(w.target, event)] = (*index.get((w.target, event), ()), w.source)
        found = _WRITERS[id(t)] = index
        weakref.finalize(t, _WRITERS.pop, id(t), None)
    return found


def _num(value: float) -> float | None:
    return None if value == INF else value


def _holders(t: ir.Topology, facts: PathFacts) -> list[dict[str, Any]]:
    found = []
    for name in facts.holders:
        c = t.component(name)
        key = encryption.at_rest(t, c) if c is not None else encryption.NONE
        found.append(
            {"name": name, "encrypted": key != encryption.NONE, "key": None if key == encryption.NONE else key}
        )
    return found


def _cleared(t: ir.Topology, facts: PathFacts) -> bool:
    return "sensitive" in getattr(t.component(facts.via[-1]), "clearance", ())


def explain_json(compilation: Compilation, only: str | None = None) -> list[dict[str, Any]]:
    return [as_dict(compilation.topology, flow, facts, compilation) for flow, facts in rows(compilation, only)]


def explain_text(compilation: Compilation, only: str | None = None) -> str:
    lines: list[str] = []
    current = None
    for flow, facts in rows(compilation, only):
        if facts.ref != current:
            current = facts.ref
            heading = _heading(flow, written_by(compilation.topology, flow.emitter, flow.event))
            lines.append(heading if not lines else "\n" + heading)
        lines.extend(_block(compilation, flow, facts))
    return "\n".join(lines) + "\n" if lines else "no event reaches a consumer\n"


def _heading(flow: Flow, writers: list[str]) -> str:
    size = f"{flow.size.text().replace(' + unbounded (', ' + unbounded: ').rstrip(')')}"
    sensitive = f", sensitive: {', '.join(flow.sensitive)}" if flow.sensitive else ""
    mode = "state transfer" if flow.mode == "state" else flow.mode
    written = f"; written by {', '.join(writers)}" if writers else ""
    return f"{flow.emitter}.{flow.event}  ({mode}, {size}{sensitive}{written})"


def _block(compilation: Compilation, flow: Flow, facts: PathFacts) -> list[str]:
    t = compilation.topology
    d = _as_dict(t, flow, facts)
    table = [
        ("path", " -> ".join(facts.via) + (f"  ({facts.paths} paths)" if facts.paths > 1 else "")),
        ("ordering", _ordering(facts)),
        (
            "delivery",
            f"{facts.delivery}; up to {_count(facts.attempts)} attempt(s); gives up after {duration_text(facts.give_up)}",
        ),
        ("retries", _retries(facts)),
        ("drops", "; ".join(x["reason"] for x in d["delivery"]["drops"]) or "none"),
        ("dead letters", _dead_letters(facts)),
        ("durability", _durability(facts)),
        ("confidentiality", _confidentiality(t, flow, facts)),
        ("payload", _payload(flow, facts)),
    ]
    shape = wiring.text(compilation, facts)
    if shape is not None:
        table.append(("wire", shape))
    across = crossings.text(compilation, facts)
    if across is not None:
        table.append(("accounts", across))
    if "ingress" in d:
        table.insert(0, ("ingress", _ingress_text(d["ingress"])))
    width = max(len(k) for k, _ in table)
    return [f"  -> {facts.via[-1]}"] + [f"     {k.ljust(width)}  {v}" for k, v in table]


def _ingress_text(ingress: dict[str, Any]) -> str:
    if ingress["signature_header"] is None:
        checked = "no signature (IAM: API Gateway checks SigV4)" if ingress["verify"] == "iam" else "nobody (public)"
    else:
        tolerance = ingress["tolerance_seconds"]
        checked = f"{ingress['verify']} signature in {ingress['signature_header']}" + (
            f", {duration_text(tolerance)} tolerance" if tolerance else ""
        )
    where = f"payload field `{ingress['type_field']}`" if ingress["type_field"] else f"header {ingress['type_header']}"
    sent = " or ".join(f"'{t}'" for t in ingress["sent_types"])
    default = f" (or named nowhere: every request is {ingress['default_type']})" if ingress["default_type"] else ""
    return f"verified by {checked}; the type is {sent} in the {where}{default}; other types: {ingress['unbound_types']}"


def _ordering(facts: PathFacts) -> str:
    if facts.order_lost is not None:
        return f"lost at '{facts.order_lost.at}': {facts.order_lost.reason}"
    return "in emission order" if facts.order_key == "*" else f"per {facts.order_key}"


def _dead_letters(facts: PathFacts) -> str:
    """Where failed events go; a stream's on-failure destination gets positions, not records."""
    found = [
        f"{h.dead_letter} (positions only)" if h.style == "poll-stream" else h.dead_letter
        for h in facts.hops
        if h.dead_letter
    ]
    found += [
        f"{h.delivery.dead_letter} (undelivered by {h.delivery.by})"
        for h in facts.hops
        if h.delivery is not None and h.delivery.dead_letter and h.delivery.dead_letter != h.dead_letter
    ]
    return ", ".join(dict.fromkeys(found)) or "none"


def _retries(facts: PathFacts) -> str:
    """Where retries happen: each hop that can deliver an event more than once."""
    found = [
        f"{h.route.source} -> {h.route.target}: {_count(h.attempts)} attempts ({h.style}){_delivery(h)}"
        for h in facts.hops
        if h.attempts != 1
    ]
    return "; ".join(found) or "none"


def _stage_json(h: Hop) -> dict[str, Any] | None:
    d = h.delivery
    if d is None:
        return None
    return {"by": d.by, "attempts": _num(d.attempts), "give_up_seconds": _num(d.max_age), "dead_letter": d.dead_letter}


def _delivery(h: Hop) -> str:
    """The delivering service's own stage, before the handler's retries."""
    if h.delivery is None:
        return ""
    d = h.delivery
    age = duration_text(d.max_age)
    tries = f"retrying for up to {age}" if d.attempts == INF else f"in up to {_count(d.attempts)} attempts within {age}"
    return f", after {d.by} hands it over {tries}"


def _count(value: float) -> str:
    return "unbounded" if value == INF else f"{value:g}"


def _durability(facts: PathFacts) -> str:
    kept = ", ".join(f"{s} keeps {duration_text(r)}" for s, r in facts.retained) or "no store on the path"
    replay = f"; replayable from {', '.join(facts.replayable)}" if facts.replayable else "; not replayable"
    return kept + replay + "; consumer may be down " + _down(facts)


def _down(facts: PathFacts) -> str:
    """How long the consumer may be down, and why it is no longer."""
    tolerance = facts.outage_tolerance
    if tolerance == INF:
        return "indefinitely (dead letter)"
    last = facts.hops[-1] if facts.hops else None
    if last is not None and last.dead_letter and last.style == "poll-stream":
        return (
            f"{duration_text(tolerance)} (dead letter '{last.dead_letter}' keeps only positions: "
            f"the records themselves expire from '{last.route.source}')"
        )
    return duration_text(tolerance)


def _payload(flow: Flow, facts: PathFacts) -> str:
    limits = [(h.size_limit, h.route.target) for h in facts.hops if h.size_limit]
    if not limits:
        return f"{flow.mode}; {flow.size.text()}"
    (what, size), where = min(limits, key=lambda x: x[0][1])
    return f"{flow.mode}; {flow.size.text()}; smallest hop limit {human(size)} ({what}, into '{where}')"


def _confidentiality(t: ir.Topology, flow: Flow, facts: PathFacts) -> str:
    if not flow.sensitive:
        return "no sensitive fields"
    held = ", ".join(f"{h['name']} ({_at_rest(h)})" for h in _holders(t, facts))
    cleared = "cleared" if _cleared(t, facts) else "NOT cleared"
    return f"held by {held or 'nothing'}; consumer {cleared}"


def _at_rest(holder: dict[str, Any]) -> str:
    return f"encrypted, {holder['key']}" if holder["encrypted"] else "NOT encrypted"
