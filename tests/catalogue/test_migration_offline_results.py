"""Migration 0009 on a catalogue with Moodle sites' usage reports: every existing row says it
came from Moodle, the table of results files taken is there (a checksum once only), an
offline file is counted after it, and the migration goes back down to a working 0008 that
keeps the Moodle rows and drops the offline ones with the table that explained them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from catalogue import create_app
from catalogue.db import db
from catalogue.models import Role, State
from tests.catalogue.test_offline_results import entry, results_file
from tests.conftest import MIGRATING
from tests.support.catalogue import add_resource, add_results_token, add_user

BEFORE = "c8a4e2f61b95"  # 0008, the revision 0009 follows


def columns(table: str) -> set[str]:
    return {str(column["name"]) for column in sa.inspect(db.engine).get_columns(table)}


def tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def test_moodle_rows_say_so_and_offline_files_are_taken_once(
    empty_database: str, tmp_path: Path
) -> None:
    app = create_app(MIGRATING | {"DATABASE_URL": empty_database, "DATA_DIR": str(tmp_path)})
    with app.app_context():
        upgrade(revision=BEFORE)  # the catalogue as revision 0008 left it
        assert "source" not in columns("usage_reports")
        assert "offline_results_files" not in tables()
        db.session.remove()
        upgrade()
    admin = add_user(app, "akimshi@sandyq.kz", Role.ADMIN)
    uuid = add_resource(app, admin, State.PUBLISHED)
    with app.app_context():
        db.session.remove()
        downgrade(revision=BEFORE)
        resource_id = db.session.execute(
            sa.text("SELECT id FROM resources WHERE uuid = :uuid"), {"uuid": uuid}
        ).scalar_one()
        db.session.execute(  # a Moodle site's report, written as 0008's code wrote it
            sa.text(
                "INSERT INTO usage_reports (site_url, site_name, course_id, course_name,"
                " resource_id, version_number, period, learners, completed, passed, attempts,"
                " score_mean, score_median, time_seconds, received_at) VALUES ("
                " 'https://moodle.school.kz', 'Мектеп', 7, '7А', :resource, 1, :period,"
                " 4, 3, 2, 5, 75.0, 80.0, 600, :received)"
            ),
            {
                "resource": resource_id,
                "period": date(2026, 12, 7),
                "received": datetime(2026, 12, 7, 18, 0, tzinfo=UTC),
            },
        )
        db.session.commit()
        db.session.remove()

        upgrade()
        sources = db.session.execute(sa.text("SELECT site_url, source FROM usage_reports")).all()
        assert [tuple(row) for row in sources] == [("https://moodle.school.kz", "moodle")]
        assert "offline_results_files" in tables()
        uniques = sa.inspect(db.engine).get_unique_constraints("offline_results_files")
        assert [u["column_names"] for u in uniques] == [["checksum"]]
        foreign = sa.inspect(db.engine).get_foreign_keys("offline_results_files")
        assert [(f["referred_table"], f["options"].get("ondelete")) for f in foreign] == [
            ("users", "SET NULL")
        ]
        db.session.remove()

    token = {"Authorization": f"Bearer {add_results_token(app, admin)}"}
    client = app.test_client()
    played = datetime.now(UTC).date().isoformat()
    sent = results_file(
        entry(uuid, version=1, last_played=played),
        exported_at=f"{played}T00:00:00Z",
    )
    assert client.post("/api/v1/usage/offline", json=sent, headers=token).status_code == 201
    assert client.post("/api/v1/usage/offline", json=sent, headers=token).status_code == 409
    with app.app_context():
        found = db.session.execute(
            sa.text("SELECT source, count(*) FROM usage_reports GROUP BY source ORDER BY source")
        ).all()
        assert [tuple(row) for row in found] == [("moodle", 1), ("offline", 1)]
        with pytest.raises(sa.exc.IntegrityError):  # the checksum, once only
            db.session.execute(
                sa.text(
                    "INSERT INTO offline_results_files (checksum, library, school, exported_at,"
                    " taken_at, entries) VALUES (:checksum, 'x', '', :at, :at, 1)"
                ),
                {"checksum": sent["checksum"], "at": datetime.now(UTC)},
            )
        db.session.rollback()
        db.session.remove()

        downgrade(revision=BEFORE)
        assert "source" not in columns("usage_reports")
        assert "offline_results_files" not in tables()
        left = db.session.execute(sa.text("SELECT site_url, learners FROM usage_reports")).all()
        assert [tuple(row) for row in left] == [("https://moodle.school.kz", 4)]
        db.session.remove()
        db.engine.dispose()
