"""``read_video_part``: a ``[[parts]] type = "video"`` table becomes a ``VideoPart``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scorm_builder.errors import CourseConfigError, ScormError, SourceFileError
from scorm_builder.model import Chapter, VideoPart
from scorm_builder.readers import PartContext
from scorm_builder.readers.assets import AssetCollector
from scorm_builder.readers.video import read_video_part
from tests.support.video import KK_SRT, RU_VTT, inspect, make_clip, moov_first

HIGH = ("-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p", "-b:v", "4M")


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A course folder with a 3 s 720p lecture and Kazakh and Russian captions."""
    root = tmp_path / "course"
    (root / "video").mkdir(parents=True)
    make_clip(root / "video" / "дәріс.mp4", size="1280x720", seconds=3, video=HIGH)
    (root / "video" / "дәріс.kk.srt").write_text(KK_SRT, encoding="utf-8")
    (root / "video" / "дәріс.ru.vtt").write_text(RU_VTT, encoding="utf-8")
    return root


def context(root: Path, progress: list[tuple[str, float]] | None = None) -> PartContext:
    reported = progress if progress is not None else []
    return PartContext(
        root=root,
        index=1,
        folder="content/02-daris",
        collector=AssetCollector(root=root.resolve()),
        language="kk",
        work_dir=root.parent / "work",
        progress=lambda task, fraction: reported.append((task, fraction)),
    )


def read(root: Path, **table: Any) -> VideoPart:
    return read_video_part({"type": "video", "source": "video/дәріс.mp4", **table}, context(root))


def test_a_lecture_with_captions_and_chapters(course: Path) -> None:
    progress: list[tuple[str, float]] = []
    part = read_video_part(
        {
            "type": "video",
            "source": "video/дәріс.mp4",
            "title": "Бейнедәріс: күш және үдеу",
            "captions": ["video/дәріс.kk.srt", "video/дәріс.ru.vtt"],
            "chapters": [{"time": "0:01.5", "title": "F = m·a"}, {"time": 0, "title": "Кіріспе"}],
            "completion": 0.8,
        },
        context(course, progress),
    )
    assert part.title == "Бейнедәріс: күш және үдеу"
    assert part.path == "content/02-daris/video.html"
    assert part.source == "video/дәріс.mp4"
    assert part.duration == pytest.approx(3.0, abs=0.1)
    assert (part.width, part.height) == (854, 480)
    assert part.completion == 0.8
    # the video streams from the work folder; nothing big is held in memory
    assert part.video.path == "content/02-daris/video.mp4" and part.video.data == b""
    assert part.video.file is not None and part.video.file.is_relative_to(course.parent / "work")
    assert moov_first(part.video.file) and inspect(part.video.file).profile == "Main"
    assert part.poster is not None and part.poster.path == "content/02-daris/poster.jpg"
    assert part.poster.data.startswith(b"\xff\xd8")
    assert [(t.language, t.label, t.asset.path) for t in part.captions] == [
        ("kk", "Қазақша", "content/02-daris/captions.kk.vtt"),
        ("ru", "Русский", "content/02-daris/captions.ru.vtt"),
    ]
    kk = part.captions[0].asset.data.decode("utf-8")
    assert kk.startswith("WEBVTT\n") and "Ньютонның екінші заңы:\nF = m · a" in kk
    assert part.chapters == (Chapter(0.0, "Кіріспе"), Chapter(1.5, "F = m·a"))
    assert progress[-1] == ("video/дәріс.mp4 (480p)", 1.0)
    assert [f for _, f in progress] == sorted(f for _, f in progress)


def test_defaults_title_quality_completion_and_captions_found_beside(course: Path) -> None:
    part = read(course, quality="360p")
    assert part.title == "дәріс"
    assert part.completion == 0.9
    assert (part.width, part.height) == (640, 360)
    assert [t.language for t in part.captions] == ["kk", "ru"]


def test_captions_as_a_table_of_languages(course: Path) -> None:
    (course / "video" / "орысша.vtt").write_text(RU_VTT, encoding="utf-8")
    part = read(course, captions={"ru": "video/орысша.vtt"})
    assert [(t.language, t.asset.path) for t in part.captions] == [
        ("ru", "content/02-daris/captions.ru.vtt")
    ]


