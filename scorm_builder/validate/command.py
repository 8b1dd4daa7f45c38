"""``sandyq validate``: a thin click command over `validate_package` and `report`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from scorm_builder.validate.findings import Report
from scorm_builder.validate.messages import LANGUAGES, Lang, default_language
from scorm_builder.validate.pipeline import validate_package
from scorm_builder.validate.report import exit_code, to_json, to_text
from scorm_builder.validate.xsdcheck import SchemaUnavailableError
from scorm_builder.zipsafe import DEFAULT_LIMITS, ZipLimits

__all__ = ["validate_command", "zip_limit_options", "zip_limits"]

#: Exit code for a broken installation (missing XSDs), like a usage error.
ENVIRONMENT_ERROR = 2

F = TypeVar("F", bound=Callable[..., Any])


def zip_limit_options(command: F) -> F:
    """``--zip-max-entry-bytes`` and ``--zip-max-total-bytes``: the caps on the real bytes
    a package inflates to, each also read from its ``SANDYQ_ZIP_*`` variable, so that the
    command line, the catalogue and a script all share one set of names."""
    command = click.option(
        "--zip-max-total-bytes",
        type=click.IntRange(min=1),
        envvar="SANDYQ_ZIP_MAX_TOTAL_BYTES",
        default=DEFAULT_LIMITS.max_total_size,
        show_default=True,
        help="Largest package once unpacked, in bytes (env SANDYQ_ZIP_MAX_TOTAL_BYTES).",
    )(command)
    return click.option(
        "--zip-max-entry-bytes",
        type=click.IntRange(min=1),
        envvar="SANDYQ_ZIP_MAX_ENTRY_BYTES",
        default=DEFAULT_LIMITS.max_entry_size,
        show_default=True,
        help="Largest file in a package once unpacked, in bytes (env SANDYQ_ZIP_MAX_ENTRY_BYTES).",
    )(command)


def zip_limits(max_entry_bytes: int, max_total_bytes: int) -> ZipLimits:
    """The limits of the options, over the environment's others (``SANDYQ_ZIP_MAX_ENTRIES``)."""
    return ZipLimits.from_env().with_values(
        {"max_entry_size": max_entry_bytes, "max_total_size": max_total_bytes},
        source="command line",
    )


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
@zip_limit_options
@click.pass_context
def validate_command(
    ctx: click.Context,
    packages: tuple[Path, ...],
    as_json: bool,
    offline: bool,
    lang: Lang | None,
    zip_max_entry_bytes: int,
    zip_max_total_bytes: int,
) -> None:
    """Check SCORM packages (.zip): safety, manifest, XSD, references and offline readiness.

    Exit code 0 when every package is valid (warnings allowed), 1 when any package has an
    error, 2 for a usage or installation error.
    """
    language: Lang = lang or default_language()
    limits = zip_limits(zip_max_entry_bytes, zip_max_total_bytes)
    reports: list[Report] = []
    try:
        for package in packages:
            reports.append(validate_package(package, offline=offline, limits=limits))
    except SchemaUnavailableError as error:
        click.echo(f"sandyq validate: {error}", err=True)
        ctx.exit(ENVIRONMENT_ERROR)
    click.echo(to_json(reports, language) if as_json else to_text(reports, language))
    ctx.exit(exit_code(reports))
