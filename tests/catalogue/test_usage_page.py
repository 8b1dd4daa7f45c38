"""A resource's page shows how schools use it ("How it is used") to its authors and the
expert council, never to the public; Kazakh by default, on both databases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalogue.models import Role, State
from catalogue.services.usage import Totals
from catalogue.web.common.usage import CHART_MONTHS, chart_points
from tests.support.catalogue import (
    Person,
    add_resource,
    add_results_token,
    add_user,
    sample_package,
    sign_in,
)

TODAY = datetime.now(UTC).date()
HEADING_KK = "Қалай пайдаланылады"
NONE_YET_KK = "Бұл ресурсты пайдалану туралы әзірге бірде-бір мектеп хабарлаған жоқ."


@dataclass
class Scene:
    people: dict[str, Person]
    resource: str
    results: dict[str, str]


@pytest.fixture
def scene(app: Flask, tmp_path: Path) -> Scene:
    people = {
        "author": add_user(app, "avtor@mektep.kz", Role.TEACHER, name="Әлия Нұрланова"),
        "coauthor": add_user(app, "tengavtor@mektep.kz", Role.TEACHER),
        "teacher": add_user(app, "basqa@mektep.kz", Role.TEACHER),
        "council": add_user(app, "sarapshy@kenes.kz", Role.REVIEWER),
        "chair": add_user(app, "toraga@kenes.kz", Role.CHAIR),
        "admin": add_user(app, "akimshi@sandyq.kz", Role.ADMIN),
    }
    uuid = add_resource(app, people["author"], State.PUBLISHED, package=sample_package(tmp_path))
    with app.app_context():
        from catalogue.db import db
        from catalogue.models import Resource, ResourceAuthor

        resource = db.session.query(Resource).filter_by(uuid=uuid).one()
        resource.coauthor_rows.append(ResourceAuthor(user_id=people["coauthor"].id))
        db.session.commit()
    token = add_results_token(app, people["admin"])
    return Scene(people, uuid, {"Authorization": f"Bearer {token}"})


def report(client: FlaskClient, scene: Scene, *, site: str, days_ago: int, **counts: Any) -> None:
    entry = {
        "resource": scene.resource,
        "version": 1,
        "course": {"id": 7, "name": "Физика, 7-сынып"},
        "learners": 2,
        "completed": 1,
        "passed": 1,
        "attempts": 3,
        "score_mean": 70.0,
        "score_median": 70.0,
        "time_seconds": 420,
        **counts,
    }
    sent = {
        "site": {"url": site, "name": "Мектеп"},
        "period": (TODAY - timedelta(days=days_ago)).isoformat(),
        "activities": [entry],
    }
    response = client.put("/api/v1/usage", json=sent, headers=scene.results)
    assert response.status_code == 200, response.text


def resource_page(client: FlaskClient, scene: Scene, who: str | None) -> str:
    if who is not None:
        sign_in(client, scene.people[who])
    response = client.get(f"/resources/{scene.resource}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def fact(html: str, key: str) -> str:
    found = re.search(rf'<dd id="usage-{key}">([^<]*)</dd>', html)
    assert found, f"no fact {key}"
    return unescape(found.group(1)).replace("\xa0", " ")


@pytest.mark.parametrize("who", ["author", "coauthor", "council", "chair", "admin"])
def test_the_authors_and_the_council_see_how_it_is_used(
    client: FlaskClient, scene: Scene, who: str
) -> None:
    report(client, scene, site="https://moodle.school.kz", days_ago=0)
    html = resource_page(client, scene, who)
    assert HEADING_KK in html
    assert fact(html, "schools") == "1"
    assert fact(html, "learners") == "2"
    assert fact(html, "completed") == "1"
    assert fact(html, "completion-rate") == "50%"
    assert fact(html, "mean-score") == "100 баллдан 70"


@pytest.mark.parametrize("who", [None, "teacher"], ids=["anonymous", "another teacher"])
def test_nobody_else_sees_it(client: FlaskClient, scene: Scene, who: str | None) -> None:
    report(client, scene, site="https://moodle.school.kz", days_ago=0)
    html = resource_page(client, scene, who)
    assert "Ньютон заңдары" in html  # the page itself is there
    assert HEADING_KK not in html and 'id="usage"' not in html
    assert "chart-usage" not in html and "charts.css" not in html


def test_before_any_report_a_sentence_says_so(client: FlaskClient, scene: Scene) -> None:
    html = resource_page(client, scene, "author")
    assert HEADING_KK in html and NONE_YET_KK in html
    assert "chart-usage" not in html and 'id="table-usage"' not in html


def test_two_schools_over_time_with_the_chart_and_its_table(
    client: FlaskClient, scene: Scene
) -> None:
    report(client, scene, site="https://moodle.school.kz", days_ago=1)
    report(
        client,
        scene,
        site="https://moodle.aqtobe.kz",
        days_ago=0,
        learners=3,
        completed=3,
        score_mean=80.0,
    )
    html = resource_page(client, scene, "council")
    assert fact(html, "schools") == "2"
    assert fact(html, "learners") == "5"
    assert fact(html, "completion-rate") == "80%"
    assert fact(html, "mean-score") == "100 баллдан 76"
    assert NONE_YET_KK not in html
    assert re.search(r'<svg [^>]*id="chart-usage" role="img"', html)
    assert "Оқушылар саны уақыт бойынша" in html  # the chart's title and the table's caption
    table = html[html.index('id="table-usage"') : html.index("</table>", html.index("table-usage"))]
    cells = [
        [unescape(cell) for cell in re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]
    assert cells[0] == ["Есеп күні", "Мектептер", "Оқушылар", "Аяқтаған оқушылар"]
    assert [row[1:] for row in cells[1:]] == [["1", "2", "1"], ["2", "5", "4"]]


def test_the_section_names_no_learner_and_no_course(client: FlaskClient, scene: Scene) -> None:
    """Counts only; even the course names the sites send stay off the page."""
    report(client, scene, site="https://moodle.school.kz", days_ago=0)
    html = resource_page(client, scene, "author")
    section = html[html.index('id="usage"') : html.index("</section>", html.index('id="usage"'))]
    assert "Физика, 7-сынып" not in section and "moodle.school.kz" not in section


def test_in_russian_and_english(client: FlaskClient, scene: Scene) -> None:
    report(client, scene, site="https://moodle.school.kz", days_ago=0)
    sign_in(client, scene.people["author"])
    client.get("/language/ru")
    russian = client.get(f"/resources/{scene.resource}").get_data(as_text=True)
    assert "Как используется" in russian and "Доля завершивших" in russian
    client.get("/language/en")
    english = client.get(f"/resources/{scene.resource}").get_data(as_text=True)
    assert "How it is used" in english and "Completion rate" in english


def totals(day_offset: int) -> Totals:
    day = TODAY - timedelta(days=day_offset)
    return Totals(day, 1, 10 + day_offset, 5, 4, 12, 0, 0.0)


def test_a_long_history_is_charted_a_month_a_column() -> None:
    few = [totals(n) for n in range(20, -1, -1)]
    assert chart_points(few) == (few, False)
    many = [totals(n) for n in range(900, -1, -3)]
    points, monthly = chart_points(many)
    assert monthly and len(points) == CHART_MONTHS
    assert points[-1] == many[-1]  # the latest report ends the chart
    months = [(point.day.year, point.day.month) for point in points]
    assert months == sorted(set(months))


def test_the_author_s_own_page_links_the_public_page_with_downloads_and_use(
    app: Flask, client: FlaskClient, scene: Scene
) -> None:
    report(client, scene, site="https://moodle.school.kz", days_ago=0)
    for _ in range(3):
        assert client.get(f"/api/v1/resources/{scene.resource}/package").status_code == 200
    sign_in(client, scene.people["author"])
    html = client.get(f"/my/resources/{scene.resource}").get_data(as_text=True)
    assert f'<a href="/resources/{scene.resource}" id="public-link">' in html
    assert re.search(r'<dd id="author-downloads">3</dd>', html)
    assert HEADING_KK in html and fact(html, "learners") == "2"

    with app.app_context():
        from catalogue.db import db
        from catalogue.models import Resource

        never = db.session.query(Resource).filter_by(uuid=scene.resource).one()
        never.state, never.published_number = State.DRAFT, None
        db.session.commit()
    html = client.get(f"/my/resources/{scene.resource}").get_data(as_text=True)
    assert 'id="public-link"' not in html and HEADING_KK not in html  # never in the catalogue
