"""The emitters' shared state: names, the plan being written, and the policies gathered.

Policies are gathered while the emitters run and written once at the end, because AWS
allows one policy per queue, topic and role statement set, and several routes add to each.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from evtc import ir
from evtc.graph import TopologyGraph
from evtc.plan import DeliveryPlan, RoutePlan
from evtc.target import BuildError
from evtc.targets.pulumi_aws.facts import STATEFUL, TAGGABLE, fact
from evtc.targets.pulumi_aws.plan import Existing, Fmt, Json, Lookup, Named, Plan, Ref, Resource, Tags

KMS_USE = ("kms:Decrypt", "kms:GenerateDataKey")


@dataclass
class Context:
    graph: TopologyGraph
    plan: Plan
    # role var -> statements; resource var -> service statements; the key's service grants
    grants: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    admits: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    key_services: dict[str, set[Any]] = field(default_factory=lambda: defaultdict(set))
    environment: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    table_streams: dict[str, str] = field(default_factory=dict)  # stream name -> source name
    redrives: dict[str, list[str]] = field(default_factory=dict)  # dead-letter queue -> its queues
    notifications: dict[str, dict[str, Any]] = field(default_factory=dict)
    principals: dict[str, str] = field(default_factory=dict)  # var -> role | policy
    index: dict[str, Resource | Lookup] = field(default_factory=dict)  # var -> entry
    functions: dict[str, dict[str, Any]] = field(default_factory=dict)  # function var -> args
    delivery: DeliveryPlan | None = None  # how AWS carries each route (evtc.plan)
    names: Names = field(default_factory=lambda: Names())

    @property
    def topology(self) -> ir.Topology:
        return self.graph.topology

    def component(self, name: str) -> ir.Component:
        found = self.topology.component(name)
        if found is None:
            raise BuildError(f"unknown component '{name}'")
        return found

    def carriage(self, route: ir.Route) -> RoutePlan:
        """The delivery plan's decision for `route`: the one the build deploys."""
        found = self.delivery.of(route) if self.delivery else None
        if found is None or found.carrier == "none":
            raise BuildError(f"route {route.source} -> {route.target}: no AWS mechanism carries it (see LIM010)")
        return found

    def nth(self, route: ir.Route) -> tuple[str, ...]:
        """The key part telling apart the second and later routes that AWS carries with
        resources of their own between the same two components (`("2",)`), for `var`."""
        ordinal = self.carriage(route).ordinal if self.delivery else 1
        return (str(ordinal),) if ordinal > 1 else ()

    def leads(self, route: ir.Route) -> bool:
        """Whether `route` writes the resource it shares with other routes (the first one does)."""
        shared = self.delivery.resource_of(route) if self.delivery else None
        return shared is None or shared.routes[0] == route.id

    def shared_filter(self, route: ir.Route) -> dict[str, Any] | None:
        """The merged filter of the resource `route` lands on (None: every event)."""
        shared = self.delivery.resource_of(route) if self.delivery else None
        return shared.artefact if shared else self.carriage(route).filter

    # ---- names -------------------------------------------------------------------------
    def var(self, *parts: str) -> str:
        """The program variable of a resource: `var("function", name, "role")`.

        Literal words and component names are joined with `_`, so the readable join of two
        different keys can coincide (`function f_role` and `function f` + `role`); `Names`
        keeps the mapping injective."""
        return self.names.var(parts)

    def sub(self, var: str, *suffix: str) -> str:
        """A resource derived from the one at `var` (its policy, its role...)."""
        return self.names.var((*self.names.key(var), *suffix))

    def of(self, name: str, *suffix: str) -> str:
        """The variable of component `name` (`queue_jobs`), or of something it owns."""
        return self.var(self.component(name).keyword, name, *suffix)

    def physical(self, name: str, service: str, suffix: str = "") -> Fmt:
        """`{prefix}-name` within the service's rules (see `physical_name`)."""
        return Fmt("{prefix}-" + physical_name(name, service, suffix))

    def named(self, explicit: str | None, name: str, service: str) -> Any:
        """A name written in the .evt (`bucket:`, `table:`): used as is only when the stack
        opts in with `explicitNames`; otherwise stack-scoped like every other name."""
        default = self.physical(name, service)
        if not explicit:
            return default
        return Named(explicit, self.physical(explicit, service))

    def arn(self, service: str, resource: str) -> Fmt:
        """An ARN known before the resource exists (breaks reference cycles; key policies)."""
        return Fmt(f"arn:{{partition}}:{service}:{{region}}:{{account}}:{resource}")

    # ---- the plan ------------------------------------------------------------------------
    def add(self, var: str, type_: str, name: str, args: dict[str, Any], component: str, **extra: Any) -> str:
        if type_ in TAGGABLE:
            args = {**args, "tags": Tags(component)}
        extra.setdefault("stateful", type_ in STATEFUL)
        entry = Resource(var, type_, name, args, component, **extra)
        self.plan.entries.append(entry)
        self.index[var] = entry
        return var

    def lookup(self, var: str, function: str, args: dict[str, Any]) -> str:
        if var not in self.index:
            self.index[var] = Lookup(var, function, args)
            self.plan.entries.append(self.index[var])
        return var

    def has(self, var: str) -> bool:
        return var in self.index

    def service_role(self, var: str, name: str, physical: Fmt, service: str, source_arn: Any, component: str) -> str:
        """A role only `service`, acting for the exact resource `source_arn`, may assume."""
        statement = {
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sts:AssumeRole",
            "Condition": {"ArnEquals": {"aws:SourceArn": source_arn}},
        }
        trust = Json({"Version": "2012-10-17", "Statement": [statement]})
        self.add(var, "iam.Role", name, {"name": physical, "assume_role_policy": trust}, component)
        self.principals[var] = "role"
        return var

    def outputs(self, component: str, **values: Any) -> None:
        """Stack outputs, one object per component (`fraud_jobs: {arn, name, url}`): keyed by
        component name, so two components' outputs can never share a name."""
        known = self.plan.outputs.setdefault(component, {})
        for key, value in values.items():
            if isinstance(value, dict) and isinstance(known.get(key), dict):
                known[key] = {**known[key], **value}
            else:
                known[key] = value

    # ---- policies ------------------------------------------------------------------------
    def grant(
        self, role: str, actions: list[str], resources: list[Any], condition: dict[str, Any] | None = None
    ) -> None:
        for known in self.grants[role]:
            # NOTE: one statement per resource set and condition keeps documents short.
            if known["Resource"] == resources and known.get("Condition") == condition:
                known["Action"] = sorted(set(known["Action"]) | set(actions))
                return
        statement: dict[str, Any] = {"Effect": "Allow", "Action": sorted(set(actions)), "Resource": resources}
        if condition:
            statement["Condition"] = condition
        self.grants[role].append(statement)

    def admit(self, owner: str, service: str, action: str, resource: Any, source_arn: Any) -> None:
        """Let `service` act on `owner` only on behalf of the exact resource `source_arn`."""
        statement = {
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": action,
            "Resource": resource,
            "Condition": {"ArnEquals": {"aws:SourceArn": source_arn}},
        }
        if statement not in self.admits[owner]:
            self.admits[owner].append(statement)

    def encrypted(self, name: str) -> bool:
        return bool(getattr(self.component(name), "encrypted", False))

    def key(self) -> Ref:
        """The topology's customer-managed key (or the one named by `kmsKeyArn`)."""
        if not self.has(self.var("kms_key")):
            args = {
                "description": f"evtc topology {self.topology.name}: encrypts its stores and routers",
                "enable_key_rotation": True,
                "deletion_window_in_days": fact("kms.deletion_window_days"),
            }
            self.add(self.var("kms_key"), "kms.Key", "key", args, "kms", adopt=Existing("kmsKeyArn"))
        return Ref(self.var("kms_key"), "arn")

    def key_user(self, service: str, source_arn: Any) -> None:
        """`service` writes into an encrypted store on behalf of `source_arn`."""
        self.key_services[service].add(source_arn)

    def use_key(self, role: str, target: str) -> None:
        """A role reading or writing the encrypted `target` needs the key, via that service only."""
        if self.encrypted(target):
            self.grant(role, list(KMS_USE), [self.key()])

    def env(self, emitter: str, event: str, hop: dict[str, Any]) -> None:
        self.environment.setdefault(emitter, {}).setdefault(event, []).append(hop)


