from __future__ import annotations

from collections.abc import Iterator

from evtc.analysis import encryption
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import sensitive_fields, sensitive_holders
from evtc.rules.base import Rule, RuleContext


class SensitiveDataWithoutCustomerKey(Rule):
    """`@sensitive` fields encrypted at rest only with a key AWS owns, not a customer-managed key.

    ## What it does
    Follows every event type with `@sensitive` fields along all its paths and reports each
    queue, bus and DynamoDB change stream that holds it without `encrypted: true`, dead
    letters included. These are encrypted at rest (SSE-SQS, EventBridge's and DynamoDB's
    own encryption), but with a key that AWS owns and manages.

    ## Why is this bad?
    With an AWS-owned key, anyone whose IAM policy lets them read the queue or bus reads
    the data: no key policy of yours stands between them, and no CloudTrail entry records
    each use of the key. A customer-managed key (`encrypted: true`) adds a second, separate
    grant for sensitive data, an audit trail of every decryption, and the power to revoke
    access by disabling the key. Dead-letter queues are the classic case: they keep failed
    payloads for days, and nobody thinks of them.

    ## Example
    ```evt
    event Signup { email: string @sensitive }
    source web: app { emits: [Signup] }
    queue signups { max_receives: 3 dead_letter: signups_dlq encrypted: true }
    queue signups_dlq { retention: 14d }
    function welcome { handler: "w:h" clearance: [sensitive] }
    route web.Signup -> signups
    route signups -> welcome
    ```

    ## Use instead
    ```evt
    event Signup { email: string @sensitive }
    source web: app { emits: [Signup] }
    queue signups { max_receives: 3 dead_letter: signups_dlq encrypted: true }
    queue signups_dlq { retention: 14d encrypted: true }
    function welcome { handler: "w:h" clearance: [sensitive] }
    route web.Signup -> signups
    route signups -> welcome
    ```
    """

    code = "SEC011"
    name = "sensitive-data-without-customer-key"
    category = Category.SECURITY
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for component, events in sensitive_holders(ctx):
            if encryption.at_rest(ctx.topology, component) == encryption.AWS_OWNED:
                yield self.report(
                    component.span_of("encrypted"),
                    f"{component.keyword} '{component.name}' holds {sensitive_fields(events)} encrypted at rest "
                    "only with an AWS-owned key: no key policy of yours limits who can read it, and key use is not audited",
                    f"add `encrypted: true` to '{component.name}' (a customer-managed KMS key)",
                )
