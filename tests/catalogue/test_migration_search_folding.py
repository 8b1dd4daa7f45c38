"""Migration 0007 on a catalogue that already has published resources: the documents of
revision 0006 gain the keys of their words, the subject's and grades' names and the text
of their stored packages, the full-text structures are made again over them, and search
works at once, with no rebuild; and the migration goes back down to a working 0006."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from catalogue import create_app
from catalogue.db import db
from catalogue.models import Role
from catalogue.search import reindex
from scorm_builder.build import BuildResult
from tests.conftest import MIGRATING
from tests.support.catalogue import add_resource, add_user

BEFORE = "f3b8d6a2c915"  # 0006, the revision 0007 follows


def find(app: Flask, words: str) -> dict[str, Any]:
    response = app.test_client().get("/api/v1/resources", query_string={"q": words})
    assert response.status_code == 200, response.json
    body: dict[str, Any] = response.json
    return body


def titles(body: dict[str, Any]) -> list[str]:
    return [item["title"] for item in body["items"]]


def old_search(words: str) -> int:
    """What revision 0006's full text finds for one word, as its search asked."""
    if db.engine.dialect.name == "sqlite":
        statement = "SELECT count(*) FROM search_fts WHERE search_fts MATCH :match"
        return int(db.session.scalar(sa.text(statement), {"match": f'"{words}"*'}) or 0)
    statement = (
        "SELECT count(*) FROM search_documents WHERE document @@ to_tsquery('simple', :match)"
    )
    return int(db.session.scalar(sa.text(statement), {"match": f"'{words}':*"}) or 0)


def test_existing_documents_are_searchable_after_0007(
    empty_database: str, tmp_path: Path, built_package: Callable[[str], BuildResult]
) -> None:
    app = create_app(MIGRATING | {"DATABASE_URL": empty_database, "DATA_DIR": str(tmp_path)})
    with app.app_context():
        upgrade()
    teacher = add_user(app, "mugalim@example.kz", Role.TEACHER)
    package = built_package("scorm12").output
    add_resource(app, teacher, package=package, description_kk="", keywords=["күш"])
    add_resource(app, teacher, title_kk="Жасуша", description_kk="", keywords=[], subject="biology")
    with app.app_context():
        db.session.remove()
        downgrade(revision=BEFORE)  # the catalogue as revision 0006 left it
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("search_documents")}
        assert "body_text" not in columns and "folded_text" not in columns
        assert not sa.inspect(db.engine).has_table("search_package_texts")
        assert old_search("ньютон") == 1 and old_search("күш") == 1
        assert old_search("kush") == 0 and old_search("қозғалыс") == 0  # before #18
        before = db.session.scalar(sa.text("SELECT generation FROM search_generation"))
        db.session.remove()

        upgrade()
        after = db.session.scalar(sa.text("SELECT generation FROM search_generation"))
        assert after is not None and before is not None and after > before
        db.session.remove()

    with app.app_context():  # what the migration wrote is what the indexer writes
        ids = db.session.scalars(sa.text("SELECT resource_id FROM search_documents")).all()
        reindex(db.session, ids)
        db.session.commit()
        unchanged = db.session.scalar(sa.text("SELECT generation FROM search_generation"))
        assert unchanged == after
        db.session.remove()

    for words in ("куш", "kozgalys", "қозғалыс", "физика"):  # keys, pages, subject names
        assert titles(find(app, words)) == ["Ньютон заңдары"], words
    assert titles(find(app, "биология")) == ["Жасуша"]
    assert find(app, "ньютан")["suggestion"] == "Ньютон"
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
