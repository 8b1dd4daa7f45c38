"""The public pages: the home page, the search with facets and a resource's page, read as
anyone (and as the resource's author) through the test client, on both databases."""

from __future__ import annotations

import io
import re
import zipfile
from html import unescape
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from catalogue.db import db
from catalogue.models import Resource, ResourceVersion, Role, State, utcnow
from tests.support.catalogue import (
    Person,
    add_resource,
    add_user,
    csrf_token,
    sample_package,
    sign_in,
)


@pytest.fixture
def english(client: FlaskClient) -> None:
    """For a test about what a page does rather than its language: ``client`` asks for
    English. Without it a page is in Kazakh, the default (the tests that check that, like
    test_home_in_kazakh_with_sign_in_newest_and_subjects, do without it)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def teacher(app: Flask) -> Person:
    return add_user(app, "mugalim@example.kz", Role.TEACHER, name="Әлия Нұрланова")


def page(client: FlaskClient, url: str, status: int = 200, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def result_titles(html: str) -> list[str]:
    return [
        unescape(title)
        for title in re.findall(r'<h3 class="hit-title"><a href="[^"]+"[^>]*>([^<]*)</a>', html)
    ]


def links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', html)]


def rel_link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', html)
    return unescape(found.group(1)) if found else None


# ---- home ---------------------------------------------------------------------------------


def test_home_in_kazakh_with_sign_in_newest_and_subjects(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    newton = add_resource(app, teacher)
    add_resource(app, teacher, title_kk="Жасуша", subject="biology", grades=[8])
    add_resource(app, teacher, State.DRAFT, title_kk="Жасырын жоба")
    html = page(client, "/")
    assert '<html lang="kk">' in html
    assert html.count("<h1") == 1
    assert "/login" in links(html)
    assert re.search(r'<form class="big-search" action="/search" method="get"', html)
    assert set(result_titles(html)) == {"Ньютон заңдары", "Жасуша"}
    assert f"/resources/{newton}" in links(html)
    assert "Жасырын жоба" not in html
    # subjects with their counts, in Kazakh, each a search
    assert "/search?subject=physics" in links(html)
    assert "/search?subject=biology" in links(html)
    assert "Физика" in html and "Биология" in html


def test_home_shows_a_signed_in_teacher_their_shortcuts(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    sign_in(client, teacher)
    html = page(client, "/")
    assert "Sign in to share or review resources" not in html
    shortcuts = html[html.index('class="shortcuts"') :]
    assert "/login" not in links(shortcuts)
    with app.test_request_context():
        from flask import url_for

        upload = url_for("teacher.upload")
        users = url_for("admin.users")
    assert upload in links(shortcuts) and users not in links(shortcuts)


@pytest.mark.usefixtures("english")
def test_home_with_nothing_published_says_so(client: FlaskClient) -> None:
    html = page(client, "/")
    assert result_titles(html) == []
    assert "Nothing has been published yet." in html


# ---- search -------------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_a_kazakh_word_and_a_russian_word_find_their_resources(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    add_resource(app, teacher, title_kk="Ньютон заңдары")
    add_resource(
        app,
        teacher,
        language="ru",
        title_kk="",
        title_ru="Законы Ньютона",
        description_kk="",
        description_ru="Сила, масса и ускорение",
    )
    add_resource(app, teacher, State.UNDER_REVIEW, title_kk="Ньютон заңдары: жоба")
    add_resource(app, teacher, State.DRAFT, title_kk="Ньютон заңы, жоба")
    assert result_titles(page(client, "/search?q=заңдары")) == ["Ньютон заңдары"]
    assert result_titles(page(client, "/search?q=законы")) == ["Законы Ньютона"]
    both = page(client, "/search?q=Ньютон")
    assert sorted(result_titles(both)) == ["Законы Ньютона", "Ньютон заңдары"]
    assert "2 resources found" in both
    assert "жоба" not in both  # drafts and resources under review never appear


def test_a_title_is_shown_in_the_visitors_language(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    add_resource(app, teacher, title_kk="Ньютон заңдары", title_ru="Законы Ньютона")
    assert result_titles(page(client, "/search?q=ньютон")) == ["Ньютон заңдары"]
    russian = page(client, "/search?q=ньютон", **{"Accept-Language": "ru-RU,ru;q=0.9"})
    assert '<html lang="ru">' in russian
    assert result_titles(russian) == ["Законы Ньютона"]


@pytest.mark.usefixtures("english")
def test_facets_count_and_filter_and_can_be_removed(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    add_resource(app, teacher, title_kk="Ньютон заңдары", subject="physics", grades=[7])
    add_resource(app, teacher, title_kk="Күш және қозғалыс", subject="physics", grades=[7, 8])
    add_resource(
        app, teacher, title_kk="Бөлшектер", subject="mathematics", grades=[5], license="CC0-1.0"
    )
    html = page(client, "/search")
    assert "3 resources found" in html
    physics = re.search(r'value="physics"[^>]*>\s*<label for="[^"]+">Physics <span', html)
    assert physics, "the subject facet offers physics"
    assert re.search(r'>Physics <span class="count">\(2\)</span>', html)
    assert re.search(r'>Mathematics <span class="count">\(1\)</span>', html)
    assert re.search(r'<span class="count">\(1\)</span>', html)
    assert "Apply filters" in html

    filtered = page(client, "/search?subject=mathematics")
    assert result_titles(filtered) == ["Бөлшектер"]
    assert re.search(r'name="subject" value="mathematics" checked', filtered)
    assert "/search" in links(filtered)  # removing the only filter: every resource again

    two = page(client, "/search?subject=physics&grade=8")
    assert result_titles(two) == ["Күш және қозғалыс"]
    assert "/search?subject=physics" in links(two)  # remove the grade, keep the subject
    assert "/search?grade=8" in links(two)

    by_license = page(client, "/search?license=CC0-1.0")
    assert result_titles(by_license) == ["Бөлшектер"]


@pytest.mark.usefixtures("english")
def test_results_come_in_pages_with_prev_and_next(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    for number in range(23):
        add_resource(app, teacher, title_kk=f"Физика сабағы {number:02d}")
    first = page(client, "/search?q=физика")
    assert len(result_titles(first)) == 20 and "23 resources found" in first
    assert rel_link(first, "prev") is None
    following = rel_link(first, "next")
    assert following is not None and "page=2" in following and "q=" in following
    second = page(client, following)
    assert len(result_titles(second)) == 3
    assert rel_link(second, "next") is None
    assert rel_link(second, "prev") is not None
    assert not set(result_titles(first)) & set(result_titles(second))
    assert '<ol class="hits" start="21">' in second


@pytest.mark.usefixtures("english")
def test_a_hostile_query_is_escaped(app: Flask, client: FlaskClient, teacher: Person) -> None:
    add_resource(app, teacher)
    html = page(client, '/search?q=<script>alert("x")</script>')
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html
    assert "Nothing was found." in html


def test_a_bad_filter_is_explained_not_an_error(client: FlaskClient) -> None:
    html = page(client, "/search?grade=ninth&q=күш", status=422)
    assert 'class="flash flash-error"' in html and "(grade)" in html
    assert 'value="күш"' in html


# ---- a resource ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "name", "grade_1"),
    [
        ("kk", "Мектепалды даярлық сыныбы", "1-сынып"),
        ("ru", "Класс предшкольной подготовки", "1 класс"),
        ("en", "Pre-school class", "Grade 1"),
    ],
)
def test_grade_0_is_the_pre_school_class_and_its_licence_links_its_mark(
    app: Flask, client: FlaskClient, teacher: Person, language: str, name: str, grade_1: str
) -> None:
    uuid = add_resource(app, teacher, title_kk="Әліппе", grades=[0, 1], license="public-domain")
    html = page(client, f"/resources/{uuid}", **{"Accept-Language": language})
    assert f"{name}, {grade_1}" in html
    # One name for it everywhere, as in the packages, OAI-PMH and Moodle (this page said
    # "Pre-school year"), and the Public Domain Mark that OAI-PMH gives (it had no link).
    assert "Pre-school year" not in html and "0-сынып" not in html
    assert "https://creativecommons.org/publicdomain/mark/1.0/" in links(html)
    facets = page(client, "/search", **{"Accept-Language": language})
    assert re.search(rf">{re.escape(name)} <span class=\"count\">\(1\)</span>", facets)


@pytest.mark.usefixtures("english")
def test_a_published_resource_is_open_to_anyone_with_its_package(
    app: Flask, client: FlaskClient, teacher: Person, tmp_path: Path
) -> None:
    uuid = add_resource(
        app,
        teacher,
        package=sample_package(tmp_path),
        rights_holder="№ 42 мектеп-гимназиясы",
        learning_minutes=45,
    )
    html = page(client, f"/resources/{uuid}")
    assert '<h1 lang="kk">Ньютон заңдары</h1>' in html  # a Kazakh title on an English page
    assert f'<link rel="canonical" href="http://localhost/resources/{uuid}">' in html
    assert '<meta name="description" content="7-сынып, физика: күш, масса, үдеу">' in html
    assert "Әлия Нұрланова" in html and "№ 42 мектеп-гимназиясы" in html
    assert "https://creativecommons.org/licenses/by/4.0/" in links(html)
    assert "45 minutes" in html and "SCORM 2004, 4th edition" in html
    assert f"oai:sandyq.kz:{uuid}" in html
    assert re.search(r'<iframe [^>]*sandbox="[^"]*allow-scripts', html), "the package is previewed"
    assert 'class="preview-panel"' not in html  # what an LMS receives is for the authors
    sign_in(client, teacher)
    assert 'class="preview-panel"' in page(client, f"/resources/{uuid}")
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    download = re.search(r'<a class="button primary" href="([^"]+)" download>([^<]+)</a>', html)
    assert download, "the page has a download button"
    assert "KB" in download.group(2)
    response = client.get(unescape(download.group(1)))
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert "imsmanifest.xml" in archive.namelist()


def test_a_resource_under_review_is_hidden_except_from_its_author(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    uuid = add_resource(app, teacher, State.UNDER_REVIEW, title_kk="Қаралып жатқан сабақ")
    hidden = page(client, f"/resources/{uuid}", status=404)
    assert "Қаралып жатқан сабақ" not in hidden
    other = add_user(app, "basqa@example.kz", Role.TEACHER)
    sign_in(client, other)
    page(client, f"/resources/{uuid}", status=404)
    sign_in(client, teacher)
    html = page(client, f"/resources/{uuid}")
    assert "Қаралып жатқан сабақ" in html
    assert '<span class="badge state-under_review">' in html
    assert "oai:sandyq.kz" not in html  # not in the OAI-PMH repository until published


@pytest.mark.usefixtures("english")
def test_insiders_see_every_version_and_others_the_published_one(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    uuid = add_resource(app, teacher, title_kk="Бірінші нұсқа")
    with app.app_context():
        resource = db.session.scalars(select(Resource).where(Resource.uuid == uuid)).one()
        first = resource.latest
        resource.versions.append(
            ResourceVersion(
                number=2,
                created_by_id=teacher.id,
                package_sha256=first.package_sha256,
                package_size=first.package_size,
                frozen_at=utcnow(),
                title_kk="Екінші нұсқа",
                language="kk",
                subject="physics",
                grades=[7],
                license="CC-BY-4.0",
            )
        )
        resource.published_number = 2  # the council published version 2
        db.session.commit()
    anyone = page(client, f"/resources/{uuid}")
    assert '<h1 lang="kk">Екінші нұсқа</h1>' in anyone
    assert "Version 2" in anyone and "Version 1" not in anyone
    page(client, f"/resources/{uuid}?version=1", status=404)

    sign_in(client, teacher)
    author = page(client, f"/resources/{uuid}")
    assert "Version 2" in author and "Version 1" in author
    earlier = page(client, f"/resources/{uuid}?version=1")
    assert '<h1 lang="kk">Бірінші нұсқа</h1>' in earlier
    assert "not the one in the catalogue" in earlier
    page(client, f"/resources/{uuid}?version=7", status=404)


def test_the_oai_record_links_to_the_resource_page(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    uuid = add_resource(app, teacher)
    html = page(client, f"/resources/{uuid}")
    record_link = re.search(r'<a href="(/oai\?verb=GetRecord[^"]+)">', html)
    assert record_link, "the page links to its OAI-PMH record"
    record = client.get(unescape(record_link.group(1)))
    assert record.status_code == 200
    found = re.search(r"http://localhost(/resources/[0-9a-f-]+)", record.get_data(as_text=True))
    assert found and found.group(1) == f"/resources/{uuid}"
    assert "<h1>Ньютон заңдары</h1>" in page(client, found.group(1))


def test_an_unknown_resource_is_a_404_page(client: FlaskClient) -> None:
    html = page(client, "/resources/00000000-0000-4000-8000-000000000000", status=404)
    assert '<html lang="kk">' in html
