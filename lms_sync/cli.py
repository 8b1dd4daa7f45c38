"""``sandyq sync moodle`` and ``sandyq moodle-plugins``: thin commands over the library.

The command only parses its options into settings (``lms_sync.config``) and owns the
terminal (text or JSON, the progress bar, ``-v`` logging); the run itself (read, plan,
apply, send results) is ``lms_sync.sync.run_sync``, whose return value is the exit code:
0 everything done, 1 some resources failed (or Moodle/the catalogue could not be reached:
try again later), 2 a configuration or authentication problem (nothing was changed after
it was found).

Nothing printed or logged carries a token: every line goes through :func:`_Output.safe`,
and the clients redact their own messages as well.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from lms_sync.config import ConfigError, resolve
from lms_sync.sync import Progress, run_sync


class _Output:
    """Text or JSON, with every token replaced by ``<token>``."""

    def __init__(self, as_json: bool, secrets: tuple[str, ...] = ()) -> None:
        self.as_json = as_json
        self.secrets = secrets

    def safe(self, text: str) -> str:
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, "<token>")
        return text

    def line(self, text: str = "", *, err: bool = False) -> None:
        if not self.as_json or err:
            click.echo(self.safe(text), err=err)

    def document(self, data: dict[str, Any]) -> None:
        click.echo(self.safe(json.dumps(data, ensure_ascii=False, indent=2)))

    @contextmanager
    def progress(self, length: int) -> Iterator[Progress]:
        """A bar on stderr when it is a terminal and there is something to do."""
        if self.as_json or not length or not sys.stderr.isatty():
            yield _NoBar()
            return
        with click.progressbar(
            length=length, label="Syncing", file=sys.stderr, show_pos=True
        ) as bar:
            yield bar


class _NoBar:
    def update(self, steps: int) -> None:
        pass


class _Redact(logging.Filter):
    def __init__(self, output: _Output) -> None:
        super().__init__()
        self.output = output

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.output.safe(record.getMessage())
        record.args = None
        return True


@click.group("sync", context_settings={"help_option_names": ["-h", "--help"]})
def sync_group() -> None:
    """Push the catalogue's published packages into an LMS."""


def _words(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(word for value in values for word in value.replace(",", " ").split())


@sync_group.command("moodle")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="TOML settings [default: ~/.config/sandyq/sync.toml].",
)
@click.option(
    "--moodle-url",
    envvar="SANDYQ_MOODLE_URL",
    show_envvar=True,
    help="The Moodle site's address (its wwwroot).",
)
@click.option(
    "--moodle-token",
    envvar="SANDYQ_MOODLE_TOKEN",
    show_envvar=True,
    help="Token for the 'Sandyq catalogue sync' service (prefer the variable).",
)
@click.option(
    "--catalogue-url",
    envvar="SANDYQ_CATALOGUE_URL",
    show_envvar=True,
    help="The catalogue's address.",
)
@click.option(
    "--catalogue-token",
    envvar="SANDYQ_CATALOGUE_TOKEN",
    show_envvar=True,
    help="A catalogue token; a read-only sync token is enough.",
)
@click.option(
    "--subject",
    "subjects",
    multiple=True,
    metavar="KEY",
    help="Only these subjects (repeat, or comma-separated): physics, chemistry ...",
)
@click.option(
    "--grade",
    "grades",
    multiple=True,
    metavar="N",
    help="Only resources for these grades (0-12, 0 for the pre-school class).",
)
@click.option(
    "--language",
    "languages",
    multiple=True,
    metavar="LANG",
    help="Only resources in these languages: kk, ru, en.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 32),
    default=None,
    help="Uploads at a time [default: 3].",
)
@click.option(
    "--state-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where the sync keeps package sha1s [default: ~/.local/state/sandyq].",
)
@click.option("--dry-run", is_flag=True, help="Print the plan and change nothing.")
@click.option(
    "--results/--no-results",
    "results",
    default=None,
    help="Only send learners' results (counts, no names) to the catalogue, or never send "
    "them [default: send them after every run].",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@click.option("-v", "--verbose", is_flag=True, help="Log each request to stderr.")
def moodle_command(
    config_path: Path | None,
    moodle_url: str | None,
    moodle_token: str | None,
    catalogue_url: str | None,
    catalogue_token: str | None,
    subjects: tuple[str, ...],
    grades: tuple[str, ...],
    languages: tuple[str, ...],
    concurrency: int | None,
    state_dir: Path | None,
    dry_run: bool,
    results: bool | None,
    as_json: bool,
    verbose: bool,
) -> None:
    """Bring Moodle in line with the catalogue: categories, courses, SCORM activities.

    Reads the published feed and Moodle's state, prints the plan, then (unless
    --dry-run) carries it out. Safe to repeat and to interrupt: a second run changes
    nothing; a killed run is finished by the next. Unpublished resources are hidden,
    never deleted. Exit codes: 0 done, 1 some resources failed, 2 configuration or
    authentication error.
    """
    secrets = tuple(t for t in (moodle_token, catalogue_token) if t)
    output = _Output(as_json, secrets)
    try:
        config = resolve(
            config_path=config_path,
            moodle_url=moodle_url,
            moodle_token=moodle_token,
            catalogue_url=catalogue_url,
            catalogue_token=catalogue_token,
            subjects=_words(subjects),
            grades=_words(grades),
            languages=_words(languages),
            concurrency=concurrency,
            state_dir=state_dir,
        )
    except ConfigError as error:
        _fail(output, error, 2)
    output.secrets = config.secrets
    usage = {None: "after", True: "only", False: "never"}[results]
    with _logging(output, verbose):
        code = run_sync(config, output, dry_run=dry_run, usage=usage)
    sys.exit(code)


def _fail(output: _Output, error: BaseException, code: int) -> Any:
    kind = type(error).__name__
    if output.as_json:
        output.document({"error": {"type": kind, "message": str(error)}, "exit_code": code})
    else:
        output.line(f"error: {error}", err=True)
    sys.exit(code)


@contextmanager
def _logging(output: _Output, verbose: bool) -> Iterator[None]:
    """With ``-v``, log requests to stderr through a handler that redacts tokens (the
    clients redact their own messages too; this catches anything else)."""
    if not verbose:
        yield
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
    handler.addFilter(_Redact(output))
    loggers = [logging.getLogger(name) for name in ("lms_sync", "httpx")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


@click.command("moodle-plugins")
@click.option(
    "-o",
    "--output",
    "target",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="Folder to write the zips into.",
)
def moodle_plugins_command(target: Path) -> None:
    """Write the Moodle plugin zips (local_sandyq ...) for Site administration >
    Plugins > Install plugins."""
    from lms_sync.plugins import write_plugin_zips

    target.mkdir(parents=True, exist_ok=True)
    for path in write_plugin_zips(target):
        click.echo(str(path))
