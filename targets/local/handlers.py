"""Find the handler of each function: given by the caller, or imported from `handler:`.

`handler: "handlers.billing:on_order"` names a module relative to the .evt file's folder
(as Lambda's handler setting is relative to the deployment package's root).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from evtc import ir


class HandlerError(Exception):
    """A handler cannot be found or is not callable."""


def resolve_handlers(
    topology: ir.Topology, given: Mapping[str, Callable[..., Any]], base: Path
) -> dict[str, Callable[..., Any]]:
    functions = [c for c in topology.components if isinstance(c, ir.Function)]
    unknown = sorted(set(given) - {f.name for f in functions})
    if unknown:
        names = ", ".join(sorted(f.name for f in functions)) or "none"
        raise HandlerError(f"handlers given for unknown functions {unknown}; the functions are: {names}")
    found = dict(given)
    for function in functions:
        if function.name not in found:
            # NOTE: an external function's code is its owner's: locally it only receives
            found[function.name] = _accept if function.external else load_handler(function, base)
    return found


def load_handler(function: ir.Function, base: Path) -> Callable[..., Any]:
    module_name, _, attribute = function.handler.partition(":")
    if not module_name or not attribute:
        raise HandlerError(f"function '{function.name}': handler {function.handler!r} is not 'module.path:callable'")
    module = _import(module_name, base, function.name)
    handler = getattr(module, attribute, None)
    if not callable(handler):
        raise HandlerError(f"function '{function.name}': {module_name} has no callable {attribute!r}")
    return handler  # type: ignore[no-any-return]


def _import(module_name: str, base: Path, function: str) -> Any:
    folder = str(base.resolve())
    added = folder not in sys.path
    if added:
        sys.path.insert(0, folder)
    try:
        return importlib.import_module(module_name)
    except Exception as error:  # noqa: BLE001 - any import-time failure is the user's, as a message
        raise HandlerError(
            f"function '{function}': cannot import {module_name} from {folder}: {type(error).__name__}: {error}"
        ) from None
    finally:
        if added:
            sys.path.remove(folder)


def _accept(event: Any, context: Any) -> None:
    """Stands in for an external function: takes every event (see `Runtime.deliveries`)."""
