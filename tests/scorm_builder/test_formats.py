"""The format registries: every reader and writer is one module, found by its id.

A registered reader without a sample input fails here: each input format has a file in
``samples/`` or ``tests/fixtures/`` that its reader reads, so a new format arrives with an
example a teacher (and ``make run``) can try. See ``docs/formats.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from scorm_builder.build import BuildResult
from scorm_builder.model import LessonPart, QuizPart, VideoPart
from scorm_builder.readers import (
    PART_READERS,
    READERS,
    ReaderFormat,
    ReadOptions,
    companion_suffixes,
    get_reader,
    offered_suffixes,
    reader_for_file,
    single_file_suffixes,
)
from scorm_builder.readers import _registry as reader_registry
from scorm_builder.readers.parts import read_parts
from scorm_builder.schemas import SCHEMA_SETS, schema_dir
from scorm_builder.writers import WRITERS, format_id, get_writer, writer_for
from tests.conftest import VERSIONS

REPO = Path(__file__).resolve().parents[2]
SAMPLE_FOLDERS = (REPO / "samples", REPO / "tests" / "fixtures")
PART_CLASSES = {"html": LessonPart, "lesson": LessonPart, "quiz": QuizPart, "video": VideoPart}


def samples_of(found: ReaderFormat) -> list[Path]:
    """The sample inputs of a format: files under samples/ or tests/fixtures/ it reads."""
    return sorted(
        path
        for folder in SAMPLE_FOLDERS
        for path in folder.rglob("*")
        if path.is_file() and found.reads(path)
    )


# ---- readers ----------------------------------------------------------------------------


@pytest.mark.parametrize("part_type", list(READERS))
def test_every_registered_reader_has_a_sample_input_it_reads(
    part_type: str, tmp_path: Path
) -> None:
    found = READERS[part_type]
    samples = samples_of(found)
    assert samples, (
        f"the {part_type!r} reader has no sample input: add a file ending in "
        f"{', '.join(found.suffixes)} to samples/ (or tests/fixtures/)"
    )
    sample = samples[0]
    parts, _ = read_parts(
        [{"type": part_type, "source": sample.name}],
        root=sample.parent,
        language="kk",
        options=ReadOptions(work_dir=tmp_path),
        video_quality="360p",
    )
    assert isinstance(parts[0], PART_CLASSES.get(part_type, object)), sample
    assert parts[0].title


def test_the_part_readers_are_a_view_of_the_registry() -> None:
    assert dict(PART_READERS) == {name: found.read for name, found in READERS.items()}
    assert list(READERS) == ["html", "lesson", "quiz", "video"]
    assert all(found.type == name for name, found in READERS.items())


def test_a_file_finds_its_reader_by_suffix() -> None:
    assert reader_for_file(Path("Сабақ.DOCX")) is READERS["lesson"]
    assert reader_for_file(Path("test.aiken")) is READERS["quiz"]
    assert reader_for_file(Path("lecture.m4v")) is READERS["video"]
    assert reader_for_file(Path("lecture.kk.srt")) is None
    assert reader_for_file(Path("slides.pptx")) is None
    assert ".pptx" not in single_file_suffixes()
    assert list(single_file_suffixes()) == sorted(single_file_suffixes())


def test_the_catalogue_form_offers_what_the_registry_says() -> None:
    assert offered_suffixes() == (".docx", ".gift", ".txt", ".mp4", ".webm", ".mov", ".mkv")
    assert companion_suffixes() == (".srt", ".vtt")
    for found in READERS.values():
        assert set(found.offered) <= set(found.suffixes)


def test_an_unknown_part_type_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="there are: html, lesson, quiz, video"):
        get_reader("slides")


def test_a_suffix_claimed_by_two_readers_is_refused() -> None:
    quiz = READERS["quiz"]
    clash = ReaderFormat(type="notes", read=quiz.read, what="notes", suffixes=(".txt",))
    with pytest.raises(ValueError, match=r"\.txt is read by both quiz and notes"):
        reader_registry(quiz, clash)
    with pytest.raises(ValueError, match="two readers"):
        reader_registry(quiz, quiz)


def test_a_format_declares_its_suffixes_in_lower_case_with_a_dot() -> None:
    read = READERS["quiz"].read
    with pytest.raises(ValueError, match="lower case"):
        ReaderFormat(type="x", read=read, what="x", suffixes=("GIFT",))
    with pytest.raises(ValueError, match="offered"):
        ReaderFormat(type="x", read=read, what="x", suffixes=(".a",), offered=(".b",))
    with pytest.raises(ValueError, match="companion_key"):
        ReaderFormat(type="x", read=read, what="x", companions=(".srt",))


# ---- writers ----------------------------------------------------------------------------


def test_writers_are_keyed_by_format_id_and_own_their_names() -> None:
    rows = [
        (w.id, w.label, w.suffix, w.scorm, w.edition, w.schema_set, w.schemaversion)
        for w in WRITERS.values()
    ]
    assert rows == [
        ("scorm12", "SCORM 1.2", "scorm12", "1.2", None, "scorm12", "1.2"),
        (
            "scorm2004-3",
            "SCORM 2004 3rd Edition",
            "scorm2004-3rd",
            "2004",
            3,
            "scorm2004_3rd",
            "2004 3rd Edition",
        ),
        (
            "scorm2004-4",
            "SCORM 2004 4th Edition",
            "scorm2004-4th",
            "2004",
            4,
            "scorm2004_4th",
            "2004 4th Edition",
        ),
    ]
    for writer in WRITERS.values():
        assert (schema_dir() / writer.schema_set).is_dir()
        assert SCHEMA_SETS[(writer.scorm, writer.edition)] == writer.schema_set


def test_package_options_choose_a_writer() -> None:
    assert format_id("1.2", 3) == "scorm12"
    assert format_id("2004", 3) == "scorm2004-3"
    assert format_id("2004") == "scorm2004-4"
    with pytest.raises(ValueError, match="there are: scorm12, scorm2004-3, scorm2004-4"):
        get_writer("cmi5")


@pytest.mark.parametrize(("label", "scorm", "edition"), VERSIONS)
def test_a_built_package_reports_its_writer(
    built_package: Callable[[str], BuildResult], label: str, scorm: str, edition: int | None
) -> None:
    result = built_package(label)
    writer = writer_for(result.course.options)
    assert writer.id == format_id(scorm, edition)
    assert result.label == writer.label
    assert label == writer.suffix


def test_a_build_may_name_its_writer_by_id(tmp_path: Path) -> None:
    from scorm_builder.build import build_package, default_output
    from tests.conftest import SAMPLE_COURSE

    result = build_package(SAMPLE_COURSE, tmp_path / "p.zip", writer="scorm2004-3")

    assert result.writer is WRITERS["scorm2004-3"] and result.label == "SCORM 2004 3rd Edition"
    assert (result.course.options.scorm, result.course.options.edition) == ("2004", 3)
    assert result.metadata.scorm_version == "2004 3rd Edition"
    assert default_output(result.course).name == "kz-physics-7-newton-scorm2004-3rd.zip"
    with pytest.raises(ValueError, match="no writer for the format 'cmi5'"):
        build_package(SAMPLE_COURSE, tmp_path / "q.zip", writer="cmi5")
