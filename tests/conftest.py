"""Shared fixtures: the sample course and packages built from it, once per test session."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page

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


# ---- a real Chromium, for the browser tests --------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium through Playwright (never a downloaded browser)."""
    from tests.lms_harness import CHROMIUM, chromium

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with chromium() as shared:
        yield shared


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in Kazakh that fails the test on any JavaScript or console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="kk-KZ")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: _console_error(message, errors))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def _console_error(message: ConsoleMessage, errors: list[str]) -> None:
    url = message.location.get("url", "")
    if message.type == "error" and not url.endswith("/favicon.ico"):
        errors.append(f"{message.text} ({url})")
