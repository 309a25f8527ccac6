from __future__ import annotations

from collections.abc import Iterator

from evtc.analysis import encryption
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import sensitive_fields, sensitive_holders
from evtc.rules.base import Rule, RuleContext


class UnencryptedSensitiveData(Rule):
    """`@sensitive` fields stored unencrypted at rest: an SNS topic or Kinesis stream without `encrypted: true`.

    ## What it does
    Follows every event type with `@sensitive` fields along all its paths and reports each
    topic and Kinesis stream that holds it without `encrypted: true`, dead letters
    included. Those two services store data unencrypted unless a key is configured. (SQS
    queues, EventBridge buses and DynamoDB change streams are always encrypted at rest;
    SEC011 asks for a customer-managed key there.)

    ## Why is this bad?
    Sensitive data must stay encrypted at rest everywhere it lands. An SNS topic keeps
    messages while it retries its subscribers, a Kinesis stream keeps every record for its
    whole retention: in plain text, for anyone with access to the storage.

    ## Example
    ```evt
    event Signup { email: string @sensitive }
    source web: app { emits: [Signup] }
    stream signups { retention: 7d }
    function welcome { handler: "w:h" clearance: [sensitive] }
    route web.Signup -> signups
    route signups -> welcome { retries: 3 dead_letter: welcome_failures }
    queue welcome_failures { retention: 7d encrypted: true }
    ```

    ## Use instead
    ```evt
    event Signup { email: string @sensitive }
    source web: app { emits: [Signup] }
    stream signups { retention: 7d encrypted: true }
    function welcome { handler: "w:h" clearance: [sensitive] }
    route web.Signup -> signups
    route signups -> welcome { retries: 3 dead_letter: welcome_failures }
    queue welcome_failures { retention: 7d encrypted: true }
    ```
    """

    code = "SEC003"
    name = "unencrypted-sensitive-data"
    category = Category.SECURITY
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for component, events in sensitive_holders(ctx):
            if encryption.at_rest(ctx.topology, component) == encryption.NONE:
                yield self.report(
                    component.span_of("encrypted"),
                    f"{component.keyword} '{component.name}' holds {sensitive_fields(events)} "
                    "unencrypted at rest: this service stores data in plain text unless a key is configured",
                    f"add `encrypted: true` to '{component.name}' (a customer-managed KMS key)",
                )
