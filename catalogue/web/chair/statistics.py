"""The statistics page for the council chair and administrators: how many resources there
are by state, subject, grade and language, how long each review stage takes, and the
downloads per month.

The numbers come from ``catalogue.services.stats`` as the API serves them; this module only
puts them in the visitor's language (state and subject names, month names, decimal marks)
and order, and hands them to ``charts`` and the tables beside the charts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import Blueprint, render_template, request
from flask_babel import format_date, format_decimal, gettext, lazy_gettext, ngettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup

from catalogue.models import Role, State
from catalogue.services import stats as service
from catalogue.web.common import charts
from catalogue.web.common.charts import Bar
from catalogue.web.common.labels import LANGUAGES, STATES, grade_name, subject_name
from catalogue.web.common.pages import roles

bp = Blueprint("statistics", __name__)

#: The periods the downloads chart offers, in months; the first one the page opens with.
PERIODS = (12, 6, 24, 36)

#: Which resources the subject, grade and language counts are over; the first is the default.
SCOPES: dict[str, LazyString] = {
    "published": lazy_gettext("Published resources (what the public sees)"),
    "all": lazy_gettext("All resources, drafts and reviews included"),
}

STAGE_NAMES: dict[str, LazyString] = {
    "submitted_to_under_review": lazy_gettext("From submission to the start of review"),
    "under_review_to_decision": lazy_gettext("From the start of review to the decision"),
    "revision_requested_to_resubmitted": lazy_gettext("From a revision request to resubmission"),
    "approved_to_published": lazy_gettext("From approval to publication"),
}


@dataclass(frozen=True)
class Chart:
    """A chart (empty markup when there is nothing to draw) and the rows (name, number) of
    the table that repeats its numbers."""

    svg: Markup
    rows: list[tuple[str, float]]


@dataclass(frozen=True)
class StageRow:
    label: str
    median_days: float | None
    count: int


@bp.get("/statistics")
@roles(Role.CHAIR, Role.ADMIN)
def overview() -> str:
    months = period_asked()
    scope = scope_asked()
    counts = service.resource_counts(published_only=scope == "published")
    stages = stage_rows(service.review_turnaround())
    window = last_months(months, today())
    downloads = month_bars(service.monthly_downloads(), window)
    return render_template(
        "statistics/overview.html",
        total=counts.total,
        scope=scope,
        scopes=[(key, str(name)) for key, name in SCOPES.items()],
        by_state=_bars_chart("chart-states", gettext("Resources by state"), state_bars(counts)),
        by_subject=_bars_chart(
            "chart-subjects", gettext("Resources by subject"), subject_bars(counts.by_subject)
        ),
        by_grade=_bars_chart("chart-grades", gettext("Resources by grade"), grade_bars(counts)),
        by_language=_bars_chart(
            "chart-languages", gettext("Resources by language"), language_bars(counts)
        ),
        stages=stages,
        turnaround=_turnaround_chart(stages),
        downloads=_downloads_chart(downloads, window),
        downloads_total=sum(int(bar.value) for bar in downloads),
        months=months,
        periods=[(n, period_name(n)) for n in sorted(PERIODS)],
        number=number,
    )


# ---- the numbers, in the visitor's words and order -----------------------------------------


def number(value: float) -> str:
    """A count or a number of days with the locale's digit grouping and decimal mark."""
    return str(format_decimal(value, format="#,##0.##"))


def period_name(months: int) -> str:
    return str(ngettext("Last %(num)d month", "Last %(num)d months", months))


def scope_asked() -> str:
    """Which resources the counts are over: the published ones unless all were asked for."""
    asked = request.args.get("count", "")
    return asked if asked in SCOPES else next(iter(SCOPES))


def period_asked() -> int:
    """The period the visitor chose, or the default for anything else."""
    asked = request.args.get("months", type=int)
    return asked if asked in PERIODS else PERIODS[0]


def today() -> date:
    return datetime.now(UTC).date()


def state_bars(counts: service.ResourceCounts) -> list[Bar]:
    """Every state in workflow order, zeros included: an empty queue is news too."""
    if not counts.total:
        return []
    return [Bar(str(STATES[state]), counts.by_state.get(state.value, 0)) for state in State]


