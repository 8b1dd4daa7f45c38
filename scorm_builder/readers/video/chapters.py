"""Chapters of a video: ``{time = "mm:ss", title = "..."}`` tables or a WebVTT chapters file."""

from __future__ import annotations

from typing import Any

from scorm_builder.errors import CourseConfigError, SourceFileError
from scorm_builder.model import Chapter, Cue
from scorm_builder.readers.video.captions import format_timestamp, parse_time

_HINT = 'write chapters = [{time = "01:30", title = "..."}, ...] or name a WebVTT chapters file'


def chapters_from_tables(items: list[Any], duration: float) -> tuple[Chapter, ...]:
    """Chapters from ``course.toml`` tables, checked to lie inside the video, by time."""
    chapters = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or set(item) - {"time", "title"}:
            raise CourseConfigError(
                f"chapter {number} must be a table of time and title", hint=_HINT
            )
        title = item.get("title")
        if not isinstance(title, str) or not title.strip():
            raise CourseConfigError(f"chapter {number} has no title", hint=_HINT)
        start = _seconds(item.get("time"), number)
        chapters.append(Chapter(start=start, title=title.strip()))
    return _checked(chapters, duration)


def chapters_from_cues(cues: tuple[Cue, ...], duration: float, source: str) -> tuple[Chapter, ...]:
    """Chapters from the cues of a WebVTT chapters file: each cue's start and first line."""
    chapters = [Chapter(start=cue.start, title=cue.text.split("\n")[0]) for cue in cues]
    return _checked(chapters, duration, source)


def _seconds(value: Any, number: int) -> float:
    if isinstance(value, bool):
        value = None
    if isinstance(value, int | float) and value >= 0:
        return float(value)
    if isinstance(value, str):
        seconds = parse_time(value)
        if seconds is not None:
            return seconds
    raise CourseConfigError(
        f"chapter {number} has time {value!r}, which is not a time in the video",
        hint='write the time as "mm:ss" (time = "02:15") or in seconds (time = 135)',
    )


def _checked(
    chapters: list[Chapter], duration: float, source: str | None = None
) -> tuple[Chapter, ...]:
    error = CourseConfigError if source is None else SourceFileError
    for chapter in chapters:
        if chapter.start >= duration:
            raise error(
                f"chapter '{chapter.title}' starts at {format_timestamp(chapter.start)}, "
                f"after the video ends ({format_timestamp(duration)})",
                file=source,
                hint="correct the chapter's time",
            )
    return tuple(sorted(chapters, key=lambda chapter: chapter.start))
