"""The sync's catalogue client against the real catalogue over HTTP: the feed across pages,
downloads checked against the feed, the token only where it belongs, retries, and errors."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from flask import Flask

from catalogue.models import State
from lms_sync.catalogue_client import CatalogueAuthError, CatalogueClient
from lms_sync.errors import CatalogueError
from lms_sync.retrying import Retries
from tests.support.sync import Catalogue, a_catalogue, serving, stock


@pytest.fixture
def catalogue(app: Flask, tmp_path: Path) -> Iterator[Catalogue]:
    served = a_catalogue(app, tmp_path)
    stock(served)
    with serving(app) as url:
        served.url = url
        yield served


def test_the_feed_across_pages(catalogue: Catalogue) -> None:
    with CatalogueClient(catalogue.url, catalogue.token, page_size=2) as client:
        items = client.feed()
    assert [item.uuid for item in items] == list(catalogue.uuids.values())
    newton = items[0]
    assert newton.title == "Ньютон заңдары" and newton.subject == "physics"
    assert newton.grades == (7,) and newton.published and newton.version == 1
    assert items[1].grades == (8, 9)  # sorted: the lowest grade first
    assert [item.state for item in items].count("unpublished") == 1


def test_a_download_is_checked_and_gives_the_sha1(catalogue: Catalogue, tmp_path: Path) -> None:
    with CatalogueClient(catalogue.url, catalogue.token) as client:
        item = client.feed()[0]
        download = client.download(item, tmp_path / "downloads")
    data = download.path.read_bytes()
    assert download.sha256 == item.sha256 == hashlib.sha256(data).hexdigest()
    assert download.sha1 == hashlib.sha1(data).hexdigest()  # noqa: S324
    assert download.size == item.size == len(data)
    assert [p.name for p in (tmp_path / "downloads").iterdir()] == [download.path.name]


def test_a_package_that_does_not_match_the_feed_is_refused(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    from catalogue.storage import storage

    with CatalogueClient(catalogue.url, catalogue.token) as client:
        item = client.feed()[0]
        with catalogue.app.app_context():
            storage().path(item.sha256).write_bytes(b"not the package")
        with pytest.raises(CatalogueError, match="does not match the feed"):
            client.download(item, tmp_path / "downloads")
    assert list((tmp_path / "downloads").iterdir()) == []  # no partial file left behind


def test_a_bad_token_is_an_auth_error_naming_the_option(catalogue: Catalogue) -> None:
    with CatalogueClient(catalogue.url, "not-a-token") as client:
        with pytest.raises(CatalogueAuthError) as caught:
            client.feed()
    assert caught.value.fatal
    assert "--catalogue-token" in str(caught.value) and "not-a-token" not in str(caught.value)


def test_the_token_goes_only_to_the_catalogue() -> None:
    seen: list[tuple[str, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.host, request.headers.get("authorization")))
        if request.url.host == "catalogue.test":
            return httpx.Response(
                200,
                json={"items": [], "next": "http://elsewhere.test/api/v1/published?cursor=x"},
            )
        return httpx.Response(200, json={"items": [], "next": None})

    transport = httpx.MockTransport(handler)
    with CatalogueClient("http://catalogue.test", "secret", transport=transport) as client:
        client.feed()
    assert seen == [("catalogue.test", "Bearer secret"), ("elsewhere.test", None)]


def test_timeouts_and_5xx_are_retried_with_backoff() -> None:
    answers = iter([503, 502, 200])
    pauses: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        return httpx.Response(status, json={"items": [], "next": None} if status == 200 else {})

    transport = httpx.MockTransport(handler)
    retries = Retries(retries=3, backoff=0.5, jitter=0.0)
    with CatalogueClient(
        "http://catalogue.test", "t", transport=transport, retries=retries, sleep=pauses.append
    ) as client:
        assert client.feed() == []
    assert pauses == [0.5, 1.0]

    def always_down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    with CatalogueClient(
        "http://catalogue.test",
        "t",
        transport=httpx.MockTransport(always_down),
        retries=retries,
        sleep=lambda seconds: None,
    ) as client:
        with pytest.raises(CatalogueError, match="after 4 attempts") as caught:
            client.feed()
    assert not caught.value.fatal


def test_unpublished_resources_stay_in_the_feed(catalogue: Catalogue) -> None:
    catalogue.set_state(catalogue.uuids["newton"], State.UNPUBLISHED)
    with CatalogueClient(catalogue.url, catalogue.token) as client:
        states = {item.uuid: item.state for item in client.feed()}
    assert states[catalogue.uuids["newton"]] == "unpublished"
