"""Migration 0006 on a catalogue that already has data: each exposed resource's
``state_entered_at`` comes from its audit log, so OAI-PMH datestamps do not move; the
search generation row is there; and the migration goes back down."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from catalogue import create_app
from catalogue.db import db
from tests.conftest import MIGRATING

BEFORE = "e7c2a5d91f04"  # 0005, the revision 0006 follows
TAKEN_DOWN_AT = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)


def test_existing_resources_keep_their_datestamps(empty_database: str, tmp_path: Path) -> None:
    app = create_app(MIGRATING | {"DATABASE_URL": empty_database, "DATA_DIR": str(tmp_path)})
    with app.app_context():
        upgrade(revision=BEFORE)
        at = {"created": datetime(2024, 1, 1, tzinfo=UTC), "down": TAKEN_DOWN_AT}
        statements = [
            "INSERT INTO users (id, email, name, password_hash, locale, active, created_at)"
            " VALUES (1, 'a@mektep.kz', 'Әсел', '', 'kk', true, :created)",
            "INSERT INTO resources (id, uuid, owner_id, state, reviews_anonymous, created_at,"
            " updated_at, published_at, downloads, lock_version) VALUES"
            " (1, 'a0000000-0000-4000-8000-000000000001', 1, 'unpublished', true, :created,"
            " :created, :created, 0, 1),"
            " (2, 'a0000000-0000-4000-8000-000000000002', 1, 'published', true, :created,"
            " :created, :created, 0, 1)",
            "INSERT INTO audit_events (resource_id, action, from_state, to_state, reason,"
            " details, at) VALUES (1, 'unpublish', 'published', 'unpublished', 'Шағым', '{}',"
            " :down), (1, 'note', 'published', 'published', '', '{}', :created)",
        ]
        for statement in statements:
            db.session.execute(sa.text(statement), at)
        db.session.commit()

        upgrade()
        rows = dict(db.session.execute(sa.text("SELECT id, state_entered_at FROM resources")).all())
        generation = db.session.scalar(sa.text("SELECT generation FROM search_generation"))
        assert generation == 0
        taken_down = rows[1] if isinstance(rows[1], datetime) else datetime.fromisoformat(rows[1])
        assert taken_down.replace(tzinfo=UTC) == TAKEN_DOWN_AT  # the event into its state
        assert rows[2] is None  # no event: OAI dates it from published_at, as before
        db.session.remove()  # the migration's DROP waits for no reader

        downgrade(revision=BEFORE)
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("resources")}
        assert "state_entered_at" not in columns
        assert not sa.inspect(db.engine).has_table("search_generation")
        db.session.remove()
        db.engine.dispose()
