"""The video page's HTML: one accessible document with the video, tracks, captions as data."""

from __future__ import annotations

import json
from typing import Any

import lxml.html
import pytest

from scorm_builder.model import Asset, CaptionTrack, Chapter, Cue, VideoPart
from scorm_builder.render import environment
from scorm_builder.render.labels import LABELS
from scorm_builder.render.video import VIDEO_LABELS, render_video_page

FOLDER = "content/02-lecture"


def part(**changes: Any) -> VideoPart:
    kk = (
        Cue(0.5, 2.0, "Күш — масса мен үдеудің көбейтіндісі."),
        Cue(2.5, 4.0, "</script><b>F</b>"),
    )
    ru = (Cue(0.5, 2.0, "Сила — произведение массы на ускорение."),)
    values: dict[str, Any] = {
        "title": "Бейнедәріс: күш және үдеу",
        "video": Asset(f"{FOLDER}/video.mp4"),
        "duration": 40.0,
        "width": 854,
        "height": 480,
        "poster": Asset(f"{FOLDER}/poster.jpg", b"\xff\xd8"),
        "captions": (
            CaptionTrack("kk", "Қазақша", kk, Asset(f"{FOLDER}/captions.kk.vtt", b"WEBVTT\n")),
            CaptionTrack("ru", "Русский", ru, Asset(f"{FOLDER}/captions.ru.vtt", b"WEBVTT\n")),
        ),
        "chapters": (Chapter(0.0, "Кіріспе"), Chapter(75.0, "F = m·a"), Chapter(3725.0, "Соңы")),
        "completion": 0.85,
        "path": f"{FOLDER}/video.html",
    }
    values.update(changes)
    return VideoPart(**values)


def render(video: VideoPart, lang: str = "kk") -> lxml.html.HtmlElement:
    common = {
        "lang": lang,
        "title": video.title,
        "course_title": "Ньютонның екінші заңы",
        "asset_prefix": "../../sandyq/",
        "index": 1,
        "count": 3,
        "prev_href": "../01-lesson/page-01.html",
        "next_href": "../03-test/quiz.html",
        "shell_href": "../../part-02.html",
        "labels": LABELS[lang],  # type: ignore[index]
    }
    return lxml.html.document_fromstring(render_video_page(environment(), video, common))


def test_a_standalone_accessible_page() -> None:
    doc = render(part())
    assert doc.get("lang") == "kk" and doc.get("data-sandyq-index") == "1"
    assert len(doc.findall(".//main")) == 1
    assert [h.text_content() for h in doc.findall(".//h1")] == ["Бейнедәріс: күш және үдеу"]
    scripts = [s.get("src") for s in doc.findall(".//script[@src]")]
    assert scripts == ["../../sandyq/page.js", "../../sandyq/video.js"]
    styles = [link.get("href") for link in doc.findall(".//link[@rel='stylesheet']")]
    assert styles == ["../../sandyq/page.css", "../../sandyq/video.css"]
    assert doc.find(".//nav[@class='sandyq-pager']//a[@rel='next']").get("href") == (
        "../03-test/quiz.html"
    )


def test_the_video_element_plays_progressively_with_tracks_for_http() -> None:
    video = render(part()).get_element_by_id("sandyq-video")
    assert video.get("controls") is not None and video.get("playsinline") is not None
    assert video.get("preload") == "metadata"
    assert video.get("poster") == "poster.jpg"
    assert (video.get("width"), video.get("height")) == ("854", "480")
    assert video.find("source").get("src") == "video.mp4"
    assert video.find("source").get("type") == "video/mp4"
    tracks = [(t.get("kind"), t.get("src"), t.get("srclang"), t.get("label"), t.get("default"))
              for t in video.iter("track")]  # fmt: skip
    assert tracks == [
        ("captions", "captions.kk.vtt", "kk", "Қазақша", None),
        ("captions", "captions.ru.vtt", "ru", "Русский", None),
    ]


def test_captions_travel_as_script_data_that_cannot_break_out() -> None:
    html = render_video_page(environment(), part(), _common())
    assert html.count("</script>") == html.count("<script")  # the cue's </script> is escaped
    data = json.loads(render(part()).get_element_by_id("sandyq-video-data").text or "")
    assert data["completion"] == 0.85 and data["duration"] == 40.0 and data["lang"] == "kk"
    assert data["captions"][0]["language"] == "kk"
    assert data["captions"][0]["cues"] == [
        [0.5, 2.0, "Күш — масса мен үдеудің көбейтіндісі."],
        [2.5, 4.0, "</script><b>F</b>"],
    ]
    assert data["labels"]["watched"] == "Қаралды: {percent} %"


def test_the_cc_menu_the_captions_box_and_the_chapters() -> None:
    doc = render(part())
    button = doc.get_element_by_id("sandyq-cc-button")
    assert button.get("aria-haspopup") == "menu" and button.get("aria-expanded") == "false"
    items = doc.get_element_by_id("sandyq-cc-menu").findall(".//button")
    assert [(i.get("role"), i.get("data-language"), i.text_content()) for i in items] == [
        ("menuitemradio", "", "Өшірулі"),
        ("menuitemradio", "kk", "Қазақша"),
        ("menuitemradio", "ru", "Русский"),
    ]
    box = doc.get_element_by_id("sandyq-video-captions")
    assert box.get("aria-live") == "polite"
    chapters = [(b.get("data-start"), b.text_content()) for b in doc.find_class("sv-chapter")]
    assert chapters == [("0.0", "0:00 Кіріспе"), ("75.0", "1:15 F = m·a"),
                        ("3725.0", "1:02:05 Соңы")]  # fmt: skip
    assert "85 %" in doc.find_class("sv-rule")[0].text_content()


def test_no_captions_no_chapters_no_menu() -> None:
    doc = render(part(captions=(), chapters=(), poster=None))
    assert not doc.find_class("sv-cc") and not doc.find_class("sv-chapters")
    assert doc.get_element_by_id("sandyq-video").get("poster") is None


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_labels_in_every_language(lang: str) -> None:
    assert set(VIDEO_LABELS[lang]) == set(VIDEO_LABELS["kk"])
    doc = render(part(), lang)
    assert doc.get("lang") == lang
    assert VIDEO_LABELS[lang]["chapters"] in doc.text_content()
    assert VIDEO_LABELS[lang]["captions_off"] in doc.text_content()


def _common() -> dict[str, Any]:
    return {
        "lang": "kk", "title": "Бейнедәріс", "course_title": "Физика",
        "asset_prefix": "../../sandyq/", "index": 0, "count": 1, "prev_href": None,
        "next_href": None, "shell_href": "../../index.html", "labels": LABELS["kk"],
    }  # fmt: skip
