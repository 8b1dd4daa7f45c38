"""Benchmarks: anyone can run `make bench`; results go to docs/benchmarks.md.

Each measurement is compared with a floor measured in the same run on the same machine,
so the ratio means something wherever it runs:

- build: a 30-page course, ``build_package`` end to end, against writing the very same
  output files into a zip with Python's ``zipfile`` (what any packager must at least do);
- validator: packages per second over a batch, against opening each zip and parsing its
  manifest with lxml (what any validator must at least do);
- size: the bytes our player and runtime add to every package;
- and the sections of bench/video.py, bench/catalogue.py, bench/sync.py, bench/load.py
  (mixed reads at 200 requests/s against ``/healthz`` at the same rate) and
  bench/offline.py (an offline library's export against copying its files).
"""

from __future__ import annotations

import io
import platform
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from bench.catalogue import bench_catalogue
from bench.load import bench_load
from bench.offline import bench_offline
from bench.section import REPORT
from bench.sync import bench_sync
from bench.video import bench_video
from scorm_builder.build import build_package
from scorm_builder.package import entry_order
from scorm_builder.render import ASSETS_DIR, LAUNCH_FILE
from scorm_builder.validate import validate_package

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "physics-7-newton"
PAGES = 30
ROUNDS = 7


def median_seconds(action: Callable[[], object], rounds: int = ROUNDS) -> float:
    action()  # warm-up: imports, template and schema caches
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def make_course(folder: Path, pages: int) -> Path:
    """A course of ``pages`` HTML parts, cycling through the sample's pages and images."""
    shutil.copytree(SAMPLE / "pages", folder / "pages")
    sources = sorted(path.name for path in (SAMPLE / "pages").glob("*.html"))
    head = (SAMPLE / "course.toml").read_text(encoding="utf-8").split("[[parts]]")[0]
    parts = []
    for number in range(pages):
        # every part gets its own copy of a sample page, so each is a file of its own
        name = sources[number % len(sources)]
        copy = f"p{number + 1:02d}-{name}"
        shutil.copy(folder / "pages" / name, folder / "pages" / copy)
        parts.append(
            f'[[parts]]\ntype = "html"\ntitle = "Бет {number + 1}"\nsource = "pages/{copy}"\n'
        )
    (folder / "course.toml").write_text(head + "\n".join(parts), encoding="utf-8")
    return folder


def bench_build(work: Path) -> dict[str, float]:
    course = make_course(work / "course30", PAGES)
    output = work / "course30.zip"
    build = median_seconds(lambda: build_package(course, output, scorm="2004", edition=4))
    with zipfile.ZipFile(output) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}

    def plain_zip() -> None:
        with zipfile.ZipFile(work / "plain.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(files, key=entry_order):
                archive.writestr(name, files[name])

    floor = median_seconds(plain_zip)
    return {"build": build, "floor": floor, "files": len(files), "bytes": output.stat().st_size}


def bench_validate(work: Path) -> dict[str, float]:
    batch = []
    for scorm, edition in (("1.2", None), ("2004", 3), ("2004", 4)):
        result = build_package(
            SAMPLE, work / f"v-{scorm}-{edition}.zip", scorm=scorm, edition=edition
        )  # type: ignore[arg-type]
        batch.append(result.output.read_bytes())
    batch = batch * 10

    def validate_all() -> None:
        for data in batch:
            report = validate_package(data)
            assert report.valid, report

    def parse_only() -> None:
        for data in batch:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                etree.fromstring(archive.read("imsmanifest.xml"))

    validate = median_seconds(validate_all, rounds=3)
    floor = median_seconds(parse_only, rounds=3)
    return {"packages": len(batch), "validate": validate, "floor": floor}


def bench_samples(work: Path) -> list[tuple[str, float, int]]:
    """Build time and size of each sample course a teacher would bring."""
    rows = []
    for name in ("physics-7-course", "physics-7-newton", "math-5-fractions-ru"):
        output = work / f"{name}.zip"
        seconds = median_seconds(
            lambda name=name, output=output: build_package(REPO / "samples" / name, output),
            rounds=3,
        )
        rows.append((name, seconds, output.stat().st_size))
    return rows


def bench_size(work: Path) -> dict[str, int]:
    output = build_package(SAMPLE, work / "size.zip", scorm="2004", edition=4).output
    raw = compressed = 0
    with zipfile.ZipFile(output) as archive:
        for info in archive.infolist():
            if info.filename.startswith(f"{ASSETS_DIR}/") or info.filename == LAUNCH_FILE:
                raw += info.file_size
                compressed += info.compress_size
    return {"raw": raw, "compressed": compressed}


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        build = bench_build(work)
        validate = bench_validate(work)
        size = bench_size(work)
        samples = bench_samples(work)
        video = bench_video(work)
        catalogue = bench_catalogue(work / "catalogue")
        sync = bench_sync(work / "sync")
        load = bench_load(work / "load")
        offline = bench_offline(work / "offline")
    rate = validate["packages"] / validate["validate"]
    floor_rate = validate["packages"] / validate["floor"]
    build_ratio = build["build"] / build["floor"]
    validate_ratio = validate["validate"] / validate["floor"]
    machine = (
        f"{platform.machine()}, {platform.processor() or 'cpu'}, Python {sys.version.split()[0]}"
    )
    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine} by `make bench`",
        f"(`bench/run.py`); medians of {ROUNDS} rounds after a warm-up. Each row is compared",
        "with a floor measured in the same run.",
        "",
        "| measurement | Sandyq | floor (same run) | ratio |",
        "|---|---|---|---|",
        f"| build a {PAGES}-page course, SCORM 2004 4th ({int(build['files'])} files, "
        f"{build['bytes'] / 1024:.0f} KB zip) | {build['build'] * 1000:.0f} ms | "
        f"{build['floor'] * 1000:.0f} ms (`zipfile`, same files) | {build_ratio:.1f}x |",
        f"| validate a batch of {int(validate['packages'])} packages | {rate:.0f} packages/s | "
        f"{floor_rate:.0f} packages/s (unzip + parse manifest) | {validate_ratio:.1f}x |",
        f"| player + runtime added to every package | {size['raw'] / 1024:.1f} KB "
        f"({size['compressed'] / 1024:.1f} KB zipped) | "
        "goal: under 100 KB; commercial players add 1-5 MB | "
        f"{size['raw'] / (100 * 1024):.2f} of the goal |",
        "",
        "## Sample courses",
        "",
        "| sample | build time | package size |",
        "|---|---|---|",
        *(
            f"| `samples/{name}` | {seconds * 1000:.0f} ms | {size / 1024:.0f} KB |"
            for name, seconds, size in samples
        ),
        "",
        "`physics-7-course` holds a Word lesson, a GIFT test and a video lecture that",
        "already fits the 480p profile, so its video is stream-copied, not re-encoded.",
        "",
        *video,
        "",
        *catalogue,
        "",
        *sync,
        "",
        *load,
        "",
        *offline,
        "",
        "## What the floors mean",
        "",
        "The build floor only compresses files that already exist; the build also reads the",
        "teacher's pages, rewrites their references, renders the player and writes the",
        "manifest. The validator floor only opens the zip and parses the manifest; the",
        "validator also checks zip safety, XML safety, the XSDs, references and every file.",
        "",
    ]
    REPORT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 1 if any(line.endswith("requests failed.**") for line in load) else 0


if __name__ == "__main__":
    raise SystemExit(main())
