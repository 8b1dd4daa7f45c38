"""One run of the sync: read the catalogue and Moodle, plan, apply, send the results back.

``lms_sync.cli`` parses the options and owns the terminal; everything a run decides lives
here, so the command, the tests and ``bench/sync.py`` run the very same path. A run
speaks through an :class:`Output` (text or one JSON document; the CLI's redacts tokens)
and returns the exit code: 0 everything done, 1 some resources failed (or Moodle/the
catalogue could not be reached: try again later), 2 a configuration or authentication
problem (nothing was changed after it was found).

``prepare`` (site check, feed, Moodle's state, the plan) and ``carry_out`` (the executor)
are the two halves without any printing, for callers that want the report itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from lms_sync.catalogue_client import CatalogueClient, ResultsRefused
from lms_sync.config import PackageSha1s, SyncConfig
from lms_sync.errors import SyncError
from lms_sync.executor import ActionResult, SyncReport, apply, check_site, observe
from lms_sync.models import ActionKind, MoodleState, Plan, PublishedItem
from lms_sync.moodle_client import MoodleClient
from lms_sync.planner import latest, plan
from lms_sync.remote import SiteInfo
from lms_sync.results import collect

#: Tests swap the network out: ``{"moodle": transport, "catalogue": transport}``.
TRANSPORTS: dict[str, Any] = {}


class Progress(Protocol):
    def update(self, steps: int) -> None: ...


class Output(Protocol):
    """Where a run speaks: lines of text, or (``as_json``) one document at the end."""

    as_json: bool

    def line(self, text: str = "", *, err: bool = False) -> None: ...
    def document(self, data: dict[str, Any]) -> None: ...
    def progress(self, length: int) -> AbstractContextManager[Progress]: ...


@contextmanager
def clients(config: SyncConfig) -> Iterator[tuple[MoodleClient, CatalogueClient]]:
    """Both clients as the settings say (retries, timeout), closed afterwards."""
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
    with moodle, catalogue:
        yield moodle, catalogue


@dataclass(frozen=True)
class Prepared:
    """What a run knows before it changes anything."""

    site: SiteInfo
    items: list[PublishedItem]
    state: MoodleState
    sha1s: PackageSha1s
    plan: Plan


def prepare(config: SyncConfig, moodle: MoodleClient, catalogue: CatalogueClient) -> Prepared:
    """Check the site, read the feed and Moodle's state, plan. Raises ``SyncError``."""
    site = check_site(moodle)
    items = latest(catalogue.feed())
    state = observe(moodle, items, config.mapping, config.filters)
    sha1s = PackageSha1s(config.state_dir)
    the_plan = plan(items, state, config.mapping, config.filters, sha1s.snapshot())
    return Prepared(site, items, state, sha1s, the_plan)


def carry_out(
    config: SyncConfig,
    prepared: Prepared,
    moodle: MoodleClient,
    catalogue: CatalogueClient,
    *,
    progress: Callable[[ActionResult], None] | None = None,
    hook: Callable[[str, Any], None] | None = None,
) -> SyncReport:
    """Apply the prepared plan (nothing to do is a report with no results)."""
    if prepared.plan.empty:
        return SyncReport(planned_unchanged=prepared.plan.unchanged)
    return apply(
        prepared.plan,
        moodle,
        catalogue,
        state=prepared.state,
        sha1s=prepared.sha1s,
        mapping=config.mapping,
        concurrency=config.concurrency,
        retries=config.retries,
        progress=progress,
        hook=hook,
    )


def run_sync(
    config: SyncConfig,
    output: Output,
    *,
    dry_run: bool = False,
    hook: Callable[[str, Any], None] | None = None,
    usage: str = "after",
) -> int:
    """Plan and (unless ``dry_run``) apply; say it through ``output``; the exit code.

    ``usage`` says when learners' results go to the catalogue: ``after`` the run (a
    read-only token only earns a notice), ``only`` (no plan at all; a refusal fails the
    run), or ``never``.
    """
    document: dict[str, Any] = {
        "moodle": config.moodle_url,
        "catalogue": config.catalogue_url,
        "dry_run": dry_run,
        "filters": config.filters.describe(),
    }
    with clients(config) as (moodle, catalogue):
        try:
            if usage == "only":
                site = check_site(moodle)
                return _results_only(output, document, moodle, catalogue, site)
            prepared = prepare(config, moodle, catalogue)
        except SyncError as error:
            return _stopped(output, document, error)
        the_plan = prepared.plan
        document["site"] = {"name": prepared.site.sitename, "release": prepared.site.release}
        document["plan"] = the_plan.to_json()
        _print_plan(output, config, prepared)
        if dry_run:
            output.line("Dry run: nothing was changed.")
            document["exit_code"] = 0
            if output.as_json:
                output.document(document)
            return 0
        with output.progress(len(the_plan.actions)) as bar:

            def progress(result: ActionResult) -> None:
                output.line(result.describe())
                bar.update(1)

            report = carry_out(config, prepared, moodle, catalogue, progress=progress, hook=hook)
        if usage == "after" and report.fatal is None:
            document["usage"] = _send_usage(
                output, moodle, catalogue, prepared.site, prepared.items
            )
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
    output: Output,
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
    output: Output,
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


def _stopped(output: Output, document: dict[str, Any], error: SyncError) -> int:
    """The run stopped before its plan: nothing was changed."""
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


def _print_plan(output: Output, config: SyncConfig, prepared: Prepared) -> None:
    items, the_plan = prepared.items, prepared.plan
    published = sum(1 for item in items if item.published)
    output.line(
        f"Catalogue {config.catalogue_url}: {published} published, "
        f"{len(items) - published} unpublished (filters: {config.filters.describe()})"
    )
    output.line(
        f'Moodle {config.moodle_url} ("{prepared.site.sitename}"): '
        f"{len(prepared.state.modules)} Sandyq activities"
    )
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


def _print_summary(output: Output, report: SyncReport) -> None:
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
