"""Submitting a package: POST /api/v1/resources prefills the metadata from the manifest,
takes the author's fields on top, and refuses what it cannot accept without storing a byte.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from catalogue.db import db
from catalogue.models import AuditEvent, Resource, ResourceVersion, Role
from scorm_builder.validate import validate_package
from scorm_builder.validate.messages import render
from tests.support.catalogue import (
    Person,
    add_sync_token,
    add_user,
    csrf_token,
    sample_package,
    sign_in,
)
from tests.support.error_texts import said


@pytest.fixture(scope="module")
def newton(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The Kazakh sample course as a valid SCORM 2004 package."""
    return sample_package(tmp_path_factory.mktemp("newton")).read_bytes()


def upload(
    client: FlaskClient,
    package: bytes,
    headers: dict[str, str] | None = None,
    **fields: str,
) -> TestResponse:
    data: dict[str, object] = {"package": (io.BytesIO(package), "Ньютон.zip"), **fields}
    return client.post(
        "/api/v1/resources", data=data, headers=headers or {}, content_type="multipart/form-data"
    )


def without(package: bytes, name: str) -> bytes:
    """The package with one zip entry left out."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
    return out.getvalue()


def nothing_stored(app: Flask) -> None:
    """No resource, version or audit row, no stored package and no staged upload."""
    with app.app_context():
        for model in (Resource, ResourceVersion, AuditEvent):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
    data = Path(app.config["DATA_DIR"])
    assert [p for p in (data / "packages").rglob("*") if p.is_file()] == []
    uploads = data / "uploads"
    assert not uploads.exists() or list(uploads.iterdir()) == []


@pytest.fixture
def teacher(app: Flask) -> Person:
    return add_user(app, "aliya@mektep.kz", Role.TEACHER, name="Әлия Нұрланова")


def test_the_manifest_prefills_the_metadata(
    app: Flask, client: FlaskClient, teacher: Person, newton: bytes
) -> None:
    response = upload(client, newton, teacher.auth)

    assert response.status_code == 201, response.json
    body = response.json
    assert body is not None
    assert response.headers["Location"] == f"/api/v1/resources/{body['uuid']}"
    assert body["state"] == "draft"
    assert body["owner"] == {"name": "Әлия Нұрланова", "email": "aliya@mektep.kz"}
    version = body["latest_version"]
    assert version["number"] == 1 and version["frozen"] is False
    assert version["validation"] == {"valid": True, "findings": []}
    assert version["package"]["size"] == len(newton)
    assert version["package"]["name"] == "Ньютон.zip"
    metadata = version["metadata"]
    assert metadata["title"] == metadata["title_kk"] == "Ньютон заңдары"
    assert metadata["description_kk"] == "7-сынып, физика: Ньютонның үш заңы, күш пен масса"
    assert metadata["language"] == "kk"
    assert metadata["subject"] == "physics"
    assert metadata["grades"] == [7]
    assert metadata["keywords"] == ["күш", "масса", "үдеу", "инерция"]
    assert metadata["scorm_version"] == "2004 4th Edition"
    assert metadata["resource_type"] == "lesson"
    assert metadata["accessibility"] == ["alt_text"]
    assert metadata["offline_ready"] is True
    assert metadata["copyright_attested"] is False
    with app.app_context():
        stored = db.session.scalar(sa.select(ResourceVersion))
        assert stored is not None
        from catalogue.storage import storage

        assert storage().exists(stored.package_sha256)
        assert storage().path(stored.package_sha256).read_bytes() == newton
        event = db.session.scalar(sa.select(AuditEvent))
        assert event is not None and (event.action, event.to_state) == ("create", "draft")
    assert list((Path(app.config["DATA_DIR"]) / "uploads").iterdir()) == []


def test_the_authors_fields_override_the_prefill(
    app: Flask, client: FlaskClient, teacher: Person, newton: bytes
) -> None:
    coauthor = add_user(app, "berik@mektep.kz", Role.TEACHER, name="Берік")
    response = upload(
        client,
        newton,
        teacher.auth,
        title_ru="Законы Ньютона",
        description_en="Newton's three laws",
        language="ru",
        subject="Physics",
        grades="7, 8",
        resource_type="test",
        keywords="сила,масса",
        learning_minutes="45",
        license="CC-BY-SA-4.0",
        rights_holder="№12 мектеп",
        copyright_attested="true",
        coauthors="Berik@mektep.kz",
    )

    assert response.status_code == 201, response.json
    body = response.json
    assert body is not None
    metadata = body["latest_version"]["metadata"]
    assert metadata["title"] == "Законы Ньютона"  # the resource's language is now Russian
    assert metadata["title_kk"] == "Ньютон заңдары"  # the manifest's title stays
    assert metadata["description_en"] == "Newton's three laws"
    assert (metadata["subject"], metadata["grades"]) == ("physics", [7, 8])
    assert metadata["resource_type"] == "test"
    assert metadata["keywords"] == ["сила", "масса"]
    assert metadata["learning_minutes"] == 45
    assert metadata["license"] == "CC-BY-SA-4.0"
    assert metadata["rights_holder"] == "№12 мектеп"
    assert metadata["copyright_attested"] is True
    assert body["coauthors"] == [{"name": "Берік", "email": coauthor.email}]


def test_bad_fields_are_refused_all_at_once_and_nothing_is_stored(
    app: Flask, client: FlaskClient, teacher: Person, newton: bytes
) -> None:
    response = upload(
        client,
        newton,
        teacher.auth,
        license="CC-BY-5.0",
        language="de",
        grades="7,13",
        resource_type="podcast",
        titel_kk="typo",
    )

    assert response.status_code == 422
    error = response.json["error"]  # type: ignore[index]
    assert error["code"] == "metadata_invalid"
    assert set(error["details"]["fields"]) == {
        "license",
        "language",
        "grades",
        "resource_type",
        "titel_kk",
    }
    nothing_stored(app)


def test_an_unknown_coauthor_is_refused(
    app: Flask, client: FlaskClient, teacher: Person, newton: bytes
) -> None:
    response = upload(client, newton, teacher.auth, coauthors="nobody@mektep.kz")
    assert response.status_code == 422
    assert response.json["error"]["code"] == "unknown_user"  # type: ignore[index]
    nothing_stored(app)


def test_an_invalid_package_is_refused_with_findings_in_russian(
    app: Flask, client: FlaskClient, teacher: Person, newton: bytes, tmp_path: Path
) -> None:
    broken = without(newton, "content/pages/img/inertia.png")

    response = upload(client, broken, {**teacher.auth, "Accept-Language": "ru-RU,ru;q=0.9"})

    assert response.status_code == 422
    error = response.json["error"]  # type: ignore[index]
    assert error["code"] == "package_invalid"
    findings = error["details"]["findings"]
    assert [f["rule"] for f in findings if f["severity"] == "error"] == ["FILE-MISSING"]
    (tmp_path / "broken.zip").write_bytes(broken)
    expected = next(
        f for f in validate_package(tmp_path / "broken.zip").findings if f.rule == "FILE-MISSING"
    )
    missing = next(f for f in findings if f["rule"] == "FILE-MISSING")
    assert missing["message"] == render(expected, "ru").message
    assert missing["hint"] == render(expected, "ru").hint
    assert missing["entry"] == "imsmanifest.xml" and isinstance(missing["line"], int)
    nothing_stored(app)


def test_findings_are_in_kazakh_by_default(
    client: FlaskClient, teacher: Person, newton: bytes
) -> None:
    response = upload(client, without(newton, "imsmanifest.xml"), teacher.auth)
    assert response.status_code == 422
    findings = response.json["error"]["details"]["findings"]  # type: ignore[index]
    assert findings[0]["rule"] == "ZIP-NO-MANIFEST"
    assert "imsmanifest.xml файлы жоқ" in findings[0]["message"]


def test_a_file_that_is_not_a_zip_is_refused(
    app: Flask, client: FlaskClient, teacher: Person
) -> None:
    response = upload(client, "Бұл zip емес".encode(), {**teacher.auth, "Accept-Language": "en"})

    assert response.status_code == 422
    error = response.json["error"]  # type: ignore[index]
    assert error["code"] == "not_a_zip"
    assert error["message"] == said(app, "en", "not_a_zip")
    assert error["details"]["findings"][0]["message"].startswith("This file is not a zip archive")
    nothing_stored(app)


def test_a_package_over_the_limit_is_refused(
    app: Flask, client: FlaskClient, teacher: Person, newton: bytes
) -> None:
    app.config["MAX_UPLOAD_BYTES"] = len(newton) - 1

    response = upload(client, newton, teacher.auth)

    assert response.status_code == 413
    error = response.json["error"]  # type: ignore[index]
    assert error["code"] == "too_large"
    assert error["details"] == {"limit_bytes": len(newton) - 1}
    nothing_stored(app)
    app.config["MAX_UPLOAD_BYTES"] = len(newton)
    assert upload(client, newton, teacher.auth).status_code == 201


def test_a_package_without_a_title_anywhere_is_refused(
    app: Flask, client: FlaskClient, teacher: Person, newton: bytes
) -> None:
    """The manifest's title can be cleared, but some title must remain."""
    response = upload(client, newton, {**teacher.auth, "Accept-Language": "en"}, title_kk="")
    assert response.status_code == 422
    assert response.json["error"]["details"]["fields"] == {  # type: ignore[index]
        "title": "Give a title in at least one language."
    }
    nothing_stored(app)


