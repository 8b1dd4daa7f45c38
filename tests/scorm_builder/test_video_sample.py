"""The committed sample lecture (samples/physics-7-course) is what the tools promise."""

from __future__ import annotations

from pathlib import Path

from scorm_builder.readers.video import parse_captions
from scorm_builder.readers.video.transcode import transcode
from tests.support.video import inspect, moov_first, stream_hashes

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "physics-7-course"
VIDEO = SAMPLE / "newton-lecture.mp4"


def test_the_sample_video_is_small_and_web_ready() -> None:
    assert VIDEO.stat().st_size <= 2 * 1024 * 1024
    seen = inspect(VIDEO)
    assert 30 <= seen.duration <= 45
    assert (seen.width, seen.height) == (854, 480)
    assert (seen.video_codec, seen.profile, seen.pixel_format) == ("h264", "Main", "yuv420p")
    assert (seen.audio_codec, seen.audio_layout) == ("aac", "mono")
    assert moov_first(VIDEO)


def test_the_sample_is_stream_copied_at_480p(tmp_path: Path) -> None:
    result = transcode(VIDEO, tmp_path / "video.mp4", quality="480p", duration=40.0)
    assert result.copied
    assert stream_hashes(tmp_path / "video.mp4") == stream_hashes(VIDEO)


def test_the_sample_captions_parse_in_kazakh_and_russian() -> None:
    kk = parse_captions((SAMPLE / "newton-lecture.kk.srt").read_text("utf-8"), "kk.srt")
    ru = parse_captions((SAMPLE / "newton-lecture.ru.vtt").read_text("utf-8"), "ru.vtt")
    assert len(kk) == len(ru) >= 6
    assert [c.start for c in kk] == [c.start for c in ru]
    assert "Ньютонның екінші заңы" in kk[0].text and "законом Ньютона" in ru[0].text
    assert all(cue.end <= 40.0 for cue in kk + ru)
