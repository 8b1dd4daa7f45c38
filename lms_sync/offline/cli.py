"""``sandyq offline export`` and ``sandyq offline update``: options in, a library out.

Exit codes: 0 done; 1 the catalogue could not be read or a package could not go on the
shelf (try again; nothing was written); 2 a setting or the output is wrong (the message
says which). Nothing printed carries the token.
"""

from __future__ import annotations

from pathlib import Path

import click

from lms_sync.catalogue_client import CatalogueClient
from lms_sync.config import ConfigError, filters_from, resolve_catalogue
from lms_sync.errors import CatalogueError
from lms_sync.offline.export import (
    Outcome,
    Selection,
    apply_difference,
    build,
    plan,
)
from lms_sync.offline.images import (
    ImageError,
    check_fits_dvd,
    iso_size_estimate,
    write_iso,
    write_zip,
)
from lms_sync.offline.library import LibraryError, read_library


def _words(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(word for value in values for word in value.replace(",", " ").split())


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(code)


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def _report(outcome: Outcome, folder: Path) -> None:
    library = outcome.library
    click.echo(
        f"{folder}: {len(library.items)} resources, {_megabytes(outcome.size)}; "
        f"{len(outcome.added)} new, {len(outcome.changed)} changed, "
        f"{len(outcome.removed)} removed"
    )
    titles = {
        item.uuid: item.titles.kk or item.titles.ru or item.titles.en for item in library.items
    }
    for word, uuids in (("new", outcome.added), ("changed", outcome.changed)):
        for uuid in uuids:
            click.echo(f"  {word}: {titles.get(uuid, uuid)}")
    for uuid in outcome.removed:
        click.echo(f"  removed: {uuid}")


catalogue_url = click.option(
    "--catalogue-url", envvar="SANDYQ_CATALOGUE_URL", show_envvar=True,
    help="The catalogue's address.",
)  # fmt: skip
catalogue_token = click.option(
    "--catalogue-token", envvar="SANDYQ_CATALOGUE_TOKEN", show_envvar=True,
    help="A catalogue token; a read-only sync token is enough.",
)  # fmt: skip
config_file = click.option(
    "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
    help="TOML settings, as for `sandyq sync moodle` [default: ~/.config/sandyq/sync.toml].",
)  # fmt: skip


@click.group("offline", context_settings={"help_option_names": ["-h", "--help"]})
def offline_group() -> None:
    """Libraries of published lessons for schools without internet (USB stick, DVD)."""


@offline_group.command("export")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True,
    help="The library's folder (made or replaced).",
)  # fmt: skip
@config_file
@catalogue_url
@catalogue_token
@click.option("--subject", "subjects", multiple=True, metavar="KEY", help="Only these subjects.")
@click.option("--grade", "grades", multiple=True, metavar="N", help="Only these grades (0-12).")
@click.option("--language", "languages", multiple=True, metavar="LANG", help="kk, ru or en.")
@click.option("--query", default="", help="Only what the catalogue's search finds for this.")
@click.option(
    "--since", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None,
    help="An earlier library: write only what changed since (apply it with `offline update"
    " LIBRARY --from`).",
)  # fmt: skip
@click.option("--zip", "as_zip", is_flag=True, help="Also write the library as one FOLDER.zip.")
@click.option("--iso", "as_iso", is_flag=True, help="Also write a DVD image FOLDER.iso.")
def export_command(
    output: Path,
    config_path: Path | None,
    catalogue_url: str | None,
    catalogue_token: str | None,
    subjects: tuple[str, ...],
    grades: tuple[str, ...],
    languages: tuple[str, ...],
    query: str,
    since: Path | None,
    as_zip: bool,
    as_iso: bool,
) -> None:
    """Write an offline library of the catalogue's published resources."""
    try:
        settings = resolve_catalogue(
            config_path=config_path, catalogue_url=catalogue_url, catalogue_token=catalogue_token
        )
        selection = Selection(
            filters_from(_words(subjects), _words(grades), _words(languages)), query.strip()
        )
        earlier = read_library(since) if since is not None else None
    except (ConfigError, LibraryError) as error:
        _fail(str(error), 2)
    if output.exists() and not (output / "library.json").exists() and any(output.iterdir()):
        _fail(f"{output} holds other files: choose an empty or new folder", 2)
    try:
        with CatalogueClient(settings.url, settings.token, timeout=settings.timeout) as client:
            the_plan = plan(client, selection, earlier)
            click.echo(
                f"{len(the_plan.items)} resources ({selection.describe()}); "
                f"{len(the_plan.fetched)} to download, {_megabytes(the_plan.download_bytes)}"
            )
            if not the_plan.items:
                _fail("nothing is published that matches: choose other subjects or grades", 2)
            if as_iso:  # the packages' zips are a floor of what they unpack to: fail early
                check_fits_dvd(iso_size_estimate(sum(i.size for i in the_plan.items), 0))
            outcome = build(
                client,
                output,
                the_plan,
                selection,
                earlier=earlier,
                earlier_folder=since,
                only_difference=since is not None,
                iso=as_iso,
                say=lambda text: click.echo(text, err=True),
            )
    except ImageError as error:
        _fail(str(error), 2)
    except (CatalogueError, LibraryError) as error:
        _fail(str(error), 1)
    except OSError as error:  # a full stick, a folder the user may not write
        _fail(f"cannot write the library in {output}: {error}; nothing was written", 2)
    _report(outcome, output)
    try:
        if as_zip:
            write_zip(output, output.with_name(output.name + ".zip"))
            click.echo(f"{output.name}.zip written")
        if as_iso:
            write_iso(output, output.with_name(output.name + ".iso"))
            click.echo(f"{output.name}.iso written")
    except (ImageError, OSError) as error:
        _fail(str(error), 2)


@offline_group.command("update")
@click.argument("library", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option(
    "--from", "difference", type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None, help="A difference written by `offline export --since` (no network).",
)  # fmt: skip
@config_file
@catalogue_url
@catalogue_token
def update_command(
    library: Path,
    difference: Path | None,
    config_path: Path | None,
    catalogue_url: str | None,
    catalogue_token: str | None,
) -> None:
    """Bring a library up to date; pupils' progress (in the browser) stays."""
    try:
        earlier = read_library(library)
    except LibraryError as error:
        _fail(str(error), 2)
    if difference is not None:
        try:
            outcome = apply_difference(library, difference)
        except LibraryError as error:
            _fail(str(error), 2)
        except OSError as error:
            _fail(f"cannot write the library in {library}: {error}; it is as it was", 2)
        _report(outcome, library)
        return
    try:
        settings = resolve_catalogue(
            config_path=config_path,
            catalogue_url=catalogue_url or earlier.catalogue,
            catalogue_token=catalogue_token,
        )
    except ConfigError as error:
        _fail(str(error), 2)
    selection = Selection.from_json(earlier.selection)  # chosen as when it was made
    try:
        with CatalogueClient(settings.url, settings.token, timeout=settings.timeout) as client:
            the_plan = plan(client, selection, earlier)
            click.echo(
                f"{len(the_plan.fetched)} to download ({_megabytes(the_plan.download_bytes)}), "
                f"{len(the_plan.removed)} to remove"
            )
            outcome = build(
                client, library, the_plan, selection, earlier=earlier, earlier_folder=library,
                say=lambda text: click.echo(text, err=True),
            )  # fmt: skip
    except (CatalogueError, LibraryError) as error:
        _fail(str(error), 1)
    except OSError as error:
        _fail(f"cannot write the library in {library}: {error}; it is as it was", 2)
    _report(outcome, library)
