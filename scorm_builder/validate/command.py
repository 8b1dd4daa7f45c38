"""``sandyq validate``: a thin click command over `validate_package` and `report`."""

from __future__ import annotations

from pathlib import Path

import click

from scorm_builder.validate.findings import Report
from scorm_builder.validate.messages import LANGUAGES, Lang, default_language
from scorm_builder.validate.pipeline import validate_package
from scorm_builder.validate.report import exit_code, to_json, to_text
from scorm_builder.validate.xsdcheck import SchemaUnavailableError

__all__ = ["validate_command"]

#: Exit code for a broken installation (missing XSDs), like a usage error.
ENVIRONMENT_ERROR = 2


@click.command("validate")
@click.argument(
    "packages",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
)
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
@click.option(
    "--offline",
    is_flag=True,
    help="Treat scripts, styles, fonts and media loaded from the internet as errors.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Language of the messages (default: from LANG/LC_ALL/LC_MESSAGES, else kk).",
)
@click.pass_context
def validate_command(
    ctx: click.Context, packages: tuple[Path, ...], as_json: bool, offline: bool, lang: Lang | None
) -> None:
    """Check SCORM packages (.zip): safety, manifest, XSD, references and offline readiness.

    Exit code 0 when every package is valid (warnings allowed), 1 when any package has an
    error, 2 for a usage or installation error.
    """
    language: Lang = lang or default_language()
    reports: list[Report] = []
    try:
        for package in packages:
            reports.append(validate_package(package, offline=offline))
    except SchemaUnavailableError as error:
        click.echo(f"sandyq validate: {error}", err=True)
        ctx.exit(ENVIRONMENT_ERROR)
    click.echo(to_json(reports, language) if as_json else to_text(reports, language))
    ctx.exit(exit_code(reports))
