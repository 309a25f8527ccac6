from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Related, Severity
from evtc.filters import NotExpressible
from evtc.filters.dialects import s3_rules
from evtc.rules.base import Rule, RuleContext

Rules = dict[str, str]


class OverlappingS3Notifications(Rule):
    """Two notification routes on one S3 bucket whose key filters overlap.

    ## What it does
    Collects the routes out of every `s3` source, grouped by bucket (several sources may
    name the same bucket), and reports a route whose prefix/suffix rules can match the
    same object key as an earlier route's.

    ## Why is this bad?
    S3 rejects a bucket notification configuration with overlapping rules for the same
    event type ("Configuration is ambiguously defined"): the whole deployment fails.

    ## Example
    ```evt
    event ImageUploaded { key: string }
    source uploads: s3 { bucket: "images" emits: [ImageUploaded] }
    queue failures { retention: 14d }
    function scanner { handler: "scan:handle" }
    function thumbnailer { handler: "thumbs:make" }
    route uploads.ImageUploaded -> scanner when key startswith "images/" { dead_letter: failures }
    route uploads.ImageUploaded -> thumbnailer when key endswith ".png" { dead_letter: failures }
    ```

    ## Use instead
    ```evt
    event ImageUploaded { key: string }
    source uploads: s3 { bucket: "images" emits: [ImageUploaded] }
    queue failures { retention: 14d }
    function scanner { handler: "scan:handle" }
    function thumbnailer { handler: "thumbs:make" }
    topic images {}
    route uploads.ImageUploaded -> images
    route images -> scanner when key startswith "images/" { dead_letter: failures }
    route images -> thumbnailer when key endswith ".png" { dead_letter: failures }
    ```
    """

    code = "LIM005"
    name = "overlapping-s3-notifications"
    category = Category.LIMITS
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        by_bucket: dict[str, list[tuple[ir.Route, Rules]]] = {}
        for source in ctx.components(ir.Source):
            if source.kind != "s3":
                continue
            for route in ctx.graph.routes_from(source.id):
                rules = _rules(route)
                if rules is not None:
                    by_bucket.setdefault(source.bucket or source.name, []).append((route, rules))
        order = {id(r): i for i, r in enumerate(ctx.topology.routes)}  # as written, file by file
        for bucket, routes in by_bucket.items():
            yield from self._overlaps(bucket, sorted(routes, key=lambda x: order[id(x[0])]))

    def _overlaps(self, bucket: str, routes: list[tuple[ir.Route, Rules]]) -> Iterator[Diagnostic]:
        for i, (route, rules) in enumerate(routes):
            earlier = next((r for r, other in routes[:i] if _overlap(rules, other)), None)
            if earlier is not None:
                yield self.report(
                    route.span,
                    f"the notification to '{route.target}' overlaps the one to '{earlier.target}' on bucket '{bucket}', "
                    "which S3 rejects",
                    "send the bucket's notifications to one topic or queue and filter its routes instead",
                    (Related(earlier.span, f"the notification to '{earlier.target}'"),),
                )


def _rules(route: ir.Route) -> Rules | None:
    try:
        return s3_rules(route.when)
    except NotExpressible:
        return None  # LIM003 reports it


def _overlap(a: Rules, b: Rules) -> bool:
    """Can one object key match both? Prefixes overlap when one starts the other; suffixes alike."""
    pa, pb, sa, sb = a.get("prefix", ""), b.get("prefix", ""), a.get("suffix", ""), b.get("suffix", "")
    return (pa.startswith(pb) or pb.startswith(pa)) and (sa.endswith(sb) or sb.endswith(sa))
