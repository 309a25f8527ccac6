"""Run a topology in-process, with AWS's semantics, on a virtual clock.

>>> from evtc.local import Runtime, records, Chaos
>>> Runtime.__name__, callable(records), Chaos().calm
('Runtime', True, True)
"""

from __future__ import annotations

from evtc.emit import EmitError, InvalidDataError, UndeclaredEventError
from evtc.envelope import Envelope, records
from evtc.targets.local.chaos import Chaos
from evtc.targets.local.handlers import HandlerError
from evtc.targets.local.harness import signed, webhook_secrets
from evtc.targets.local.ledger import Audit
from evtc.targets.local.report import consumer_rows, event_rows, store_rows
from evtc.targets.local.runtime import Runtime, TopologyError, sign
from evtc.targets.local.webhooks import WebhookResponse

__all__ = [
    "Audit",
    "Chaos",
    "EmitError",
    "Envelope",
    "HandlerError",
    "InvalidDataError",
    "Runtime",
    "TopologyError",
    "UndeclaredEventError",
    "WebhookResponse",
    "consumer_rows",
    "event_rows",
    "records",
    "sign",
    "signed",
    "store_rows",
    "webhook_secrets",
]
