"""Bad teacher input through `sandyq build`: a clear error naming the file and the line or
entry, exit code 1, and no zip (not even a partial one) left behind."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from samples.tools.lesson_docx import LessonDocx
from scorm_builder.cli import main
from tests.conftest import REPO

COURSE = REPO / "samples" / "physics-7-course"


def build(source: Path, tmp_path: Path, *extra: str) -> tuple[int, str, Path]:
    output = tmp_path / "out" / "package.zip"
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(output), *extra])
    return result.exit_code, result.output, output


def assert_nothing_written(output: Path) -> None:
    assert not output.exists()
    if output.parent.exists():
        assert list(output.parent.iterdir()) == []


def test_a_corrupt_docx(tmp_path: Path) -> None:
    lesson = tmp_path / "сабақ.docx"
    lesson.write_bytes(LessonDocx().heading("Кіріспе").paragraph("Мәтін").bytes()[:900])
    code, output, zip_path = build(lesson, tmp_path)
    assert code == 1
    assert_nothing_written(zip_path)
    assert "сабақ.docx" in output and "hint:" in output


def test_a_docx_that_is_a_zip_bomb(tmp_path: Path) -> None:
    good = LessonDocx().heading("Кіріспе").paragraph("Мәтін").bytes()
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in source.infolist():
            if info.filename == "word/document.xml":
                entry = zipfile.ZipInfo(info.filename)
                entry.compress_type = zipfile.ZIP_DEFLATED
                # 300 MB of zeros, deflated to a few hundred KB
                with bomb.open(entry, "w", force_zip64=True) as stream:
                    chunk = b"\0" * (1 << 20)
                    for _ in range(300):
                        stream.write(chunk)
            else:
                bomb.writestr(info, source.read(info))
    lesson = tmp_path / "урок.docx"
    lesson.write_bytes(buffer.getvalue())
    code, output, zip_path = build(lesson, tmp_path)
    assert code == 1
    assert_nothing_written(zip_path)
    assert "урок.docx" in output and "word/document.xml" in output


def test_a_gift_with_a_missing_brace(tmp_path: Path) -> None:
    test = tmp_path / "тест.gift"
    test.write_text(
        "::Q1:: Күштің өлшем бірлігі қандай? {=ньютон ~джоуль}\n\n"
        "::Q2:: Масса қалай белгіленеді? {=m ~F\n\n"
        "::Q3:: Үдеу? {=a ~v}\n",
        encoding="utf-8",
    )
    code, output, zip_path = build(test, tmp_path)
    assert code == 1
    assert_nothing_written(zip_path)
    assert re.search(r"тест\.gift:3: .*Масса қалай белгіленеді", output), output


def test_a_video_that_is_not_one(tmp_path: Path) -> None:
    video = tmp_path / "дәріс.mp4"
    video.write_text("бұл бейне емес, мәтін\n", encoding="utf-8")
    code, output, zip_path = build(video, tmp_path)
    assert code == 1
    assert_nothing_written(zip_path)
    assert "дәріс.mp4" in output and "not a video" in output


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(COURSE, target)
    return target


def test_captions_with_broken_timing(course_copy: Path, tmp_path: Path) -> None:
    captions = course_copy / "newton-lecture.kk.srt"
    lines = captions.read_text(encoding="utf-8").splitlines()
    timing = next(i for i, line in enumerate(lines) if "-->" in line)
    lines[timing] = "00:00:09,000 --> 00:00:02,000"
    captions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, output, zip_path = build(course_copy, tmp_path)
    assert code == 1
    assert_nothing_written(zip_path)
    assert f"newton-lecture.kk.srt:{timing + 1}:" in output, output


def test_a_broken_rebuild_keeps_the_good_package(course_copy: Path, tmp_path: Path) -> None:
    output = tmp_path / "package.zip"
    assert CliRunner().invoke(main, ["build", str(course_copy), "-o", str(output)]).exit_code == 0
    before = output.read_bytes()
    gift = course_copy / "newton-test.gift"
    gift.write_text(gift.read_text(encoding="utf-8").replace("}", "", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(course_copy), "-o", str(output)])
    assert result.exit_code == 1
    assert output.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["course", "package.zip"]


def test_an_aiken_test_of_only_an_answer_line_is_refused(tmp_path: Path) -> None:
    test = tmp_path / "тест.txt"
    test.write_text("ANSWER: A\n", encoding="utf-8")
    code, output, zip_path = build(test, tmp_path)
    assert code == 1
    assert_nothing_written(zip_path)
    assert "тест.txt:1: the test has no question that earns marks" in output
    assert "hint:" in output and "A) ... B)" in output


def test_a_test_over_the_question_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANDYQ_MAX_QUESTIONS", "5")
    test = tmp_path / "үлкен.gift"
    test.write_text("".join(f"Сұрақ {n}? {{=иә ~жоқ}}\n\n" for n in range(6)), encoding="utf-8")
    code, output, zip_path = build(test, tmp_path)
    assert code == 1
    assert_nothing_written(zip_path)
    assert "үлкен.gift:11: the test has more than 5 questions" in output
    assert "SANDYQ_MAX_QUESTIONS" in output


def test_a_missing_output_folder_is_made_and_said(tmp_path: Path) -> None:
    test = tmp_path / "тест.gift"
    test.write_text("Күш бірлігі? {=ньютон ~джоуль}\n", encoding="utf-8")
    output = tmp_path / "жаңа" / "қалта" / "тест.zip"
    result = CliRunner().invoke(main, ["build", str(test), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert output.is_file()
    assert f"note: made the folder {output.parent}, which did not exist" in result.output
    again = CliRunner().invoke(main, ["build", str(test), "-o", str(output)])
    assert again.exit_code == 0 and "made the folder" not in again.output
