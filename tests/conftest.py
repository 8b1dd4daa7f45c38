"""Shared fixtures: the sample course and packages built from it, once per test session."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, ConsoleMessage, Page

from scorm_builder.build import BuildResult, build_package
from tests.support.moodle import MoodleSite

REPO = Path(__file__).resolve().parents[1]
SAMPLE_COURSE = REPO / "samples" / "physics-7-newton"

#: (label, scorm, edition) for every kind of package we build.
VERSIONS = [("scorm12", "1.2", None), ("scorm2004-3rd", "2004", 3), ("scorm2004-4th", "2004", 4)]


@pytest.fixture(scope="session")
def built_package(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], BuildResult]:
    """Build the Kazakh sample course once per version label: ``built_package("scorm12")``."""
    cache: dict[str, BuildResult] = {}

    def build(label: str) -> BuildResult:
        if label not in cache:
            _, scorm, edition = next(version for version in VERSIONS if version[0] == label)
            output = tmp_path_factory.mktemp("packages") / f"newton-{label}.zip"
            cache[label] = build_package(SAMPLE_COURSE, output, scorm=scorm, edition=edition)
        return cache[label]

    return build


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """A private copy of the sample course that a test may break."""
    target = tmp_path / "course"
    shutil.copytree(SAMPLE_COURSE, target)
    return target


# ---- the catalogue on SQLite and on PostgreSQL -------------------------------------------

DATABASES = ["sqlite", "postgresql"]


def _postgres_url() -> str:
    url = os.environ.get("SANDYQ_TEST_POSTGRES_URL")
    if not url:
        pytest.fail(
            "SANDYQ_TEST_POSTGRES_URL is not set: run the tests with `make test`, which starts "
            "a private PostgreSQL server (tools/postgres.sh start)"
        )
    return url


@contextlib.contextmanager
def empty_postgres_database(prefix: str) -> Iterator[str]:
    """The URL of a new, empty database on the test server (no tables), dropped after."""
    import sqlalchemy as sa

    base = sa.engine.make_url(_postgres_url())
    name = f"{prefix}_{os.getpid()}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


#: The configuration of an app that migrates a database and reads it: no job worker thread,
#: which would go on polling the database after the test has dropped it.
MIGRATING = {"SECRET_KEY": "test", "JOBS_BACKEND": "inline"}


@pytest.fixture(params=DATABASES)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database (no tables at all): SQLite, then PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    with empty_postgres_database("sandyq_empty") as url:
        yield url


def _migrate(url: str, data_dir: Path) -> None:
    from flask_migrate import upgrade

    from catalogue import create_app

    app = create_app(MIGRATING | {"DATABASE_URL": url, "DATA_DIR": str(data_dir)})
    with app.app_context():
        upgrade()
        from catalogue.db import db

        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / "template.sqlite3"
    _migrate(f"sqlite:///{path}", folder / "data")
    return path


@pytest.fixture(scope="session")
def postgres_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated template database, private to this test run; each test gets a copy
    (CREATE DATABASE ... TEMPLATE), which takes a fraction of migrating again."""
    import sqlalchemy as sa

    url = sa.engine.make_url(_postgres_url())
    name = f"sandyq_template_{os.getpid()}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    template_url = url.set(database=name).render_as_string(hide_password=False)
    _migrate(template_url, tmp_path_factory.mktemp("pg-template"))
    with admin.connect() as connection:  # nobody may hold it while tests copy it
        connection.execute(sa.text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
    yield name
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


_database_counter = itertools.count()


@pytest.fixture(params=DATABASES)
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """A catalogue app with a fresh, migrated database: SQLite, then PostgreSQL."""
    with catalogue_app(request, tmp_path, request.param) as application:
        yield application


@contextlib.contextmanager
def catalogue_app(request: pytest.FixtureRequest, tmp_path: Path, database: str) -> Iterator[Flask]:
    """The app of the ``app`` fixture on one database (for modules that need only one)."""
    import sqlalchemy as sa

    from catalogue import create_app
    from catalogue.db import db

    dropped: str | None = None
    if database == "sqlite":
        path = tmp_path / "catalogue.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        template = request.getfixturevalue("postgres_template")
        base = sa.engine.make_url(_postgres_url())
        name = f"sandyq_test_{os.getpid()}_{next(_database_counter)}"
        admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        admin.dispose()
        url = base.set(database=name).render_as_string(hide_password=False)
        dropped = name
    application = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "DATA_DIR": str(tmp_path / "data"),
            "SECRET_KEY": "test",
        }
    )
    yield application
    from catalogue.jobs import stop_worker

    stop_worker(application)  # a test that started the in-process worker leaves no thread behind
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    if dropped:
        admin = sa.create_engine(sa.engine.make_url(_postgres_url()), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{dropped}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The test's app over http on a free port of 127.0.0.1: its base URL."""
    from tests.support.live_server import live_server

    with live_server(app) as base:
        yield base


# ---- a real Chromium, for the browser tests --------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium through Playwright (never a downloaded browser)."""
    from tests.support.lms_harness import CHROMIUM, chromium

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with chromium() as shared:
        yield shared


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in Kazakh that fails the test on any JavaScript or console error.
    Its waits give up after ``tests.support.lms_harness.BROWSER_WAIT_MS``, set by ``chromium()``."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="kk-KZ")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: _console_error(message, errors))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


#: A video's range request that the test server's socket reset after the player seeked
#: away from it: transport of the harness (Python's http.server), not the page's doing.
_HARNESS_RESETS = ("net::ERR_CONNECTION_RESET",)
_MEDIA = (".mp4", ".webm")


def _console_error(message: ConsoleMessage, errors: list[str]) -> None:
    url = message.location.get("url", "")
    reset = any(mark in message.text for mark in _HARNESS_RESETS) and (
        url.endswith(_MEDIA) or message.text.rstrip(")").endswith(_MEDIA)
    )
    if message.type == "error" and not url.endswith("/favicon.ico") and not reset:
        errors.append(f"{message.text} ({url})")


# ---- a real Moodle, for the `moodle` group ----------------------------------------------


@pytest.fixture(scope="session")
def real_moodle() -> MoodleSite:
    """Moodle 4.4 from ../shared/moodle, stood up by tools/moodle.sh (reused when there)."""
    from tests.support.moodle import MoodleSite, MoodleUnavailable

    try:
        return MoodleSite.start()
    except MoodleUnavailable as reason:
        pytest.skip(f"no real Moodle: {reason}")


@pytest.fixture(autouse=True)
def _moodle_prints_no_notice(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test of the `moodle` group fails when Moodle logged a notice while it ran."""
    if request.node.get_closest_marker("moodle") is None:
        yield
        return
    site = request.getfixturevalue("real_moodle")
    offset = site.log_size()
    yield
    notices = site.notices_since(offset)
    assert notices == [], "Moodle printed notices:\n" + "\n".join(notices)


# ---- a private Redis, for the RQ backend and shared rate limits ------------------------


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A private ``redis-server`` (from apt) on a free port, nothing written to disk."""
    from redis import Redis

    from tests.support.jobs import free_port, running, wait_for

    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(server).exists():
        pytest.fail("redis-server is missing: apt-get install redis-server")
    port = free_port()
    arguments = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(tmp_path)]  # fmt: skip
    with running(arguments, {}, tmp_path / "redis.log"):
        url = f"redis://127.0.0.1:{port}/0"
        client = Redis.from_url(url)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except Exception:
                return False

        wait_for(answers, timeout=30, what="redis-server")
        yield url
        client.close()
