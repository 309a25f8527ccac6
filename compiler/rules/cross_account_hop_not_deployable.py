from __future__ import annotations

from evtc.diagnostics import Category, Severity
from evtc.plan.problems import CROSS_ACCOUNT_HOP
from evtc.rules.base import PlanProblemRule


class CrossAccountHopNotDeployable(PlanProblemRule):
    """A route between accounts or regions that AWS cannot carry as written.

    ## What it does
    Reads the delivery plan's account placement (`evtc.plan.accounts`) and reports hops that
    cross an account or region boundary in a way no AWS mechanism supports: an EventBridge
    rule delivering to a queue, topic, stream or function in another account *and* another
    region (EventBridge delivers to such targets in other accounts only within its region;
    buses deliver across both), a rule on another account's bus whose target is not a bus
    (another account may add only buses as targets there), an event source mapping or
    rule reaching a store or function in another region, and an external component in
    another account known only by `name:` (no lookup reaches another account).

    ## Why is this bad?
    `evtc build` would emit a rule or mapping that AWS refuses at deploy time, or that
    never delivers. AWS's answer is a bus in the other account or region: route into it,
    and from it to the target.

    ## Example
    ```evt
    topology shop
    event OrderPlaced { id: string }
    source checkout: app { emits: [OrderPlaced] }
    bus orders { account: "333333333333" region: "us-east-1" }
    queue audit: external { arn: "arn:aws:sqs:eu-west-1:222222222222:audit" }
    route checkout.OrderPlaced -> orders
    route orders -> audit
    ```

    ## Use instead
    ```evt
    topology shop
    event OrderPlaced { id: string }
    source checkout: app { emits: [OrderPlaced] }
    bus orders { account: "333333333333" region: "us-east-1" }
    bus audit_bus: external { arn: "arn:aws:events:eu-west-1:222222222222:event-bus/audit" }
    route checkout.OrderPlaced -> orders
    route orders -> audit_bus
    ```
    """

    code = CROSS_ACCOUNT_HOP.code
    name = CROSS_ACCOUNT_HOP.name
    category = Category.LIMITS
    moves_with_text = True
    severity = Severity.ERROR