def subject_bars(by_subject: Mapping[str, int]) -> list[Bar]:
    """The most frequent subject first; a resource without one is counted as such."""
    bars = [
        Bar(subject_name(code) if code else gettext("No subject given"), n)
        for code, n in by_subject.items()
    ]
    return sorted(bars, key=lambda bar: (-bar.value, bar.label))


def grade_bars(counts: service.ResourceCounts) -> list[Bar]:
    return [
        Bar(grade_name(int(grade)), n)
        for grade, n in sorted(counts.by_grade.items(), key=lambda item: int(item[0]))
    ]


def language_bars(counts: service.ResourceCounts) -> list[Bar]:
    bars = [
        Bar(str(LANGUAGES[code]) if code in LANGUAGES else code or gettext("Not given"), n)
        for code, n in counts.by_language.items()
    ]
    return sorted(bars, key=lambda bar: (-bar.value, bar.label))


def stage_rows(found: Mapping[str, service.Turnaround]) -> list[StageRow]:
    """The stages in the order a resource goes through them, as the service lists them."""
    return [
        StageRow(str(STAGE_NAMES.get(name, name)), stage.median_days, stage.count)
        for name, stage in found.items()
    ]


def last_months(count: int, until: date) -> list[date]:
    """The first days of the ``count`` months ending with ``until``'s, oldest first."""
    index = until.year * 12 + until.month - 1
    return [
        date((index - back) // 12, (index - back) % 12 + 1, 1) for back in range(count - 1, -1, -1)
    ]


def month_bars(rows: Iterable[service.MonthlyDownloads], months: list[date]) -> list[Bar]:
    """Downloads of every resource added up per month; a month without any counts zero."""
    per_month: Counter[str] = Counter()
    for row in rows:
        per_month[row.month] += row.downloads
    return [
        Bar(
            str(format_date(month, "LLL")),
            per_month[f"{month:%Y-%m}"],
            note=str(month.year),
        )
        for month in months
    ]


# ---- charts ------------------------------------------------------------------------------


def _bars_chart(chart_id: str, title: str, bars: list[Bar]) -> Chart:
    description = gettext("Bar chart; the table next to it gives the same numbers.")
    svg = charts.bar_chart(
        bars, chart_id=chart_id, title=title, description=description, number=number
    )
    return Chart(svg, [(bar.label, bar.value) for bar in bars])


def _turnaround_chart(stages: list[StageRow]) -> Chart:
    """Every stage the table lists, in the same order; one never completed says so. Nothing
    to draw until some stage has been completed."""
    if all(row.median_days is None for row in stages):
        return Chart(Markup(""), [])
    bars = [
        Bar(row.label, row.median_days or 0.0, missing="" if row.median_days is not None
            else gettext("none yet"))
        for row in stages
    ]  # fmt: skip
    svg = charts.bar_chart(
        bars,
        chart_id="chart-turnaround",
        title=gettext("Median days per review stage"),
        description=gettext(
            "Bar chart of the median number of days each review stage took; the table "
            "next to it gives the same numbers and how many times each stage was completed."
        ),
        unit=gettext("days"),
        number=number,
        fill=charts.GREEN,
    )
    return Chart(svg, [(bar.label, bar.value) for bar in bars])


def _downloads_chart(bars: list[Bar], window: list[date]) -> Chart:
    """Nothing to draw when nobody downloaded anything in the period; the table names
    each month in full."""
    rows = [
        (str(format_date(month, "LLLL yyyy")), bar.value)
        for month, bar in zip(window, bars, strict=True)
    ]
    if not any(bar.value for bar in bars):
        return Chart(Markup(""), rows)
    months = len(window)
    svg = charts.column_chart(
        bars,
        chart_id="chart-downloads",
        title=ngettext(
            "Downloads per month over the last %(num)d month",
            "Downloads per month over the last %(num)d months",
            months,
        ),
        description=gettext("Column chart; the table next to it gives the same numbers."),
        unit=gettext("Downloads"),
        number=number,
        fill=charts.BLUE,
    )
    return Chart(svg, rows)
