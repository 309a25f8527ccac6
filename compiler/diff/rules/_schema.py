"""The shared shape of the schema rules: one kind of `FieldChange`, one finding each."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from evtc.diagnostics import Diagnostic, Related
from evtc.diff.base import DiffContext, DiffRule, affects
from evtc.diff.changes import FieldChange


class SchemaRule(DiffRule):
    """Reports each field change of `kind` (that `applies`) of every event in both versions."""

    kind: ClassVar[str]

    def applies(self, change: FieldChange) -> bool:
        return True

    def message(self, event: str, change: FieldChange) -> str:
        raise NotImplementedError

    def hint(self, event: str, change: FieldChange) -> str:
        raise NotImplementedError

    def check(self, ctx: DiffContext) -> Iterator[Diagnostic]:
        for event, changes in ctx.changes.items():
            consumers = sorted(set(ctx.consumers_of(event, ctx.old)) | set(ctx.consumers_of(event, ctx.new)))
            for change in changes:
                if change.kind != self.kind or not self.applies(change):
                    continue
                where = change.new or change.old
                assert where is not None
                related = (Related(change.old.span, "before"),) if change.new and change.old else ()
                yield self.report(
                    where.span,
                    self.message(event, change) + affects(consumers),
                    self.hint(event, change),
                    related,
                )
