"""Migration 0008 on a catalogue with resources in every stage: the published and the
unpublished ones name their last frozen version as the public one, the others none; the
OAI datestamp's index is made again with the new expression; and the migration goes back
down to a working 0007."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from catalogue import create_app
from catalogue.db import db
from catalogue.models import Resource, ResourceVersion, Role, State, utcnow
from tests.conftest import MIGRATING
from tests.support.catalogue import add_resource, add_user

BEFORE = "b5e1d7c3a820"  # 0007, the revision 0008 follows


def indexes() -> set[str]:
    return {str(index["name"]) for index in sa.inspect(db.engine).get_indexes("resources")}


def test_existing_resources_name_their_published_version(
    empty_database: str, tmp_path: Path
) -> None:
    app = create_app(MIGRATING | {"DATABASE_URL": empty_database, "DATA_DIR": str(tmp_path)})
    with app.app_context():
        upgrade()
    teacher = add_user(app, "mugalim@example.kz", Role.TEACHER)
    uuids = {
        state: add_resource(app, teacher, state, title_kk=f"Сабақ {state.value}")
        for state in (State.PUBLISHED, State.UNPUBLISHED, State.DRAFT, State.SUBMITTED)
    }
    with app.app_context():  # the published one had a revision published as version 2
        published = db.session.scalars(
            sa.select(Resource).where(Resource.uuid == uuids[State.PUBLISHED])
        ).one()
        published.versions.append(
            ResourceVersion(
                number=2,
                created_by_id=teacher.id,
                package_sha256="2" * 64,
                package_size=1,
                title_kk="Сабақ, 2-басылым",
                frozen_at=utcnow(),
            )
        )
        published.published_number = 2  # indexed as 0007 read it: the latest version
        db.session.commit()
    with app.app_context():
        db.session.remove()
        downgrade(revision=BEFORE)  # the catalogue as revision 0007 left it
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("resources")}
        assert "published_number" not in columns
        # SQLite's reflection skips expression indexes: the OAI answers below use it there
        assert db.engine.dialect.name == "sqlite" or "ix_resources_oai_datestamp" in indexes()
        db.session.remove()

        upgrade()
        query = sa.text("SELECT uuid, published_number FROM resources")
        rows = {uuid: number for uuid, number in db.session.execute(query)}
        assert rows[uuids[State.PUBLISHED]] == 2
        assert rows[uuids[State.UNPUBLISHED]] == 1
        assert rows[uuids[State.DRAFT]] is None and rows[uuids[State.SUBMITTED]] is None
        db.session.remove()

    client = app.test_client()
    listed = client.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").get_data(as_text=True)
    assert listed.count("<header") == 2  # the public one and the deleted record
    assert listed.count('status="deleted"') == 1
    found = client.get("/api/v1/resources", query_string={"q": "басылым"}).json
    assert found is not None
    assert [item["version"] for item in found["items"]] == [2]

    with app.app_context():
        downgrade(revision=BEFORE)
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("resources")}
        assert "published_number" not in columns
        db.session.remove()
        db.engine.dispose()
