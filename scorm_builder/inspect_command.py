"""``sandyq inspect``: a readable summary of any SCORM package."""

from __future__ import annotations

import json
from pathlib import Path

import click

from scorm_builder.inspect import format_summary, inspect_package, summary_json
from scorm_builder.validate.command import zip_limit_options, zip_limits


@click.command("inspect")
@click.argument(
    "packages",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
@zip_limit_options
def inspect_command(
    packages: tuple[Path, ...], as_json: bool, zip_max_entry_bytes: int, zip_max_total_bytes: int
) -> None:
    """Summarise SCORM PACKAGES: version, SCOs, files, metadata, what they report.

    A package is read exactly as ``sandyq validate`` reads it (every entry inflated once
    under the limits); what is wrong with it is listed as problems, never raised.
    """
    limits = zip_limits(zip_max_entry_bytes, zip_max_total_bytes)
    summaries = [inspect_package(path, limits=limits) for path in packages]
    if as_json:
        click.echo(json.dumps([summary_json(s) for s in summaries], ensure_ascii=False, indent=2))
        return
    click.echo("\n\n".join(format_summary(summary) for summary in summaries))
