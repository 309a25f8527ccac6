from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import names
from evtc.rules.base import Option, Rule, RuleContext


class ReadBackAmplification(Rule):
    """Many consumers read back the same notification source.

    ## What it does
    Counts the functions with a `reads:` grant on each source and reports a source read
    back by more than `max_readers` of them.

    ## Why is this bad?
    Every notification consumer reads the data back from the source, so each one adds the
    source's whole write traffic again as reads: with four readers, an S3 bucket serves
    five times its uploads. Past a few readers, state transfer is cheaper.

    ## Example
    ```evt
    source uploads: s3 { emits: [ImageUploaded] payload: notification }
    function thumbs { handler: "t:h" reads: [uploads] }
    function scan { handler: "s:h" reads: [uploads] }
    function index { handler: "i:h" reads: [uploads] }
    function audit { handler: "a:h" reads: [uploads] }
    ```

    ## Use instead
    ```evt
    source uploads: s3 { emits: [ImageUploaded] payload: notification }
    function extract { handler: "e:h" reads: [uploads] emits: [ImageExtracted] }
    # ImageExtracted carries the data (state transfer) to thumbs, scan, index and audit
    ```
    """

    code = "SEC006"
    name = "read-back-amplification"
    category = Category.SECURITY
    severity = Severity.WARNING
    options: ClassVar[dict[str, Option]] = {
        "max_readers": Option(3, "how many functions may read back one source before this warns")
    }

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        limit = int(ctx.options["max_readers"])
        readers: dict[str, list[str]] = {}
        for f in ctx.components(ir.Function):
            for source in dict.fromkeys(f.reads):
                readers.setdefault(source, []).append(f.name)
        for source_name, found in readers.items():
            source = ctx.topology.component(source_name)
            if source is None or len(found) <= limit:
                continue
            yield self.report(
                source.span,
                f"{len(found)} functions read back '{source_name}' ({names(found)}), multiplying its traffic by {len(found) + 1}",
                f"emit a state-transfer event once (one reader that publishes the data), or raise max_readers above {limit}",
            )
