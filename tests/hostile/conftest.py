"""The corpus is run once per session: every test reads the same results."""

from __future__ import annotations

import pytest

from tests.hostile.runner import Results, run_corpus


@pytest.fixture(scope="session")
def results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    return run_corpus(tmp_path_factory.mktemp("hostile"))
