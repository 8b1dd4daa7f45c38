"""Background jobs on both databases: enqueue and run (inline and in-process thread), real
builds and validations, claims that two workers race for, and stale-job recovery."""

from __future__ import annotations

import io
import threading
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select, update

from catalogue.db import db
from catalogue.errors import Invalid
from catalogue.jobs import stop_worker
from catalogue.jobs.registry import JobLost
from catalogue.jobs.steps import NOT_A_ZIP, WORKER_STOPPED
from catalogue.jobs.worker import (
    Heartbeat,
    claim,
    claim_next,
    engine_of,
    recover_stale,
    run_claimed,
)
from catalogue.models import Job, JobState, Role, User, utcnow
from catalogue.storage import storage
from scorm_builder.cli import main
from tests.support.catalogue import add_user, sample_package
from tests.support.jobs import (
    COURSE,
    LESSON,
    LESSON_TITLE,
    TEST,
    job_row,
    record_only,
    stored_packages,
    submit,
    use_backend,
    wait_for,
)


def teacher(app: Flask, email: str = "aliya@mektep.kz") -> int:
    with app.app_context():
        found = db.session.scalar(select(User.id).where(User.email == email))
    if found is not None:
        return int(found)
    return add_user(app, email, Role.TEACHER, name="Әлия Нұрланова").id


def data_dir(app: Flask) -> Path:
    return Path(app.config["DATA_DIR"])


# ---- real work, inline -----------------------------------------------------------------


def test_a_word_lesson_becomes_a_stored_valid_package(app: Flask) -> None:
    owner = teacher(app)
    job_id = submit(
        app,
        owner,
        "build",
        {"scorm": "2004", "language": "kk", "subject": "physics", "grades": [7]},
        {"newton-lesson.docx": LESSON},
    )
    job = job_row(app, job_id)
    assert job.state is JobState.SUCCEEDED, job.error
    assert (job.attempts, job.step, job.progress, job.owner_id) == (1, "done", 1.0, owner)
    result = job.result
    assert result["valid"] is True and result["scorm"] == "2004"
    assert result["metadata"]["title_kk"] == LESSON_TITLE
    assert result["metadata"]["subject"] == "physics" and result["metadata"]["grades"] == [7]
    assert result["metadata"]["resource_type"] == "lesson"
    assert result["filename"] == "Ньютонның-екінші-заңы-scorm2004.zip"
    with app.app_context():
        assert storage().exists(result["sha256"])
        assert storage().size(result["sha256"]) == result["size"]
        with zipfile.ZipFile(storage().path(result["sha256"])) as archive:
            manifest = archive.read("imsmanifest.xml").decode("utf-8")
    assert LESSON_TITLE in manifest
    assert not (data_dir(app) / "jobs" / job_id).exists(), "a finished job keeps no files"


def test_a_gift_test_becomes_a_scorm_12_package_with_the_given_title(app: Flask) -> None:
    title = "Тест: Ньютон заңдары (күш, масса, үдеу)"
    job_id = submit(
        app, teacher(app), "build", {"scorm": "1.2", "title": title}, {"тест.gift": TEST}
    )
    job = job_row(app, job_id)
    assert job.state is JobState.SUCCEEDED, job.error
    assert job.result["scorm"] == "1.2" and job.result["valid"] is True
    assert job.result["metadata"]["title_kk"] == title
    assert job.result["metadata"]["resource_type"] == "test"
    assert job.result["filename"] == "Тест-Ньютон-заңдары-күш-масса-үдеу-scorm12.zip"
    assert len(stored_packages(data_dir(app))) == 1


def test_several_files_become_a_course_with_captions(app: Flask) -> None:
    files = {
        name: COURSE / name
        for name in (
            "newton-lesson.docx",
            "newton-lecture.mp4",
            "newton-lecture.kk.srt",
            "newton-lecture.ru.vtt",
            "newton-test.gift",
        )
    }
    job_id = submit(app, teacher(app), "build", {"scorm": "2004", "grades": [7]}, files)
    job = job_row(app, job_id)
    assert job.state is JobState.SUCCEEDED, job.error
    metadata = job.result["metadata"]
    assert metadata["title_kk"] == LESSON_TITLE
    assert metadata["resource_type"] == "course"
    assert "captions" in metadata["accessibility"]
    with app.app_context(), zipfile.ZipFile(storage().path(job.result["sha256"])) as archive:
        names = archive.namelist()
    assert any(name.endswith("captions.kk.vtt") for name in names)
    assert any(name.endswith("captions.ru.vtt") for name in names)
    assert any(name.endswith("video.mp4") for name in names)


