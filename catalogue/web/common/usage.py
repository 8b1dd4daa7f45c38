"""The "How it is used" section of a resource's page: what Moodle sites report of their
learners' use, and offline libraries' results files tell, for the resource's authors and
the expert council only.

The numbers come from ``catalogue.services.usage``; this module decides who sees them and
puts them in the visitor's language, with a chart (``charts``) and a table of the same
numbers under it, as the statistics page pairs them. Counts only: there is no learner to
name.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from flask_babel import format_date, format_decimal, format_percent, gettext
from markupsafe import Markup

from catalogue.auth import Principal
from catalogue.models import Resource, Role
from catalogue.services import usage as service
from catalogue.services.usage import Totals
from catalogue.web.common import charts
from catalogue.web.common.charts import Bar

#: Up to this many report days the chart has a column a day; beyond, a column a month
#: (the month's last report), for the last ``CHART_MONTHS`` months.
CHART_DAYS = 31
CHART_MONTHS = 24


@dataclass(frozen=True)
class UsageRow:
    """A column of the chart, as the table under it lists it."""

    label: str
    totals: Totals


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    value: str


@dataclass(frozen=True)
class UsagePanel:
    """``latest`` is None, and the rest empty, until a school reports the resource."""

    latest: Totals | None
    facts: list[Fact]
    chart: Markup
    rows: list[UsageRow]
    monthly: bool


def may_see_usage(resource: Resource, who: Principal) -> bool:
    """The resource's authors and the council (members, chair) and administrators: how
    schools use a resource is feedback for its authors and the council's review, not a
    ranking for the public."""
    user = who.user
    if user is None or who.token is not None:
        return False
    return user.id in resource.author_ids or who.has_role(Role.REVIEWER, Role.CHAIR, Role.ADMIN)


def usage_panel(resource: Resource) -> UsagePanel:
    days = list(service.summary(resource).days)
    points, monthly = chart_points(days)
    rows = [UsageRow(str(format_date(t.day, "long")), t) for t in points]
    latest = days[-1] if days else None
    return UsagePanel(
        latest=latest,
        facts=facts(latest) if latest is not None else [],
        chart=_chart(points, monthly),
        rows=rows,
        monthly=monthly,
    )


def facts(latest: Totals) -> list[Fact]:
    score = latest.score_mean
    rate = latest.completion_rate
    offline = latest.offline_learners or latest.offline_libraries
    schools = (
        gettext("Schools (Moodle sites and offline libraries)")
        if offline
        else gettext("Schools (Moodle sites)")
    )
    learners = [Fact("learners", gettext("Learners"), number(latest.learners))]
    if offline:
        learners.append(
            Fact(
                "offline-learners",
                gettext("Of them, in offline libraries"),
                number(latest.offline_learners),
            )
        )
    return [
        Fact("schools", schools, number(latest.schools)),
        *learners,
        Fact("completed", gettext("Learners who completed"), number(latest.completed)),
        Fact(
            "completion-rate",
            gettext("Completion rate"),
            percent(rate) if rate is not None else gettext("none yet"),
        ),
        Fact("passed", gettext("Learners who passed"), number(latest.passed)),
        Fact(
            "mean-score",
            gettext("Mean score"),
            gettext("%(score)s out of 100", score=number(score))
            if score is not None
            else gettext("not reported"),
        ),
        Fact("attempts", gettext("Attempts"), number(latest.attempts)),
        Fact("last-report", gettext("Last report"), str(format_date(latest.day, "long"))),
    ]


def chart_points(days: list[Totals]) -> tuple[list[Totals], bool]:
    """The days the chart shows: every report day while there are few, else the last
    report of each month (the totals are cumulative, so a month's last day stands for it)."""
    if len(days) <= CHART_DAYS:
        return days, False
    months = groupby(days, key=lambda totals: (totals.day.year, totals.day.month))
    last_of_month = [list(same_month)[-1] for _, same_month in months]
    return last_of_month[-CHART_MONTHS:], True


def number(value: float) -> str:
    return str(format_decimal(value, format="#,##0.#"))


def percent(rate: float) -> str:
    return str(format_percent(rate, format="#,##0%"))


def _chart(points: list[Totals], monthly: bool) -> Markup:
    if not points:
        return Markup("")
    if monthly:
        bars = [Bar(str(format_date(t.day, "LLL")), t.learners, str(t.day.year)) for t in points]
    else:
        bars = [Bar(str(format_date(t.day, "d MMM")), t.learners, str(t.day.year)) for t in points]
    return charts.column_chart(
        bars,
        chart_id="chart-usage",
        title=gettext("Learners over time"),
        description=gettext(
            "Column chart of the learners who have started the resource, as the schools "
            "reported it each time; the table next to it gives the same numbers."
        ),
        unit=gettext("Learners"),
        number=number,
        fill=charts.BLUE,
    )
