"""A course described in memory (``CourseSpec``): several teachers' files as one course,
built with ``build_package`` and no ``course.toml`` written or read on the way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scorm_builder.build import CourseSpec, MetadataFlags, build_package
from scorm_builder.errors import BuildError
from scorm_builder.package_reader import read_package
from scorm_builder.readers.course_spec import course_identifier, course_of_files

REPO = Path(__file__).resolve().parents[2]
COURSE = REPO / "samples" / "physics-7-course"
LESSON_TITLE = "Ньютонның екінші заңы"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    names = (
        "newton-test.gift",
        "newton-lecture.ru.vtt",
        "newton-lecture.mp4",
        "newton-lesson.docx",
        "newton-lecture.kk.srt",
    )
    for name in names:
        shutil.copy(COURSE / name, tmp_path / name)
    return {name: tmp_path / name for name in names}


def test_several_files_become_parts_in_reading_order_with_their_captions(
    files: dict[str, Path],
) -> None:
    spec = course_of_files(list(files.values()), MetadataFlags(grades=(7,)))

    assert [(t["type"], t["source"]) for t in spec.parts] == [
        ("lesson", "newton-lesson.docx"),
        ("video", "newton-lecture.mp4"),
        ("quiz", "newton-test.gift"),
    ]
    assert sorted(spec.parts[1]["captions"]) == ["newton-lecture.kk.srt", "newton-lecture.ru.vtt"]
    assert spec.flags.title == LESSON_TITLE
    assert spec.flags.identifier == "niutonnyn-ekinshi-zany"
    assert spec.count("video") == 1 and spec.root == files["newton-test.gift"].parent


def test_one_file_is_built_as_it_is(files: dict[str, Path]) -> None:
    spec = course_of_files([files["newton-test.gift"]], MetadataFlags(title="7 сынып: тест"))

    assert spec.parts == ({"type": "quiz", "source": "newton-test.gift"},)
    assert spec.flags.title == "7 сынып: тест"
    assert spec.flags.identifier == "course-7-synyp-test"


def test_the_course_is_built_from_memory_without_a_course_toml(
    files: dict[str, Path], tmp_path: Path
) -> None:
    spec = course_of_files(list(files.values()), MetadataFlags(subject="physics"))
    stages: list[str] = []

    built = build_package(spec, tmp_path / "out" / "course.zip", on_stage=stages.append)

    assert not (spec.root / "course.toml").exists()
    assert stages == ["reading", "packaging"]
    assert [type(part).__name__ for part in built.course.parts] == [
        "LessonPart",
        "VideoPart",
        "QuizPart",
    ]
    assert built.metadata.titles == {"kk": LESSON_TITLE} and built.metadata.kind == "course"
    assert built.metadata.subject == "physics"
    assert "captions" in built.metadata.accessibility
    assert built.metadata == read_package(built.output).metadata


def test_a_spec_written_by_hand(tmp_path: Path) -> None:
    shutil.copy(COURSE / "newton-test.gift", tmp_path / "t.gift")
    spec = CourseSpec(
        tmp_path,
        ({"type": "quiz", "source": "t.gift", "passing_score": 80},),
        MetadataFlags(title="Тест", language="ru"),
    )

    built = build_package(spec, tmp_path / "t.zip", scorm="1.2")

    assert built.label == "SCORM 1.2" and built.metadata.language == "ru"
    assert built.scos[0].mastery_score == "80%"
    assert built.metadata.kind == "test"


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["кесте.pdf"], "кесте.pdf: Sandyq cannot build a '.pdf' file; give a Word lesson"),
        (["lecture.kk.srt"], "only caption files were given: add the video they belong to"),
        ([], "no files were given: add a lesson, a test or a video (.docx, .gift, .txt"),
        (["a.docx", "other.kk.srt"], "other.kk.srt: caption files go with a video"),
        (["a.mp4", "b.mp4", "c.kk.srt"], "c.kk.srt: no video is named like this caption file"),
    ],
)
def test_files_that_make_no_course_are_named(
    names: list[str], expected: str, tmp_path: Path
) -> None:
    paths = [tmp_path / name for name in names]
    with pytest.raises(BuildError) as refused:
        course_of_files(paths, MetadataFlags())
    assert str(refused.value).startswith(expected)


def test_identifiers_start_with_a_letter() -> None:
    assert course_identifier("Ньютон заңдары") == "niuton-zandary"
    assert course_identifier("7-сынып") == "course-7-synyp"
    assert course_identifier("???") == "course"
