"""`sandyq build`: what the packages hold, and what a teacher sees when the input is wrong."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from scorm_builder.build import BuildResult, build_package
from scorm_builder.cli import main
from scorm_builder.namespaces import IMSSS_2004
from tests.conftest import SAMPLE_COURSE, VERSIONS

LABELS = [label for label, _, _ in VERSIONS]


def manifest_of(result: BuildResult) -> etree._Element:
    with zipfile.ZipFile(result.output) as archive:
        return etree.fromstring(archive.read("imsmanifest.xml"))


def manifest_text(result: BuildResult) -> str:
    with zipfile.ZipFile(result.output) as archive:
        return archive.read("imsmanifest.xml").decode("utf-8")


@pytest.mark.parametrize("label", LABELS)
def test_manifest_uses_the_prefixes_lms_parsers_match(
    built_package: Callable[[str], BuildResult], label: str
) -> None:
    text = manifest_text(built_package(label))
    assert not re.search(r"<ns\d+:|xmlns:ns\d+", text)
    assert re.search(r"<manifest [^>]*xmlns=\"", text), "IMS CP elements must be unprefixed"
    assert "<adlcp:" in text or "adlcp:scorm" in text
    if label.startswith("scorm2004"):
        for prefix in ("imsss", "adlseq", "adlnav"):
            assert f'xmlns:{prefix}="' in text
        assert "<imsss:sequencing>" in text


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("scorm12", "1.2"),
        ("scorm2004-3rd", "2004 3rd Edition"),
        ("scorm2004-4th", "2004 4th Edition"),
    ],
)
def test_schema_and_exact_schemaversion(
    built_package: Callable[[str], BuildResult], label: str, expected: str
) -> None:
    text = manifest_text(built_package(label))
    assert "<schema>ADL SCORM</schema>" in text
    assert f"<schemaversion>{expected}</schemaversion>" in text


@pytest.mark.parametrize("label", LABELS)
def test_identifiers_are_ascii_and_derived_from_the_course(
    built_package: Callable[[str], BuildResult], label: str
) -> None:
    manifest = manifest_of(built_package(label))
    identifiers = [
        element.get("identifier") for element in manifest.iter() if element.get("identifier")
    ]
    assert identifiers
    for identifier in identifiers:
        assert identifier.isascii() and "kz-physics-7-newton" in identifier
    assert "Ньютон заңдары" in manifest_text(built_package(label))


@pytest.mark.parametrize("label", LABELS)
def test_every_file_is_listed_and_every_schema_is_shipped(
    built_package: Callable[[str], BuildResult], label: str
) -> None:
    result = built_package(label)
    manifest = manifest_of(result)
    with zipfile.ZipFile(result.output) as archive:
        names = set(archive.namelist())
        infos = archive.infolist()
    listed = {
        element.get("href")
        for element in manifest.iter()
        if etree.QName(element).localname == "file"
    }
    assert names - {"imsmanifest.xml"} == listed
    location = manifest.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")
    assert location
    for xsd in location.split()[1::2]:
        assert xsd in names, f"{xsd} named in xsi:schemaLocation is not at the package root"
    assert infos[0].filename == "imsmanifest.xml"
    assert all(info.filename.isascii() for info in infos)
    assert [info.filename for info in infos[1:]] == sorted(info.filename for info in infos[1:])


def test_kazakh_file_names_become_ascii_entries(
    built_package: Callable[[str], BuildResult],
) -> None:
    with zipfile.ZipFile(built_package("scorm12").output) as archive:
        names = archive.namelist()
        page = archive.read("content/pages/01-kirispe.html").decode("utf-8")
    assert "content/pages/img/kush-diagrammasy.png" in names
    assert 'src="img/kush-diagrammasy.png"' in page
    assert "Кіріспе" in page


@pytest.mark.parametrize("label", ["scorm2004-3rd", "scorm2004-4th"])
def test_2004_sequencing(built_package: Callable[[str], BuildResult], label: str) -> None:
    manifest = manifest_of(built_package(label))
    organization = manifest.find(".//{*}organization")
    assert organization is not None
    assert (
        organization.get("{http://www.adlnet.org/xsd/adlseq_v1p3}objectivesGlobalToSystem")
        == "false"
    )
    control = organization.find(f"{{{IMSSS_2004}}}sequencing/{{{IMSSS_2004}}}controlMode")
    assert control is not None and control.get("flow") == "true" and control.get("choice") == "true"
    for delivery in manifest.iter(f"{{{IMSSS_2004}}}deliveryControls"):
        assert delivery.get("completionSetByContent") == "true"
        assert delivery.get("objectiveSetByContent") == "true"


def test_lom_metadata(built_package: Callable[[str], BuildResult]) -> None:
    text = manifest_text(built_package("scorm2004-4th"))
    for expected in (
        "Ньютон заңдары",
        "<lom:language>kk</lom:language>",
        "күш",
        "physics",
        "7-сынып",
        "CC-BY-4.0",
    ):
        assert expected in text
    text12 = manifest_text(built_package("scorm12"))
    for expected in ("<imsmd:lom>", 'xml:lang="kk"', "Ньютон заңдары", "Discipline", "CC-BY-4.0"):
        assert expected in text12


def test_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    first = build_package(SAMPLE_COURSE, tmp_path / "a.zip", scorm="2004", edition=4)
    second = build_package(SAMPLE_COURSE, tmp_path / "b.zip", scorm="2004", edition=4)
    assert first.output.read_bytes() == second.output.read_bytes()


def test_cli_flag_wins_over_course_toml(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(SAMPLE_COURSE), "-o", str(tmp_path / "p.zip"), "--scorm", "1.2"]
    )
    assert result.exit_code == 0, result.output
    assert "SCORM 1.2" in result.output
    with zipfile.ZipFile(tmp_path / "p.zip") as archive:
        assert b"<schemaversion>1.2</schemaversion>" in archive.read("imsmanifest.xml")


def test_help_and_version() -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["--help"]).exit_code == 0
    version = runner.invoke(main, ["--version"])
    assert version.exit_code == 0 and "sandyq" in version.output
    assert runner.invoke(main, ["build", "--scorm", "9", "x"]).exit_code == 2


# --- bad input: which file, which line, what to do; exit 1; no zip left behind -------------


def run_build(course: Path, tmp_path: Path) -> tuple[int, str, Path]:
    output = tmp_path / "out" / "package.zip"
    result = CliRunner().invoke(main, ["build", str(course), "-o", str(output)])
    return result.exit_code, result.output, output


def assert_failed_cleanly(code: int, output_zip: Path) -> None:
    assert code == 1
    assert not output_zip.exists()
    leftovers = list(output_zip.parent.glob("*")) if output_zip.parent.exists() else []
    assert leftovers == [], f"partial files left behind: {leftovers}"


def test_missing_page(course_copy: Path, tmp_path: Path) -> None:
    (course_copy / "pages" / "03-ekinshi-zan.html").unlink()
    code, output, zip_path = run_build(course_copy, tmp_path)
    assert_failed_cleanly(code, zip_path)
    assert "course.toml:" in output and "03-ekinshi-zan.html" in output and "hint:" in output
    line = int(re.search(r"course\.toml:(\d+)", output).group(1))  # type: ignore[union-attr]
    assert "03-ekinshi-zan.html" in (course_copy / "course.toml").read_text().splitlines()[line - 1]


def test_missing_image_names_the_page_and_line(course_copy: Path, tmp_path: Path) -> None:
    (course_copy / "pages" / "img" / "inertia.png").unlink()
    code, output, zip_path = run_build(course_copy, tmp_path)
    assert_failed_cleanly(code, zip_path)
    match = re.search(
        r"pages/02-birinshi-zan\.html:(\d+): 'img/inertia\.png' was not found", output
    )
    assert match, output
    page_lines = (course_copy / "pages" / "02-birinshi-zan.html").read_text().splitlines()
    assert "img/inertia.png" in page_lines[int(match.group(1)) - 1]


def test_broken_course_toml(course_copy: Path, tmp_path: Path) -> None:
    config = course_copy / "course.toml"
    lines = config.read_text().splitlines()
    lines[3] = 'description = "no closing quote'
    config.write_text("\n".join(lines))
    code, output, zip_path = run_build(course_copy, tmp_path)
    assert_failed_cleanly(code, zip_path)
    assert "course.toml:4:" in output and "not valid TOML" in output and "hint:" in output


def test_unknown_setting_suggests_the_right_one(course_copy: Path, tmp_path: Path) -> None:
    config = course_copy / "course.toml"
    config.write_text(config.read_text().replace("language =", "langauge ="))
    code, output, zip_path = run_build(course_copy, tmp_path)
    assert_failed_cleanly(code, zip_path)
    assert "unknown setting 'langauge'" in output and "did you mean 'language'" in output


def test_non_utf8_page(course_copy: Path, tmp_path: Path) -> None:
    page = course_copy / "pages" / "02-birinshi-zan.html"
    text = page.read_text(encoding="utf-8")
    page.write_bytes(text.encode("cp1251", errors="replace"))
    first_cyrillic_line = next(
        i for i, line in enumerate(text.splitlines(), 1) if not line.isascii()
    )
    code, output, zip_path = run_build(course_copy, tmp_path)
    assert_failed_cleanly(code, zip_path)
    assert f"pages/02-birinshi-zan.html:{first_cyrillic_line}: the file is not UTF-8" in output
    assert "UTF-8" in output.split("hint:")[1]


def test_failed_rebuild_keeps_the_previous_package(course_copy: Path, tmp_path: Path) -> None:
    output = tmp_path / "package.zip"
    build_package(course_copy, output)
    before = output.read_bytes()
    (course_copy / "pages" / "01-kirispe.html").write_bytes(b"\xff\xfe broken")
    result = CliRunner().invoke(main, ["build", str(course_copy), "-o", str(output)])
    assert result.exit_code == 1
    assert output.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["course", "package.zip"]


def test_page_reaching_outside_the_course_is_refused(course_copy: Path, tmp_path: Path) -> None:
    page = course_copy / "pages" / "01-kirispe.html"
    page.write_text(page.read_text().replace("img/", "../../../etc/", 1))
    code, output, zip_path = run_build(course_copy, tmp_path)
    assert_failed_cleanly(code, zip_path)
    assert "outside the course folder" in output
