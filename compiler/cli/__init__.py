"""The `evtc` command line.

Each sub-command is a module of this package that defines `command` (a click command);
the group finds them by that naming convention, so adding a command touches one file.
"""

from __future__ import annotations

import importlib

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
