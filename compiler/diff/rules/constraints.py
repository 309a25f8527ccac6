"""Schema rules about what a field promises: presence, bounds, data classification."""

from __future__ import annotations

from evtc.diagnostics import Category, Severity
from evtc.diff.changes import FieldChange
from evtc.diff.rules._schema import SchemaRule


class FieldMadeRequired(SchemaRule):
    """An `@optional` field that is now required.

    ## What it does
    Reports a field that lost its `@optional`.

    ## Why is this bad?
    Old events may lack it; consumers on the new schema reject them (backward).

    ## Example
    ```text
    old: event OrderPlaced { coupon: string @optional }
    new: event OrderPlaced { coupon: string }
    ```

    ## Use instead
    ```text
    new: event OrderPlaced { coupon: string @optional }
    ```
    """

    code = "CMP006"
    name = "field-made-required"
    mode = "backward"
    kind = "required"

    def message(self, event: str, change: FieldChange) -> str:
        return f"{event}: '{change.path}' is now required, but old events may lack it"

    def hint(self, event: str, change: FieldChange) -> str:
        return f"keep '{change.path}' @optional"


class FieldMadeOptional(SchemaRule):
    """A required field that is now `@optional`.

    ## What it does
    Reports a field that gained `@optional`.

    ## Why is this bad?
    Consumers on the old schema count on it being there; new events may omit it (forward).

    ## Example
    ```text
    old: event OrderPlaced { region: string }
    new: event OrderPlaced { region: string @optional }
    ```

    ## Use instead
    ```text
    new: event OrderPlaced { region: string }
    ```
    """

    code = "CMP007"
    name = "field-made-optional"
    mode = "forward"
    kind = "optional"

    def message(self, event: str, change: FieldChange) -> str:
        return f"{event}: '{change.path}' is now @optional; consumers of the old schema require it"

    def hint(self, event: str, change: FieldChange) -> str:
        return "keep sending it until every consumer tolerates its absence"


class LimitNarrowed(SchemaRule):
    """A `@maxlen` or `@maxitems` that is lower than before (or new).

    ## What it does
    Reports a bound that got stricter.

    ## Why is this bad?
    Old events within the old bound can exceed the new one: consumers validating with the
    new schema reject them (backward).

    ## Example
    ```text
    old: event Note { text: string @maxlen(2000) }
    new: event Note { text: string @maxlen(200) }
    ```

    ## Use instead
    ```text
    new: event Note { text: string @maxlen(2000) }
    ```
    """

    code = "CMP008"
    name = "limit-narrowed"
    mode = "backward"
    kind = "narrowed"

    def message(self, event: str, change: FieldChange) -> str:
        return f"{event}: '{change.path}' is bounded more tightly ({change.detail})"

    def hint(self, event: str, change: FieldChange) -> str:
        return "keep the old bound, or publish a new event type"


class LimitWidened(SchemaRule):
    """A `@maxlen` or `@maxitems` that is higher than before (or gone).

    ## What it does
    Reports a bound that got looser.

    ## Why is this bad?
    Consumers on the old schema size buffers and columns by the old bound; new events can
    exceed it (forward).

    ## Example
    ```text
    old: event Note { text: string @maxlen(200) }
    new: event Note { text: string @maxlen(2000) }
    ```

    ## Use instead
    ```text
    new: event Note { text: string @maxlen(200)  long_text: string @optional @maxlen(2000) }
    ```
    """

    code = "CMP009"
    name = "limit-widened"
    mode = "forward"
    severity = Severity.WARNING
    kind = "widened"

    def message(self, event: str, change: FieldChange) -> str:
        return f"{event}: '{change.path}' may now be larger ({change.detail})"

    def hint(self, event: str, change: FieldChange) -> str:
        return "tell the consumers, or keep the old bound"


class SensitiveDropped(SchemaRule):
    """A field that lost `@sensitive`: a data-classification downgrade.

    ## What it does
    Reports a field that was `@sensitive` and is not any more.

    ## Why is this bad?
    `check` then no longer requires encryption on its path nor clearance of its
    consumers: customer data can flow to uncleared consumers and unencrypted stores. It is
    a security decision and must be reviewed as one, in every compatibility mode.

    ## Example
    ```text
    old: event OrderPlaced { customer_email: string @sensitive }
    new: event OrderPlaced { customer_email: string }
    ```

    ## Use instead
    ```text
    new: event OrderPlaced { customer_email: string @sensitive }
    ```
    """

    code = "CMP010"
    name = "sensitive-dropped"
    mode = "always"
    category = Category.SECURITY
    kind = "unsensitive"

    def message(self, event: str, change: FieldChange) -> str:
        return f"{event}: '{change.path}' is no longer @sensitive (a data-classification downgrade)"

    def hint(self, event: str, change: FieldChange) -> str:
        return "keep @sensitive, or have the data owner approve the downgrade and suppress this finding"
