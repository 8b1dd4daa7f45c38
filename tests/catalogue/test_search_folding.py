"""Search as pupils type it (#18): Kazakh words typed on a Russian or Latin keyboard, the
lessons' own text, the subject's and grades' names in three languages, exact letters and
titles first, and "did you mean" from the index's own words; on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete

from catalogue.db import db
from catalogue.demo import seed_demo
from catalogue.models import Role, utcnow
from catalogue.search.schema import search_package_texts
from catalogue.search.text import fold
from scorm_builder.build import BuildResult
from tests.support.catalogue import Person, add_resource, add_user


@pytest.fixture
def teacher(app: Flask) -> Person:
    return add_user(app, "mugalim@example.kz", Role.TEACHER)


def find(client: FlaskClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/resources", query_string=params)
    assert response.status_code == 200, response.json
    body: dict[str, Any] = response.json
    return body


def titles(body: dict[str, Any]) -> list[str]:
    return [item["title"] for item in body["items"]]


@pytest.mark.parametrize(
    ("kazakh", "typed"),
    [
        ("әліппе", "алиппе"),
        ("ғалым", "галым"),
        ("қала", "кала"),
        ("таңба", "танба"),
        ("өлең", "олен"),
        ("ұлт", "улт"),
        ("үй", "уй"),
        ("һижра", "хижра"),
        ("ірі", "ири"),
        ("қозғалыс", "kozgalys"),
        ("қозғалыс", "qozğalys"),
        ("шаңғы", "shangy"),
        ("жылу", "jylu"),
        ("хабар", "khabar"),
        ("ньютон", "нютон"),
    ],
)
def test_a_word_and_what_keyboards_type_for_it_share_a_key(kazakh: str, typed: str) -> None:
    assert fold(kazakh) == fold(typed)
    assert fold(kazakh).isascii()


def test_keys_keep_apart_what_keyboards_keep_apart() -> None:
    assert fold("бір") != fold("бұр")  # і and ұ are different letters on every keyboard
    assert fold("ыстық") != fold("истық")  # ы is on the Russian keyboard: it stays ы


def test_the_demo_lesson_is_found_from_any_keyboard(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        seed_demo(Path(app.config["DATA_DIR"]))
    # "қозғалыс" is only in the lesson's pages; "күш" is one of its keywords
    for words in ("қозғалыс", "козгалыс", "kozgalys", "qozğalys", "күш", "куш", "kush"):
        body = find(client, q=words)
        assert titles(body) == ["Ньютон заңдары"], words
        assert body["suggestion"] is None, words
    assert find(client, q="ньютан")["suggestion"] == "Ньютон"


def test_the_lessons_own_text_is_searched(
    app: Flask,
    client: FlaskClient,
    teacher: Person,
    built_package: Callable[[str], BuildResult],
) -> None:
    package = built_package("scorm2004-4th").output
    add_resource(app, teacher, package=package, title_kk="Бірінші сабақ", keywords=[])
    add_resource(app, teacher, title_kk="Екінші сабақ", keywords=[])  # no stored package
    for words in ("қозғалыс", "инерция", "жолаушылар", "zholaushylar"):
        assert titles(find(client, q=words)) == ["Бірінші сабақ"], words
    # an existing database: the kept text is gone, a rebuild reads the package again
    with app.app_context():
        db.session.execute(delete(search_package_texts))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert titles(find(client, q="жолаушылар")) == ["Бірінші сабақ"]


def test_subject_and_grade_names_in_three_languages(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    quiet = {"description_kk": "", "keywords": []}
    add_resource(app, teacher, title_kk="Инерция", grades=[7], **quiet)
    add_resource(
        app,
        teacher,
        language="ru",
        title_kk="",
        title_ru="Сила трения",
        grades=[8],
        **quiet,
    )
    add_resource(app, teacher, language="en", title_kk="", title_en="Levers", grades=[9], **quiet)
    add_resource(app, teacher, title_kk="Жасуша", subject="biology", grades=[7], **quiet)
    physics = ["Инерция", "Сила трения", "Levers"]
    for words in ("физика", "Physics", "fizika"):
        assert sorted(titles(find(client, q=words))) == sorted(physics), words
    assert titles(find(client, q="биология")) == ["Жасуша"]
    assert sorted(titles(find(client, q="7-сынып"))) == ["Жасуша", "Инерция"]
    assert titles(find(client, q="8 класс")) == ["Сила трения"]
    assert titles(find(client, q="grade 9")) == ["Levers"]


def test_exact_letters_and_titles_rank_first(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    now = utcnow()
    quiet = {"description_kk": "", "keywords": []}
    # published oldest first, so that recency alone would give the opposite order
    add_resource(app, teacher, title_kk="Күш", published_at=now - timedelta(days=3), **quiet)
    add_resource(
        app,
        teacher,
        title_kk="Масса",
        description_kk="Дененің күші туралы",
        keywords=[],
        published_at=now - timedelta(days=2),
    )
    add_resource(
        app,
        teacher,
        language="ru",
        title_kk="",
        title_ru="Кушетка и стул",
        subject="geometry",
        published_at=now - timedelta(days=1),
        **quiet,
    )
    for number in range(6):  # other lessons, so that the words found are not common ones
        add_resource(app, teacher, title_kk=f"Оптика {number}", subject="geometry", **quiet)
    assert titles(find(client, q="күш")) == ["Күш", "Масса", "Кушетка и стул"]
    assert titles(find(client, q="куш")) == ["Кушетка и стул", "Күш", "Масса"]


def test_did_you_mean_offers_the_index_s_own_words(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    add_resource(
        app,
        teacher,
        title_kk="Ньютон заңдары",
        description_kk="Инерция туралы.",
        keywords=["инерция"],
    )
    add_resource(app, teacher, title_kk="Жасуша", subject="biology", description_kk="")
    assert find(client, q="ньютан")["suggestion"] == "Ньютон"
    assert find(client, q="инерциа заңдары")["suggestion"] == "инерция заңдары"
    assert find(client, q="ньютон")["suggestion"] is None  # found: nothing to offer
    assert find(client, q="қазан")["suggestion"] is None  # nothing close
    nothing = find(client, q="ньютан", subject="biology")  # a filter leaves nothing
    assert nothing["total"] == 0 and nothing["suggestion"] == "Ньютон"

    page = client.get("/search", query_string={"q": "ньютан"}, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    link = re.search(r'<a href="([^"]+)" class="suggestion">([^<]+)</a>', page.text)
    assert link is not None, page.text
    assert unescape(link.group(2)) == "Ньютон"
    followed = client.get(unescape(link.group(1)))
    assert "Ньютон заңдары" in followed.text
