"""The teacher's build and upload pages: a package from the sample .docx built by a job,
previewed, described and sent to the council; an uploaded package checked, with findings
in the teacher's language; and the forms refusing what they cannot take.

Jobs run inline (``JOBS_BACKEND="inline"``), so a POST returns once the job is done.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalogue.db import db
from catalogue.models import Job, JobState, Resource, Role, State
from tests.conftest import REPO
from tests.support.catalogue import Person, add_user, csrf_token, sample_package, sign_in

COURSE = REPO / "samples" / "physics-7-course"
DOCX = COURSE / "newton-lesson.docx"
DOCX_TITLE = "Ньютонның екінші заңы"


@pytest.fixture
def teacher(app: Flask, client: FlaskClient) -> Person:
    app.config["JOBS_BACKEND"] = "inline"
    person = add_user(app, "aliya@mektep.kz", Role.TEACHER, name="Әлия Нұрланова")
    sign_in(client, person)
    return person


def _latest_job(app: Flask, person: Person) -> Job:
    with app.app_context():
        job = db.session.scalar(
            sa.select(Job).where(Job.owner_id == person.id).order_by(Job.created_at.desc())
        )
        assert job is not None
        db.session.expunge(job)
        return job


def _build(client: FlaskClient, *files: tuple[Path, str], **fields: str) -> str:
    """POST the build form; the page the job's progress page leads to once done."""
    data: dict[str, object] = {
        "csrf_token": csrf_token(client),
        "files": [(io.BytesIO(path.read_bytes()), name) for path, name in files],
        "scorm": "2004",
        "language": "kk",
        **fields,
    }
    response = client.post("/build", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    progress = client.get(response.headers["Location"])
    assert progress.status_code == 302, progress.get_data(as_text=True)
    location = progress.headers["Location"]
    assert re.fullmatch(r"/build/[0-9a-f-]{36}", location), location
    return location


def _metadata(client: FlaskClient, **overrides: str) -> dict[str, str]:
    fields = {
        "csrf_token": csrf_token(client),
        "title_kk": DOCX_TITLE,
        "description_kk": "7-сынып, физика: күш, масса және үдеу.",
        "language": "kk",
        "subject": "physics",
        "grades": "7",
        "resource_type": "lesson",
        "keywords": "күш, масса, үдеу",
        "learning_minutes": "45",
        "license": "CC-BY-4.0",
        "rights_holder": "Әлия Нұрланова",
        "copyright_attested": "1",
    }
    fields.update(overrides)
    return fields


def _resources(app: Flask) -> list[tuple[str, State, int, str]]:
    with app.app_context():
        return [
            (r.uuid, r.state, r.owner_id, r.latest.title_kk)
            for r in db.session.scalars(sa.select(Resource).order_by(Resource.id))
        ]


# ---- build ---------------------------------------------------------------------------


def test_the_build_form_offers_files_scorm_versions_and_metadata(
    client: FlaskClient, teacher: Person
) -> None:
    page = client.get("/build").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    file_input = re.search(r"<input id=\"f-files\"[^>]*>", page)
    assert file_input is not None
    assert "multiple" in file_input.group(0)
    assert 'accept=".docx,.gift,.txt,.mp4,.webm,.mov,.mkv,.srt,.vtt"' in file_input.group(0)
    assert re.search(
        r'<input id="f-scorm-2004" type="radio" name="scorm" value="2004" checked>', page
    )
    assert 'value="1.2"' in page
    assert "<legend>" in page
    assert 'name="single_sco"' in page
    assert 'name="csrf_token"' in page
    assert "Физика" in page  # the subject list, in Kazakh


def test_a_teacher_builds_the_sample_docx_and_submits_it_to_the_council(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    built = _build(client, (DOCX, "newton-lesson.docx"), grades="7")
    job = _latest_job(app, teacher)
    assert (job.kind, job.state, job.params["then"]) == (
        "build",
        JobState.SUCCEEDED,
        "teacher.built",
    )
    assert job.params["scorm"] == "2004" and job.params["grades"] == [7]

    page = client.get(built).get_data(as_text=True)
    assert '<iframe class="preview-frame"' in page
    assert 'src="/preview/' in page
    assert f'name="title_kk" type="text" value="{DOCX_TITLE}"' in page  # prefilled
    assert "Submit to the council" in page or "Кеңеске жіберу" in page

    response = client.post(built, data=_metadata(client, action="submit"))
    assert response.status_code == 302
    [(uuid, state, owner, title)] = _resources(app)
    assert (state, owner, title) == (State.SUBMITTED, teacher.id, DOCX_TITLE)
    assert response.headers["Location"] == f"/my/resources/{uuid}"

    resource_page = client.get(f"/my/resources/{uuid}").get_data(as_text=True)
    assert DOCX_TITLE in resource_page
    assert "state-submitted" in resource_page

    again = client.post(built, data=_metadata(client, action="submit"))
    assert again.headers["Location"] == f"/my/resources/{uuid}"
    assert len(_resources(app)) == 1, "posting the form twice makes one resource"


def test_save_as_draft_keeps_the_resource_with_its_author(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    built = _build(client, (DOCX, "newton-lesson.docx"), scorm="1.2")
    assert _latest_job(app, teacher).params["scorm"] == "1.2"
    response = client.post(built, data=_metadata(client, action="draft", copyright_attested=""))
    assert response.status_code == 302
    [(uuid, state, owner, _)] = _resources(app)
    assert (state, owner) == (State.DRAFT, teacher.id)

    page = client.get(f"/my/resources/{uuid}").get_data(as_text=True)
    assert "state-draft" in page
    assert 'action="/my/resources/' + uuid + '/metadata"' in page
    with app.app_context():
        found = db.session.scalar(sa.select(Resource).where(Resource.uuid == uuid))
        assert found is not None
        assert found.latest.scorm_version.startswith("1.2")
        assert found.latest.copyright_attested is False


def test_submitting_without_the_rights_confirmed_makes_nothing_and_says_so_at_the_box(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    built = _build(client, (DOCX, "newton-lesson.docx"))
    form = client.get(built).get_data(as_text=True)
    box = re.search(r'<label for="f-copyright_attested">[^<]+<span class="required"', form)
    assert box is not None  # marked as needed, though a draft may be saved without it
    response = client.post(built, data=_metadata(client, action="submit", copyright_attested=""))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _resources(app) == []  # no draft saved behind the teacher's back
    summary = page.index('class="error-summary"')
    assert page.index('href="#f-copyright_attested"', summary) < page.index("<form", summary)
    assert 'id="f-copyright_attested-error"' in page  # and the message at the box itself
    assert f'value="{DOCX_TITLE}"' in page  # what the teacher typed is kept
    draft = client.post(built, data=_metadata(client, action="draft", copyright_attested=""))
    assert draft.status_code == 302 and len(_resources(app)) == 1


def test_bad_metadata_is_shown_beside_its_field_and_nothing_is_made(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    built = _build(client, (DOCX, "newton-lesson.docx"))
    response = client.post(
        built,
        data=_metadata(client, action="submit", grades="жетінші", learning_minutes="0"),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="f-grades-error"' in page
    assert 'id="f-learning_minutes-error"' in page
    assert 'value="жетінші"' in page  # what the teacher typed is kept
    assert _resources(app) == []


def test_a_video_with_captions_and_a_quiz_build_into_one_package(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    built = _build(
        client,
        (COURSE / "newton-lecture.mp4", "newton-lecture.mp4"),
        (COURSE / "newton-lecture.kk.srt", "newton-lecture.kk.srt"),
        (COURSE / "newton-test.gift", "newton-test.gift"),
        title="Бейнедәріс және тест",
        subject="physics",
    )
    page = client.get(built).get_data(as_text=True)
    assert '<iframe class="preview-frame"' in page
    assert 'value="Бейнедәріс және тест"' in page
    assert re.search(r'<option value="physics"\s+selected>', page)

    # A plain summary comes first; the preview waits, folded, below it.
    from scorm_builder.readers.quiz import read_quiz_text

    gift = COURSE / "newton-test.gift"
    questions, _ = read_quiz_text(gift.read_bytes(), source=gift.name)
    scored = sum(1 for question in questions if question.graded)
    summary = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))
    assert summary["Сұрақтар"] == f"{len(questions)}, оның {scored} ұпай береді"
    assert summary["Бейне"] == "1 минут"  # the sample lecture is 40 seconds long
    assert summary["Ескертулер"] == "0" and "Беттер" not in summary  # no lesson pages
    assert page.index("built-summary") < page.index('<details class="built-preview">')
    assert page.index('<details class="built-preview">') < page.index("<iframe")


def test_the_builds_warnings_are_listed_before_the_preview(
    app: Flask, client: FlaskClient, teacher: Person, tmp_path: Path
) -> None:
    test = tmp_path / "сынақ.gift"
    test.write_text(
        "::Күш:: Күштің өлшем бірлігі? {=Ньютон ~Джоуль}\n\n"
        "::Жартылай:: Қайсысы дұрыс? {~%50%Масса ~%0%Уақыт ~%0%Жол}\n",
        encoding="utf-8",
    )
    page = client.get(_build(client, (test, test.name), title="Сынақ")).get_data(as_text=True)
    summary = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))
    assert summary["Ескертулер"] == "1" and summary["Сұрақтар"] == "2"
    warnings = re.findall(r"<li>([^<]+)</li>", page[page.index("built-warnings") :])
    assert warnings and "сынақ.gift:3" in warnings[0] and "not 100%" in warnings[0]
    assert page.index("built-warnings") < page.index('<details class="built-preview">')


# ---- the build form refuses ----------------------------------------------------------


def test_a_test_with_no_questions_is_refused_naming_the_file(
    app: Flask, client: FlaskClient, teacher: Person, tmp_path: Path
) -> None:
    text = tmp_path / "бақылау.txt"
    text.write_text("Бүгін біз Ньютон заңдарын қайталаймыз.\nСұрақтар кейін болады.\n")
    data = {"csrf_token": csrf_token(client), "scorm": "2004", "language": "kk",
            "files": [(io.BytesIO(text.read_bytes()), text.name)]}  # fmt: skip
    started = client.post("/build", data=data, content_type="multipart/form-data")
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert _latest_job(app, teacher).state is JobState.FAILED
    error = re.search(r'<p class="flash flash-error job-error" role="alert">([^<]+)</p>', page)
    assert error is not None, page
    assert "бақылау.txt" in error.group(1) and "no question" in error.group(1)
    assert "preview-frame" not in page and _resources(app) == []


def test_the_build_form_needs_a_file(app: Flask, client: FlaskClient, teacher: Person) -> None:
    response = client.post(
        "/build",
        data={"csrf_token": csrf_token(client), "scorm": "1.2", "language": "ru", "title": "Дробь"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="f-files-error"' in page
    assert 'class="error-summary"' in page
    assert re.search(r'value="1.2" checked', page)  # the choices are kept
    assert 'value="Дробь"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0


def test_the_build_form_refuses_unknown_extensions(
    app: Flask, client: FlaskClient, teacher: Person, tmp_path: Path
) -> None:
    slides = tmp_path / "слайдтар.pptx"
    slides.write_bytes(b"PK\x03\x04 not really")
    response = client.post(
        "/build",
        data={
            "csrf_token": csrf_token(client),
            "files": [(io.BytesIO(slides.read_bytes()), slides.name)],
            "scorm": "2004",
            "language": "kk",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(r'<p class="field-error" id="f-files-error">([^<]*)</p>', page)
    assert error is not None and "слайдтар.pptx" in error.group(1)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0


def test_the_build_form_refuses_captions_alone_and_bad_grades(
    client: FlaskClient, teacher: Person
) -> None:
    captions = COURSE / "newton-lecture.kk.srt"
    response = client.post(
        "/build",
        data={
            "csrf_token": csrf_token(client),
            "files": [(io.BytesIO(captions.read_bytes()), captions.name)],
            "scorm": "2004",
            "language": "kk",
            "grades": "7, он үш",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="f-files-error"' in page
    assert 'id="f-grades-error"' in page
    assert 'value="7, он үш"' in page


def test_the_build_form_refuses_files_over_the_upload_limit(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    app.config["MAX_UPLOAD_BYTES"] = 1000
    response = client.post(
        "/build",
        data={
            "csrf_token": csrf_token(client),
            "files": [(io.BytesIO(DOCX.read_bytes()), DOCX.name)],
            "scorm": "2004",
            "language": "kk",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert 'id="f-files-error"' in response.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    response = client.post(
        "/build",
        data={"files": [(io.BytesIO(DOCX.read_bytes()), DOCX.name)], "scorm": "2004"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0


def test_another_teachers_build_is_not_found(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    built = _build(client, (DOCX, "newton-lesson.docx"))
    other = add_user(app, "basqa@mektep.kz", Role.TEACHER)
    sign_in(client, other)
    assert client.get(built).status_code == 404
    assert client.post(built, data=_metadata(client, action="draft")).status_code == 404
    assert _resources(app) == []


# ---- upload --------------------------------------------------------------------------


def _upload(client: FlaskClient, content: bytes, name: str, **headers: str) -> str:
    response = client.post(
        "/upload",
        data={"csrf_token": csrf_token(client), "package": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        headers=headers,
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    progress = client.get(response.headers["Location"])
    assert progress.status_code == 302, progress.get_data(as_text=True)
    return str(progress.headers["Location"])


def _not_scorm() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("сабақ.html", "<p>Сәлем</p>")
    return buffer.getvalue()


def test_a_valid_package_is_checked_previewed_and_saved(
    app: Flask, client: FlaskClient, teacher: Person, tmp_path: Path
) -> None:
    checked = _upload(client, sample_package(tmp_path).read_bytes(), "Ньютон заңдары.zip")
    page = client.get(checked).get_data(as_text=True)
    assert '<iframe class="preview-frame"' in page
    assert "Ньютон заңдары" in page
    response = client.post(checked, data=_metadata(client, action="draft", title_kk="Ньютон"))
    assert response.status_code == 302
    [(_, state, owner, title)] = _resources(app)
    assert (state, owner, title) == (State.DRAFT, teacher.id, "Ньютон")


def test_an_invalid_package_shows_its_findings_in_kazakh(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    checked = _upload(client, _not_scorm(), "сабақ.zip")
    page = client.get(checked).get_data(as_text=True)
    assert "Пакетте imsmanifest.xml файлы жоқ" in page
    assert "<iframe" not in page
    assert 'name="title_kk"' not in page  # nothing to describe
    assert client.post(checked, data=_metadata(client, action="draft")).status_code == 302
    assert _resources(app) == []


def test_findings_follow_the_teachers_language(client: FlaskClient, teacher: Person) -> None:
    checked = _upload(client, _not_scorm(), "урок.zip")
    russian = client.get(checked, headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "В пакете нет файла imsmanifest.xml" in russian
    assert "Пакетте imsmanifest.xml" not in russian
    client.get("/language/ru")  # the visitor's own choice, remembered in a cookie
    chosen = client.get(checked, headers={"Accept-Language": "kk"}).get_data(as_text=True)
    assert "В пакете нет файла imsmanifest.xml" in chosen


def test_the_upload_form_needs_a_file(client: FlaskClient, teacher: Person) -> None:
    response = client.post(
        "/upload", data={"csrf_token": csrf_token(client)}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert 'id="f-package-error"' in response.get_data(as_text=True)


def test_a_file_that_is_no_zip_fails_its_check(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    response = client.post(
        "/upload",
        data={"csrf_token": csrf_token(client), "package": (io.BytesIO(b"%PDF-1.4"), "сабақ.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    job = _latest_job(app, teacher)
    assert job.state is JobState.FAILED
    page = client.get(f"/build/{job.id}").get_data(as_text=True)
    assert "flash-error" in page
    assert _resources(app) == []


def test_a_package_built_and_left_behind_waits_in_my_resources(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    built = _build(client, (DOCX, "newton-lesson.docx"))
    job = _latest_job(app, teacher)
    page = client.get("/my/resources").get_data(as_text=True)
    assert 'id="unsaved-heading"' in page and f'href="/jobs/{job.id}"' in page
    assert "Ньютон" in page  # the lesson's own (Kazakh) title names it
    client.post(built, data=_metadata(client, action="draft", copyright_attested=""))
    page = client.get("/my/resources").get_data(as_text=True)
    assert f'href="/jobs/{job.id}"' not in page and 'id="unsaved-heading"' not in page
