"""Uploads are rate-limited per account (``UPLOAD_LIMITS``): the API answers 429 with
Retry-After and the pages say so in the teacher's language, whatever the upload was (a new
resource, a new version, a build or a check); with Redis, every process counts together."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.test import TestResponse

from catalogue import ratelimit
from catalogue.models import Role
from catalogue.ratelimit import Quota
from tests.support.catalogue import Person, add_user, csrf_token, sample_package, sign_in


@pytest.fixture
def limited(app: Flask) -> Flask:
    """The catalogue allowing two uploads an hour per account."""
    app.config["UPLOAD_LIMITS"] = "2 per hour"
    ratelimit.init_app(app)
    return app


@pytest.fixture(scope="module")
def newton(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return sample_package(tmp_path_factory.mktemp("newton")).read_bytes()


def api_upload(client: FlaskClient, package: bytes) -> TestResponse:
    data = {"package": (io.BytesIO(package), "Ньютон.zip")}
    return client.post("/api/v1/resources", data=data, content_type="multipart/form-data")


def teacher(app: Flask, client: FlaskClient, email: str) -> Person:
    person = add_user(app, email, Role.TEACHER)
    sign_in(client, person)
    return person


def test_the_third_upload_within_the_hour_is_refused_with_429(
    limited: Flask, newton: bytes
) -> None:
    client = limited.test_client()
    teacher(limited, client, "mugalim@example.kz")
    headers = {"X-CSRFToken": csrf_token(client)}
    client.environ_base["HTTP_X_CSRFTOKEN"] = headers["X-CSRFToken"]
    assert api_upload(client, newton).status_code == 201
    assert api_upload(client, b"not a zip").status_code == 422  # a refused one counts too
    answer = api_upload(client, newton)
    assert answer.status_code == 429
    assert answer.get_json()["error"]["code"] == "too_many_requests"
    assert 1 <= int(answer.headers["Retry-After"]) <= 3600


def test_each_account_has_its_own_allowance(limited: Flask, newton: bytes) -> None:
    first, second = limited.test_client(), limited.test_client()
    teacher(limited, first, "birinshi@example.kz")
    teacher(limited, second, "ekinshi@example.kz")
    for client in (first, second):
        client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token(client)
    for _ in range(2):
        assert api_upload(first, newton).status_code == 201
    assert api_upload(first, newton).status_code == 429
    assert api_upload(second, newton).status_code == 201  # same address, another teacher


def test_the_upload_page_refuses_in_the_teachers_language(limited: Flask, newton: bytes) -> None:
    client = limited.test_client()
    teacher(limited, client, "mugalim@example.kz")
    token = csrf_token(client)
    for expected in (302, 302, 429):
        answer = client.post(
            "/upload",
            data={"package": (io.BytesIO(newton), "Ньютон.zip"), "csrf_token": token},
            content_type="multipart/form-data",
            headers={"Accept-Language": "kk"},
        )
        assert answer.status_code == expected
    page = answer.get_data(as_text=True)
    assert "Сіз қысқа уақытта көп пакет жібердіңіз" in page


def test_processes_sharing_redis_share_the_allowance(redis_url: str) -> None:
    """Two gunicorn workers (here two limiters, as two processes would hold) count together."""
    quotas = [
        Quota(MovingWindowRateLimiter(storage_from_string(redis_url)), "upload", "3 per hour")
        for _ in range(2)
    ]
    key = (("account", "7"),)
    quotas[0].take(key, "too many")
    quotas[1].take(key, "too many")
    quotas[0].take(key, "too many")
    assert not quotas[1].allowed(key)
    with pytest.raises(ratelimit.TooManyRequests) as refused:
        quotas[1].take(key, "too many")
    assert refused.value.retry_after <= parse("3 per hour").get_expiry()
