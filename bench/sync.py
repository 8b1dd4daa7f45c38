"""Moodle sync benchmark: a first sync of 200 packages and the re-run with nothing to do.

``bench_sync(work)`` returns the markdown lines of a "## Moodle sync" section; run alone
(``python bench/sync.py``) it prints them, and with ``--write`` it puts the section into
docs/benchmarks.md. Only product code and the real Moodle take part (nothing of tests/):

- the real catalogue app (SQLite) with 200 published resources, each a distinct package
  (the Kazakh sample course built by ``scorm_builder``, plus one file naming it), served
  by werkzeug on loopback;
- the real Moodle 4.4 that ``tools/moodle.sh start`` stands up (PHP's server with the
  sync's own account and token, and our plugins), which unzips and parses each package:
  a fake would time our code against our own idea of Moodle. If it cannot be stood up
  (no Moodle tarball, no PHP), the section says so and measures nothing;
- first sync: ``lms_sync.sync``'s path (read the feed and Moodle, plan, apply with 3
  uploads at a time), with an empty state dir;
- no-change re-run: the same again, which must download and upload nothing;
- floors: the same files uploaded to ``webservice/upload.php`` with plain ``httpx``
  requests, 3 at a time (what any tool must at least spend to put the bytes in Moodle),
  and the same Moodle calls with none of the sync's checks.

Moodle keeps what each round made: every round gets a fresh catalogue (new resource
uuids) and fresh idnumber prefixes, so rounds and earlier runs never see each other's
activities. ``SANDYQ_BENCH_SYNC_PACKAGES`` and ``SANDYQ_BENCH_SYNC_ROUNDS`` shrink a run
(a quick check that the bench works), the defaults are what docs/benchmarks.md reports.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:] = [str(REPO)] + [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]

import httpx  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from bench.section import run_alone  # noqa: E402
from lms_sync.config import SyncConfig, resolve  # noqa: E402
from lms_sync.executor import SyncReport  # noqa: E402
from lms_sync.sync import carry_out, clients, prepare  # noqa: E402
from scorm_builder import vocabulary  # noqa: E402

PACKAGES = int(os.environ.get("SANDYQ_BENCH_SYNC_PACKAGES", "200"))
ROUNDS = int(os.environ.get("SANDYQ_BENCH_SYNC_ROUNDS", "3"))
CONCURRENCY = 3
#: The five subjects of the Aktobe digitalisation project, the glossary's first five.
SUBJECTS = list(vocabulary.SUBJECTS)[:5]
SAMPLE_COURSE = REPO / "samples" / "physics-7-newton"
MOODLE_TOOL = REPO / "tools" / "moodle.sh"


@dataclass(frozen=True)
class RealMoodle:
    """The site ``tools/moodle.sh start`` printed: its address, the sync's token."""

    url: str
    token: str
    release: str


