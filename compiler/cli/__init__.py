"""The `evtc` command line.

Each sub-command is a module of this package that defines `command` (a click command);
the group finds them by that naming convention, so adding a command touches one file.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import os
import sys
import threading
from typing import NoReturn

import click

from evtc import __version__


class _CommandPackage(click.Group):
    """A click group whose commands are the modules of `evtc.cli`, imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        import pkgutil

        names = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
        return sorted(name.replace("_", "-") for name in names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = f"{__name__}.{cmd_name.replace('-', '_')}"
        if cmd_name.startswith(("_", ".")) or "." in cmd_name:
            return None
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise  # NOTE: a command whose own import fails must say so, not vanish
            return None
        return getattr(module, "command", None)


@click.group(cls=_CommandPackage, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="evtc")
def main() -> None:
    """evtc: compile and check event-driven architectures written in .evt files."""


def run() -> NoReturn:
    """The `evtc` console command: `main`, in a process tuned for a short life.

    NOTE: the cyclic garbage collector is off for the whole process: the IR is acyclic, the
    heavy stages already pause it, and it cost a twentieth of a cold `evtc check` rescanning
    freshly imported modules. The exit skips the interpreter's teardown of every module and
    object (a tenth of a cold check; mypy exits the same way) after doing what a normal exit
    must: output flushed, `atexit` handlers run (coverage, plugins), other threads joined.
    """
    gc.disable()
    try:
        main()
        code: object = 0
    except SystemExit as exiting:
        code = exiting.code
    _exit(code)


def _exit(code: object) -> NoReturn:
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): printed, status 1
        print(code, file=sys.stderr)
        status = 1
    if threading.active_count() > 1:
        sys.exit(status)  # NOTE: a normal exit waits for non-daemon threads; keep that
    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_handlers is None:  # NOTE: private in CPython; elsewhere exit normally
        sys.exit(status)
    run_handlers()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # e.g. `evtc check … | head`: Python's own exit reports 120 then
        status = 120
    os._exit(status)
