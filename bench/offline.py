"""Offline library benchmark: an export of 200 packages against copying the same files.

``bench_offline(work)`` returns the markdown lines of a "## Offline library" section; run
alone (``python -m bench.offline``) it prints them, and with ``--write`` it puts the section
into docs/benchmarks.md. Only product code takes part (nothing of tests/):

- the real catalogue app (SQLite) with 200 published resources, each a distinct package
  (``bench.sync``'s catalogue), served by werkzeug on loopback from a process of its own;
- export: ``lms_sync.offline.export`` end to end (the feed, each resource's description,
  each package downloaded and checked against the feed, unpacked through ``zipsafe``,
  the page and its data written, the folder moved into place);
- floor: copying a finished library's files to a new folder (``shutil.copytree``): what
  any tool that puts these files on a stick must at least spend. The goal is within 2x.

``SANDYQ_BENCH_OFFLINE_PACKAGES`` shrinks a run (a quick check that the bench works).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import platform
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:] = [str(REPO)] + [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]

from werkzeug.serving import make_server  # noqa: E402

from bench.section import run_alone  # noqa: E402
from bench.sync import make_catalogue, make_packages  # noqa: E402
from lms_sync.catalogue_client import CatalogueClient  # noqa: E402
from lms_sync.offline.export import Selection, build, plan  # noqa: E402
from lms_sync.offline.library import folder_size  # noqa: E402

PACKAGES = int(os.environ.get("SANDYQ_BENCH_OFFLINE_PACKAGES", "200"))
ROUNDS = 3


@contextmanager
def served_apart(app: Any) -> Iterator[str]:
    """The catalogue in a process of its own (forked), as it runs on another machine: the
    export's time is then the export's, not shared with the server under one GIL."""
    context = multiprocessing.get_context("fork")
    ports: Any = context.Queue()

    def serve() -> None:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        ports.put(server.port)
        server.serve_forever()

    process = context.Process(target=serve, daemon=True)
    process.start()
    try:
        yield f"http://127.0.0.1:{ports.get(timeout=60)}"
    finally:
        process.terminate()
        process.join(timeout=10)


def export_once(url: str, token: str, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    with CatalogueClient(url, token) as client:
        build(client, target, plan(client, Selection()), Selection())


def copy_once(library: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(library, target)


def timed(action: Callable[[], None]) -> float:
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def bench_offline(work: Path, progress: Callable[[str], None] = lambda line: None) -> list[str]:
    progress(f"offline: {PACKAGES} packages")
    packages = make_packages(work, PACKAGES)
    app, token = make_catalogue(work / "catalogue", packages)
    library = work / "library"
    with served_apart(app) as url:
        export_once(url, token, library)  # warm-up, and the library the floor copies
        exported = timed(lambda: export_once(url, token, work / "exported"))
    copied = timed(lambda: copy_once(library, work / "copied"))
    size = folder_size(library)
    files = sum(1 for path in library.rglob("*") if path.is_file())
    ratio = exported / copied if copied else float("inf")
    return [
        "## Offline library",
        "",
        f"`bench/offline.py`: `sandyq offline export` of {PACKAGES} published packages "
        f"({size / 1e6:.1f} MB, {files:,} files unpacked) from the catalogue on loopback, "
        f"against copying the finished library's files (median of {ROUNDS}; "
        f"{platform.machine()}, {os.cpu_count()} cores).",
        "",
        "| | seconds | ratio |",
        "|---|---:|---:|",
        f"| export (download, check, unpack, write) | {exported:.2f} | {ratio:.2f}x |",
        f"| floor: copy the same files | {copied:.2f} | 1x |",
        "",
        f"Goal: within 2x of the copy; {'met' if ratio <= 2 else 'not met'}.",
    ]


if __name__ == "__main__":
    raise SystemExit(run_alone(bench_offline, "offline"))
