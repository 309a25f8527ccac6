"""The codes of what the delivery plan finds AWS cannot deploy. Rules report them
(`evtc.rules.route_not_deployable`, `evtc.rules.shared_resource_conflict`) so they are
checked, suppressed, configured and documented like every other finding."""

from __future__ import annotations

from evtc.diagnostics import Category, Code, Severity

ROUTE_NOT_DEPLOYABLE = Code(
    "LIM010",
    "route-not-deployable",
    Category.LIMITS,
    Severity.ERROR,
    summary="a route between two kinds of component that no AWS mechanism connects",
)
SHARED_RESOURCE_CONFLICT = Code(
    "LIM011",
    "shared-resource-conflict",
    Category.LIMITS,
    Severity.ERROR,
    summary="routes that AWS carries with one resource ask for settings or filters that resource cannot hold together",
)
CROSS_ACCOUNT_HOP = Code(
    "LIM013",
    "cross-account-hop-not-deployable",
    Category.LIMITS,
    Severity.ERROR,
    summary="a route between accounts or regions that AWS cannot carry as written",
)
STACK_IN_SEVERAL_ACCOUNTS = Code(
    "LIM014",
    "stack-in-several-accounts",
    Category.LIMITS,
    Severity.ERROR,
    summary="components the stack creates placed in different accounts or regions",
)
