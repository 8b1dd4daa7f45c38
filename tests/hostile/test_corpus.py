"""Each hostile input through each surface: the expected verdict and rule ids, never a
crash, and never a file written outside the place the command may write to."""

from __future__ import annotations

import pytest

from tests.hostile.corpus import FOLDERS, PACKAGES, TEACHER_FILES, Case, FolderCase
from tests.hostile.runner import Observed, Results

#: Surfaces that report rule ids, and so must name the expected ones.
_WITH_RULES = ("validate", "upload (API)", "upload (web)")


def _check(seen: Observed, case: Case | FolderCase, surface: str) -> None:
    assert not seen.crashed, f"{surface} crashed on {case.id}:\n{seen.output[-2000:]}"
    assert not seen.outside, f"{surface} wrote outside its folder on {case.id}"
    assert seen.verdict == case.expect.verdict, (case.id, seen)
    if surface in _WITH_RULES:
        missing = set(case.expect.rules) - set(seen.rules)
        assert not missing, f"{case.id}: {surface} did not report {missing}: {seen.rules}"


@pytest.mark.parametrize("surface", ["validate", "inspect", "upload (API)", "upload (web)"])
@pytest.mark.parametrize("case", PACKAGES, ids=[c.id for c in PACKAGES])
def test_each_package_on_each_surface(results: Results, case: Case, surface: str) -> None:
    _check(results[surface][case.id], case, surface)


@pytest.mark.parametrize(
    "case", [*TEACHER_FILES, *FOLDERS], ids=[c.id for c in (*TEACHER_FILES, *FOLDERS)]
)
def test_each_teacher_file_through_build(results: Results, case: Case | FolderCase) -> None:
    _check(results["build"][case.id], case, "build")


def test_the_corpus_covers_every_class_of_issue_15() -> None:
    kinds = {c.kind for c in (*PACKAGES, *TEACHER_FILES, *FOLDERS)}
    assert {
        "lying size",
        "zip bomb",
        "bad CRC",
        "zip slip",
        "symlink",
        "XXE",
        "billion laughs",
        "external DTD",
        "duplicated name",
        "case clash",
        "file and folder",
        "reserved name",
        "long name",
        "control characters",
        "control",
    } <= kinds
    verdicts = {c.expect.verdict for c in PACKAGES}
    assert verdicts == {"refused", "warned", "accepted"}
