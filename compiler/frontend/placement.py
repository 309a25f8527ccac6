"""Where a component lives: its AWS account and region (`account:`, `region:`).

Both are properties of every component but endpoints (an e-mail address or URL lives in no
account). An external component given by `arn:` lives where its ARN says; writing an
`account:` or `region:` that disagrees with it is REF019. What the stack creates lives in the
stack's one account and region (the delivery plan's `evtc.plan.accounts` checks they agree);
an `app` source in another account is a producer there, granted by resource policies here.
"""

from __future__ import annotations

import re
from dataclasses import replace

from evtc import ir
from evtc.diagnostics import Diagnostic
from evtc.frontend import codes

ACCOUNT = re.compile(r"[0-9]{12}")
REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]+")
EXAMPLE_ACCOUNT = "111122223333"
EXAMPLE_REGION = "eu-west-1"


def account_problem(value: object) -> str | None:
    """Why `value` is no AWS account ID (None: it is one)."""
    if isinstance(value, str) and ACCOUNT.fullmatch(value):
        return None
    return "an AWS account ID: twelve digits, quoted"


def region_problem(value: object) -> str | None:
    if isinstance(value, str) and REGION.fullmatch(value):
        return None
    return 'an AWS region name, quoted, like "eu-west-1"'


def of_arn(arn: str) -> tuple[str | None, str | None]:
    """The account and region an ARN names (`arn:partition:service:region:account:…`)."""
    parts = arn.split(":")
    if len(parts) < 6:
        return None, None
    return parts[4] or None, parts[3] or None


def placed(component: ir.Component) -> tuple[ir.Component, list[Diagnostic]]:
    """`component` in the account and region its ARN names, and a REF019 for each written
    `account:` or `region:` that contradicts the ARN."""
    if not component.arn:
        return component, []
    problems: list[Diagnostic] = []
    located: dict[str, str] = {}
    for key, implied in zip(("account", "region"), of_arn(component.arn)):
        written = getattr(component, key)
        if implied is None:
            continue
        if written is not None and written != implied:
            prop = component.prop(key)
            problems.append(
                codes.CONFLICTING_PLACEMENT.at(
                    prop.value_span if prop else component.span,
                    f'\'{component.name}\' is given {key} "{written}", but its ARN says "{implied}"',
                    f"remove `{key}:` (the ARN says where it lives), or correct the ARN",
                )
            )
        located[key] = implied
    return replace(component, **located), problems
