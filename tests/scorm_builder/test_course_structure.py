"""How a course becomes SCOs, single-file builds, and `sandyq inspect`."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from scorm_builder.build import build_package
from scorm_builder.build_command import ProgressBar
from scorm_builder.cli import main
from scorm_builder.validate import validate_package
from tests.conftest import REPO
from tests.support.official_xsd import official_schema, strip_lom


def without_single_sco(course: Path) -> Path:
    config = course / "course.toml"
    config.write_text(re.sub(r"single_sco = true.*\n", "", config.read_text(encoding="utf-8")))
    return course


def test_one_sco_per_part_by_default(course_copy: Path, tmp_path: Path) -> None:
    result = build_package(without_single_sco(course_copy), tmp_path / "p.zip", scorm="2004")
    with zipfile.ZipFile(result.output) as archive:
        names = set(archive.namelist())
        manifest = etree.fromstring(archive.read("imsmanifest.xml"))
        menu = archive.read("index.html").decode("utf-8")
    items = manifest.findall(".//{*}organization/{*}item")
    assert len(items) == 5
    assert [item.get("identifier") for item in items] == [
        f"ITEM-kz-physics-7-newton-{n}" for n in range(1, 6)
    ]
    assert {f"part-0{n}.html" for n in range(1, 6)} <= names
    assert "Үшінші заң: әрекет пен қарсы әрекет" in menu and 'href="part-04.html"' in menu
    assert validate_package(result.output).findings == ()
    schema = official_schema("2004-4")
    assert schema.validate(strip_lom(etree.ElementTree(manifest))), schema.error_log


def test_single_sco_flag_folds_parts_into_one(course_copy: Path, tmp_path: Path) -> None:
    course = without_single_sco(course_copy)
    output = tmp_path / "one.zip"
    result = CliRunner().invoke(main, ["build", str(course), "-o", str(output), "--single-sco"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(output) as archive:
        manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    assert len(manifest.findall(".//{*}organization/{*}item")) == 1


def test_unknown_part_setting_names_its_line(course_copy: Path, tmp_path: Path) -> None:
    config = course_copy / "course.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('type = "html"', 'type = "html"\npasing_score = 50', 1))
    result = CliRunner().invoke(main, ["build", str(course_copy), "-o", str(tmp_path / "x.zip")])
    assert result.exit_code == 1
    line = int(re.search(r"course\.toml:(\d+)", result.output).group(1))  # type: ignore[union-attr]
    assert config.read_text(encoding="utf-8").splitlines()[line - 1] == "pasing_score = 50"
    assert "unknown setting 'pasing_score'" in result.output


def test_bad_video_quality_in_course_toml(course_copy: Path, tmp_path: Path) -> None:
    config = course_copy / "course.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "edition = 4", 'edition = 4\nvideo_quality = "4k"'
        )
    )
    result = CliRunner().invoke(main, ["build", str(course_copy), "-o", str(tmp_path / "x.zip")])
    assert result.exit_code == 1 and "video_quality" in result.output and "480p" in result.output


def test_single_html_file_with_metadata_flags(course_copy: Path, tmp_path: Path) -> None:
    page = course_copy / "pages" / "02-birinshi-zan.html"
    output = tmp_path / "single.zip"
    arguments = ["build", str(page), "-o", str(output), "--title", "Инерция", "--lang", "kk"]
    arguments += ["--subject", "physics", "--grade", "7", "--author", "Әлия Нұрланова"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(output) as archive:
        manifest = archive.read("imsmanifest.xml").decode("utf-8")
        assert "content/img/inertia.png" in archive.namelist()
    assert (
        "Инерция" in manifest
        and "Әлия Нұрланова" in manifest
        and 'identifier="inertsiia"' in manifest
    )
    assert validate_package(output).valid


def test_unknown_single_file_type(tmp_path: Path) -> None:
    odd = tmp_path / "slides.pptx"
    odd.write_bytes(b"PK")
    result = CliRunner().invoke(main, ["build", str(odd)])
    assert result.exit_code == 1 and ".pptx" in result.output and "hint:" in result.output


def test_inspect_describes_a_package(course_copy: Path, tmp_path: Path) -> None:
    result = build_package(without_single_sco(course_copy), tmp_path / "p.zip", scorm="1.2")
    text = CliRunner().invoke(main, ["inspect", str(result.output)])
    assert text.exit_code == 0, text.output
    assert "SCORM version: 1.2" in text.output
    assert "title: Ньютон заңдары" in text.output
    assert "SCOs and assets (5)" in text.output
    assert "Кіріспе [sco] -> part-01.html" in text.output
    assert "completion" in text.output
    as_json = CliRunner().invoke(main, ["inspect", "--json", str(result.output)])
    summary = json.loads(as_json.output)[0]
    assert summary["scorm_version"] == "1.2" and len(summary["scos"]) == 5
    assert summary["keywords"] == ["күш", "масса", "үдеу", "инерция"]


def test_inspect_survives_a_broken_package(tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip at all")
    result = CliRunner().invoke(main, ["inspect", str(broken)])
    assert result.exit_code == 0
    assert "problem:" in result.output and "sandyq validate" in result.output


def test_a_word_lessons_title_names_the_course_when_course_toml_does_not(
    tmp_path: Path,
) -> None:
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(REPO / "samples" / "physics-7-course" / "newton-lesson.docx", course / "l.docx")
    (course / "course.toml").write_text(
        '[course]\nlanguage = "kk"\n\n[[parts]]\ntype = "lesson"\nsource = "l.docx"\n',
        encoding="utf-8",
    )
    result = build_package(course, tmp_path / "p.zip")
    assert result.course.metadata.title == "Ньютонның екінші заңы"
    assert result.course.metadata.identifier == "niutonnyn-ekinshi-zany"


def test_the_progress_bar_in_a_log_says_percent_and_time_left(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bar = ProgressBar()
    bar.interactive = False
    for step in range(0, 11):
        bar("lecture.mp4 (480p)", step / 10)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("lecture.mp4 (480p): 0%")
    assert lines[-1].startswith("lecture.mp4 (480p): 100% (0:00 left)")
    assert len(lines) == 11
