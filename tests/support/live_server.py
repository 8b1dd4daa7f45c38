"""The catalogue served over real HTTP for browser tests (the test's app, in a thread), and
signing in there as a visitor does."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import SplitResult, urlsplit

from flask import Flask
from playwright.sync_api import Page
from werkzeug.serving import make_server

from tests.support.catalogue import PASSWORD, Person


@contextmanager
def live_server(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free port of 127.0.0.1; yields its base URL (no trailing slash)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def sign_in(page: Page, base: str, person: Person, target: str, language: str = "") -> None:
    """Sign ``person`` in through the real form, afresh; with ``language``, chosen first on
    the switcher, as a visitor does (else the account's own language comes with sign-in)."""
    page.goto("about:blank")  # the last page's requests end before its cookies go
    page.context.clear_cookies()
    if language:
        page.goto(f"{base}/language/{language}")
    page.goto(f"{base}/login?next={target}")
    page.fill("#f-email", person.email)
    page.fill("#f-password", PASSWORD)
    page.press("#f-password", "Enter")
    # The target page itself: a glob "**{target}" also matches /login?next={target}, the
    # page still signing in, and a goto from there would cancel the sign-in in flight.
    wanted = urlsplit(f"{base}{target}")
    page.wait_for_url(lambda url: _same_page(urlsplit(url), wanted))


def _same_page(url: SplitResult, wanted: SplitResult) -> bool:
    return (url.netloc, url.path, url.query) == (wanted.netloc, wanted.path, wanted.query)
