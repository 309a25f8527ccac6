from __future__ import annotations

from evtc.diagnostics import Category, Severity
from evtc.plan.problems import STACK_IN_SEVERAL_ACCOUNTS
from evtc.rules.base import PlanProblemRule


class StackInSeveralAccounts(PlanProblemRule):
    """Components the stack creates, placed in different accounts or regions.

    ## What it does
    Reports a created component (anything not `external`, but an `app` source, which is a
    service elsewhere) whose `account:` or `region:` differs from another created
    component's.

    ## Why is this bad?
    `evtc build` emits one stack, and `pulumi up` deploys a stack to one account and region.
    A component in another account is owned there: declare it `external` (with its ARN),
    and evtc derives the resource policies that connect the two accounts.

    ## Example
    ```evt
    topology shop
    event OrderPlaced { id: string }
    source checkout: app { emits: [OrderPlaced] }
    bus orders { account: "333333333333" }
    queue audit { account: "222222222222" }
    route checkout.OrderPlaced -> orders
    route orders -> audit
    ```

    ## Use instead
    ```evt
    topology shop
    event OrderPlaced { id: string }
    source checkout: app { emits: [OrderPlaced] }
    bus orders { account: "333333333333" }
    queue audit: external { arn: "arn:aws:sqs:us-east-1:222222222222:audit" }
    route checkout.OrderPlaced -> orders
    route orders -> audit
    ```
    """

    code = STACK_IN_SEVERAL_ACCOUNTS.code
    name = STACK_IN_SEVERAL_ACCOUNTS.name
    category = Category.LIMITS
    moves_with_text = True
    severity = Severity.ERROR
