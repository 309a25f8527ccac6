"""The emitters' shared state: names, the plan being written, and the policies gathered.

Policies are gathered while the emitters run and written once at the end, because AWS
allows one policy per queue, topic and role statement set, and several routes add to each.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import click

from evtc import ir
from evtc.graph import TopologyGraph
from evtc.plan import DeliveryPlan, RoutePlan
from evtc.targets.pulumi_aws.facts import TAGGABLE, fact
from evtc.targets.pulumi_aws.plan import Existing, Fmt, Json, Lookup, Plan, Ref, Resource, Tags

KMS_USE = ("kms:Decrypt", "kms:GenerateDataKey")


class BuildError(click.ClickException):
    """The topology asks for something this target cannot deploy.

    NOTE: a ClickException, so `evtc build` prints it as an error (exit 1), not a traceback.
    """


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

    def leads(self, route: ir.Route) -> bool:
        """Whether `route` writes the resource it shares with other routes (the first one does)."""
        shared = self.delivery.resource_of(route) if self.delivery else None
        return shared is None or shared.routes[0] == route.id

    def shared_filter(self, route: ir.Route) -> dict[str, Any] | None:
        """The merged filter of the resource `route` lands on (None: every event)."""
        shared = self.delivery.resource_of(route) if self.delivery else None
        return shared.artefact if shared else self.carriage(route).filter

    # ---- names -------------------------------------------------------------------------
    def physical(self, name: str, service: str, suffix: str = "") -> Fmt:
        """`{prefix}-name`, shortened with a stable hash when it would exceed the service's limit."""
        budget = fact(f"name.{service}") - fact("name.prefix") - 1 - len(suffix)
        if len(name) > budget:
            digest = hashlib.sha256(name.encode()).hexdigest()[:8]
            name = f"{name[: budget - 9]}-{digest}"
        return Fmt("{prefix}-" + name + suffix)

    def arn(self, service: str, resource: str) -> Fmt:
        """An ARN known before the resource exists (breaks reference cycles; key policies)."""
        return Fmt(f"arn:{{partition}}:{service}:{{region}}:{{account}}:{resource}")

    # ---- the plan ------------------------------------------------------------------------
    def add(self, var: str, type_: str, name: str, args: dict[str, Any], component: str, **extra: Any) -> str:
        if type_ in TAGGABLE:
            args = {**args, "tags": Tags(component)}
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

    def output(self, name: str, value: Any) -> None:
        self.plan.outputs[name] = value

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
        if not self.has("kms_key"):
            args = {
                "description": f"evtc topology {self.topology.name}: encrypts its stores and routers",
                "enable_key_rotation": True,
                "deletion_window_in_days": fact("kms.deletion_window_days"),
            }
            self.add("kms_key", "kms.Key", "key", args, "kms", adopt=Existing("kmsKeyArn"))
        return Ref("kms_key", "arn")

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
