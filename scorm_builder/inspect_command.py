"""``sandyq inspect``: a readable summary of any SCORM package."""

from __future__ import annotations

import json
from pathlib import Path

import click

from scorm_builder.inspect import format_summary, inspect_package, summary_json


@click.command("inspect")
@click.argument(
    "packages",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
def inspect_command(packages: tuple[Path, ...], as_json: bool) -> None:
    """Summarise SCORM PACKAGES: version, SCOs, files, metadata, what they report."""
    summaries = [inspect_package(path) for path in packages]
    if as_json:
        click.echo(json.dumps([summary_json(s) for s in summaries], ensure_ascii=False, indent=2))
        return
    click.echo("\n\n".join(format_summary(summary) for summary in summaries))
