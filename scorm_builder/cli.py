"""The ``sandyq`` command line: one click group, one module per area.

Exit codes everywhere: 0 ok, 1 the input is invalid (findings printed), 2 usage or
environment error (click's own ``UsageError`` exits 2 as well).
"""

from __future__ import annotations

from importlib.metadata import entry_points

import click

from scorm_builder import __version__
from scorm_builder.build_command import build_command
from scorm_builder.inspect_command import inspect_command
from scorm_builder.validate.command import validate_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sandyq")
def main() -> None:
    """Sandyq: teachers' lessons into SCORM packages, checked and ready for any LMS."""


main.add_command(build_command)
main.add_command(validate_command)
main.add_command(inspect_command)


def _plugin_commands() -> None:
    """Commands other parts of Sandyq add (``sandyq serve`` ...), by entry point, so the
    builder never imports them."""
    for entry in entry_points(group="sandyq.commands"):
        try:
            command = entry.load()
        except ImportError as error:  # a broken part must not take `sandyq build` down
            click.echo(f"warning: `sandyq {entry.name}` is unavailable: {error}", err=True)
            continue
        main.add_command(command, entry.name)


_plugin_commands()
