"""Helpers of the sync tests: a real catalogue with published packages, served over HTTP,
and the ``sandyq sync moodle`` command run through click's CliRunner.

The catalogue is the real app (fixture ``app``: SQLite, then PostgreSQL) on a loopback
port, as the sync sees it in production: it only ever talks HTTP to it. Each resource
gets a package of its own (the sample course plus one distinct file), so sha256 and
sha1 differ between resources and between versions.
"""

from __future__ import annotations

import json
import shutil
import threading
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from catalogue.db import db
from catalogue.models import Resource, ResourceVersion, Role, State, utcnow
from tests.support.catalogue import Person, add_resource, add_sync_token, add_user, sample_package


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """A WSGI app on a free loopback port, in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="sync-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def package_variant(tmp_path: Path, label: str) -> Path:
    """The sample SCORM package with one extra file naming ``label``: a package of its own."""
    source = sample_package(tmp_path)
    target = tmp_path / "variants" / f"{label}.zip"
    target.parent.mkdir(exist_ok=True)
    shutil.copy(source, target)
    with zipfile.ZipFile(target, "a") as archive:
        archive.writestr("sandyq-variant.txt", f"variant {label}\n")
    return target


@dataclass
class Catalogue:
    """A catalogue app, its URL once served, a teacher and a read-only sync token."""

    app: Flask
    teacher: Person
    token: str
    tmp_path: Path
    url: str = ""
    uuids: dict[str, str] = field(default_factory=dict)

    def publish(self, label: str, **metadata: Any) -> str:
        package = package_variant(self.tmp_path, label)
        uuid = add_resource(self.app, self.teacher, package=package, **metadata)
        self.uuids[label] = uuid
        return uuid

    def new_version(self, uuid: str, label: str) -> None:
        """Version 2 with another package, as the council publishes a revision."""
        from catalogue.storage import storage

        package = package_variant(self.tmp_path, label)
        with self.app.app_context():
            with package.open("rb") as stream:
                sha256, size = storage().put(stream)
            resource = db.session.scalars(select(Resource).where(Resource.uuid == uuid)).one()
            first = resource.latest
            fields = {
                name: getattr(first, name)
                for name in ("title_kk", "description_kk", "language", "subject", "grades",
                             "keywords", "license", "copyright_attested", "scorm_version",
                             "offline_ready")
            }  # fmt: skip
            resource.versions.append(
                ResourceVersion(
                    number=first.number + 1,
                    created_by_id=self.teacher.id,
                    package_sha256=sha256,
                    package_size=size,
                    frozen_at=utcnow(),
                    **fields,
                )
            )
            resource.published_number = first.number + 1
            db.session.commit()

    def set_state(self, uuid: str, state: State) -> None:
        with self.app.app_context():
            resource = db.session.scalars(select(Resource).where(Resource.uuid == uuid)).one()
            resource.state = state
            if state is State.PUBLISHED:
                resource.published_at = utcnow()
                resource.published_number = resource.published_number or resource.latest.number
            db.session.commit()


def a_catalogue(app: Flask, tmp_path: Path) -> Catalogue:
    teacher = add_user(app, "mugalim@example.kz", Role.TEACHER)
    return Catalogue(app, teacher, add_sync_token(app, teacher), tmp_path)


def stock(catalogue: Catalogue) -> None:
    """Four published resources over two subjects, one without a subject, several grades,
    and one that was unpublished before Moodle ever saw it."""
    catalogue.publish("newton", title_kk="Ньютон заңдары", subject="physics", grades=[7])
    catalogue.publish("light", title_kk="Жарық", subject="physics", grades=[9, 8])
    catalogue.publish("atoms", title_kk="Атомдар", title_ru="Атомы", language="ru",
                      subject="chemistry", grades=[8])  # fmt: skip
    catalogue.publish("misc", title_kk="Қауіпсіздік ережелері", subject="", grades=[])
    old = catalogue.publish("old", title_kk="Ескі сабақ", subject="physics", grades=[7])
    catalogue.set_state(old, State.UNPUBLISHED)


def sync(
    env: Mapping[str, str],
    *args: str,
    state_dir: Path,
) -> Result:
    """``sandyq sync moodle`` through CliRunner (stdout and stderr apart)."""
    from scorm_builder.cli import main

    runner = CliRunner()
    return runner.invoke(
        main,
        ["sync", "moodle", "--state-dir", str(state_dir), *args],
        env={"SANDYQ_MOODLE_URL": "", "SANDYQ_CATALOGUE_URL": "", **env},
        catch_exceptions=False,
    )


def as_json(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data
