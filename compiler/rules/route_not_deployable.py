from __future__ import annotations

from evtc.diagnostics import Category, Severity
from evtc.plan import ROUTE_NOT_DEPLOYABLE
from evtc.rules.base import PlanProblemRule


class RouteNotDeployable(PlanProblemRule):
    """A route between two kinds of component that no AWS mechanism connects.

    ## What it does
    Reads the delivery plan (`evtc.plan`), which decides for every route the AWS mechanism
    that carries it (an SNS subscription, an EventBridge rule, an event source mapping, a
    Pipe, a Scheduler schedule…), and reports the routes it found none for: a topic into a
    topic, a bus or a stream, anything but a topic into an endpoint, an app into a table's
    change stream, a DynamoDB table straight into a queue. It also reports a dead letter
    the delivering service cannot use: a FIFO queue behind an EventBridge rule or a
    schedule (both dead-letter to standard queues only), or a queue of the other kind
    behind an SNS subscription (a FIFO topic redrives to a FIFO queue, a standard one to a
    standard queue).

    ## Why is this bad?
    `evtc build` cannot deploy such a route, and a hand-written stack would have to invent
    a hop the file does not show. The check says so before the build does.

    ## Example
    ```evt
    topology shop
    event OrderPlaced { id: string }
    source checkout: app { emits: [OrderPlaced] }
    topic orders {}
    topic audit {}
    route checkout.OrderPlaced -> orders
    route orders -> audit
    ```

    ## Use instead
    ```evt
    topology shop
    event OrderPlaced { id: string }
    source checkout: app { emits: [OrderPlaced] }
    topic orders {}
    topic audit {}
    queue audit_feed { dead_letter: audit_dlq }
    queue audit_dlq { retention: 14d }
    endpoint auditors: email { address: "audit@example.com" }
    route checkout.OrderPlaced -> orders
    route orders -> audit_feed
    route audit_feed -> audit
    route audit -> auditors { dead_letter: audit_dlq }
    ```
    """

    code = ROUTE_NOT_DEPLOYABLE.code
    name = ROUTE_NOT_DEPLOYABLE.name
    category = Category.LIMITS
    moves_with_text = True
    severity = Severity.ERROR
