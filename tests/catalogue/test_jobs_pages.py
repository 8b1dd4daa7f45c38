"""The progress page of a job and its JSON status, on both databases: who may see them,
what they show while the job runs, and where they lead when it has ended."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import update

from catalogue.db import db
from catalogue.jobs.worker import Heartbeat, claim, engine_of, recover_stale
from catalogue.models import Job, JobState, Role, utcnow
from tests.support.catalogue import add_user, sign_in
from tests.support.jobs import TEST, job_row, record_only, submit

ENGLISH = {"Accept-Language": "en"}


def test_the_owner_watches_a_job_move_on(app: Flask, client: FlaskClient) -> None:
    owner = add_user(app, "aliya@mektep.kz", Role.TEACHER)
    record_only(app)
    job_id = submit(app, owner.id, "build", {}, {"тест.gift": TEST})
    sign_in(client, owner)

    page = client.get(f"/jobs/{job_id}", headers=ENGLISH)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<progress id="job-progress" max="100" value="0">' in html
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    assert "Waiting for a free worker" in html
    assert 'src="/static/jobs.js"' in html
    assert "<script>" not in html and 'style="' not in html, "the page CSP forbids inline code"
    assert html.count("<h1>") == 1 and "Building your package" in html

    engine = engine_of(app)
    assert claim(engine, job_id, "worker-1")
    Heartbeat(engine, job_id, "worker-1", 1.0).report(0.42, "transcoding")
    html = client.get(f"/jobs/{job_id}", headers=ENGLISH).get_data(as_text=True)
    assert 'value="42"' in html and "Converting the video" in html
    assert 'role="status"' in html

    status = client.get(f"/jobs/{job_id}/status", headers=ENGLISH)
    assert status.status_code == 200 and status.headers["Cache-Control"] == "no-store"
    assert status.get_json() == {
        "id": job_id,
        "kind": "build",
        "state": "running",
        "progress": 0.42,
        "percent": 42,
        "step": "transcoding",
        "step_label": "Converting the video for slow connections",
        "error": "",
        "attempts": 1,
        "finished": False,
        "next": None,
    }


def test_only_the_owner_and_administrators_see_a_job(app: Flask, client: FlaskClient) -> None:
    owner = add_user(app, "aliya@mektep.kz", Role.TEACHER)
    other = add_user(app, "bolat@mektep.kz", Role.TEACHER)
    admin = add_user(app, "admin@mektep.kz", Role.ADMIN)
    record_only(app)
    job_id = submit(app, owner.id, "build", {}, {"тест.gift": TEST})

    anonymous = client.get(f"/jobs/{job_id}")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"] == f"/login?next=/jobs/{job_id}"

    sign_in(client, other)
    assert client.get(f"/jobs/{job_id}").status_code == 404
    refused = client.get(f"/jobs/{job_id}/status")
    assert refused.status_code == 404
    assert refused.get_json()["error"]["code"] == "job_not_found"
    assert client.get("/jobs/no-such-job/status").status_code == 404

    sign_in(client, admin)
    assert client.get(f"/jobs/{job_id}").status_code == 200
    assert client.get(f"/jobs/{job_id}/status").get_json()["state"] == "queued"


def test_a_finished_job_leads_to_the_page_it_names(app: Flask, client: FlaskClient) -> None:
    owner = add_user(app, "aliya@mektep.kz", Role.TEACHER)
    sign_in(client, owner)
    job_id = submit(app, owner.id, "build", {"then": "teacher.built"}, {"тест.gift": TEST})
    with app.test_request_context():
        target = url_for("teacher.built", job_id=job_id)
    page = client.get(f"/jobs/{job_id}")
    assert page.status_code == 302 and page.headers["Location"] == target
    status = client.get(f"/jobs/{job_id}/status").get_json()
    assert (status["state"], status["finished"], status["next"]) == ("succeeded", True, target)
    assert (status["progress"], status["step"]) == (1.0, "done")

    admin = add_user(app, "admin@mektep.kz", Role.ADMIN)
    sign_in(client, admin)
    looked_at = client.get(f"/jobs/{job_id}", headers=ENGLISH)
    assert looked_at.status_code == 200 and "Done." in looked_at.get_data(as_text=True)
    assert client.get(f"/jobs/{job_id}/status").get_json()["next"] is None
    sign_in(client, owner)

    plain = submit(app, owner.id, "build", {}, {"тест.gift": TEST})
    html = client.get(f"/jobs/{plain}", headers=ENGLISH).get_data(as_text=True)
    assert "Done." in html
    assert "http-equiv" not in html and "jobs.js" not in html, "nothing left to wait for"


def test_a_failed_job_says_what_to_fix_and_where_to_start_again(
    app: Flask, client: FlaskClient
) -> None:
    owner = add_user(app, "aliya@mektep.kz", Role.TEACHER)
    sign_in(client, owner)
    job_id = submit(app, owner.id, "build", {"then": "teacher.built"}, {"Сабақ.docx": b"PK?"})
    html = client.get(f"/jobs/{job_id}", headers=ENGLISH).get_data(as_text=True)
    assert re.search(
        r'<p class="flash flash-error[^"]*" role="alert">The file has a problem to fix '
        r"\(details in English\): Сабақ\.docx: ",
        html,
    )
    with app.test_request_context():
        again = url_for("teacher.build")
    assert f'href="{again}"' in html and "Start again" in html
    assert "http-equiv" not in html
    status = client.get(f"/jobs/{job_id}/status").get_json()
    assert status["state"] == "failed" and "): Сабақ.docx: " in status["error"]
    assert status["next"] is None


def test_a_job_whose_worker_died_twice_is_explained(app: Flask, client: FlaskClient) -> None:
    owner = add_user(app, "aliya@mektep.kz", Role.TEACHER)
    record_only(app)
    job_id = submit(app, owner.id, "validate", {}, {"package.zip": b"PK"})
    engine = engine_of(app)
    for attempt in (1, 2):
        assert claim(engine, job_id, f"died-{attempt}")
        with app.app_context():
            db.session.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(heartbeat_at=utcnow() - timedelta(minutes=5))
            )
            db.session.commit()
        recover_stale(engine, 60)
    assert job_row(app, job_id).state is JobState.FAILED
    sign_in(client, owner)
    html = client.get(f"/jobs/{job_id}", headers=ENGLISH).get_data(as_text=True)
    assert "The server stopped while it was working on this" in html
    assert "The package could not be checked" in html
    with app.test_request_context():
        assert f'href="{url_for("teacher.upload")}"' in html
