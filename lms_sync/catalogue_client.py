"""The catalogue over HTTP: the published feed, page by page, and package downloads.

``lms_sync`` never imports ``catalogue``; this module is its only link. Every request
carries the bearer token, but only to the catalogue's own origin (a ``download_url`` or
``next`` link elsewhere is fetched without it). Timeouts, connection failures and 5xx
answers are retried with backoff (reads are always safe to repeat); 401/403 raise
:class:`CatalogueAuthError` at once. Downloads stream to disk, check the size and sha256
the feed announced, and compute the sha1 Moodle keeps of a SCORM package.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from lms_sync.errors import CatalogueError
from lms_sync.models import PublishedItem
from lms_sync.retrying import Retries, retry_call

log = logging.getLogger(__name__)

FEED_PATH = "/api/v1/published"
PAGE_SIZE = 500
#: Results per page of the catalogue's search (its most).
SEARCH_PAGE = 100
CHUNK = 1 << 16


class CatalogueAuthError(CatalogueError):
    """The catalogue refused the token (401/403): stop, and say which token to fix."""

    fatal = True


@dataclass(frozen=True)
class Download:
    """A package on local disk, checked against the feed."""

    path: Path
    sha256: str
    sha1: str
    size: int


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


class CatalogueClient:
    """A small httpx client for the catalogue's sync API. Thread-safe (httpx.Client is)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 30.0,
        retries: Retries | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.page_size = page_size
        self._token = token
        self._retries = retries or Retries()
        self._sleep = sleep
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            transport=transport,
            follow_redirects=False,
            # the sync reports in English: the catalogue's refusals are asked for in it too
            headers={
                "User-Agent": "sandyq-sync",
                "Accept": "application/json",
                "Accept-Language": "en",
            },
        )

    def __repr__(self) -> str:  # never the token
        return f"CatalogueClient({self.base_url!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CatalogueClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- requests ----------------------------------------------------------------------

    def _headers(self, url: str) -> dict[str, str]:
        if _origin(url) == _origin(self.base_url):
            return {"Authorization": f"Bearer {self._token}"}
        return {}

    def _check(self, response: httpx.Response, what: str) -> None:
        if response.status_code in (401, 403):
            raise CatalogueAuthError(
                f"the catalogue at {self.base_url} refused the token "
                f"(HTTP {response.status_code}) while reading {what}: check --catalogue-token "
                "(SANDYQ_CATALOGUE_TOKEN); a sync token from the catalogue's `sandyq tokens` "
                "is enough"
            )
        if response.status_code >= 400:
            raise CatalogueError(
                f"the catalogue answered HTTP {response.status_code} for {what}"
                f"{_error_text(response)}"
            )

    def _retrying(self, what: str, attempt: Callable[[], Any]) -> Any:
        """Run ``attempt``; on a timeout, a connection failure or a 5xx, again after a
        pause (``Retries``, through ``lms_sync.retrying``); other errors go straight up."""

        def on_retry(error: BaseException, number: int, delay: float) -> None:
            log.warning("catalogue: %s failed (%s), retrying in %.1fs", what,
                        type(error).__name__, delay)  # fmt: skip

        try:
            return retry_call(
                attempt,
                self._retries,
                retry_on=lambda error: isinstance(error, _RETRIED),
                on_retry=on_retry,
                sleep=self._sleep,
            )
        except _RETRIED as error:
            message = str(error) or type(error).__name__
            raise CatalogueError(
                f"the catalogue at {self.base_url} did not answer {what} after "
                f"{self._retries.attempts} attempts: {message}"
            ) from None

    def _get_json(self, url: str, params: dict[str, str] | None, what: str) -> Any:
        def attempt() -> Any:
            response = self._http.get(url, params=params, headers=self._headers(url))
            if response.status_code >= 500:
                raise _ServerError(f"HTTP {response.status_code}")
            self._check(response, what)
            try:
                return response.json()
            except ValueError:
                raise CatalogueError(
                    f"the catalogue's answer to {what} is not JSON: is {self.base_url} "
                    "the catalogue's address?"
                ) from None

        return self._retrying(what, attempt)

    # ---- the feed ----------------------------------------------------------------------

    def feed(self, since: str | None = None) -> list[PublishedItem]:
        """Every entry of the published feed (all pages), oldest change first."""
        return list(self.iter_feed(since))

    def iter_feed(self, since: str | None = None) -> Iterator[PublishedItem]:
        url: str | None = self.base_url + FEED_PATH
        params: dict[str, str] | None = {"limit": str(self.page_size)}
        if since and params is not None:
            params["since"] = since
        page = 0
        while url is not None:
            page += 1
            body = self._get_json(url, params, f"the published feed (page {page})")
            if not isinstance(body, dict) or not isinstance(body.get("items"), list):
                raise CatalogueError("the published feed has no 'items' list")
            for data in body["items"]:
                try:
                    yield PublishedItem.from_json(data)
                except (KeyError, TypeError, ValueError) as error:
                    raise CatalogueError(
                        f"the published feed has a malformed item ({error!r})"
                    ) from None
            following = body.get("next")
            url, params = (str(following), None) if following else (None, None)

    # ---- what the public reads (the offline library) -----------------------------------

    def resource(self, uuid: str) -> dict[str, Any]:
        """A published resource as ``GET /api/v1/resources/<uuid>`` describes it."""
        url = f"{self.base_url}/api/v1/resources/{uuid}"
        body = self._get_json(url, None, f"the resource {uuid}")
        if not isinstance(body, dict):
            raise CatalogueError(f"the catalogue's answer for the resource {uuid} is not an object")
        return body

    def search_uuids(self, query: str) -> set[str]:
        """The UUIDs of every published resource the catalogue's search finds for ``query``
        (a saved search, as a teacher typed it)."""
        found: set[str] = set()
        url = f"{self.base_url}/api/v1/resources"
        page = 1
        while True:
            params = {"q": query, "page": str(page), "per_page": str(SEARCH_PAGE)}
            body = self._get_json(url, params, f'the search for "{query}" (page {page})')
            items = body.get("items") if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise CatalogueError("the catalogue's search answer has no 'items' list")
            found.update(str(item["uuid"]) for item in items if isinstance(item, dict))
            if len(items) < SEARCH_PAGE:
                return found
            page += 1

    # ---- downloads ---------------------------------------------------------------------

    def download(self, item: PublishedItem, folder: Path) -> Download:
        """The package of ``item`` in ``folder`` (``<uuid>-v<version>.zip``), checked
        against the feed's size and sha256; its sha1 computed on the way."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{item.uuid}-v{item.version}.zip"
        partial = target.with_suffix(".part")
        what = f'the package of "{item.title}" ({item.uuid})'

        def attempt() -> Download:
            sha256, sha1, size = hashlib.sha256(), hashlib.sha1(), 0  # noqa: S324
            url = item.download_url
            with self._http.stream("GET", url, headers=self._headers(url)) as response:
                if response.status_code >= 500:
                    raise _ServerError(f"HTTP {response.status_code}")
                if response.status_code >= 400:
                    response.read()
                self._check(response, what)
                with partial.open("wb") as out:
                    for chunk in response.iter_bytes(CHUNK):
                        sha256.update(chunk)
                        sha1.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
            if sha256.hexdigest() != item.sha256 or (item.size and size != item.size):
                partial.unlink(missing_ok=True)
                raise CatalogueError(
                    f"{what} does not match the feed (got {size} bytes, sha256 "
                    f"{sha256.hexdigest()[:12]}…; the feed says {item.size} bytes, "
                    f"{item.sha256[:12]}…): was it changed during the download? Run again"
                )
            os.replace(partial, target)
            return Download(target, sha256.hexdigest(), sha1.hexdigest(), size)

        try:
            result: Download = self._retrying(what, attempt)
        finally:
            partial.unlink(missing_ok=True)
        return result

    # ---- results back ------------------------------------------------------------------

    def put_usage(self, report: dict[str, Any]) -> dict[str, Any]:
        """Send one usage report (``PUT /api/v1/usage``): the same site and day replace
        the last one, so repeating it is harmless and it is retried like a read.

        A token without the results scope gets :class:`ResultsRefused`, not a failure of
        the whole run: the sync's other work does not depend on it.
        """
        url = f"{self.base_url}/api/v1/usage"
        what = "the usage report"

        def attempt() -> dict[str, Any]:
            response = self._http.put(url, json=report, headers=self._headers(url))
            if response.status_code >= 500:
                raise _ServerError(f"HTTP {response.status_code}")
            if response.status_code == 403:
                raise ResultsRefused(
                    "the catalogue token may not report results (HTTP 403): ask the "
                    "catalogue's administrator for a results token (`sandyq tokens create "
                    "--scope results`), which also reads the feed"
                )
            self._check(response, what)
            answer: dict[str, Any] = response.json()
            return answer

        result: dict[str, Any] = self._retrying(what, attempt)
        return result


class ResultsRefused(CatalogueError):
    """The catalogue token is read-only: results were not sent."""


class _ServerError(Exception):
    """A 5xx answer: worth another attempt."""


#: What is worth another attempt: the answer was lost or the server failed, so the
#: request (a read, or the usage report that replaces itself) may go better next time.
_RETRIED = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError, _ServerError)


def _error_text(response: httpx.Response) -> str:
    """The catalogue's own message (``{"error": {"message": ...}}``), if any."""
    try:
        body = response.json()
        message = body["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return ""
    return f": {message}" if isinstance(message, str) else ""
