"""Run a topology in-process, with AWS's semantics, on a virtual clock.

>>> from evtc.local import Runtime, records, Chaos
>>> Runtime.__name__, callable(records), Chaos().calm
('Runtime', True, True)
"""

from __future__ import annotations

from evtc.envelope import Envelope, records
from evtc.targets.local.chaos import Chaos
from evtc.targets.local.handlers import HandlerError
from evtc.targets.local.ledger import Audit
from evtc.targets.local.runtime import EmitError, Runtime, TopologyError, sign

__all__ = ["Audit", "Chaos", "EmitError", "Envelope", "HandlerError", "Runtime", "TopologyError", "records", "sign"]
