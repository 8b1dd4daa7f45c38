"""The video page: a standalone accessible document around a progressive MP4.

Captions travel twice: as WebVTT ``<track>`` files, which browsers load over http, and as
JSON inside the page, which ``video.js`` renders itself, because browsers refuse
``<track>`` files when the package is opened from ``file://`` (a USB stick).
"""

from __future__ import annotations

import posixpath
from typing import Any

import jinja2
from markupsafe import Markup

from scorm_builder.model import VideoPart
from scorm_builder.render import script_json

#: The video page's own words, in the course's language.
VIDEO_LABELS: dict[str, dict[str, str]] = {
    "kk": {
        "video": "Бейнедәріс",
        "captions": "Субтитрлер",
        "captions_off": "Өшірулі",
        "chapters": "Бөлімдер",
        "fullscreen": "Толық экран",
        "watched": "Қаралды: {percent} %",
        "completed": "Бейнедәріс қаралды",
        "rule": "Бейнедәріс {percent} % қаралғанда аяқталды деп саналады.",
        "resumed": "{time} сәтінен жалғасады",
        "cannot_play": "Браузер бұл бейнені ойната алмайды.",
        "download": "Бейнені жүктеп алу",
    },
    "ru": {
        "video": "Видеолекция",
        "captions": "Субтитры",
        "captions_off": "Выключены",
        "chapters": "Главы",
        "fullscreen": "Во весь экран",
        "watched": "Просмотрено: {percent} %",
        "completed": "Видеолекция просмотрена",
        "rule": "Видеолекция засчитывается, когда просмотрено {percent} %.",
        "resumed": "Продолжение с {time}",
        "cannot_play": "Браузер не может воспроизвести это видео.",
        "download": "Скачать видео",
    },
    "en": {
        "video": "Video lecture",
        "captions": "Captions",
        "captions_off": "Off",
        "chapters": "Chapters",
        "fullscreen": "Full screen",
        "watched": "Watched: {percent} %",
        "completed": "Video lecture watched",
        "rule": "The lecture counts as done when {percent} % has been watched.",
        "resumed": "Resuming at {time}",
        "cannot_play": "Your browser cannot play this video.",
        "download": "Download the video",
    },
}


def render_video_page(
    environment: jinja2.Environment, part: VideoPart, common: dict[str, Any]
) -> str:
    """The HTML of ``part``'s page; ``common`` holds what every page gets (lang, title,
    course_title, asset_prefix, index, count, prev_href, next_href, shell_href, labels)."""
    here = posixpath.dirname(part.path) or "."

    def relative(target: str) -> str:
        return posixpath.relpath(target, here)

    language = common["lang"] if common["lang"] in VIDEO_LABELS else "en"
    labels = VIDEO_LABELS[language]
    tracks = [
        {"language": t.language, "label": t.label, "src": relative(t.asset.path)}
        for t in part.captions
    ]
    data = {
        "completion": part.completion,
        "duration": round(part.duration, 3),
        "lang": common["lang"],
        "captions": [
            {
                "language": track.language,
                "label": track.label,
                "cues": [[round(c.start, 3), round(c.end, 3), c.text] for c in track.cues],
            }
            for track in part.captions
        ],
        "labels": {key: labels[key] for key in ("watched", "completed", "resumed")},
    }
    chapters = [
        {"start": round(c.start, 3), "time": _clock(c.start), "title": c.title}
        for c in part.chapters
    ]
    percent = _percent(part.completion)
    return environment.get_template("video.html.j2").render(
        **common,
        part=part,
        video_src=relative(part.video.path),
        poster_src=relative(part.poster.path) if part.poster else None,
        tracks=tracks,
        chapters=chapters,
        video_labels=labels,
        rule=labels["rule"].replace("{percent}", percent),
        data_json=Markup(script_json(data)),
    )


def _clock(seconds: float) -> str:
    """``m:ss`` or ``h:mm:ss`` for chapter buttons."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _percent(share: float) -> str:
    value = round(share * 100, 1)
    return f"{value:g}"
