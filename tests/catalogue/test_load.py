"""Under a steady mixed load (searches, resource pages, downloads, OAI-PMH) from ``hey``,
the catalogue under gunicorn on PostgreSQL fails no request, with public answers kept and
without. A short run here; ``make bench`` runs 200 requests/s for 60 s and reports the p99
in docs/benchmarks.md."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.load import measure
from tests.conftest import empty_postgres_database


@pytest.fixture
def database() -> Iterator[str]:
    with empty_postgres_database("sandyq_load") as url:
        yield url


def test_mixed_reads_under_load_fail_no_request(database: str, tmp_path: Path) -> None:
    floor, reads = measure(database, tmp_path, rate=40, seconds=5, resources=200)
    assert set(reads) == {"memory", "none"}  # public answers kept, and nothing kept
    for run in reads.values():
        assert {outcome.kind for outcome in run.outcomes} == {
            "search", "resource page", "download", "OAI-PMH"
        }  # fmt: skip
        assert [(outcome.kind, outcome.errors) for outcome in run.outcomes] == [
            (outcome.kind, 0) for outcome in run.outcomes
        ]
        assert all(outcome.sent >= 40 for outcome in run.outcomes)
    assert floor.everything.errors == 0