def start_moodle() -> RealMoodle | str:
    """The real Moodle, or why there is none (the tool's last words)."""
    try:
        done = subprocess.run([str(MOODLE_TOOL), "start"], capture_output=True, text=True)
    except OSError as error:
        return f"{MOODLE_TOOL.name} could not run: {error}"
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        return lines[-1] if lines else f"tools/moodle.sh start exited with {done.returncode}"
    data: dict[str, Any] = json.loads(done.stdout)
    return RealMoodle(data["url"], data["sync"]["token"], data["release"])


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """A WSGI app on a free loopback port, in threads; yields its base URL (werkzeug's line
    per request would bury the bench's own progress)."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="bench-catalogue", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def make_packages(work: Path, count: int) -> list[Path]:
    """``count`` distinct packages: the sample course once, plus a file naming each copy."""
    from scorm_builder.build import build_package

    base = work / "sample.zip"
    if not base.exists():
        build_package(SAMPLE_COURSE, base, scorm="2004", edition=4)
    folder = work / "packages"
    folder.mkdir(parents=True, exist_ok=True)
    packages = []
    for number in range(count):
        target = folder / f"bench-{number:03d}.zip"
        shutil.copy(base, target)
        with zipfile.ZipFile(target, "a") as archive:
            archive.writestr("sandyq-variant.txt", f"variant {number}\n")
        packages.append(target)
    return packages


def make_catalogue(work: Path, packages: list[Path]) -> tuple[Any, str]:
    """A migrated SQLite catalogue publishing one resource per package; (app, sync token).

    Resources go straight into the database, published, as a catalogue ends up after
    review: the review workflow is not what this bench measures."""
    from flask_migrate import upgrade

    from catalogue import create_app
    from catalogue.db import db
    from catalogue.models import Resource, ResourceVersion, Role, State, TokenScope, utcnow
    from catalogue.services import accounts
    from catalogue.storage import storage

    work.mkdir(parents=True, exist_ok=True)
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{work / 'catalogue.sqlite3'}",
         "DATA_DIR": str(work / "data"), "SECRET_KEY": "bench"}
    )  # fmt: skip
    with app.app_context():
        upgrade()
        teacher = accounts.create_user(None, "mugalim@example.kz", roles=[Role.TEACHER])
        _, token = accounts.create_token(None, teacher, TokenScope.SYNC, "moodle sync")
        for number, package in enumerate(packages):
            with package.open("rb") as stream:
                sha256, size = storage().put(stream)
            resource = Resource(
                owner_id=teacher.id,
                state=State.PUBLISHED,
                published_at=utcnow(),
                published_number=1,
            )
            resource.versions.append(
                ResourceVersion(
                    number=1,
                    created_by_id=teacher.id,
                    package_sha256=sha256,
                    package_size=size,
                    frozen_at=utcnow(),
                    title_kk=f"Сабақ {number + 1}",
                    description_kk="Ньютон заңдары",
                    language="kk",
                    subject=SUBJECTS[number % len(SUBJECTS)],
                    grades=[5 + number % 7],
                    keywords=["күш"],
                    license="CC-BY-4.0",
                    copyright_attested=True,
                    scorm_version="2004 4th Edition",
                    offline_ready=True,
                )
            )
            db.session.add(resource)
        db.session.commit()
    return app, token


def sync_once(config: SyncConfig) -> SyncReport:
    """What ``sandyq sync moodle`` does, without printing."""
    with clients(config) as (moodle, catalogue):
        return carry_out(config, prepare(config, moodle, catalogue), moodle, catalogue)


def plain_uploads(url: str, token: str, packages: list[Path]) -> None:
    """The floor: each file to upload.php with httpx, ``CONCURRENCY`` at a time."""
    with httpx.Client(base_url=url, timeout=120) as client:

        def one(path: Path) -> None:
            with path.open("rb") as stream:
                response = client.post(
                    "/webservice/upload.php",
                    data={"token": token, "filepath": "/", "itemid": "0"},
                    files={"file_1": (path.name, stream, "application/zip")},
                )
            response.raise_for_status()
            assert isinstance(response.json(), list), response.text[:200]

        with ThreadPoolExecutor(CONCURRENCY) as pool:
            list(pool.map(one, packages))


def plain_sync(
    moodle_url: str, token: str, catalogue_url: str, catalogue_token: str, prefix: str
) -> int:
    """The fair floor: the same Moodle calls, with none of the sync's care. Read the feed,
    make one category and the courses, then per package: download, upload, create the
    activity (no sha checks, no state, no looking before creating), 3 at a time. Returns
    the activities made."""
    rest = "/webservice/rest/server.php"
    auth = {"Authorization": f"Bearer {catalogue_token}"}
    with httpx.Client(timeout=120) as client:

        def call(function: str, **form: str) -> Any:
            data = {"wstoken": token, "wsfunction": function, "moodlewsrestformat": "json"}
            response = client.post(moodle_url + rest, data={**data, **form})
            response.raise_for_status()
            answer = response.json()
            assert not (isinstance(answer, dict) and "exception" in answer), answer
            return answer

        items: list[dict[str, Any]] = []
        url: str | None = f"{catalogue_url}/api/v1/published?limit=500"
        while url:
            page = client.get(url, headers=auth).json()
            items += page["items"]
            url = page["next"]
        category = call("core_course_create_categories", **{
            "categories[0][name]": f"Floor {prefix}", "categories[0][parent]": "0",
            "categories[0][idnumber]": f"{prefix}-floor"})[0]["id"]  # fmt: skip
        courses: dict[str, int] = {}
        for item in items:
            key = f"{item['subject']}-{min(item['grades'])}"
            if key not in courses:
                courses[key] = call("core_course_create_courses", **{
                    "courses[0][fullname]": key, "courses[0][shortname]": f"{prefix}-{key}",
                    "courses[0][categoryid]": str(category),
                    "courses[0][idnumber]": f"{prefix}-{key}"})[0]["id"]  # fmt: skip

        def one(item: dict[str, Any]) -> None:
            package = client.get(str(item["download_url"]), headers=auth).content
            upload = client.post(
                moodle_url + "/webservice/upload.php",
                data={"token": token, "filepath": "/", "itemid": "0"},
                files={"file_1": (f"{item['uuid']}.zip", package, "application/zip")},
            ).json()
            key = f"{item['subject']}-{min(item['grades'])}"
            call("local_sandyq_create_scorm", courseid=str(courses[key]), section="0",
                 name=str(item["title"]), draftitemid=str(upload[0]["itemid"]),
                 idnumber=f"{prefix}:{item['uuid']}")  # fmt: skip

        with ThreadPoolExecutor(CONCURRENCY) as pool:
            list(pool.map(one, items))
        return len(items)


def mapping_toml(prefix: str) -> str:
    """Settings that keep a round's categories and courses apart from every other's."""
    return (
        "[mapping]\n"
        f'root_name = "Sandyq bench {prefix}"\n'
        f'root_idnumber = "{prefix}-root"\n'
        f'category_idnumber = "{prefix}-subject-{{subject}}"\n'
        f'course_idnumber = "{prefix}-course-{{subject}}-{{grade}}"\n'
        f'course_shortname = "{prefix}-{{subject}}-{{grade}}"\n'
    )


def unavailable(reason: str) -> list[str]:
    return [
        "## Moodle sync",
        "",
        f"Not measured: the real Moodle could not be stood up ({reason}). `bench/sync.py`",
        "times the sync against the Moodle 4.4 that `tools/moodle.sh start` installs (it needs",
        "the Moodle tarball, PHP and PostgreSQL); run it where those are.",
        "",
    ]


def bench_sync(work: Path, progress: Callable[[str], None] = lambda line: None) -> list[str]:
    """Markdown lines of the "## Moodle sync" section of docs/benchmarks.md."""
    work.mkdir(parents=True, exist_ok=True)
    progress("sync: standing up the real Moodle (tools/moodle.sh start)")
    moodle = start_moodle()
    if isinstance(moodle, str):
        progress(f"sync: skipped, no real Moodle: {moodle}")
        return unavailable(moodle)
    packages = make_packages(work, PACKAGES)
    total_bytes = sum(path.stat().st_size for path in packages)
    first: list[float] = []
    again: list[float] = []
    floor: list[float] = []
    same_calls: list[float] = []
    for round_number in range(ROUNDS):
        prefix = f"sandyq-b{uuid.uuid4().hex[:8]}"
        folder = work / f"round-{round_number}"
        progress(f"sync: round {round_number + 1}, a catalogue with {PACKAGES} packages")
        app, catalogue_token = make_catalogue(folder, packages)
        settings = folder / "sync.toml"  # not ~/.config/sandyq/sync.toml: no filters
        settings.write_text(mapping_toml(prefix), encoding="utf-8")
        with serving(app) as catalogue_url:
            config = resolve(
                config_path=settings,
                moodle_url=moodle.url,
                moodle_token=moodle.token,
                catalogue_url=catalogue_url,
                catalogue_token=catalogue_token,
                state_dir=folder / "state",
                concurrency=CONCURRENCY,
            )
            progress(f"sync: first sync, round {round_number + 1}")
            start = time.perf_counter()
            report = sync_once(config)
            first.append(time.perf_counter() - start)
            assert report.exit_code == 0 and report.uploads == PACKAGES, report.summary()
            progress(f"sync: re-run, round {round_number + 1}")
            start = time.perf_counter()
            report = sync_once(config)
            again.append(time.perf_counter() - start)
            assert report.results == () and report.uploads == 0, report.summary()
            progress(f"sync: floors, round {round_number + 1}")
            start = time.perf_counter()
            plain_uploads(moodle.url, moodle.token, packages)
            floor.append(time.perf_counter() - start)
            start = time.perf_counter()
            made = plain_sync(moodle.url, moodle.token, catalogue_url, catalogue_token,
                              f"{prefix}-floor")  # fmt: skip
            same_calls.append(time.perf_counter() - start)
            assert made == PACKAGES
        shutil.rmtree(folder, ignore_errors=True)

    first_s, again_s, floor_s, calls_s = (
        statistics.median(v) for v in (first, again, floor, same_calls)
    )
    megabytes = total_bytes / 1_000_000
    return [
        "## Moodle sync",
        "",
        f"`bench/sync.py`; medians of {ROUNDS} rounds. {PACKAGES} distinct packages "
        f"({megabytes:.1f} MB in all) from the real catalogue (SQLite, werkzeug) into the",
        f"real Moodle {moodle.release} of `tools/moodle.sh` (PHP's built-in server; it unzips "
        f"and parses every package), {CONCURRENCY} uploads at a time.",
        f"Two floors, both plain httpx, {CONCURRENCY} at a time: *upload only* puts the same files",
        "into Moodle's `webservice/upload.php` (no download, no activity made); *same calls*",
        "reads the feed, makes the courses, then per package downloads it, uploads it and",
        "calls `local_sandyq_create_scorm`, with none of the sync's checks (sha256, sha1, state",
        "file, looking before creating, retries).",
        "",
        "| measurement | Sandyq | floor | ratio |",
        "|---|---|---|---|",
        f"| first sync of {PACKAGES} packages (categories, courses, "
        f"{PACKAGES} activities) vs same calls | {first_s:.2f} s | {calls_s:.2f} s | "
        f"{first_s / calls_s:.2f}x |",
        f"| first sync vs upload only | {first_s:.2f} s | {floor_s:.2f} s | "
        f"{first_s / floor_s:.2f}x |",
        f"| re-run with nothing to do (1 feed read, 2 Moodle calls, no download) | "
        f"{again_s * 1000:.0f} ms | - | - |",
        "",
        f"Per package, first sync: {first_s / PACKAGES * 1000:.1f} ms "
        f"(floor {floor_s / PACKAGES * 1000:.1f} ms).",
        "",
    ]


if __name__ == "__main__":
    raise SystemExit(run_alone(bench_sync, "sync"))
