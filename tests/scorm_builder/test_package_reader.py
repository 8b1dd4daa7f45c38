"""Reading a package from outside (``scorm_builder.package_reader``): LOM in both
bindings, classifications, accessibility, offline readiness (from the validator's report)
and the guessed kind of resource; SCOs, files and problems; and the same metadata whether
it is read from the zip or reported by the build that wrote it. Real packages, edited
where needed. (These tests were ``test_resources_package_metadata.py``, for the
catalogue's ``package_metadata`` module, which this reader replaced.)"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from catalogue.models import ResourceType
from catalogue.services.resources import prefill
from scorm_builder.build import BuildResult, build_package
from scorm_builder.package_info import PackageMetadata
from scorm_builder.package_reader import PackageInfo, read_package
from scorm_builder.validate import validate_package
from tests.support.catalogue import sample_package

REPO = Path(__file__).resolve().parents[2]
LOM = "http://ltsc.ieee.org/xsd/LOM"


@pytest.fixture(scope="module")
def newton(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_package(tmp_path_factory.mktemp("newton"))


def read_package_metadata(path: Path) -> PackageMetadata:
    return read_package(path).metadata


def offline_ready(path: Path) -> bool:
    return validate_package(path).offline_ready


def resource_type(path: Path) -> ResourceType:
    return ResourceType(read_package_metadata(path).kind)


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
    assert offline_ready(newton) is True
    assert ResourceType(found.kind) is ResourceType.LESSON


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

    assert offline_ready(package) is False


def test_a_test_is_a_package_of_quizzes_only(tmp_path: Path) -> None:
    package = build_package(
        REPO / "samples" / "singles" / "fractions-ru-aiken.txt", tmp_path / "quiz.zip"
    )
    assert resource_type(package.output) is ResourceType.TEST


def test_several_scos_make_a_course_even_with_a_video(tmp_path: Path) -> None:
    package = build_package(REPO / "samples" / "physics-7-course", tmp_path / "course.zip")

    found = read_package_metadata(package.output)

    assert ResourceType(found.kind) is ResourceType.COURSE
    assert found.accessibility == ("captions", "alt_text")


def test_a_video_part_makes_a_video_lecture(newton: Path, tmp_path: Path) -> None:
    def video_page(name: str, data: bytes) -> bytes:
        if name != "index.html":
            return data
        return re.sub(rb'"kind": "page"', b'"kind": "video"', data, count=1)

    package = edited(newton, tmp_path / "video.zip", video_page)

    assert resource_type(package) is ResourceType.VIDEO_LECTURE


def test_a_broken_package_gives_an_empty_prefill(tmp_path: Path) -> None:
    not_zip = tmp_path / "not.zip"
    not_zip.write_bytes(b"not a zip")

    found = read_package_metadata(not_zip)

    assert found.titles == {} and found.scorm_version is None
    assert ResourceType(found.kind) is ResourceType.LESSON
    assert offline_ready(not_zip) is False


# ---- the build describes its package as the reader reads it back ---------------------------


@pytest.mark.parametrize(
    ("source", "scorm"),
    [
        ("physics-7-newton", None),
        ("physics-7-newton", "1.2"),
        ("math-5-fractions-ru", None),
        ("physics-7-course", None),
        ("physics-7-course", "1.2"),
        ("singles/fractions-ru.docx", "1.2"),
        ("singles/fractions-ru-aiken.txt", None),
    ],
)
def test_the_build_reports_what_a_reader_reads_back_from_the_zip(
    source: str, scorm: str | None, tmp_path: Path
) -> None:
    built = build_package(REPO / "samples" / source, tmp_path / "p.zip", scorm=scorm)
    read = read_package(built.output)

    assert built.metadata == read.metadata
    assert read.manifest is not None and built.scos == read.manifest.scos
    assert (built.file_count, built.unpacked_size) == (len(read.files), read.total_bytes)
    assert built.size == read.zip_bytes == built.output.stat().st_size
    assert built.metadata.scorm_version == built.writer.schemaversion
    assert read.problems == ()


def test_a_course_built_from_the_model_itself(
    built_package: Callable[[str], BuildResult], tmp_path: Path
) -> None:
    course = built_package("scorm2004-4th").course

    again = build_package(course, tmp_path / "again.zip", scorm="1.2")

    assert again.course.options.scorm == "1.2" and again.label == "SCORM 1.2"
    assert again.metadata == read_package(again.output).metadata
    assert again.metadata.titles == {"kk": "Ньютон заңдары"}


# ---- what else the reader reads ------------------------------------------------------------


def test_the_scos_their_mastery_files_and_reports(tmp_path: Path) -> None:
    package = build_package(REPO / "samples" / "physics-7-course", tmp_path / "c.zip", scorm="1.2")

    found = read_package(package.output)

    assert found.manifest is not None
    assert found.manifest.identifier == package.course.metadata.identifier
    assert found.manifest.organization == package.course.metadata.title
    assert [sco.scorm_type for sco in found.manifest.scos] == ["sco", "sco", "sco"]
    assert found.manifest.scos[-1].mastery_score == "70%"  # the test's passing_score
    assert found.page_kinds == {"page", "video", "quiz"}
    assert "score" in found.reports and "video watched (progress)" in found.reports
    assert {file.kind for file in found.files} >= {"manifest", "page", "video", "captions"}
    assert validate_package(package.output).info is not None


def test_the_validator_reports_what_the_reader_reads(newton: Path) -> None:
    report = validate_package(newton)

    assert isinstance(report.info, PackageInfo)
    assert report.info.metadata == read_package(newton).metadata
    assert report.info.files == read_package(newton).files
    assert report.info.reports == (), "the validator does not scan scripts for the LMS"
    assert report.offline_ready is True


def test_a_lom_record_in_a_file_of_its_own(newton: Path, tmp_path: Path) -> None:
    def lom_elsewhere(name: str, data: bytes) -> bytes:
        if name != "imsmanifest.xml":
            return data
        text = data.decode("utf-8")
        start, end = text.index("<lom:lom"), text.index("</lom:lom>") + len("</lom:lom>")
        return (
            text[:start] + "<adlcp:location>meta/lom.xml</adlcp:location>" + text[end:]
        ).encode()

    with zipfile.ZipFile(newton) as archive:
        manifest = archive.read("imsmanifest.xml").decode("utf-8")
    start, end = manifest.index("<lom:lom"), manifest.index("</lom:lom>") + len("</lom:lom>")
    record = manifest[start:end].replace("<lom:lom>", f'<lom:lom xmlns:lom="{LOM}">', 1)
    package = edited(newton, tmp_path / "external.zip", lom_elsewhere, {"meta/lom.xml": record})

    found = read_package_metadata(package)

    assert found.titles == {"kk": "Ньютон заңдары"}
    assert (found.language, found.subject, found.grades) == ("kk", "physics", (7,))


def test_what_stops_the_reader_is_listed_not_raised(tmp_path: Path) -> None:
    no_manifest = tmp_path / "pages.zip"
    with zipfile.ZipFile(no_manifest, "w") as archive:
        archive.writestr("index.html", "<h1>Сәлем</h1>")
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("imsmanifest.xml", "<manifest><unclosed>")

    empty = read_package(no_manifest)
    unreadable = read_package(broken)

    assert empty.problems == ("no imsmanifest.xml at the root",)
    assert empty.manifest is None and empty.metadata == PackageMetadata()
    assert [file.path for file in empty.files] == ["index.html"]
    assert unreadable.manifest is None and len(unreadable.problems) == 1
    assert read_package(b"not a zip").problems == ("this file is not a zip archive",)


# ---- the catalogue's prefill ---------------------------------------------------------------


def test_the_catalogue_prefills_a_resource_from_the_metadata(newton: Path) -> None:
    found = read_package_metadata(newton)

    fields = prefill(found, offline_ready=True)

    assert fields["title_kk"] == "Ньютон заңдары" and fields["title_ru"] == ""
    assert (fields["language"], fields["subject"], fields["grades"]) == ("kk", "physics", [7])
    assert fields["resource_type"] == ResourceType.LESSON.value
    assert fields["scorm_version"] == "2004 4th Edition"
    assert fields["accessibility"] == ["alt_text"] and fields["offline_ready"] is True