def test_the_package_field_is_required(client: FlaskClient, teacher: Person) -> None:
    response = client.post("/api/v1/resources", data={"title_kk": "Ньютон"}, headers=teacher.auth)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "package_missing"  # type: ignore[index]


@pytest.mark.parametrize("who", ["nobody", "reviewer", "sync token"])
def test_only_teachers_submit(app: Flask, client: FlaskClient, newton: bytes, who: str) -> None:
    teacher = add_user(app, "t@mektep.kz", Role.TEACHER)
    headers = {
        "nobody": {},
        "reviewer": add_user(app, "r@kenes.kz", Role.REVIEWER).auth,
        "sync token": {"Authorization": f"Bearer {add_sync_token(app, teacher)}"},
    }[who]

    response = upload(client, newton, headers)

    assert response.status_code == (401 if who == "nobody" else 403)
    nothing_stored(app)


def test_a_signed_in_teacher_submits_from_the_browser(
    client: FlaskClient, teacher: Person, newton: bytes
) -> None:
    sign_in(client, teacher)
    # a page's script sends the token its forms carry, as the X-CSRFToken header
    assert upload(client, newton, {"X-CSRFToken": csrf_token(client)}).status_code == 201


def test_warnings_are_kept_with_the_version(
    client: FlaskClient, teacher: Person, newton: bytes
) -> None:
    """A page that loads a script from the internet is valid, but not offline-ready."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(newton)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "content/pages/01-kirispe.html":
                data = data.replace(
                    b"</head>", b'<script src="https://cdn.example.com/lib.js"></script></head>'
                )
            target.writestr(info, data)

    response = upload(client, out.getvalue(), {**teacher.auth, "Accept-Language": "en"})

    assert response.status_code == 201
    version = response.json["latest_version"]  # type: ignore[index]
    assert version["validation"]["valid"] is True
    [warning] = version["validation"]["findings"]
    assert (warning["rule"], warning["severity"]) == ("OFFLINE-REMOTE", "warning")
    assert warning["entry"] == "content/pages/01-kirispe.html"
    assert "https://cdn.example.com/lib.js" in warning["message"]
    assert version["metadata"]["offline_ready"] is False