def test_a_damaged_word_file_fails_with_a_message_naming_it(app: Flask) -> None:
    job_id = submit(app, teacher(app), "build", {}, {"Сабақ.docx": b"PK\x03\x04 not really"})
    job = job_row(app, job_id)
    assert job.state is JobState.FAILED
    assert job.error.startswith("Сабақ.docx: ")
    assert "not a valid .docx" in job.error or "damaged" in job.error
    assert str(data_dir(app)) not in job.error, "no server paths in a teacher's message"
    assert job.result == {} and stored_packages(data_dir(app)) == []


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"кесте.pdf": b"%PDF-1.4"}, "кесте.pdf: Sandyq cannot build a '.pdf' file"),
        ({"lecture.kk.srt": "1\n00:00:01,000 --> 00:00:02,000\nСәлем\n".encode()}, "add the video"),
        (
            {"newton-lesson.docx": LESSON, "other.kk.srt": b"", "newton-test.gift": TEST},
            "other.kk.srt: caption files go with a video",
        ),
    ],
)
def test_files_it_cannot_build_fail_clearly(
    app: Flask, files: dict[str, Path | bytes], expected: str
) -> None:
    job = job_row(app, submit(app, teacher(app), "build", {}, files))
    assert job.state is JobState.FAILED
    assert expected in job.error


@pytest.mark.parametrize(
    "name",
    ["../evil.docx", "a/b.docx", "a\\b.docx", ".hidden.docx", "", "C:lesson.docx", "x\x00.docx"],
)
def test_input_names_that_could_escape_are_refused(app: Flask, name: str) -> None:
    owner = teacher(app)
    with pytest.raises(Invalid) as refused:
        submit(app, owner, "build", {}, {"ok.docx": LESSON, name: b"x"})
    assert refused.value.code == "bad_file_name"
    with app.app_context():
        assert db.session.scalar(select(Job.id)) is None, "no job row"
    assert (
        not any((data_dir(app) / "jobs").glob("*")) if (data_dir(app) / "jobs").exists() else True
    )
    assert not (data_dir(app).parent / "evil.docx").exists()


def test_an_uploaded_package_is_checked_and_stored(app: Flask, tmp_path: Path) -> None:
    owner = teacher(app)
    package = sample_package(tmp_path)
    good = job_row(
        app,
        submit(app, owner, "validate", {"filename": "Ньютон заңы.zip"}, {"package.zip": package}),
    )
    assert good.state is JobState.SUCCEEDED and good.result["valid"] is True
    assert good.result["filename"] == "Ньютон-заңы.zip"
    assert good.result["metadata"]["title_kk"]
    with app.app_context():
        assert storage().exists(good.result["sha256"])

    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("index.html", "<h1>Сәлем</h1>")
    invalid = job_row(app, submit(app, owner, "validate", {}, {"package.zip": broken.getvalue()}))
    assert invalid.state is JobState.SUCCEEDED
    assert invalid.result["valid"] is False and invalid.result["sha256"] == ""
    assert invalid.result["findings"], "the findings say what is wrong"
    assert len(stored_packages(data_dir(app))) == 1, "an invalid package is not stored"

    not_zip = job_row(app, submit(app, owner, "validate", {}, {"package.zip": b"Word, not zip"}))
    assert not_zip.state is JobState.FAILED and not_zip.error == NOT_A_ZIP


# ---- the in-process worker -----------------------------------------------------------------


def test_the_thread_backend_runs_queued_jobs_in_the_background(app: Flask) -> None:
    use_backend(app, "thread", JOBS_POLL_SECONDS=0.2)
    try:
        owner = teacher(app)
        first = submit(app, owner, "build", {"title": "Бірінші тест"}, {"a.gift": TEST})
        second = submit(app, owner, "build", {"title": "Екінші тест"}, {"b.gift": TEST})
        for job_id in (first, second):
            wait_for(lambda j=job_id: job_row(app, j).finished, timeout=60, what="the job")
            job = job_row(app, job_id)
            assert job.state is JobState.SUCCEEDED, job.error
            assert job.attempts == 1
        titles = {job_row(app, j).result["metadata"]["title_kk"] for j in (first, second)}
        assert titles == {"Бірінші тест", "Екінші тест"}
    finally:
        stop_worker(app)


# ---- claims, heartbeats, recovery ------------------------------------------------------------


