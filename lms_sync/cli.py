"""``sandyq sync moodle`` and ``sandyq moodle-plugins``: thin commands over the library.

The command reads the settings (``lms_sync.config``), the catalogue's feed and Moodle's
state, prints the plan (``lms_sync.planner``) and, unless ``--dry-run``, hands the same
plan to ``lms_sync.executor.apply``. Exit codes: 0 everything done, 1 some resources
failed (or Moodle/the catalogue could not be reached: try again later), 2 a configuration
or authentication problem (nothing was changed after it was found).

Nothing printed or logged carries a token: every line goes through :func:`_Output.safe`,
and the clients redact their own messages as well.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from lms_sync.catalogue_client import CatalogueClient, ResultsRefused
from lms_sync.config import ConfigError, PackageSha1s, SyncConfig, resolve
from lms_sync.errors import SyncError
from lms_sync.executor import ActionResult, SyncReport, apply, check_site, observe
from lms_sync.models import ActionKind, Plan, PublishedItem
from lms_sync.moodle import MoodleClient
from lms_sync.planner import latest, plan
from lms_sync.remote import SiteInfo
from lms_sync.results import collect

#: Tests swap the network out: ``{"moodle": transport, "catalogue": transport}``.
TRANSPORTS: dict[str, Any] = {}


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


def run_sync(
    config: SyncConfig,
    output: _Output,
    *,
    dry_run: bool = False,
    hook: Callable[[str, Any], None] | None = None,
    usage: str = "after",
) -> int:
    """Plan and (unless ``dry_run``) apply; print as ``output`` says; the exit code.

    ``usage`` says when learners' results go to the catalogue: ``after`` the run (a
    read-only token only earns a notice), ``only`` (no plan at all; a refusal fails the
    run), or ``never``.
    """
    moodle = MoodleClient(
        config.moodle_url,
        config.moodle_token,
        retries=config.retries,
        transport=TRANSPORTS.get("moodle"),
    )
    catalogue = CatalogueClient(
        config.catalogue_url,
        config.catalogue_token,
        retries=config.retries,
        timeout=config.timeout,
        transport=TRANSPORTS.get("catalogue"),
    )
    document: dict[str, Any] = {
        "moodle": config.moodle_url,
        "catalogue": config.catalogue_url,
        "dry_run": dry_run,
        "filters": config.filters.describe(),
    }
    with moodle, catalogue:
        try:
            site = check_site(moodle)
            if usage == "only":
                return _results_only(output, document, moodle, catalogue, site)
            items = latest(catalogue.feed())
            state = observe(moodle, items, config.mapping, config.filters)
        except SyncError as error:
            return _stopped(output, document, error, before_plan=True)
        sha1s = PackageSha1s(config.state_dir)
        the_plan = plan(items, state, config.mapping, config.filters, sha1s.snapshot())
        document["site"] = {"name": site.sitename, "release": site.release}
        document["plan"] = the_plan.to_json()
        _print_plan(output, config, site.sitename, items, len(state.modules), the_plan)
        if dry_run:
            output.line("Dry run: nothing was changed.")
            document["exit_code"] = 0
            if output.as_json:
                output.document(document)
            return 0
        report = _apply(output, config, the_plan, moodle, catalogue, state, sha1s, hook)
        if usage == "after" and report.fatal is None:
            document["usage"] = _send_usage(output, moodle, catalogue, site, items)
    document.update(report.to_json())
    code = report.exit_code
    if report.fatal is not None:
        document["error"] = {"type": type(report.fatal).__name__, "message": str(report.fatal)}
        output.line(f"error: the sync stopped: {report.fatal}", err=True)
    document["exit_code"] = code
    _print_summary(output, report)
    if output.as_json:
        output.document(document)
    return code


def _send_usage(
    output: _Output,
    moodle: MoodleClient,
    catalogue: CatalogueClient,
    site: SiteInfo,
    items: list[PublishedItem] | None = None,
) -> dict[str, Any]:
    """Report learners' use to the catalogue; never fails the run, says what happened."""
    if "local_sandyq_get_results" not in site.functions:
        message = (
            "this Moodle's local_sandyq plugin has no local_sandyq_get_results: upgrade it "
            "(sandyq moodle-plugins, then Site administration > Notifications)"
        )
        output.line(f"Results not sent: {message}", err=True)
        return {"sent": False, "error": message}
    try:
        known = items if items is not None else catalogue.feed()
        usage = collect(moodle, site, {item.uuid for item in known})
        answer = catalogue.put_usage(usage.to_json())
    except ResultsRefused as refused:
        output.line(f"Results not sent: {refused}", err=True)
        return {"sent": False, "error": str(refused)}
    except SyncError as error:
        output.line(f"Results not sent: {error}; the next run sends them", err=True)
        return {"sent": False, "error": str(error)}
    learners = sum(use.learners for use in usage.activities)
    output.line(
        f"Results: {len(usage.activities)} activities, {learners} learners, sent to the "
        f"catalogue for {usage.period}."
    )
    return {"sent": True, "period": usage.period, "activities": len(usage.activities),
            "learners": learners, "stored": answer.get("stored")}  # fmt: skip


