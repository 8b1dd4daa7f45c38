"""After a crash the database and the package storage agree again: ``sandyq db check``.

A process killed between storing a package and committing its row leaves a file no row
names; one killed mid-write leaves a ``.upload-*.part`` file, and one killed mid-upload a
staged ``uploads/upload-*.zip``. The first tests make exactly those states by hand and check
that the command reports them, that ``--fix`` removes them and only them, and that a row
whose file is missing is reported and fails the check.

The last test makes them for real: ``sandyq serve`` on a free port is killed with SIGKILL
while an API upload is in flight, at three moments the test can see (the server has taken
the request up and holds half its body; the package is staged and being validated; storage
has the file and the row is not committed), then started again. Nothing is half-stored: no
row exists without its file, ``db check --fix`` removes only the leftovers and exits 0, and
the upload sent again succeeds once. Killing the job worker mid-build is in
``test_jobs_restart.py``, which runs the same check after the job has run again.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from flask import Flask

from catalogue import create_app
from catalogue.cli import check_storage
from catalogue.db import db
from catalogue.models import Resource, ResourceVersion, Role, State
from catalogue.storage import storage
from tests.support.catalogue import add_resource, add_user, sample_package
from tests.support.jobs import SANDYQ, log_tail, stored_packages, wait_for
from tests.support.served import RawUpload, Server, db_check

#: The hand-made states need one database only: the check reads rows the same way on both.
SQLITE = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


def put(app: Flask, data: bytes) -> str:
    with app.app_context():
        sha256, _ = storage().put(io.BytesIO(data))
    return sha256


def aged(path: Path, seconds: float = 7200) -> None:
    """The file as an old crash left it (older than the check's grace)."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def crashed_state(app: Flask, folder: Path) -> dict[str, object]:
    """A version with its file, a file of a killed upload (no row), half a write, a staged
    upload; what each is."""
    teacher = add_user(app, "aigerim@example.kz", Role.TEACHER)
    package = folder / "kept.zip"
    package.write_bytes(b"a package with its row")
    add_resource(app, teacher, State.DRAFT, package=package, title_kk="Сақталған сабақ")
    with app.app_context():
        kept = db.session.scalars(db.select(ResourceVersion)).one().package_sha256
        aged(storage().path(kept))
    orphan = put(app, b"a package whose row was never committed")
    root = Path(app.config["DATA_DIR"]) / "packages"
    with app.app_context():
        aged(storage().path(orphan))
    part = root / ".upload-killed.part"
    part.write_bytes(b"half a pack")
    aged(part)
    staged_folder = Path(app.config["DATA_DIR"]) / "uploads"
    staged_folder.mkdir(exist_ok=True)
    staged = staged_folder / "upload-killed.zip"
    staged.write_bytes(b"half an upload")
    aged(staged)
    return {"kept": kept, "orphan": orphan, "part": part, "staged": staged}


@SQLITE
def test_the_check_finds_what_a_crash_leaves_and_fix_removes_only_that(
    app: Flask, tmp_path: Path
) -> None:
    state = crashed_state(app, tmp_path)
    found = check_storage(app)
    assert found.missing == []
    assert found.orphans == [state["orphan"]]
    assert sorted(found.leftovers) == sorted([state["part"], state["staged"]])
    assert not found.consistent
    fixed = check_storage(app, fix=True)
    assert fixed.removed == 3
    with app.app_context():
        assert not storage().exists(str(state["orphan"]))
        assert storage().exists(str(state["kept"]))
    assert not Path(str(state["part"])).exists() and not Path(str(state["staged"])).exists()
    again = check_storage(app)
    assert again.consistent


@SQLITE
def test_a_new_file_may_still_be_waiting_for_its_row(app: Flask) -> None:
    """An upload in progress stores its file, then commits: the check leaves it alone."""
    young = put(app, b"an upload that is committing right now")
    assert check_storage(app, fix=True).orphans == []
    with app.app_context():
        assert storage().exists(young)
    assert check_storage(app, grace=-1).orphans == [young]


@SQLITE
def test_a_job_result_names_its_package(app: Flask) -> None:
    """A build's package waits in storage for its teacher to submit it: not an orphan."""
    from catalogue.models import Job, JobState

    built = put(app, b"a built package")
    with app.app_context():
        aged(storage().path(built))
        db.session.add(Job(kind="build", state=JobState.SUCCEEDED, result={"sha256": built}))
        db.session.commit()
    assert check_storage(app).orphans == []


@SQLITE
def test_a_row_without_its_file_fails_the_command(app: Flask) -> None:
    teacher = add_user(app, "aigerim@example.kz", Role.TEACHER)
    add_resource(app, teacher, State.DRAFT, title_kk="Файлы жоқ сабақ")
    with app.app_context():
        version = db.session.scalars(db.select(ResourceVersion)).one()
        storage().delete(version.package_sha256)
        sha256, number = version.package_sha256, version.id
        db.engine.dispose()
    data_dir = app.config["DATA_DIR"]
    env = {**os.environ, "SANDYQ_DATABASE_URL": app.config["DATABASE_URL"]}
    done = subprocess.run(
        [SANDYQ, "db", "check", "--data-dir", data_dir, "--fix"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"missing\tversion {number}\t{sha256}" in done.stdout
    with app.app_context():
        assert db.session.get(ResourceVersion, number) is not None  # reported, never dropped


# ---- a real server killed mid-upload ------------------------------------------------------

#: Where the upload is when the server dies, as the test sees it from outside.
MOMENTS = ("mid-body", "validating", "stored")


def staged_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "uploads").glob("upload-*.zip"))


def versions_and_files(app: Flask) -> list[tuple[str, bool]]:
    """Every version's package and whether its file is stored: what "no row without its
    file" is about."""
    with app.app_context():
        shas = db.session.scalars(db.select(ResourceVersion.package_sha256)).all()
        return [(sha256, storage().exists(sha256)) for sha256 in shas]


def resources(app: Flask) -> int:
    with app.app_context():
        return len(db.session.scalars(db.select(Resource)).all())


def reached(moment: str, data_dir: Path, size: int) -> bool:
    """The upload has got to ``moment``: wholly staged (validation is stalled there), or
    the package moved into storage (the row's commit is stalled)."""
    if moment == "validating":
        staged = staged_files(data_dir)
        return bool(staged) and staged[0].stat().st_size == size
    return bool(stored_packages(data_dir))


def check_lines(data_dir: Path, *args: str, code: int) -> set[str]:
    done = db_check(data_dir, *args)
    assert done.returncode == code, done.stdout + done.stderr
    return set(done.stdout.splitlines())


@pytest.mark.parametrize("moment", MOMENTS)
def test_an_upload_killed_midway_leaves_nothing_half_stored(moment: str, tmp_path: Path) -> None:
    package = sample_package(tmp_path).read_bytes()
    sha256 = hashlib.sha256(package).hexdigest()
    data_dir = tmp_path / "data"
    # "validating" and "stored" run serve with that moment stalled for good: the test sees
    # the file appear, then kills; "mid-body" is the plain command.
    stalled = [sys.executable, "-m", "tests.support.stalled_serve", moment]
    server = Server(
        data_dir, tmp_path / "server.log", command=[SANDYQ] if moment == "mid-body" else stalled
    )
    server.start()  # it migrates the database first
    app = create_app({"DATA_DIR": str(data_dir), "JOBS_BACKEND": "inline"})
    try:
        teacher = add_user(app, "aigerim@example.kz", Role.TEACHER)
        upload = RawUpload(server.port, teacher.token, package)
        upload.begin()  # the server has read the headers and is reading the body
        if moment == "mid-body":
            upload.send(len(upload.body) // 2)
        else:
            upload.send()
            wait_for(
                lambda: reached(moment, data_dir, len(package)),
                timeout=90,
                what=f"the upload to reach {moment}\n{log_tail(server.log)}",
            )
        server.kill()
        upload.close()

        # What the crash left: never a row, at most the staged upload and the stored file.
        assert resources(app) == 0 and versions_and_files(app) == []
        staged = staged_files(data_dir)
        stored = [path.stem for path in stored_packages(data_dir)]
        assert len(staged) == (0 if moment == "mid-body" else 1)
        assert stored == ([sha256] if moment == "stored" else [])
        assert list((data_dir / "packages").glob(".upload-*.part")) == []
        if moment == "mid-body":
            assert check_lines(data_dir, code=0) == {"database and storage agree"}
        else:
            found = check_lines(data_dir, code=1)
            expected = {f"leftover\t{staged[0]}", "they disagree"}
            if moment == "stored":
                expected.add(f"orphan\t{sha256}")
            assert found == expected
            fixed = check_lines(data_dir, "--fix", code=0)
            assert fixed == {f"{line}\tremoved" for line in expected - {"they disagree"}} | {
                "they disagree"
            }
        assert staged_files(data_dir) == [] and stored_packages(data_dir) == []
        assert check_lines(data_dir, code=0) == {"database and storage agree"}

        # Started again, the same upload goes through once.
        server.command = [SANDYQ]
        server.start()
        response = httpx.post(
            f"{server.base}/api/v1/resources",
            files={"package": ("newton.zip", package, "application/zip")},
            headers=teacher.auth,
            timeout=120,
        )
        assert response.status_code == 201, response.text
        assert resources(app) == 1
        assert versions_and_files(app) == [(sha256, True)]
        assert [path.stem for path in stored_packages(data_dir)] == [sha256]
        assert check_lines(data_dir, code=0) == {"database and storage agree"}
    finally:
        server.kill()
        with app.app_context():
            db.engine.dispose()
