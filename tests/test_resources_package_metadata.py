"""The prefill read from a package: LOM in both bindings, classifications, accessibility,
offline readiness and the guessed resource type; real packages, edited where needed."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from catalogue.models import ResourceType
from catalogue.package_metadata import read_package_metadata
from scorm_builder.build import BuildResult, build_package
from tests.catalogue_support import sample_package

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def newton(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_package(tmp_path_factory.mktemp("newton"))


def edited(
    package: Path,
    target: Path,
    change: Callable[[str, bytes], bytes | None] = lambda name, data: data,
    add: dict[str, str] | None = None,
) -> Path:
    """A copy of ``package`` with each entry passed through ``change`` (None drops it)."""
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = change(info.filename, source.read(info))
            if data is not None:
                out.writestr(info, data)
        for name, text in (add or {}).items():
            out.writestr(name, text)
    return target


def in_manifest(old: str, new: str) -> Callable[[str, bytes], bytes]:
    def change(name: str, data: bytes) -> bytes:
        if name != "imsmanifest.xml":
            return data
        text = data.decode("utf-8")
        assert old in text
        return text.replace(old, new, 1).encode("utf-8")

    return change


def test_ieee_lom_of_a_scorm_2004_package(newton: Path) -> None:
    found = read_package_metadata(newton)

    assert found.titles == {"kk": "Ньютон заңдары"}
    assert found.descriptions == {"kk": "7-сынып, физика: Ньютонның үш заңы, күш пен масса"}
    assert (found.language, found.subject, found.grades) == ("kk", "physics", (7,))
    assert found.keywords == ("күш", "масса", "үдеу", "инерция")
    assert found.scorm_version == "2004 4th Edition"
    assert found.accessibility == ("alt_text",)
    assert found.offline_ready is True
    assert found.resource_type is ResourceType.LESSON


def test_ims_metadata_of_a_scorm_12_package(
    built_package: Callable[[str], BuildResult],
) -> None:
    found = read_package_metadata(built_package("scorm12").output)

    assert found.titles == {"kk": "Ньютон заңдары"}
    assert (found.language, found.subject, found.grades) == ("kk", "physics", (7,))
    assert found.keywords == ("күш", "масса", "үдеу", "инерция")
    assert found.scorm_version == "1.2"


def test_a_russian_lesson_in_scorm_12(tmp_path: Path) -> None:
    package = build_package(REPO / "samples" / "math-5-fractions-ru", tmp_path / "math.zip")

    found = read_package_metadata(package.output)

    assert found.language == "ru"
    assert set(found.titles) == {"ru"} and found.titles["ru"]
    assert found.grades == (5,)


def test_titles_in_several_languages(newton: Path, tmp_path: Path) -> None:
    both = '<lom:string language="kk">Ньютон заңдары</lom:string>'
    package = edited(
        newton,
        tmp_path / "both.zip",
        in_manifest(both, both + '<lom:string language="ru-RU">Законы Ньютона</lom:string>'),
    )

    assert read_package_metadata(package).titles == {
        "kk": "Ньютон заңдары",
        "ru": "Законы Ньютона",
    }


def test_captions_and_missing_alt_text(newton: Path, tmp_path: Path) -> None:
    page = '<p>Сурет:</p><img src="img/inertia.png">'
    package = edited(
        newton,
        tmp_path / "a11y.zip",
        add={"content/pages/lecture.kk.vtt": "WEBVTT\n", "content/pages/extra.html": page},
    )

    assert read_package_metadata(package).accessibility == ("captions",)


def test_a_page_that_loads_from_the_internet_is_not_offline_ready(
    newton: Path, tmp_path: Path
) -> None:
    def remote_script(name: str, data: bytes) -> bytes:
        if name != "content/pages/01-kirispe.html":
            return data
        return data.replace(
            b"</head>", b'<script src="https://cdn.example.com/lib.js"></script></head>'
        )

    package = edited(newton, tmp_path / "online.zip", remote_script)

    assert read_package_metadata(package).offline_ready is False


def test_a_test_is_a_package_of_quizzes_only(tmp_path: Path) -> None:
    package = build_package(
        REPO / "samples" / "singles" / "fractions-ru-aiken.txt", tmp_path / "quiz.zip"
    )
    assert read_package_metadata(package.output).resource_type is ResourceType.TEST


def test_several_scos_make_a_course_even_with_a_video(tmp_path: Path) -> None:
    package = build_package(REPO / "samples" / "physics-7-course", tmp_path / "course.zip")

    found = read_package_metadata(package.output)

    assert found.resource_type is ResourceType.COURSE
    assert found.accessibility == ("captions", "alt_text")


def test_a_video_part_makes_a_video_lecture(newton: Path, tmp_path: Path) -> None:
    def video_page(name: str, data: bytes) -> bytes:
        if name != "index.html":
            return data
        return re.sub(rb'"kind": "page"', b'"kind": "video"', data, count=1)

    package = edited(newton, tmp_path / "video.zip", video_page)

    assert read_package_metadata(package).resource_type is ResourceType.VIDEO_LECTURE


def test_a_broken_package_gives_an_empty_prefill(tmp_path: Path) -> None:
    not_zip = tmp_path / "not.zip"
    not_zip.write_bytes(b"not a zip")

    found = read_package_metadata(not_zip)

    assert found.titles == {} and found.scorm_version is None
    assert found.resource_type is ResourceType.LESSON
