from __future__ import annotations

from evtc.diagnostics import Category, Severity
from evtc.plan import SHARED_RESOURCE_CONFLICT
from evtc.rules.base import PlanProblemRule


class SharedResourceConflict(PlanProblemRule):
    """Routes that AWS carries with one resource, asking for what that resource cannot hold.

    ## What it does
    AWS keeps one SNS subscription per topic and endpoint, one event source mapping per
    store and function, and one asynchronous-invocation configuration per function. The
    delivery plan folds the routes that land on one of them into one resource and one
    filter (`$or` in a filter policy, several FilterCriteria filters); this rule reports
    routes whose settings differ where the resource holds them once (`batch_size`,
    `retries`, `dead_letter`…), or whose merged filter AWS would reject.

    ## Why is this bad?
    Only one of the settings can be deployed: the other route silently runs with
    settings the file does not give it.

    ## Example
    ```evt
    topology shop
    event OrderPlaced { id: string region: string }
    source checkout: app { emits: [OrderPlaced] }
    queue orders { dead_letter: orders_dlq }
    queue orders_dlq { retention: 14d }
    function billing { handler: "billing:handle" }
    route checkout.OrderPlaced -> orders
    route orders -> billing when region == "eu" { batch_size: 10 }
    route orders -> billing when region == "us" { batch_size: 100 }
    ```

    ## Use instead
    ```evt
    topology shop
    event OrderPlaced { id: string region: string }
    source checkout: app { emits: [OrderPlaced] }
    queue orders { dead_letter: orders_dlq }
    queue orders_dlq { retention: 14d }
    function billing { handler: "billing:handle" }
    route checkout.OrderPlaced -> orders
    route orders -> billing when region == "eu" or region == "us" { batch_size: 10 }
    ```
    """

    code = SHARED_RESOURCE_CONFLICT.code
    name = SHARED_RESOURCE_CONFLICT.name
    category = Category.LIMITS
    moves_with_text = True
    severity = Severity.ERROR
