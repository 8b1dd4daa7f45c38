"""Moodle sync benchmark: a first sync of 200 packages and the re-run with nothing to do.

``bench_sync(work)`` returns the markdown lines of a "## Moodle sync" section; run alone
(``python bench/sync.py``) it prints them, and with ``--write`` it puts the section into
docs/benchmarks.md. Everything runs on loopback, each server in its own threads:

- the real catalogue app (SQLite) with 200 published resources, each a distinct package
  (the Kazakh sample course plus one file naming it), served by werkzeug;
- the fake Moodle of the tests (``tests/fake_moodle.py``), which unzips and parses each
  package as Moodle does, served by werkzeug;
- first sync: ``sandyq sync moodle``'s library path (read the feed and Moodle, plan,
  apply with 3 uploads at a time) into an empty fake, with an empty state dir;
- no-change re-run: the same again, which must download and upload nothing;
- floor: the same 200 files uploaded to the fake's ``webservice/upload.php`` with plain
  ``httpx`` requests, 3 at a time: what any tool must at least spend to put the bytes in
  Moodle. The sync adds the downloads from the catalogue, the sha256/sha1 checks and the
  Moodle calls (create course, create the activity: the fake reads every package).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:] = [str(REPO)] + [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]

import httpx  # noqa: E402

from bench.section import run_alone  # noqa: E402
from lms_sync.catalogue_client import CatalogueClient  # noqa: E402
from lms_sync.config import PackageSha1s, SyncConfig, resolve  # noqa: E402
from lms_sync.executor import SyncReport, apply, check_site, observe  # noqa: E402
from lms_sync.moodle import MoodleClient  # noqa: E402
from lms_sync.planner import latest, plan  # noqa: E402
from scorm_builder import vocabulary  # noqa: E402

PACKAGES = 200
CONCURRENCY = 3
ROUNDS = 3
#: The five subjects of the Aktobe digitalisation project, the glossary's first five.
SUBJECTS = list(vocabulary.SUBJECTS)[:5]


def make_catalogue(work: Path) -> tuple[object, str, list[Path]]:
    """A migrated SQLite catalogue with ``PACKAGES`` published resources; (app, token,
    package files)."""
    from flask_migrate import upgrade

    from catalogue import create_app
    from catalogue.models import Role
    from tests.catalogue_support import add_resource, add_sync_token, add_user
    from tests.test_sync_support import package_variant

    database = work / "catalogue.sqlite3"
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{database}", "DATA_DIR": str(work / "data"),
         "SECRET_KEY": "bench"}
    )  # fmt: skip
    with app.app_context():
        upgrade()
    teacher = add_user(app, "mugalim@example.kz", Role.TEACHER)
    token = add_sync_token(app, teacher)
    packages = []
    for number in range(PACKAGES):
        package = package_variant(work, f"bench-{number:03d}")
        packages.append(package)
        add_resource(
            app,
            teacher,
            package=package,
            title_kk=f"Сабақ {number + 1}",
            subject=SUBJECTS[number % len(SUBJECTS)],
            grades=[5 + number % 7],
        )
    return app, token, packages


def sync_once(config: SyncConfig) -> SyncReport:
    """What ``sandyq sync moodle`` does, without printing."""
    with (
        MoodleClient(config.moodle_url, config.moodle_token) as moodle,
        CatalogueClient(config.catalogue_url, config.catalogue_token) as catalogue,
    ):
        check_site(moodle)
        items = latest(catalogue.feed())
        state = observe(moodle, items, config.mapping, config.filters)
        sha1s = PackageSha1s(config.state_dir)
        the_plan = plan(items, state, config.mapping, config.filters, sha1s.snapshot())
        return apply(
            the_plan,
            moodle,
            catalogue,
            state=state,
            sha1s=sha1s,
            mapping=config.mapping,
            concurrency=config.concurrency,
        )


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

        with ThreadPoolExecutor(CONCURRENCY) as pool:
            list(pool.map(one, packages))


def plain_sync(
    moodle_url: str, token: str, catalogue_url: str, catalogue_token: str, count: int
) -> None:
    """The fair floor: the same Moodle calls, with none of the sync's care. Read the feed,
    make one category and the courses, then per package: download, upload, create the
    activity (no sha checks, no state, no looking before creating), 3 at a time."""
    rest = "/webservice/rest/server.php"
    auth = {"Authorization": f"Bearer {catalogue_token}"}
    with httpx.Client(timeout=120) as client:

        def call(function: str, **form: str) -> object:
            data = {"wstoken": token, "wsfunction": function, "moodlewsrestformat": "json"}
            response = client.post(moodle_url + rest, data={**data, **form})
            response.raise_for_status()
            return response.json()

        items: list[dict[str, object]] = []
        url: str | None = f"{catalogue_url}/api/v1/published?limit=500"
        while url:
            page = client.get(url, headers=auth).json()
            items += page["items"]
            url = page["next"]
        assert len(items) == count
        category = call("core_course_create_categories", **{
            "categories[0][name]": "Floor", "categories[0][parent]": "0",
            "categories[0][idnumber]": "floor"})[0]["id"]  # type: ignore[index]  # fmt: skip
        courses: dict[str, int] = {}
        for item in items:
            key = f"{item['subject']}-{min(item['grades'])}"  # type: ignore[call-overload]
            if key not in courses:
                courses[key] = call("core_course_create_courses", **{
                    "courses[0][fullname]": key, "courses[0][shortname]": f"floor-{key}",
                    "courses[0][categoryid]": str(category),
                    "courses[0][idnumber]": f"floor-{key}"})[0]["id"]  # type: ignore[index]  # fmt: skip

        def one(item: dict[str, object]) -> None:
            package = client.get(str(item["download_url"]), headers=auth).content
            upload = client.post(
                moodle_url + "/webservice/upload.php",
                data={"token": token, "filepath": "/", "itemid": "0"},
                files={"file_1": (f"{item['uuid']}.zip", package, "application/zip")},
            ).json()
            key = f"{item['subject']}-{min(item['grades'])}"  # type: ignore[call-overload]
            call("local_sandyq_create_scorm", courseid=str(courses[key]), section="0",
                 name=str(item["title"]), draftitemid=str(upload[0]["itemid"]),
                 idnumber=f"floor:{item['uuid']}")  # fmt: skip

        with ThreadPoolExecutor(CONCURRENCY) as pool:
            list(pool.map(one, items))


def bench_sync(work: Path, progress: Callable[[str], None] = lambda line: None) -> list[str]:
    """Markdown lines of the "## Moodle sync" section of docs/benchmarks.md."""
    from tests.fake_moodle import create_fake_moodle
    from tests.test_sync_support import serving

    work.mkdir(parents=True, exist_ok=True)
    progress(f"sync: a catalogue with {PACKAGES} packages")
    app, catalogue_token, packages = make_catalogue(work)
    total_bytes = sum(path.stat().st_size for path in packages)
    first: list[float] = []
    again: list[float] = []
    floor: list[float] = []
    same_calls: list[float] = []
    with serving(app) as catalogue_url:
        for round_number in range(ROUNDS):
            fake = create_fake_moodle()
            state_dir = work / f"state-{round_number}"
            with serving(fake) as moodle_url:
                empty = work / "sync.toml"  # not ~/.config/sandyq/sync.toml: no filters
                empty.write_text("", encoding="utf-8")
                config = resolve(
                    config_path=empty,
                    moodle_url=moodle_url,
                    moodle_token=fake.token,
                    catalogue_url=catalogue_url,
                    catalogue_token=catalogue_token,
                    state_dir=state_dir,
                    concurrency=CONCURRENCY,
                )
                progress(f"sync: first sync, round {round_number + 1}")
                start = time.perf_counter()
                report = sync_once(config)
                first.append(time.perf_counter() - start)
                assert report.exit_code == 0 and report.uploads == PACKAGES, report.summary()
                fake.reset_counters()
                start = time.perf_counter()
                report = sync_once(config)
                again.append(time.perf_counter() - start)
                assert report.results == () and fake.calls["upload"] == 0
                floor_fake = create_fake_moodle()
                with serving(floor_fake) as floor_url:
                    start = time.perf_counter()
                    plain_uploads(floor_url, floor_fake.token, packages)
                    floor.append(time.perf_counter() - start)
                calls_fake = create_fake_moodle()
                with serving(calls_fake) as calls_url:
                    start = time.perf_counter()
                    plain_sync(calls_url, calls_fake.token, catalogue_url, catalogue_token,
                               PACKAGES)  # fmt: skip
                    same_calls.append(time.perf_counter() - start)
                    assert len(calls_fake.state.scorms) == PACKAGES
            shutil.rmtree(state_dir, ignore_errors=True)

    first_s, again_s, floor_s, calls_s = (
        statistics.median(v) for v in (first, again, floor, same_calls)
    )
    megabytes = total_bytes / 1_000_000
    return [
        "## Moodle sync",
        "",
        f"`bench/sync.py`; medians of {ROUNDS} rounds. {PACKAGES} distinct packages "
        f"({megabytes:.1f} MB in all) from the real catalogue (SQLite, werkzeug) into the",
        "fake Moodle of the tests (werkzeug; it unzips and parses every package), "
        f"{CONCURRENCY} uploads at a time.",
        f"Two floors, both plain httpx, {CONCURRENCY} at a time: *upload only* puts the same files",
        "into the fake's `webservice/upload.php` (no download, no activity made); *same calls*",
        "reads the feed, makes the courses, then per package downloads it, uploads it and",
        "calls `local_sandyq_create_scorm`, with none of the sync's checks (sha256, sha1, state",
        "file, looking before creating, retries).",
        "",
        "| measurement | Sandyq | floor | ratio |",
        "|---|---|---|---|",
        f"| first sync of {PACKAGES} packages (5 categories + root, 35 courses, "
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
