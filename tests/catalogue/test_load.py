"""Under a steady mixed load (searches, resource pages, downloads, OAI-PMH) from ``hey``,
the catalogue under gunicorn on PostgreSQL fails no request. A short run here; ``make
bench`` runs 200 requests/s for 60 s and reports the p99 in docs/benchmarks.md."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.load import measure


@pytest.fixture
def database() -> Iterator[str]:
    url = sa.engine.make_url(os.environ["SANDYQ_TEST_POSTGRES_URL"])
    name = f"sandyq_load_{os.getpid()}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_mixed_reads_under_load_fail_no_request(database: str, tmp_path: Path) -> None:
    (floor, _), (reads, _) = measure(database, tmp_path, rate=40, seconds=5, resources=200)
    assert {outcome.kind for outcome in reads} == {
        "search", "resource page", "download", "OAI-PMH"
    }  # fmt: skip
    assert [(outcome.kind, outcome.errors) for outcome in [*reads, floor]] == [
        (outcome.kind, 0) for outcome in [*reads, floor]
    ]
    assert all(outcome.sent >= 40 for outcome in reads)