def test_chapters_from_a_webvtt_file(course: Path) -> None:
    (course / "video" / "chapters.vtt").write_text(
        "WEBVTT\n\n00:00.000 --> 00:01.000\nКіріспе\n\n00:01.000 --> 00:03.000\nЗаң\n",
        encoding="utf-8",
    )
    part = read(course, captions=[], chapters="video/chapters.vtt")
    assert part.chapters == (Chapter(0.0, "Кіріспе"), Chapter(1.0, "Заң"))
    assert part.captions == ()


def assert_nothing_written(course: Path) -> None:
    work = course.parent / "work"
    assert not work.exists() or not any(path.is_file() for path in work.rglob("*"))


@pytest.mark.parametrize(
    ("table", "error", "words"),
    [
        ({"quality": "1080p"}, CourseConfigError, "quality = '1080p'"),
        ({"completion": 0.3}, CourseConfigError, "0.5 to 1.0"),
        ({"completion": True}, CourseConfigError, "0.5 to 1.0"),
        ({"captions": 5}, CourseConfigError, "captions must be"),
        ({"captions": ["video/нет.srt"]}, SourceFileError, "was not found"),
        ({"chapters": [{"time": "9:00", "title": "Соңы"}]}, CourseConfigError, "after the video"),
        ({"chapters": [{"time": "бір", "title": "x"}]}, CourseConfigError, "not a time"),
        ({"chapters": [{"time": 1}]}, CourseConfigError, "no title"),
    ],
)  # fmt: skip
def test_table_mistakes_are_reported_before_any_transcoding(
    course: Path, table: dict[str, Any], error: type[ScormError], words: str
) -> None:
    with pytest.raises(error) as caught:
        read(course, **table)
    assert words in caught.value.message
    assert_nothing_written(course)


def test_an_unknown_caption_language_suffix_says_how_to_name_files(course: Path) -> None:
    (course / "video" / "дәріс.kazakh.srt").write_text(KK_SRT, encoding="utf-8")
    with pytest.raises(SourceFileError) as caught:
        read(course, captions=["video/дәріс.kazakh.srt"])
    assert caught.value.file == "video/дәріс.kazakh.srt"
    assert "lecture.kk.srt" in (caught.value.hint or "")
    (course / "video" / "subs.srt").write_text(KK_SRT, encoding="utf-8")
    with pytest.raises(SourceFileError, match="no language"):
        read(course, captions=["video/subs.srt"])


def test_broken_captions_name_file_and_line_and_write_nothing(course: Path) -> None:
    broken = KK_SRT.replace("00:00:01,100 --> 00:00:02,500", "00:00:02,500 --> 00:00:01,100")
    (course / "video" / "дәріс.kk.srt").write_text(broken, encoding="utf-8")
    with pytest.raises(SourceFileError) as caught:
        read(course)
    assert (caught.value.file, caught.value.line) == ("video/дәріс.kk.srt", 6)
    assert_nothing_written(course)


def test_captions_in_an_old_code_page_are_refused_with_the_line(course: Path) -> None:
    (course / "video" / "дәріс.ru.vtt").write_bytes(RU_VTT.encode("cp1251"))
    with pytest.raises(SourceFileError, match="not UTF-8") as caught:
        read(course)
    assert caught.value.line == 4  # the first cue text: "Сила — ..."


def test_a_file_that_is_no_video(course: Path) -> None:
    (course / "video" / "дәріс.mp4").write_bytes(b"%PDF-1.7\n")
    with pytest.raises(SourceFileError) as caught:
        read(course, captions=[])
    assert caught.value.file == "video/дәріс.mp4"
    assert "PDF" in caught.value.message
    assert_nothing_written(course)


def test_a_video_without_sound_is_fine(tmp_path: Path) -> None:
    root = tmp_path / "course"
    root.mkdir()
    make_clip(root / "screen.webm", size="320x240", seconds=1, audio=None,
              video=("-c:v", "libvpx-vp9", "-b:v", "200k"))  # fmt: skip
    part = read_video_part({"source": "screen.webm"}, context(root))
    assert part.video.file is not None
    assert inspect(part.video.file).audio_codec is None
    assert (part.width, part.height) == (320, 240)
