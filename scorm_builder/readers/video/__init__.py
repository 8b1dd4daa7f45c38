"""Video reader: a lecture from a phone or a screen recorder becomes a ``VideoPart``.

``[[parts]] type = "video"`` takes ``source`` (mp4, mov, webm, mkv ...), ``title``,
``captions`` (paths named ``lecture.kk.srt`` / ``lecture.ru.vtt``, or a table
``{kk = "a.srt", ru = "b.vtt"}``; without the key, such files beside the video are
found), ``chapters`` (tables of ``time`` and ``title``, or a WebVTT chapters file),
``quality`` (``360p``/``480p``/``720p``) and ``completion`` (share to watch, 0.5-1.0).

Cheap checks come first (the file is a video, the captions and chapters parse) so a
mistake is reported before minutes of transcoding. The part's files are
``<folder>/video.mp4`` (streamed from ``work_dir``, never held in memory),
``poster.jpg`` and ``captions.<lang>.vtt``; the page is ``<folder>/video.html``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scorm_builder.errors import CourseConfigError, SourceFileError
from scorm_builder.model import Asset, CaptionTrack, Chapter, VideoPart
from scorm_builder.readers.assets import read_course_file
from scorm_builder.readers.context import PartContext
from scorm_builder.readers.format import ReaderFormat
from scorm_builder.readers.textfile import decode_utf8
from scorm_builder.readers.video.captions import parse_captions, to_webvtt
from scorm_builder.readers.video.chapters import chapters_from_cues, chapters_from_tables
from scorm_builder.readers.video.poster import poster_jpeg
from scorm_builder.readers.video.probe import VideoInfo, probe
from scorm_builder.readers.video.transcode import QUALITIES, TranscodeResult, transcode

__all__ = [
    "CAPTION_LANGUAGES",
    "TranscodeResult",
    "parse_captions",
    "read_video_part",
    "to_webvtt",
    "transcode",
]

#: Caption languages and how the CC menu names each one (in that language).
CAPTION_LANGUAGES: dict[str, str] = {
    "kk": "Қазақша",
    "ru": "Русский",
    "en": "English",
    "tr": "Türkçe",
    "uz": "Oʻzbekcha",
    "ky": "Кыргызча",
    "tg": "Тоҷикӣ",
    "de": "Deutsch",
    "fr": "Français",
    "zh": "中文",
}
CAPTION_SUFFIXES = (".srt", ".vtt")
DEFAULT_COMPLETION = 0.9


def read_video_part(table: dict[str, Any], context: PartContext) -> VideoPart:
    """Read one ``type = "video"`` part: probe, captions, chapters, transcode, poster."""
    source = context.source_path(table)
    label = context.collector.source_label(source)
    title = _text(table, "title", source.stem)
    quality = _quality(table, context.video_quality)
    completion = _completion(table)
    info = probe(source, label)
    captions = _captions(table, source, context, info)
    chapters = _chapters(table, context, info)
    target = context.work_dir / context.folder.replace("/", "-") / "video.mp4"
    task = f"{label} ({quality})"
    result = transcode(
        source,
        target,
        quality=quality,
        duration=info.duration,
        progress=lambda fraction: context.progress(task, fraction),
        info=info,
        label=label,
    )
    if result.reasons:
        context.warnings.append(f"{label}: re-encoded to {quality}: " + "; ".join(result.reasons))
    poster = Asset(f"{context.folder}/poster.jpg", poster_jpeg(target, info.duration, label))
    return VideoPart(
        title=title,
        video=Asset(f"{context.folder}/video.mp4", file=target),
        duration=info.duration,
        width=result.width,
        height=result.height,
        poster=poster,
        captions=captions,
        chapters=chapters,
        completion=completion,
        path=f"{context.folder}/video.html",
        source=label,
    )


# --- the table's keys ---------------------------------------------------------------------


def _text(table: dict[str, Any], key: str, default: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise CourseConfigError(f"{key} must be a non-empty text", hint=f'{key} = "..."')
    return value.strip()


def _quality(table: dict[str, Any], default: str) -> str:
    quality = table.get("quality", default)
    if quality not in QUALITIES:
        raise CourseConfigError(
            f"quality = {quality!r} is not one we make",
            hint='use "360p", "480p" (the default, good for 8 Mbit/s lines) or "720p"',
        )
    return str(quality)


def _completion(table: dict[str, Any]) -> float:
    value = table.get("completion", DEFAULT_COMPLETION)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.5 <= value <= 1:
        raise CourseConfigError(
            f"completion = {value!r}: it is the share of the video to watch, 0.5 to 1.0",
            hint="completion = 0.9 counts the video as done once 90 % has been watched",
        )
    return float(value)


# --- captions -----------------------------------------------------------------------------


def _captions(
    table: dict[str, Any], source: Path, context: PartContext, info: VideoInfo
) -> tuple[CaptionTrack, ...]:
    value = table.get("captions")
    named: list[tuple[str | None, Path]]
    if value is None:
        named = [(None, path) for path in _captions_beside(source)]
    elif isinstance(value, str):
        named = [(None, _course_file(context, value))]
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        named = [(None, _course_file(context, item)) for item in value]
    elif isinstance(value, dict) and all(isinstance(item, str) for item in value.values()):
        named = [(str(lang), _course_file(context, item)) for lang, item in value.items()]
    else:
        raise CourseConfigError(
            "captions must be a list of files or a table of language = file",
            hint='captions = ["lecture.kk.srt", "lecture.ru.vtt"] or captions = {kk = "a.srt"}',
        )
    tracks: dict[str, CaptionTrack] = {}
    for language, path in named:
        track = _track(language, path, context, info)
        if track.language in tracks:
            raise SourceFileError(
                f"a second caption file for '{track.language}'",
                file=context.collector.source_label(path),
                hint="give each language one file",
            )
        tracks[track.language] = track
    return tuple(tracks.values())


def _captions_beside(source: Path) -> list[Path]:
    """``lecture.kk.srt``, ``lecture.ru.vtt`` ... next to ``lecture.mp4``."""
    prefix = f"{source.stem}."
    return sorted(
        path
        for path in source.parent.iterdir()
        if path.name.startswith(prefix)
        and path.name[len(prefix) :].count(".") == 1  # lecture.kk.srt, not lecture.2.kk.srt
        and path.suffix.lower() in CAPTION_SUFFIXES
        and path.is_file()
    )


def _course_file(context: PartContext, value: str) -> Path:
    return context.source_path({"captions": value}, "captions")


def _track(language: str | None, path: Path, context: PartContext, info: VideoInfo) -> CaptionTrack:
    label = context.collector.source_label(path)
    if path.suffix.lower() not in CAPTION_SUFFIXES:
        raise SourceFileError(
            f"captions must be SubRip (.srt) or WebVTT (.vtt), not '{path.suffix}'",
            file=label,
            hint="export the captions as .srt or .vtt",
        )
    language = _language(language, path, label)
    cues = parse_captions(decode_utf8(read_course_file(path, label, None), label), label)
    late = [cue for cue in cues if cue.start >= info.duration]
    if late:
        context.warnings.append(
            f"{label}: {len(late)} caption(s) start after the video ends and never show"
        )
    asset = Asset(f"{context.folder}/captions.{language}.vtt", to_webvtt(cues).encode("utf-8"))
    return CaptionTrack(language, CAPTION_LANGUAGES[language], cues, asset)


def _language(given: str | None, path: Path, label: str) -> str:
    suffixes = path.suffixes
    code = given if given is not None else (suffixes[-2][1:] if len(suffixes) >= 2 else "")
    primary = code.lower().replace("_", "-").split("-")[0]
    if primary not in CAPTION_LANGUAGES:
        what = f"the language '{code}'" if code else "no language"
        raise SourceFileError(
            f"the captions file names {what}; known: " + ", ".join(CAPTION_LANGUAGES),
            file=label,
            hint="name the files after the video and the language: lecture.kk.srt, lecture.ru.vtt",
        )
    return primary


# --- chapters -----------------------------------------------------------------------------


def _chapters(table: dict[str, Any], context: PartContext, info: VideoInfo) -> tuple[Chapter, ...]:
    value = table.get("chapters")
    if value is None:
        return ()
    if isinstance(value, list):
        return chapters_from_tables(value, info.duration)
    if isinstance(value, str):
        path = context.source_path({"chapters": value}, "chapters")
        label = context.collector.source_label(path)
        text = decode_utf8(read_course_file(path, label, None), label)
        return chapters_from_cues(parse_captions(text, label), info.duration, label)
    raise CourseConfigError(
        "chapters must be a list of {time, title} tables or a WebVTT file",
        hint='chapters = [{time = "00:00", title = "Кіріспе"}, {time = "02:30", title = "..."}]',
    )


#: ``[[parts]] type = "video"``, with its caption files.
FORMAT = ReaderFormat(
    type="video",
    read=read_video_part,
    what="a video",
    keys=("captions", "chapters", "quality", "completion"),
    suffixes=(".mp4", ".m4v", ".mov", ".webm", ".mkv"),
    offered=(".mp4", ".webm", ".mov", ".mkv"),
    companions=CAPTION_SUFFIXES,
    companion_key="captions",
    order=2,
)
