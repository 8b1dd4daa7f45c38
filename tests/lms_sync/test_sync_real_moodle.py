"""The end-to-end sync suite against the real Moodle 4.4 of the ``moodle`` group.

It imports the tests of ``tests/lms_sync/test_sync_e2e.py`` that need no fault injection and gives
them the ``site`` fixture of ``tests/support/moodle.py``: the real Moodle that
``tools/moodle.sh`` stands up (fixture ``real_moodle``), with idnumbers and short names
under a prefix new for each test (``sandyq-t<random>``), so tests neither see each other's
categories and courses nor collide with a production layout. The sync uses the token of
the ``sandyqsync`` account, whose role is exactly ``lms_sync.moodle_role.SYNC_ROLE``.
"""

from __future__ import annotations

import pytest

from tests.lms_sync.test_sync_e2e import (  # noqa: F401  (pytest collects what is imported)
    catalogue,
    setup,
    test_a_bad_catalogue_token_stops_with_exit_2,
    test_a_bad_moodle_token_stops_with_exit_2,
    test_a_dry_run_prints_the_plan_and_changes_nothing,
    test_a_new_version_replaces_the_package_in_place,
    test_filters_choose_what_this_moodle_takes,
    test_first_sync_creates_everything_and_a_second_changes_nothing,
    test_the_json_document,
    test_the_plan_and_the_summary_count_alike,
    test_the_text_output_has_results_and_a_summary,
    test_tokens_never_appear_in_output_or_logs,
    test_unpublished_resources_are_hidden_not_deleted_and_shown_again,
)
from tests.support.moodle import prefixed_site, sqlite_app  # noqa: F401 (fixtures)

pytestmark = pytest.mark.moodle
