"""Captions: SRT and WebVTT in, cues and WebVTT out; mistakes named by file and line."""

from __future__ import annotations

import pytest

from scorm_builder.errors import SourceFileError
from scorm_builder.model import Cue
from scorm_builder.readers.video import parse_captions, to_webvtt
from tests.support.video import KK_SRT, RU_VTT


def test_srt_with_kazakh_text_and_a_multi_line_cue() -> None:
    cues = parse_captions(KK_SRT, "lecture.kk.srt")
    assert cues == (
        Cue(0.2, 1.0, "Күш — дененің үдеуінің себебі."),
        Cue(1.1, 2.5, "Ньютонның екінші заңы:\nF = m · a"),
    )


def test_webvtt_with_russian_text_and_short_timestamps() -> None:
    cues = parse_captions(RU_VTT, "lecture.ru.vtt")
    assert [c.start for c in cues] == [0.2, 1.1]
    assert cues[1].text == "Второй закон Ньютона:\nF = m · a"


def test_bom_and_crlf_are_read_like_plain_text() -> None:
    windows = "\ufeff" + KK_SRT.replace("\n", "\r\n")
    assert parse_captions(windows, "lecture.kk.srt") == parse_captions(KK_SRT, "lecture.kk.srt")
    assert parse_captions("\ufeff" + RU_VTT.replace("\n", "\r\n"), "a.ru.vtt")[0].start == 0.2


def test_webvtt_header_notes_identifiers_settings_and_tags() -> None:
    text = (
        "WEBVTT - Ньютон\nKind: captions\n\nNOTE жазба\nбір жол\n\nSTYLE\n::cue { color: red }\n\n"
        "intro\n00:00:01.000 --> 00:00:02.000 align:start line:90%\n"
        "<v Мұғалім>Сәлем, <b>балалар</b>!</v> 2 &lt; 3 &amp; 4 &gt; 1\n"
    )
    assert parse_captions(text, "a.kk.vtt") == (Cue(1.0, 2.0, "Сәлем, балалар! 2 < 3 & 4 > 1"),)


def test_srt_tags_go_and_a_literal_less_than_stays() -> None:
    text = '1\n00:00:01,000 --> 00:00:02,000\n<i>Үдеу</i> <font color="red">a</font> < 5 м/с²\n'
    assert parse_captions(text, "a.kk.srt")[0].text == "Үдеу a < 5 м/с²"


def test_missing_cue_numbers_dot_milliseconds_and_overlaps_are_fine() -> None:
    text = (
        "00:00:03.000 --> 00:00:06.000\nекінші\n\n"
        "00:00:01,5 --> 00:00:04,000\nбірінші\n"  # out of order and overlapping
    )
    cues = parse_captions(text, "a.kk.srt")
    assert [(c.start, c.end, c.text) for c in cues] == [
        (1.5, 4.0, "бірінші"),
        (3.0, 6.0, "екінші"),
    ]


def test_to_webvtt_round_trips_and_escapes() -> None:
    cues = (Cue(0.2, 1.0, "a < b & c"), Cue(3661.5, 3662.0, "Қ\nҮ"))
    text = to_webvtt(cues)
    assert text.startswith("WEBVTT\n\n00:00:00.200 --> 00:00:01.000\na &lt; b &amp; c\n")
    assert "01:01:01.500 --> 01:01:02.000\nҚ\nҮ\n" in text
    assert parse_captions(text, "x.vtt") == cues


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        # end before start, on the timing line of the third cue
        ("1\n00:00:01,000 --> 00:00:02,000\nа\n\n2\n00:00:05,000 --> 00:00:04,000\nә\n", 6,
         "ends (00:00:04.000) before it starts"),
        # a malformed timestamp
        ("1\n00:00:01,000 --> 00:00:02,000\nа\n\n2\n00:00:03;000 --> 00:00:04,000\nә\n", 6,
         "malformed timestamp '00:00:03;000'"),
        # seconds over 59
        ("1\n00:00:61,000 --> 00:01:02,000\nа\n", 2, "minutes and seconds go up to 59"),
        # a wrong arrow
        ("1\n00:00:01,000 -> 00:00:02,000\nа\n", 2, "the arrow must be '-->'"),
        # a cue number with no timing
        ("1\n00:00:01,000 --> 00:00:02,000\nа\n\n2\n\n", 5, "followed by no timing line"),
        # text where a cue should start
        ("1\n00:00:01,000 --> 00:00:02,000\nа\n\nбос жол\n", 5, "expected a cue number"),
        # zero length
        ("1\n00:00:02,000 --> 00:00:02,000\nа\n", 2, "ends when it starts"),
    ],
)  # fmt: skip
def test_srt_mistakes_name_their_line(text: str, line: int, words: str) -> None:
    with pytest.raises(SourceFileError) as caught:
        parse_captions(text, "lecture.kk.srt")
    assert caught.value.file == "lecture.kk.srt"
    assert caught.value.line == line
    assert words in caught.value.message
    assert caught.value.hint


def test_line_numbers_count_the_bom_and_crlf_file_as_written() -> None:
    text = (
        "\ufeffWEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nа\r\n\r\n00:05.000 --> 00:04.000\r\nә\r\n"
    )
    with pytest.raises(SourceFileError) as caught:
        parse_captions(text, "a.ru.vtt")
    assert caught.value.line == 6
    assert str(caught.value).startswith("a.ru.vtt:6: ")


def test_webvtt_identifier_without_timing_names_the_next_line() -> None:
    with pytest.raises(SourceFileError) as caught:
        parse_captions("WEBVTT\n\nкіріспе\n00:01.000 - 00:02.000\nа\n", "a.kk.vtt")
    assert caught.value.line == 4


def test_a_lowercase_header_and_an_empty_file_are_explained() -> None:
    with pytest.raises(SourceFileError, match="WEBVTT") as caught:
        parse_captions("webvtt\n\n00:01.000 --> 00:02.000\nа\n", "a.kk.vtt")
    assert caught.value.line == 1
    with pytest.raises(SourceFileError, match="no cues"):
        parse_captions("\ufeff\r\n\r\n", "a.kk.srt")
