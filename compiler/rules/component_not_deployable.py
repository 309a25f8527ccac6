from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.plan.tables import change_stream, table_key
from evtc.rules.base import Rule, RuleContext


class ComponentNotDeployable(Rule):
    """A component the pulumi-aws target cannot create as written.

    ## What it does
    Reports the preconditions `evtc build --target pulumi-aws` has for components: a
    schedule needs `rate` or `cron`; a DynamoDB source needs a partition key, taken from
    its change stream's `partition_key` or the first
    field of the first event it emits; an encrypted table cannot yet be a global table
    (`replicas`), which needs a key in every region. A webhook's ingress cannot apply a
    property its `verify` scheme does not read (`tolerance` is Stripe's, `signature_header`
    a generic `hmac_*`'s, `secret` only a signed scheme's), nor tell apart two event types
    bound to the same sender's type name.

    ## Why is this bad?
    `evtc check` would pass a file that `evtc build` then refuses, or that AWS rejects.

    ## Example
    ```evt
    topology jobs
    event Tick { at: timestamp }
    source nightly: schedule { emits: [Tick] }
    function cleanup { handler: "cleanup:run" }
    route nightly.Tick -> cleanup { on_exhausted: drop }
    ```

    ## Use instead
    ```evt
    topology jobs
    event Tick { at: timestamp }
    source nightly: schedule { rate: 1d emits: [Tick] lossy: true }
    function cleanup { handler: "cleanup:run" }
    route nightly.Tick -> cleanup
    ```
    """

    code = "LIM012"
    name = "component-not-deployable"
    category = Category.LIMITS
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        for source in ctx.components(ir.Source):
            if source.kind == "schedule":
                yield from self._schedule(source)
            elif source.kind == "dynamodb":
                yield from self._table(t, source)
            elif source.kind == "webhook":
                yield from self._webhook(source)

    def _webhook(self, source: ir.Source) -> Iterator[Diagnostic]:
        # NOTE: imported here: the ingress's request judging is a tenth of the rules' imports
        from evtc.plan.ingress import inapplicable, scheme_of, sent_types

        scheme = scheme_of(source)
        for name, schemes in inapplicable(source):
            yield self.report(
                source.span_of(name),
                f"webhook '{source.name}' verifies with `{scheme}`, which has no use for `{name}`",
                f"remove `{name}`, or verify with {' or '.join(f'`{s}`' for s in schemes)}",
            )
        seen: dict[str, str] = {}
        for sent, event in sent_types(source):
            if sent in seen and seen[sent] != event:
                emits = source.prop("emits")
                yield self.report(
                    emits.span_of_item(event) if emits else source.span,
                    f"webhook '{source.name}' binds both {seen[sent]} and {event} to the type '{sent}': "
                    "its ingress could not tell which a request is",
                    "bind each event type to a type name of its own",
                )
            seen.setdefault(sent, event)

    def _schedule(self, source: ir.Source) -> Iterator[Diagnostic]:
        if source.rate is None and source.cron is None:
            yield self.report(
                source.span,
                f"schedule '{source.name}' says neither how often nor when it fires",
                'add `rate: 5m`, or `cron: "cron(0 12 * * ? *)"`',
            )

    def _table(self, t: ir.Topology, source: ir.Source) -> Iterator[Diagnostic]:
        if table_key(t, source) is None:
            yield self.report(
                source.span,
                f"DynamoDB source '{source.name}' has no partition key: its change stream has no `partition_key` "
                "and its event has no field",
                "give its change stream a `partition_key`, or its event a first field to key the table by",
            )
        stream = change_stream(t, source)
        if source.replicas and stream is not None and stream.encrypted:
            yield self.report(
                stream.span_of("encrypted"),
                f"'{source.name}' is a global table (`replicas`), and evtc cannot yet encrypt one: it needs a "
                "customer-managed key in every region",
                "drop `encrypted: true` from its stream (DynamoDB still encrypts with an AWS-owned key), or the replicas",
            )