def as_json(value: Any) -> Json:
    return Json(value)


_S3_NOT_ALLOWED = re.compile(r"[^a-z0-9-]")


def physical_name(name: str, service: str, suffix: str = "") -> str:
    """The part after `{prefix}-`: within the service's length limit (a stable hash replaces
    the tail of a longer name), in its character set, and injective on component names.

    S3 names are lowercase and IAM compares names without case: a name that folding would
    merge with another gets a hash of the original."""
    text, lossy = name, False
    if service == "s3":
        text = _S3_NOT_ALLOWED.sub("-", name.replace("_", "-").lower()).strip("-") or "x"
        lossy = text != name.replace("_", "-")
    elif service == "iam":
        lossy = name != name.lower()
    budget = fact(f"name.{service}") - fact("name.prefix") - 1 - len(suffix)
    if lossy or len(text) > budget:
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        text = f"{text[: min(len(text), budget - 9)].rstrip('-')}-{digest}"
    return text + suffix


@dataclass
class Names:
    """Program variables, injective on their keys: the readable join when it is free, else
    the join with a short hash of the key (deterministic: emission order is)."""

    by_key: dict[tuple[str, ...], str] = field(default_factory=dict)
    by_var: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def var(self, key: tuple[str, ...]) -> str:
        known = self.by_key.get(key)
        if known is not None:
            return known
        candidate = "_".join(key)
        if candidate in self.by_var:
            digest = hashlib.sha256("\0".join(key).encode()).hexdigest()
            size = 6
            while f"{candidate}_{digest[:size]}" in self.by_var:
                size += 2
            candidate = f"{candidate}_{digest[:size]}"
        self.by_key[key], self.by_var[candidate] = candidate, key
        return candidate

    def key(self, var: str) -> tuple[str, ...]:
        return self.by_var.get(var, (var,))