def _results_only(
    output: _Output,
    document: dict[str, Any],
    moodle: MoodleClient,
    catalogue: CatalogueClient,
    site: SiteInfo,
) -> int:
    document["site"] = {"name": site.sitename, "release": site.release}
    document["usage"] = _send_usage(output, moodle, catalogue, site)
    code = 0 if document["usage"]["sent"] else 1
    document["exit_code"] = code
    if output.as_json:
        output.document(document)
    return code


def _stopped(
    output: _Output, document: dict[str, Any], error: SyncError, *, before_plan: bool
) -> int:
    code = 2 if error.fatal else 1
    document["error"] = {"type": type(error).__name__, "message": str(error)}
    document["exit_code"] = code
    if output.as_json:
        output.document(document)
    else:
        hint = "" if error.fatal else " (nothing was changed; try again later)"
        output.line(f"error: {error}{hint}", err=True)
    return code


_PLAN_WORDS = {
    ActionKind.CREATE_CATEGORY: "categories to create",
    ActionKind.CREATE_COURSE: "courses to create",
    ActionKind.ADD_SCORM: "SCORM activities to add",
    ActionKind.UPDATE_PACKAGE: "packages to update",
    ActionKind.HIDE: "to hide (unpublished)",
    ActionKind.SHOW: "to show again",
    ActionKind.RENAME: "to rename",
}
_MARKS = {
    ActionKind.CREATE_CATEGORY: "+",
    ActionKind.CREATE_COURSE: "+",
    ActionKind.ADD_SCORM: "+",
    ActionKind.UPDATE_PACKAGE: "~",
    ActionKind.HIDE: "-",
    ActionKind.SHOW: "^",
    ActionKind.RENAME: "=",
}


def _print_plan(
    output: _Output,
    config: SyncConfig,
    sitename: str,
    items: list[PublishedItem],
    modules: int,
    the_plan: Plan,
) -> None:
    published = sum(1 for item in items if item.published)
    output.line(
        f"Catalogue {config.catalogue_url}: {published} published, "
        f"{len(items) - published} unpublished (filters: {config.filters.describe()})"
    )
    output.line(f'Moodle {config.moodle_url} ("{sitename}"): {modules} Sandyq activities')
    if the_plan.empty:
        output.line(f"Plan: nothing to do ({the_plan.unchanged} up to date).")
        return
    counts = ", ".join(
        f"{the_plan.count(kind)} {words}"
        for kind, words in _PLAN_WORDS.items()
        if the_plan.count(kind)
    )
    output.line(f"Plan: {counts}; {the_plan.unchanged} up to date.")
    for action in the_plan.actions:
        output.line(f"  {_MARKS[action.kind]} {action.describe()}")


def _apply(
    output: _Output,
    config: SyncConfig,
    the_plan: Plan,
    moodle: MoodleClient,
    catalogue: CatalogueClient,
    state: Any,
    sha1s: PackageSha1s,
    hook: Callable[[str, Any], None] | None,
) -> SyncReport:
    if the_plan.empty:
        return SyncReport(planned_unchanged=the_plan.unchanged)
    show_bar = not output.as_json and sys.stderr.isatty()
    with _bar(len(the_plan.actions)) if show_bar else _no_bar() as bar:

        def progress(result: ActionResult) -> None:
            output.line(result.describe())
            bar.update(1)

        return apply(
            the_plan,
            moodle,
            catalogue,
            state=state,
            sha1s=sha1s,
            mapping=config.mapping,
            concurrency=config.concurrency,
            retries=config.retries,
            progress=progress,
            hook=hook,
        )


class _NoBar:
    def update(self, steps: int) -> None:
        pass


@contextmanager
def _no_bar() -> Iterator[Any]:
    yield _NoBar()


@contextmanager
def _bar(length: int) -> Iterator[Any]:
    with click.progressbar(length=length, label="Syncing", file=sys.stderr, show_pos=True) as bar:
        yield bar


def _print_summary(output: _Output, report: SyncReport) -> None:
    summary = report.summary()
    megabytes = report.uploaded_bytes / 1_000_000
    output.line(
        f"Done in {report.seconds:.1f} s: {summary['add_scorm']} added, "
        f"{summary['update_package']} updated, {summary['hide']} hidden, "
        f"{summary['show']} shown, {summary['rename']} renamed; "
        f"{summary['create_category']} categories and "
        f"{summary['create_course']} courses created; {summary['unchanged']} already right; "
        f"{summary['failed']} failed; {report.uploads} uploads ({megabytes:.1f} MB)."
    )
    for failure in report.failed:
        output.line(failure.describe(), err=True)


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
