"""``sandyq validate`` (being written)."""

import click


@click.command("validate")
def validate_command() -> None:
    """Check SCORM packages."""
    raise click.UsageError("not ready yet")
