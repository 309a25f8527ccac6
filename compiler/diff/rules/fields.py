"""Schema rules about fields coming, going and changing type."""

from __future__ import annotations

from evtc.diff.changes import FieldChange
from evtc.diff.rules._schema import SchemaRule


class RequiredFieldRemoved(SchemaRule):
    """A field every old consumer could rely on is gone from new events.

    ## What it does
    Reports a field that was required in the old version and is missing from the new one
    (and is not a rename, which `field-renamed` reports).

    ## Why is this bad?
    Consumers built against the old schema read new events without it (forward
    compatibility): their validation fails or their code meets a missing key.

    ## Example
    ```text
    old: event OrderPlaced { order_id: string  region: string }
    new: event OrderPlaced { order_id: string }
    ```

    ## Use instead
    ```text
    new: event OrderPlaced { order_id: string  region: string @optional }   # first release
    ```
    """

    code = "CMP001"
    name = "required-field-removed"
    mode = "forward"
    kind = "removed"

    def applies(self, change: FieldChange) -> bool:
        return change.old is not None and not change.old.optional

    def message(self, event: str, change: FieldChange) -> str:
        return f"{event} no longer has the required field '{change.path}'"

    def hint(self, event: str, change: FieldChange) -> str:
        return f"keep '{change.path}' (make it @optional first), or publish a new event type"


class FieldRenamed(SchemaRule):
    """A field renamed: old consumers lose it, new consumers miss it in old events.

    ## What it does
    Reports a field that disappeared while a field of the same type appeared beside it.

    ## Why is this bad?
    For a consumer a rename is a removal plus an addition: it breaks both directions.

    ## Example
    ```text
    old: event OrderPlaced { amount: number }
    new: event OrderPlaced { total: number }
    ```

    ## Use instead
    ```text
    new: event OrderPlaced { amount: number  total: number @optional }
    ```
    """

    code = "CMP002"
    name = "field-renamed"
    mode = "both"
    kind = "renamed"

    def message(self, event: str, change: FieldChange) -> str:
        return f"{event}: {change.detail}"

    def hint(self, event: str, change: FieldChange) -> str:
        return "send both names for a release (the new one @optional), then drop the old one in a new event version"


class FieldRetyped(SchemaRule):
    """A field whose type changed.

    ## What it does
    Reports a field whose scalar type changed, or that changed between an object and a scalar.

    ## Why is this bad?
    Neither old nor new consumers can read the other version's value.

    ## Example
    ```text
    old: event OrderPlaced { amount: number }
    new: event OrderPlaced { amount: string }
    ```

    ## Use instead
    ```text
    new: event OrderPlaced { amount: number  amount_text: string @optional }
    ```
    """

    code = "CMP003"
    name = "field-retyped"
    mode = "both"
    kind = "retyped"

    def message(self, event: str, change: FieldChange) -> str:
        return f"{event}: '{change.path}' changed type ({change.detail})"

    def hint(self, event: str, change: FieldChange) -> str:
        return "add a field with the new type and keep the old one, or publish a new event type"


class ListTurnedScalar(SchemaRule):
    """A list field that became a single value, or the other way round.

    ## What it does
    Reports a field whose type went from `[T]` to `T` or from `T` to `[T]`.

    ## Why is this bad?
    Consumers iterate a list and read a scalar directly: either version breaks the other.

    ## Example
    ```text
    old: event ProductChanged { tags: [string] }
    new: event ProductChanged { tags: string }
    ```

    ## Use instead
    ```text
    new: event ProductChanged { tags: [string]  primary_tag: string @optional }
    ```
    """

    code = "CMP004"
    name = "list-turned-scalar"
    mode = "both"
    kind = "list_scalar"

    def message(self, event: str, change: FieldChange) -> str:
        return f"{event}: '{change.path}' changed between a list and a single value ({change.detail})"

    def hint(self, event: str, change: FieldChange) -> str:
        return "keep the field's shape; add a new field for the other shape"


class RequiredFieldAdded(SchemaRule):
    """A new required field, which events already sent do not have.

    ## What it does
    Reports a field added without `@optional`.

    ## Why is this bad?
    Consumers on the new schema read old events too (replays, queues still holding them,
    emitters not yet upgraded): backward compatibility fails on every one of them.

    ## Example
    ```text
    old: event OrderPlaced { order_id: string }
    new: event OrderPlaced { order_id: string  currency: string }
    ```

    ## Use instead
    ```text
    new: event OrderPlaced { order_id: string  currency: string @optional }
    ```
    """

    code = "CMP005"
    name = "required-field-added"
    mode = "backward"
    kind = "added"

    def applies(self, change: FieldChange) -> bool:
        return change.new is not None and not change.new.optional

    def message(self, event: str, change: FieldChange) -> str:
        return f"{event} has a new required field '{change.path}' that old events lack"

    def hint(self, event: str, change: FieldChange) -> str:
        return f"add '{change.path}' as @optional"