def queued_job(app: Flask, **params: object) -> str:
    record_only(app)
    return submit(app, teacher(app), "build", dict(params), {"t.gift": TEST})


def test_of_workers_racing_for_one_job_exactly_one_wins(app: Flask) -> None:
    job_id = queued_job(app)
    engine = engine_of(app)
    contenders = 8
    start = threading.Barrier(contenders)
    won: list[str] = []

    def race(name: str) -> None:
        start.wait()
        if claim(engine, job_id, name):
            won.append(name)

    threads = [threading.Thread(target=race, args=(f"worker-{n}",)) for n in range(contenders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1
    job = job_row(app, job_id)
    assert (job.state, job.worker, job.attempts) == (JobState.RUNNING, won[0], 1)
    assert not claim(engine, job_id, "latecomer")


def test_two_workers_take_two_queued_jobs_one_each(app: Flask) -> None:
    first, second = queued_job(app), queued_job(app)
    engine = engine_of(app)
    taken = {claim_next(engine, "one"), claim_next(engine, "two")}
    assert taken == {first, second}
    assert claim_next(engine, "three") is None


def _age_heartbeat(app: Flask, job_id: str, seconds: float) -> None:
    with app.app_context():
        db.session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(heartbeat_at=utcnow() - timedelta(seconds=seconds))
        )
        db.session.commit()


def test_a_stale_job_is_queued_again_then_failed_after_its_last_attempt(app: Flask) -> None:
    job_id = queued_job(app)
    engine = engine_of(app)
    assert claim(engine, job_id, "died-first")
    assert recover_stale(engine, 30).requeued == (), "a fresh heartbeat is left alone"
    _age_heartbeat(app, job_id, 120)
    assert recover_stale(engine, 30).requeued == (job_id,)
    job = job_row(app, job_id)
    assert (job.state, job.worker, job.attempts) == (JobState.QUEUED, "", 1)

    assert claim(engine, job_id, "died-second")
    _age_heartbeat(app, job_id, 120)
    recovery = recover_stale(engine, 30, data_dir(app))
    assert recovery == type(recovery)((), (job_id,))
    job = job_row(app, job_id)
    assert (job.state, job.attempts, job.error) == (JobState.FAILED, 2, WORKER_STOPPED)
    assert job.finished_at is not None
    assert not (data_dir(app) / "jobs" / job_id).exists()


def test_a_worker_presumed_dead_cannot_overwrite_the_attempt_that_replaced_it(
    app: Flask,
) -> None:
    job_id = queued_job(app, title="Қайта тірілген")
    engine = engine_of(app)
    assert claim(engine, job_id, "ghost")
    _age_heartbeat(app, job_id, 120)
    recover_stale(engine, 30)
    assert claim(engine, job_id, "successor")

    ghost = Heartbeat(engine, job_id, "ghost", 1.0)
    with pytest.raises(JobLost, match=job_id):
        ghost.report(0.5, "packaging")
    assert run_claimed(app, job_id, "ghost") is None, "the ghost's result is dropped"
    job = job_row(app, job_id)
    assert (job.state, job.worker) == (JobState.RUNNING, "successor")

    assert run_claimed(app, job_id, "successor") is JobState.SUCCEEDED
    job = job_row(app, job_id)
    assert job.state is JobState.SUCCEEDED and job.attempts == 2
    assert job.result["metadata"]["title_kk"] == "Қайта тірілген"


def test_sandyq_worker_burst_runs_what_is_queued_and_exits(app: Flask) -> None:
    first, second = queued_job(app, title="Бірінші"), queued_job(app, title="Екінші")
    result = CliRunner().invoke(
        main,
        ["worker", "--burst", "--backend", "thread", "--data-dir", app.config["DATA_DIR"]],
        env={"SANDYQ_DATABASE_URL": app.config["DATABASE_URL"]},
    )
    assert result.exit_code == 0, result.output
    assert "2 job(s) run" in result.output
    for job_id, title in ((first, "Бірінші"), (second, "Екінші")):
        job = job_row(app, job_id)
        assert job.state is JobState.SUCCEEDED, job.error
        assert job.result["metadata"]["title_kk"] == title


def test_the_job_table_lists_every_kind_enqueue_accepts() -> None:
    """The kinds are an explicit table: what ``enqueue`` accepts is what a worker runs."""
    from catalogue.jobs.handlers import HANDLERS
    from catalogue.jobs.registry import JOB_KINDS

    assert sorted(HANDLERS) == sorted(JOB_KINDS)
    assert all(callable(run) for run in HANDLERS.values())
