"""The end-to-end sync suite against a real Moodle with the local_sandyq plugin installed.

Set ``SANDYQ_TEST_MOODLE_URL`` and ``SANDYQ_TEST_MOODLE_TOKEN`` (a token for the
"Sandyq catalogue sync" service) to run it. When either is unset this module defines no
tests at all, so a normal run reports nothing from it: neither passed nor skipped. (A
``pytest_collection_modifyitems`` hook would only be honoured in a conftest.py or a
plugin, not in a test module, hence the plain ``if``.)

It imports the tests of ``tests/test_sync_e2e.py`` that need no fault injection and gives
them a ``site`` fixture of its own: the real Moodle, with idnumbers and short names under
a prefix new for each test (``sandyq-t<random>``), so tests neither see each other's
categories and courses nor collide with a production layout. Each test leaves its
categories, courses and activities behind; delete the "Sandyq test …" categories when done.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

URL = os.environ.get("SANDYQ_TEST_MOODLE_URL", "")
TOKEN = os.environ.get("SANDYQ_TEST_MOODLE_TOKEN", "")

if URL and TOKEN:
    from tests.test_sync_e2e import (  # noqa: F401  (pytest collects what is imported)
        Site,
        catalogue,
        setup,
        test_a_bad_catalogue_token_stops_with_exit_2,
        test_a_bad_moodle_token_stops_with_exit_2,
        test_a_dry_run_prints_the_plan_and_changes_nothing,
        test_a_new_version_replaces_the_package_in_place,
        test_filters_choose_what_this_moodle_takes,
        test_first_sync_creates_everything_and_a_second_changes_nothing,
        test_the_json_document,
        test_the_text_output_has_results_and_a_summary,
        test_tokens_never_appear_in_output_or_logs,
        test_unpublished_resources_are_hidden_not_deleted_and_shown_again,
    )

    @pytest.fixture
    def site() -> Iterator[Site]:
        yield Site(URL.rstrip("/"), TOKEN, None, prefix=f"sandyq-t{uuid.uuid4().hex[:8]}")
