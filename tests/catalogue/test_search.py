"""Search over the published resources: the same answers on SQLite (FTS5) and PostgreSQL
(full text + trigrams), read through ``GET /api/v1/resources``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from catalogue.db import db
from catalogue.models import Resource, ResourceVersion, Role, State, utcnow
from catalogue.search.schema import search_documents
from tests.support.catalogue import Person, add_resource, add_user

MIB = 1024 * 1024


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


def change(app: Flask, uuid: str, **fields: Any) -> None:
    """Plain ORM changes and a commit: the index must follow by itself."""
    with app.app_context():
        resource = db.session.scalars(select(Resource).where(Resource.uuid == uuid)).one()
        for name, value in fields.items():
            target = resource if hasattr(Resource, name) else resource.latest
            setattr(target, name, value)
        db.session.commit()


def dialect(app: Flask) -> str:
    with app.app_context():
        return db.engine.dialect.name


# ---- words ------------------------------------------------------------------------------


def test_kazakh_letters_fold_case(app: Flask, client: FlaskClient, teacher: Person) -> None:
    add_resource(
        app,
        teacher,
        title_kk="ҚОЗҒАЛЫС ЖӘНЕ НЬЮТОН",
        description_kk="ӘЛЕМ ҰЛЫ ҮДЕУІ ІЗДЕНІС",
    )
    add_resource(app, teacher, title_kk="Жасуша құрылысы", subject="biology")
    for word in ("қозғалыс", "Ньютон", "ньютон", "әлем", "ұлы", "үдеуі", "ізденіс", "ҚОЗҒАЛЫС"):
        assert titles(find(client, q=word)) == ["ҚОЗҒАЛЫС ЖӘНЕ НЬЮТОН"], word
    assert find(client, q="құрылыс")["total"] == 1


def test_words_match_as_prefixes(app: Flask, client: FlaskClient, teacher: Person) -> None:
    add_resource(app, teacher, title_kk="Дененің үдеуі")
    add_resource(
        app,
        teacher,
        language="ru",
        title_kk="",
        title_ru="Сила и масса",
        description_kk="",
        keywords=["ёмкость"],
    )
    assert titles(find(client, q="үдеу")) == ["Дененің үдеуі"]
    assert titles(find(client, q="сил")) == ["Сила и масса"]
    assert titles(find(client, q="емкост")) == ["Сила и масса"]  # ё is written е
    assert find(client, q="силы масса дене")["total"] == 0  # every word must be there


def test_russian_english_and_keywords(app: Flask, client: FlaskClient, teacher: Person) -> None:
    add_resource(
        app,
        teacher,
        language="en",
        title_kk="",
        title_en="Newton's laws of motion",
        description_en="Forces, mass and acceleration for grade 7",
        keywords=["inertia"],
    )
    add_resource(
        app,
        teacher,
        language="ru",
        title_kk="",
        title_ru="Обыкновенные дроби",
        description_ru="Сложение и вычитание дробей с разными знаменателями",
        subject="mathematics",
    )
    assert titles(find(client, q="LAWS newton")) == ["Newton's laws of motion"]
    assert titles(find(client, q="acceleration")) == ["Newton's laws of motion"]
    assert titles(find(client, q="inertia")) == ["Newton's laws of motion"]
    assert titles(find(client, q="знаменател")) == ["Обыкновенные дроби"]
    assert find(client, q="!!! ...")["total"] == 2  # no words: every resource


def test_titles_rank_above_descriptions(app: Flask, client: FlaskClient, teacher: Person) -> None:
    earlier = utcnow() - timedelta(days=3)
    add_resource(
        app,
        teacher,
        title_kk="Жарық",
        description_kk="Энергия туралы бір сөз",
        published_at=utcnow(),
    )
    add_resource(app, teacher, title_kk="Энергия", description_kk="Жылу", published_at=earlier)
    body = find(client, q="энергия")
    assert body["sort"] == "relevance"
    assert titles(body) == ["Энергия", "Жарық"]
    assert titles(find(client, q="энергия", sort="newest")) == ["Жарық", "Энергия"]


def test_a_typo_finds_similar_titles_on_postgresql(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    add_resource(app, teacher, title_kk="Ньютон заңдары")
    body = find(client, q="Ньютан заңдары")
    assert body["suggestion"] == "Ньютон заңдары"  # did you mean: on both databases
    if dialect(app) == "postgresql":
        assert body["fuzzy"] is True and titles(body) == ["Ньютон заңдары"]
    else:  # SQLite has no trigrams: the same contract, nothing similar
        assert body["fuzzy"] is False and body["total"] == 0
    # a left-out soft sign is what a keyboard makes of the word, not a typo: found
    found = find(client, q="Нютон заңдары")
    assert titles(found) == ["Ньютон заңдары"] and found["suggestion"] is None


# ---- facets and filters -----------------------------------------------------------------


def test_the_pre_school_class_and_grade_12_are_grades(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    add_resource(app, teacher, title_kk="Әліппе", grades=[0])
    add_resource(app, teacher, title_kk="Түлектерге", grades=[12])
    assert titles(find(client, grade=0)) == ["Әліппе"]
    assert titles(find(client, grade=12)) == ["Түлектерге"]
    assert counts(find(client), "grade") == {0: 1, 12: 1}


@pytest.fixture
def shelf(app: Flask, teacher: Person) -> dict[str, str]:
    """Five published resources of different kinds, one draft."""
    made = {
        "physics": add_resource(app, teacher, title_kk="Физика 7", grades=[7]),
        "physics8": add_resource(
            app, teacher, title_kk="Физика 8", grades=[8, 9], offline_ready=False
        ),
        "algebra": add_resource(
            app,
            teacher,
            title_kk="",
            title_ru="Алгебра",
            description_kk="",
            language="ru",
            subject="mathematics",
            grades=[7, 8],
            resource_type="test",
            license="CC-BY-SA-4.0",
        ),
        "english": add_resource(
            app,
            teacher,
            title_kk="",
            title_en="Present Simple",
            description_kk="",
            language="en",
            subject="english",
            grades=[5],
            resource_type="video_lecture",
            license="CC0-1.0",
            offline_ready=False,
        ),
        "biology": add_resource(
            app, teacher, title_kk="Жасуша", description_kk="", subject="biology", grades=[7]
        ),
    }
    add_resource(app, teacher, State.DRAFT, title_kk="Физика жоба", grades=[7])
    for name, size in (("physics", 1 * MIB), ("physics8", 50 * MIB), ("algebra", 10 * MIB)):
        change(app, made[name], package_size=size)
    change(app, made["english"], package_size=200 * MIB)
    change(app, made["biology"], package_size=100 * MIB - 1)
    return made


def counts(body: dict[str, Any], facet: str) -> dict[Any, int]:
    return {entry["value"]: entry["count"] for entry in body["facets"][facet]}


def test_facet_counts_cover_every_result(client: FlaskClient, shelf: dict[str, str]) -> None:
    body = find(client, per_page=1)
    assert body["total"] == 5 and len(body["items"]) == 1
    assert counts(body, "subject") == {"physics": 2, "mathematics": 1, "english": 1, "biology": 1}
    assert [entry["value"] for entry in body["facets"]["subject"]][0] == "physics"
    assert counts(body, "grade") == {5: 1, 7: 3, 8: 2, 9: 1}
    assert counts(body, "language") == {"kk": 3, "ru": 1, "en": 1}
    assert counts(body, "type") == {"lesson": 3, "test": 1, "video_lecture": 1}
    assert counts(body, "license") == {"CC-BY-4.0": 3, "CC-BY-SA-4.0": 1, "CC0-1.0": 1}
    assert counts(body, "offline") == {True: 3, False: 2}
    assert counts(body, "size") == {"under_10mb": 1, "10_100mb": 3, "over_100mb": 1}
    assert body["facets"]["size"][1] == {
        "value": "10_100mb",
        "count": 3,
        "size_min": 10 * MIB,
        "size_max": 100 * MIB - 1,
    }


def test_facets_follow_the_filters(client: FlaskClient, shelf: dict[str, str]) -> None:
    body = find(client, grade=7)
    assert sorted(titles(body)) == ["Алгебра", "Жасуша", "Физика 7"]
    assert counts(body, "grade") == {7: 3, 8: 1}
    assert counts(body, "subject") == {"physics": 1, "mathematics": 1, "biology": 1}
    assert sorted(titles(find(client, grade=[5, 9]))) == ["Present Simple", "Физика 8"]
    assert titles(find(client, subject="mathematics")) == ["Алгебра"]
    assert sorted(titles(find(client, subject=["english", "biology"]))) == [
        "Present Simple",
        "Жасуша",
    ]
    assert titles(find(client, language="en")) == ["Present Simple"]
    assert titles(find(client, type="test")) == ["Алгебра"]
    assert titles(find(client, license="CC0-1.0")) == ["Present Simple"]
    assert sorted(titles(find(client, offline="false"))) == ["Present Simple", "Физика 8"]
    assert titles(find(client, size_max=10 * MIB - 1)) == ["Физика 7"]
    assert titles(find(client, size_min=100 * MIB)) == ["Present Simple"]
    both = find(client, size_min=10 * MIB, size_max=100 * MIB - 1, offline="true")
    assert sorted(titles(both)) == ["Алгебра", "Жасуша"]
    assert counts(both, "size") == {"under_10mb": 0, "10_100mb": 2, "over_100mb": 0}
    assert titles(find(client, q="физика", grade=8)) == ["Физика 8"]
    none = find(client, subject="chemistry")
    assert none["total"] == 0 and none["items"] == [] and none["facets"]["subject"] == []


# ---- sorts and pages --------------------------------------------------------------------


def test_sorts(app: Flask, client: FlaskClient, teacher: Person) -> None:
    now = utcnow()
    old = add_resource(app, teacher, title_kk="Ескі", published_at=now - timedelta(days=9))
    new = add_resource(app, teacher, title_kk="Жаңа", published_at=now)
    add_resource(app, teacher, title_kk="Орта", published_at=now - timedelta(days=2))
    with app.app_context():  # as the download counter does it: one bulk UPDATE
        for uuid, count in ((old, 40), (new, 3)):
            db.session.execute(
                update(Resource)
                .where(Resource.uuid == uuid)
                .values(downloads=Resource.downloads + count)
                .execution_options(synchronize_session=False)
            )
        db.session.commit()
    assert titles(find(client)) == ["Жаңа", "Орта", "Ескі"]
    body = find(client, sort="downloads")
    assert titles(body) == ["Ескі", "Жаңа", "Орта"]
    assert [item["downloads"] for item in body["items"]] == [40, 3, 0]
    assert find(client, sort="relevance")["sort"] == "newest"  # nothing to be relevant to


def test_pages_cover_every_result_once(app: Flask, client: FlaskClient, teacher: Person) -> None:
    now = utcnow()
    for number in range(23):
        add_resource(
            app, teacher, title_kk=f"Сабақ {number}", published_at=now - timedelta(hours=number)
        )
    seen: list[str] = []
    for page in (1, 2, 3):
        body = find(client, q="сабақ", sort="newest", per_page=10, page=page)
        assert body["total"] == 23 and body["page"] == page and body["per_page"] == 10
        seen += titles(body)
    assert seen == [f"Сабақ {number}" for number in range(23)]
    assert find(client, per_page=10, page=4)["items"] == []


# ---- only what is published, always up to date --------------------------------------------


def test_only_published_resources_are_found(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    add_resource(app, teacher, title_kk="Оптика жарияланған")
    for state in State:
        if state is not State.PUBLISHED:
            add_resource(app, teacher, state, title_kk=f"Оптика {state.value}")
    body = find(client, q="оптика")
    assert titles(body) == ["Оптика жарияланған"] and body["total"] == 1
    assert find(client)["total"] == 1


def test_the_index_follows_plain_orm_changes(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    uuid = add_resource(app, teacher, State.APPROVED, title_kk="Электр тогы")
    assert find(client, q="электр")["total"] == 0
    change(app, uuid, state=State.PUBLISHED, published_at=utcnow(), published_number=1)
    assert titles(find(client, q="электр")) == ["Электр тогы"]
    change(app, uuid, title_kk="Магнит өрісі", keywords=["индукция"])  # edit the metadata
    assert find(client, q="электр")["total"] == 0
    assert titles(find(client, q="индукция")) == ["Магнит өрісі"]
    with app.app_context():  # a new version: searched once it is published
        resource = db.session.scalars(select(Resource).where(Resource.uuid == uuid)).one()
        resource.versions.append(
            ResourceVersion(
                number=2,
                created_by_id=teacher.id,
                package_sha256="1" * 64,
                package_size=5,
                title_kk="Магнит өрісі, 2-басылым",
                subject="physics",
            )
        )
        db.session.commit()
    assert find(client, q="басылым")["total"] == 0  # under review: the public has version 1
    assert titles(find(client, q="магнит")) == ["Магнит өрісі"]
    change(app, uuid, published_number=2)
    item = find(client, q="басылым")["items"][0]
    assert item["version"] == 2 and item["size"] == 5
    change(app, uuid, state=State.UNPUBLISHED)  # unpublish
    assert find(client, q="магнит")["total"] == 0
    change(app, uuid, state=State.PUBLISHED)  # republish
    assert find(client, q="магнит")["total"] == 1


def test_a_rolled_back_change_leaves_the_index_alone(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    uuid = add_resource(app, teacher, title_kk="Геометрия")
    with app.app_context():
        resource = db.session.scalars(select(Resource).where(Resource.uuid == uuid)).one()
        resource.state = State.UNPUBLISHED
        db.session.flush()
        db.session.rollback()
    assert find(client, q="геометрия")["total"] == 1


# ---- the API ------------------------------------------------------------------------------


def test_an_item_describes_the_resource(app: Flask, client: FlaskClient, teacher: Person) -> None:
    uuid = add_resource(
        app,
        teacher,
        title_kk="Ньютон заңдары",
        title_ru="Законы Ньютона",
        title_en="Newton's laws",
        description_ru="Описание",
    )
    person = add_user(app, "oqushy@example.kz")
    item = find(client, q="ньютон")["items"][0]
    assert set(item) == {
        "uuid",
        "version",
        "title",
        "titles",
        "description",
        "language",
        "subject",
        "grades",
        "resource_type",
        "license",
        "keywords",
        "offline_ready",
        "size",
        "scorm_version",
        "published_at",
        "downloads",
        "download_url",
    }
    assert item["uuid"] == uuid and item["version"] == 1 and item["title"] == "Ньютон заңдары"
    assert item["titles"] == {"kk": "Ньютон заңдары", "ru": "Законы Ньютона", "en": "Newton's laws"}
    assert item["description"] == "7-сынып, физика: күш, масса, үдеу"
    assert item["grades"] == [7] and item["keywords"] == ["күш", "масса"]
    assert item["download_url"] == f"http://localhost/api/v1/resources/{uuid}/package"
    assert item["published_at"].endswith("Z")
    with_token = client.get("/api/v1/resources?q=ньютон", headers=person.auth)
    assert with_token.status_code == 200 and with_token.json["total"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {"per_page": "101"},
        {"per_page": "0"},
        {"page": "0"},
        {"page": "x"},
        {"page": "1000"},
        {"grade": "13"},
        {"grade": "seven"},
        {"offline": "maybe"},
        {"sort": "oldest"},
        {"type": "poem"},
        {"license": "GPL"},
        {"language": "de"},
        {"size_min": "-1"},
        {"size_min": "10", "size_max": "5"},
        {"q": ["a", "b"]},
        {"q": "ә" * 201},
    ],
)
def test_bad_parameters_are_422(client: FlaskClient, params: dict[str, Any]) -> None:
    response = client.get("/api/v1/resources", query_string=params)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_query"
    assert response.json["error"]["details"]["parameter"] in params


def test_rebuild_restores_a_lost_index(app: Flask, client: FlaskClient, teacher: Person) -> None:
    add_resource(app, teacher, title_kk="Тригонометрия")
    add_resource(app, teacher, State.DRAFT, title_kk="Тригонометрия жобасы")
    with app.app_context():
        db.session.execute(search_documents.delete())
        db.session.commit()
    assert find(client, q="тригонометрия")["total"] == 0
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0 and "1 published resources indexed" in result.output
    assert titles(find(client, q="тригонометрия")) == ["Тригонометрия"]
