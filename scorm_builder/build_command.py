"""``sandyq build``: a course folder into a SCORM package."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import click

from scorm_builder.build import build_package
from scorm_builder.errors import ScormError
from scorm_builder.model import Edition, ScormVersion


@click.command("build")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the zip.",
)
@click.option(
    "--scorm", type=click.Choice(["1.2", "2004"]), help="SCORM version (wins over course.toml)."
)
@click.option(
    "--edition", type=click.Choice(["3", "4"]), help="SCORM 2004 edition (wins over course.toml)."
)
def build_command(
    source: Path, output: Path | None, scorm: str | None, edition: str | None
) -> None:
    """Build a SCORM package from SOURCE, a folder holding course.toml."""
    try:
        result = build_package(
            source,
            output,
            scorm=cast(ScormVersion | None, scorm),
            edition=cast(Edition | None, int(edition) if edition else None),
        )
    except ScormError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(1) from None
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(
        f"{result.output}: {result.label}, {len(result.course.parts)} parts, "
        f"{result.file_count} files, {result.size / 1024:.0f} KB"
    )
