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
    event ImageUploaded { bucket: string key: string }
    source uploads: s3 { bucket: "images" emits: [ImageUploaded] payload: notification }
    queue failures { retention: 14d }
    topic images {}
    function thumbs { handler: "thumbs:make" reads: [uploads] }
    function scan { handler: "scan:handle" reads: [uploads] }
    function index { handler: "index:add" reads: [uploads] }
    function audit { handler: "audit:record" reads: [uploads] }
    route uploads.ImageUploaded -> images
    route images -> thumbs { dead_letter: failures }
    route images -> scan { dead_letter: failures }
    route images -> index { dead_letter: failures }
    route images -> audit { dead_letter: failures }
    ```

    ## Use instead
    ```evt
    event ImageUploaded { bucket: string key: string }
    event ImageExtracted { key: string width: number height: number }   # the data itself
    source uploads: s3 { bucket: "images" emits: [ImageUploaded] payload: notification }
    queue failures { retention: 14d }
    topic images {}
    function extract { handler: "extract:run" reads: [uploads] emits: [ImageExtracted] }
    function thumbs { handler: "thumbs:make" }
    function scan { handler: "scan:handle" }
    function index { handler: "index:add" }
    function audit { handler: "audit:record" }
    route uploads.ImageUploaded -> extract { dead_letter: failures }
    route extract.ImageExtracted -> images
    route images -> thumbs { dead_letter: failures }
    route images -> scan { dead_letter: failures }
    route images -> index { dead_letter: failures }
    route images -> audit { dead_letter: failures }
    ```
    """

    code = "SEC006"
    name = "read-back-amplification"
    category = Category.SECURITY
    moves_with_text = True
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
