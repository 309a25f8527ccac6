from __future__ import annotations

from collections.abc import Iterator

from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules.base import Rule, RuleContext


class FilterNotExpressible(Rule):
    """A `when` filter the router of its hop cannot express.

    ## What it does
    Compiles every route's filter to the AWS filter its hop deploys (with `evtc.filters`)
    and reports what that filter cannot say: an SNS filter policy with more than 5 keys or
    150 value combinations, an EventBridge pattern over its length limit, S3 notification
    rules other than one prefix and one suffix on the key, operators a dialect lacks.

    ## Why is this bad?
    The deployment fails, or a tool quietly deploys a looser filter and the consumer
    receives events the file says it never gets.

    ## Example
    ```evt
    event ImageUploaded { key: string }
    source uploads: s3 { bucket: "images" emits: [ImageUploaded] }
    queue scans { max_receives: 5 dead_letter: scans_dlq }
    queue scans_dlq { retention: 14d }
    function scanner { handler: "scan:handle" }
    route uploads.ImageUploaded -> scans when key startswith "a/" or key startswith "b/"
    route scans -> scanner
    ```

    ## Use instead
    ```evt
    event ImageUploaded { key: string }
    source uploads: s3 { bucket: "images" emits: [ImageUploaded] }
    queue scans { max_receives: 5 dead_letter: scans_dlq }
    queue scans_dlq { retention: 14d }
    function scanner { handler: "scan:handle" }
    route uploads.ImageUploaded -> scans
    route scans -> scanner when key startswith "a/" or key startswith "b/"
    ```
    """

    code = "LIM003"
    name = "filter-not-expressible"
    category = Category.LIMITS
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for carriage in ctx.plan.routes.values():
            d = carriage.problem
            # NOTE: a filter that can never match is DLV009's finding (the compiler says which), not a dialect limit.
            if d is not None and d.code == self.code:
                yield self.report(d.span, d.message, d.hint, d.related)
