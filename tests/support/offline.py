"""An offline library made the way a district office makes one: a real catalogue app
(SQLite, served on loopback) publishing two packages, exported by ``lms_sync.offline``
(the same code as ``sandyq offline export``), laid out as ``docs/offline-library.md`` says.

Two real packages: the Kazakh physics sample (``tests.conftest.SAMPLE_COURSE``, "Ньютон
заңдары") with a two-question test added as its last page, published as version 2, and
the Russian fractions sample.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from catalogue import create_app
from catalogue.db import db
from catalogue.models import Resource, Role, State
from catalogue.search import rebuild
from lms_sync.catalogue_client import CatalogueClient
from lms_sync.offline.export import Selection, build, plan
from lms_sync.offline.library import read_library
from scorm_builder.build import build_package
from scorm_builder.folding import fold
from tests.conftest import MIGRATING, REPO, SAMPLE_COURSE
from tests.support.catalogue import Person, add_resource, add_sync_token, add_user
from tests.support.sync import serving

FRACTIONS_COURSE = REPO / "samples" / "math-5-fractions-ru"

LESSON_UUID = "7c1e9a52-4d3b-4f8e-a6c1-0b2d3e4f5a61"
FRACTIONS_UUID = "0e8f7d6c-5b4a-4392-8170-6f5e4d3c2b1a"

#: A test for the lesson's last page: the first answer right and the second wrong is 50%.
QUIZ_GIFT = """::Бірінші заң::Ньютонның бірінші заңы тағы қалай аталады?{
\t=Инерция заңы
\t~Энергияның сақталу заңы
}

::Күш бірлігі::Күштің өлшем бірлігі — джоуль.{F}
"""
QUIZ_PART = """
[[parts]]
type = "quiz"
title = "Тест: Ньютон заңдары"
source = "test.gift"
passing_score = 50
"""


@dataclass(frozen=True)
class Library:
    """A library folder: its ``index.html`` and the data its ``data.js`` holds."""

    folder: Path
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def index_url(self) -> str:
        return (self.folder / "index.html").as_uri()

    def resource(self, uuid: str) -> dict[str, Any]:
        return next(r for r in self.data["resources"] if r["uuid"] == uuid)


def _lesson_course(work: Path) -> Path:
    """The physics sample with a graded test added as its sixth page."""
    course = work / "newton"
    shutil.copytree(SAMPLE_COURSE, course)
    (course / "test.gift").write_text(QUIZ_GIFT, encoding="utf-8")
    with (course / "course.toml").open("a", encoding="utf-8") as toml:
        toml.write(QUIZ_PART)
    return course


def search_keys(*texts: str) -> str:
    """What the exporter writes as a resource's ``search`` for these texts' words."""
    from lms_sync.offline.shelf import search_keys as keys

    return keys(texts)


def _published(
    app: Any, teacher: Any, uuid: str, package: Path, version: int, **metadata: Any
) -> None:
    added = add_resource(app, teacher, State.PUBLISHED, package=package, **metadata)
    with app.app_context():
        db.session.execute(
            sa.update(Resource)
            .where(Resource.uuid == added)
            .values(uuid=uuid, published_number=version)
        )
        if version > 1:
            db.session.execute(
                sa.text("UPDATE resource_versions SET number = :n WHERE resource_id ="
                        " (SELECT id FROM resources WHERE uuid = :u)"),
                {"n": version, "u": uuid},
            )  # fmt: skip
        db.session.commit()
        rebuild(db.session())  # the version's number was changed behind the ORM's back
        db.session.commit()


@contextmanager
def library_catalogue(root: Path) -> Iterator[Catalogue]:
    """Builds the two packages under ``root`` and publishes them in a catalogue served on
    loopback while the block runs."""
    work = root / "build"
    work.mkdir(parents=True)
    lesson = build_package(_lesson_course(work), work / "lesson.zip", scorm="2004", edition=4)
    fractions = build_package(FRACTIONS_COURSE, work / "fractions.zip", scorm="2004", edition=4)
    app = create_app(
        MIGRATING | {"DATABASE_URL": f"sqlite:///{work / 'catalogue.sqlite3'}",
                     "DATA_DIR": str(work / "data")}
    )  # fmt: skip
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
    teacher = add_user(app, "mugalim@example.kz", Role.TEACHER, name="Әлия Нұрланова")
    token = add_sync_token(app, teacher)
    _published(
        app, teacher, LESSON_UUID, lesson.output, 2,
        title_kk="Ньютон заңдары", title_ru="Законы Ньютона", title_en="Newton's laws",
        description_kk="Ньютонның үш заңы: күш, масса және қозғалыс.",
        description_ru="Три закона Ньютона: сила, масса и движение.",
        description_en="Newton's three laws: force, mass and motion.",
        keywords=["күш", "масса", "үдеу", "инерция"], subject="physics", grades=[7],
        license="CC-BY-4.0", published_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
    )  # fmt: skip
    _published(
        app, teacher, FRACTIONS_UUID, fractions.output, 1,
        title_kk="", title_ru="Обыкновенные дроби", description_kk="",
        description_ru="Доли, сравнение и сложение дробей.", language="ru",
        keywords=["дробь", "доля", "числитель", "знаменатель"], subject="mathematics",
        grades=[5], license="CC-BY-SA-4.0", published_at=datetime(2026, 1, 20, 12, tzinfo=UTC),
    )  # fmt: skip
    try:
        with serving(app) as url:
            yield Catalogue(app, url, token, teacher)
    finally:
        with app.app_context():
            db.engine.dispose()
        shutil.rmtree(work / "data", ignore_errors=True)


@dataclass(frozen=True)
class Catalogue:
    """The served catalogue a library is exported from and updated by."""

    app: Any
    url: str
    token: str
    teacher: Person

    def export(self, folder: Path) -> Library:
        with CatalogueClient(self.url, self.token) as client:
            build(client, folder, plan(client, Selection()), Selection())
        return Library(folder, read_data(folder))

    def update(self, folder: Path) -> Library:
        """What ``sandyq offline update FOLDER`` does."""
        earlier = read_library(folder)
        chosen = Selection.from_json(earlier.selection)
        with CatalogueClient(self.url, self.token) as client:
            the_plan = plan(client, chosen, earlier)
            build(client, folder, the_plan, chosen, earlier=earlier, earlier_folder=folder)
        return Library(folder, read_data(folder))

    def unpublish(self, uuid: str) -> None:
        with self.app.app_context():
            found = db.session.scalars(sa.select(Resource).where(Resource.uuid == uuid)).one()
            found.state = State.UNPUBLISHED
            db.session.commit()


def make_library(root: Path) -> Library:
    """The library of the two packages, exported into ``root/library``."""
    with library_catalogue(root) as catalogue:
        return catalogue.export(root / "library")


def read_data(folder: Path) -> dict[str, Any]:
    """What the library's ``library/data.js`` hands its page."""
    script = (folder / "library" / "data.js").read_text(encoding="utf-8")
    prefix = "window.SANDYQ_LIBRARY = "
    assert script.startswith(prefix), script[:80]
    data: dict[str, Any] = json.loads(script[len(prefix) :].rstrip().removesuffix(";"))
    return data


__all__ = [
    "FRACTIONS_UUID", "LESSON_UUID", "Catalogue", "Library", "fold", "library_catalogue",
    "make_library", "search_keys",
]  # fmt: skip
