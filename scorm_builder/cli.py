"""The ``sandyq`` command line: one click group, one module per area.

Exit codes everywhere: 0 ok, 1 the input is invalid (findings printed), 2 usage or
environment error (click's own ``UsageError`` exits 2 as well), 3 a bug in Sandyq.

No command prints a traceback, whatever a stranger's file holds: the group turns the
project's errors (`ScormError`) that a command did not handle into one clear line and
exit code 1, a bad ``SANDYQ_ZIP_*`` setting or an unreadable file into exit code 2, and
anything else into "internal error" and exit code 3 (``SANDYQ_DEBUG=1`` shows the
traceback to whoever debugs it).
"""

from __future__ import annotations

import os
from importlib.metadata import EntryPoint, entry_points

import click

from scorm_builder import __version__
from scorm_builder.build_command import build_command
from scorm_builder.errors import ScormError
from scorm_builder.inspect_command import inspect_command
from scorm_builder.validate.command import validate_command
from scorm_builder.zipsafe import ZipLimitsError

#: Exit codes of `SandyqGroup.invoke` for errors no command handled itself.
INVALID_INPUT, ENVIRONMENT_ERROR, INTERNAL_ERROR = 1, 2, 3


class SandyqGroup(click.Group):
    """The builder's commands, plus those other parts of Sandyq add through the
    ``sandyq.commands`` entry points (``serve``, ``sync`` ...). Those load only when asked
    for, so ``sandyq build`` never imports the catalogue or its database drivers."""

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; an error it let through becomes a message and an exit code."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except ZipLimitsError as error:
            click.echo(f"sandyq: configuration error: {error}", err=True)
            ctx.exit(ENVIRONMENT_ERROR)
        except ScormError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(INVALID_INPUT)
        except OSError as error:
            click.echo(f"sandyq: {error.strerror or error}: {error.filename or ''}", err=True)
            ctx.exit(ENVIRONMENT_ERROR)
        except Exception as error:
            if os.environ.get("SANDYQ_DEBUG"):
                raise
            name = ctx.invoked_subcommand or "sandyq"
            click.echo(
                f"sandyq {name}: internal error ({type(error).__name__}: {error}); this is a "
                "bug in Sandyq: please report it with the file that caused it "
                "(SANDYQ_DEBUG=1 shows the details)",
                err=True,
            )
            ctx.exit(INTERNAL_ERROR)

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
