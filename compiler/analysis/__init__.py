"""Path guarantees: what each path from an emitter to a consumer guarantees (ordering,
delivery, durability, confidentiality, payload), computed once per compilation.

>>> from evtc.frontend import compile_file
>>> facts = analyze(compile_file("examples/orders.evt"))
>>> billing = facts.flows[("checkout", "OrderPlaced")].reach["function:billing"]
>>> billing.via, billing.order_key
(('checkout', 'order_log', 'billing'), 'order_id')
"""

from __future__ import annotations

import weakref

from evtc.analysis.model import Analysis, Break, Drop, Flow, Hop, PathFacts, Size
from evtc.analysis.paths import analyze_graph
from evtc.frontend import Compilation
from evtc.plan import plan_of
from evtc.util.gcpause import collector_paused

# NOTE: keyed by identity, not equality: hashing a whole compilation would cost more
# than the analysis. The entry goes away with the compilation.
_CACHE: dict[int, Analysis] = {}


def analyze(compilation: Compilation) -> Analysis:
    """The analysis of `compilation`, computed on first use and shared by every caller."""
    key = id(compilation)
    found = _CACHE.get(key)
    if found is None:
        with collector_paused():
            found = analyze_graph(compilation.graph, plan_of(compilation))
        _CACHE[key] = found
        weakref.finalize(compilation, _CACHE.pop, key, None)
    return found


__all__ = ["Analysis", "Break", "Drop", "Flow", "Hop", "PathFacts", "Size", "analyze", "collector_paused"]
