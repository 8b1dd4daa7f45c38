"""The ``sandyq`` command line: one click group, one module per area.

Exit codes everywhere: 0 ok, 1 the input is invalid (findings printed), 2 usage or
environment error (click's own ``UsageError`` exits 2 as well).
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

import click

from scorm_builder import __version__
from scorm_builder.build_command import build_command
from scorm_builder.inspect_command import inspect_command
from scorm_builder.validate.command import validate_command


class SandyqGroup(click.Group):
    """The builder's commands, plus those other parts of Sandyq add through the
    ``sandyq.commands`` entry points (``serve``, ``sync`` ...). Those load only when asked
    for, so ``sandyq build`` never imports the catalogue or its database drivers."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *(e.name for e in _plugins())})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is not None:
            return command
        for entry in _plugins():
            if entry.name == name:
                try:
                    loaded: click.Command = entry.load()
                except ImportError as error:  # a broken part must not take the CLI down
                    click.echo(f"warning: `sandyq {name}` is unavailable: {error}", err=True)
                    return None
                return loaded
        return None


def _plugins() -> tuple[EntryPoint, ...]:
    return tuple(entry_points(group="sandyq.commands"))


@click.group(cls=SandyqGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sandyq")
def main() -> None:
    """Sandyq: teachers' lessons into SCORM packages, checked and ready for any LMS."""


main.add_command(build_command)
main.add_command(validate_command)
main.add_command(inspect_command)
