"""Shared fixtures: the sample course and packages built from it, once per test session."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from scorm_builder.build import BuildResult, build_package

REPO = Path(__file__).resolve().parents[1]
SAMPLE_COURSE = REPO / "samples" / "physics-7-newton"

#: (label, scorm, edition) for every kind of package we build.
VERSIONS = [("scorm12", "1.2", None), ("scorm2004-3rd", "2004", 3), ("scorm2004-4th", "2004", 4)]


@pytest.fixture(scope="session")
def built_package(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], BuildResult]:
    """Build the Kazakh sample course once per version label: ``built_package("scorm12")``."""
    cache: dict[str, BuildResult] = {}

    def build(label: str) -> BuildResult:
        if label not in cache:
            _, scorm, edition = next(version for version in VERSIONS if version[0] == label)
            output = tmp_path_factory.mktemp("packages") / f"newton-{label}.zip"
            cache[label] = build_package(SAMPLE_COURSE, output, scorm=scorm, edition=edition)
        return cache[label]

    return build


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """A private copy of the sample course that a test may break."""
    target = tmp_path / "course"
    shutil.copytree(SAMPLE_COURSE, target)
    return target
