"""Mixed reads under a steady load: searches, resource pages, package downloads and OAI-PMH
at 200 requests/s for 60 s against the catalogue under gunicorn on PostgreSQL.

``bench_load(work)`` returns the markdown lines of a "## Load: mixed reads" section; run
alone (``python -m bench.load``) it prints them, with ``--write`` it puts them into
docs/benchmarks.md, and it exits 1 when any request failed. The load comes from ``hey``
(Debian's package), one process per URL, each at its share of the rate with a fixed
number of requests, so the run is bounded in count and in time. The floor is ``/healthz``
of the same app at the same rate in the same run; the ratio of the p99s is what the reads
cost over answering at all.

The reads run twice on the same data: as the catalogue is deployed, keeping public answers
(``SANDYQ_PUBLIC_CACHE=memory``: the same URL asked again by anyone not signed in is
answered from the store until the index changes), and with that off (``none``), where
every read is computed again: what a read costs, and what bounds the rate without the
store. Downloads are never kept: each one is served and counted.

``SANDYQ_BENCH_LOAD_RATE`` (200), ``SANDYQ_BENCH_LOAD_SECONDS`` (60) and
``SANDYQ_BENCH_LOAD_RESOURCES`` (5,000) make a smaller run; ``SANDYQ_BENCH_POSTGRES_URL``
names the server (``tools/postgres.sh``'s by default).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from bench import catalogue as catalogue_bench
from bench.section import write_section

RATE = int(os.environ.get("SANDYQ_BENCH_LOAD_RATE", "200"))
SECONDS = int(os.environ.get("SANDYQ_BENCH_LOAD_SECONDS", "60"))
RESOURCES = int(os.environ.get("SANDYQ_BENCH_LOAD_RESOURCES", "5000"))
PACKAGES = 4
WORKERS = 4
DATABASE = "sandyq_bench_load"
#: Per hey process: connections enough that a slow answer does not slow the rate (hey
#: waits for each answer before a connection sends again), each at its part of the share.
CONNECTIONS = 8


@dataclass(frozen=True)
class Target:
    kind: str
    path: str


@dataclass
class Outcome:
    """What one kind of read got: its latencies (seconds) and how many did not succeed."""

    kind: str
    sent: int
    latencies: list[float]

    @property
    def errors(self) -> int:
        return self.sent - len(self.latencies)

    def quantile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        if len(self.latencies) == 1:
            return self.latencies[0]
        cuts = statistics.quantiles(self.latencies, n=1000, method="inclusive")
        return cuts[min(int(share * 1000) - 1, len(cuts) - 1)]


def targets(uuids: list[str]) -> list[Target]:
    """Three URLs of each kind, over different resources, queries and formats."""
    searches: list[dict[str, object]] = [
        {"q": "қозғалыс", "grade": 7},
        {"q": "дроби", "sort": "newest"},
        {"subject": "physics", "sort": "downloads"},
    ]
    record = f"oai:sandyq.kz:{uuids[0]}"
    return [
        *(Target("search", f"/api/v1/resources?{urlencode(query)}") for query in searches),
        *(Target("resource page", f"/resources/{uuid}") for uuid in uuids[:3]),
        *(Target("download", f"/api/v1/resources/{uuid}/package") for uuid in uuids[:3]),
        Target("OAI-PMH", "/oai?verb=ListRecords&metadataPrefix=oai_dc"),
        Target("OAI-PMH", "/oai?verb=ListRecords&metadataPrefix=lom&set=subject:physics"),
        Target("OAI-PMH", f"/oai?verb=GetRecord&metadataPrefix=lom&identifier={record}"),
    ]


def publish_packages(url: str, data_dir: Path, work: Path, count: int) -> list[str]:
    """``count`` published resources with real stored packages (for the downloads);
    their uuids."""
    from bench.sync import make_packages
    from catalogue import create_app, search
    from catalogue.db import db
    from catalogue.models import Resource, ResourceVersion, Role, State, utcnow
    from catalogue.services import accounts
    from catalogue.storage import storage

    app = create_app({"DATABASE_URL": url, "DATA_DIR": str(data_dir), "SECRET_KEY": "bench"})
    uuids = []
    with app.app_context():
        teacher = accounts.create_user(None, "zhukteu@example.kz", roles=[Role.TEACHER])
        for number, package in enumerate(make_packages(work, count)):
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
                    number=1, created_by_id=teacher.id, package_sha256=sha256,
                    package_size=size, frozen_at=utcnow(), title_kk=f"Жүктеу сабағы {number}",
                    description_kk="Ньютон заңдары", language="kk", subject="physics",
                    grades=[7], keywords=["күш"], license="CC-BY-4.0", copyright_attested=True,
                    scorm_version="2004 4th Edition", offline_ready=True,
                )
            )  # fmt: skip
            db.session.add(resource)
            db.session.flush()
            uuids.append(resource.uuid)
        db.session.commit()
        search.rebuild(db.session())
        db.session.commit()
        db.engine.dispose()
    return uuids


def hey_binary() -> str:
    found = shutil.which("hey") or "/usr/bin/hey"
    if not Path(found).exists():
        raise RuntimeError("hey is missing: apt-get install hey (make bench installs it)")
    return found


def drive(base: str, paths: list[Target], rate: int, seconds: int) -> tuple[list[Outcome], float]:
    """Every target at ``rate / len(paths)`` requests/s at once, for ``seconds``: one outcome
    per kind, and how long it really took (longer than ``seconds`` when the app could not
    keep up). A request counts as done only with a 200 (a download's body read whole)."""
    share = rate / len(paths)
    # hey splits -n evenly over its connections: a multiple of them is sent exactly
    per_process = max(1, round(share * seconds / CONNECTIONS)) * CONNECTIONS
    per_connection = share / CONNECTIONS
    began = time.perf_counter()
    processes = [
        subprocess.Popen(
            [
                hey_binary(),
                "-n",
                str(per_process),
                "-c",
                str(CONNECTIONS),
                "-q",
                f"{per_connection:.3f}",
                "-t",
                "30",
                "-o",
                "csv",
                f"{base}{target.path}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for target in paths
    ]
    outcomes: dict[str, Outcome] = {}
    for target, process in zip(paths, processes, strict=True):
        output, errors = process.communicate(timeout=seconds * 10 + 300)
        if process.returncode != 0:
            raise RuntimeError(f"hey failed on {target.path}: {errors.strip()}")
        outcome = outcomes.setdefault(target.kind, Outcome(target.kind, 0, []))
        outcome.sent += per_process
        for row in csv.DictReader(io.StringIO(output)):
            if row.get("status-code") == "200":
                outcome.latencies.append(float(row["response-time"]))
    return list(outcomes.values()), time.perf_counter() - began


def milliseconds(value: float) -> str:
    return f"{value * 1000:.1f}"


@dataclass
class Run:
    """One run's figures: each kind of read, and how long the run really took."""

    outcomes: list[Outcome]
    seconds: float

    @property
    def everything(self) -> Outcome:
        together = Outcome("all reads", sum(o.sent for o in self.outcomes), [])
        for outcome in self.outcomes:
            together.latencies.extend(outcome.latencies)
        return together

    @property
    def rate(self) -> float:
        return self.everything.sent / self.seconds


#: The two ways the reads run: (SANDYQ_PUBLIC_CACHE, what the report calls it).
STORES = (("memory", "public answers kept"), ("none", "nothing kept"))


def measure(
    url: str,
    work: Path,
    progress: Callable[[str], None] = lambda line: None,
    *,
    rate: int = RATE,
    seconds: int = SECONDS,
    resources: int = RESOURCES,
) -> tuple[Run, dict[str, Run]]:
    """The floor, and the reads under each of ``STORES``, on a fresh database at ``url``."""
    data_dir = work / "data"
    progress(f"load: {resources} resources and {PACKAGES} real packages")
    catalogue_bench.load(url, data_dir, resources)
    uuids = publish_packages(url, data_dir, work, PACKAGES)
    paths = targets(uuids)
    floor: Run | None = None
    reads: dict[str, Run] = {}
    for store, _label in STORES:
        server = catalogue_bench.serve(url, data_dir, workers=WORKERS, public_cache=store)
        try:
            if floor is None:
                progress(f"load: /healthz at {rate}/s for {seconds} s")
                floor = Run(
                    *drive(
                        server.base, [Target("/healthz", "/healthz")] * len(paths), rate, seconds
                    )
                )
            progress(f"load: mixed reads at {rate}/s for {seconds} s, SANDYQ_PUBLIC_CACHE={store}")
            reads[store] = Run(*drive(server.base, paths, rate, seconds))
        finally:
            server.process.terminate()
            server.process.wait(timeout=30)
    assert floor is not None
    return floor, reads


def _row(outcome: Outcome) -> str:
    return (
        f"| {outcome.kind} | {outcome.sent:,} | {outcome.errors} | "
        f"{milliseconds(outcome.quantile(0.5))} | {milliseconds(outcome.quantile(0.99))} |"
    )


def bench_load(work: Path, progress: Callable[[str], None] = lambda line: None) -> list[str]:
    """Markdown lines of the "## Load: mixed reads" section of docs/benchmarks.md."""
    work.mkdir(parents=True, exist_ok=True)
    url = catalogue_bench.postgres_database(DATABASE)
    if url is None:
        return ["## Load: mixed reads", "", "Not measured: no PostgreSQL server answered."]
    floor, reads = measure(url, work, progress)
    lines = [
        "## Load: mixed reads",
        "",
        f"{RATE} requests/s for {SECONDS} s from `hey` on 127.0.0.1 (one process per URL, a "
        f"fixed count each; {len(targets(['x'] * PACKAGES))} URLs: three searches, three "
        "resource pages, three downloads, two OAI-PMH ListRecords and a GetRecord), the app "
        f"under gunicorn ({WORKERS} sync workers) on PostgreSQL with {RESOURCES:,} published "
        "resources; downloads are real packages, each one counted. The floor is `/healthz` at "
        "the same rate in the same run. The reads run twice on the same data: as deployed "
        "(public answers kept: the same URL asked again by anyone not signed in is answered "
        "from the store until the index changes, `catalogue/public_cache.py`), and with "
        "nothing kept (`SANDYQ_PUBLIC_CACHE=none`), where each read is computed again. "
        f"Measured {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC on "
        f"{os.cpu_count()} cores, `hey` and PostgreSQL on the same ones.",
    ]
    failed = floor.everything.errors
    for store, label in STORES:
        run = reads[store]
        failed += run.everything.errors
        lines += [
            "",
            f"**{label}** (`SANDYQ_PUBLIC_CACHE={store}`): reads {run.rate:.0f}/s of {RATE}/s "
            f"asked; p99 over the floor's p99: "
            f"{run.everything.quantile(0.99) / floor.everything.quantile(0.99):.1f}×.",
            "",
            "| reads | requests | errors | p50 ms | p99 ms |",
            "|---|---:|---:|---:|---:|",
            *(_row(outcome) for outcome in [*run.outcomes, run.everything]),
        ]
    lines += [
        "",
        f"Floor: `/healthz` {floor.rate:.0f}/s, "
        f"p50 {milliseconds(floor.everything.quantile(0.5))} ms, "
        f"p99 {milliseconds(floor.everything.quantile(0.99))} ms.",
    ]
    if failed:
        lines += ["", f"**{failed} requests failed.**"]
    return lines


def main() -> int:
    """Print the section (``--write``: into docs/benchmarks.md); 1 when a request failed."""
    with tempfile.TemporaryDirectory(prefix="sandyq-bench-load-") as folder:
        lines = bench_load(Path(folder), progress=lambda line: print(line, file=sys.stderr))
    print("\n".join(lines))
    if "--write" in sys.argv[1:]:
        write_section(lines)
    return 1 if any(line.endswith("requests failed.**") for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
