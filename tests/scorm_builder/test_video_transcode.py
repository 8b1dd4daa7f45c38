"""Probing and transcoding with the real ffmpeg imageio-ffmpeg ships, on clips made here."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorm_builder.errors import SourceFileError
from scorm_builder.readers.video.poster import poster_jpeg
from scorm_builder.readers.video.probe import has_faststart, probe
from scorm_builder.readers.video.transcode import QUALITIES, target_size, transcode
from tests.support.video import (
    ffmpeg,
    inspect,
    make_clip,
    moov_first,
    stream_hashes,
    top_level_boxes,
)

HIGH = ("-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p", "-b:v", "6M")


def assert_fits_the_web(path: Path, width: int, height: int, cap_kbits: int) -> None:
    """H.264 Main, yuv420p, even size, AAC mono, moov before mdat, under the rate cap."""
    seen = inspect(path)
    assert (seen.video_codec, seen.profile, seen.pixel_format) == ("h264", "Main", "yuv420p")
    assert (seen.width, seen.height) == (width, height)
    assert seen.width % 2 == 0 and seen.height % 2 == 0
    assert (seen.audio_codec, seen.audio_layout) == ("aac", "mono")
    assert not seen.rotated
    assert moov_first(path), top_level_boxes(path)
    assert seen.video_kbits is not None and seen.video_kbits <= cap_kbits * 1.05, seen.text


def test_probe_reads_duration_size_and_streams(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "a.mp4", size="640x360", seconds=1.5)
    info = probe(clip, "a.mp4")
    assert info.duration == pytest.approx(1.5, abs=0.1)
    assert (info.width, info.height) == (640, 360)
    assert (info.video_codec, info.video_profile, info.pixel_format) == ("h264", "Main", "yuv420p")
    assert (info.audio_codec, info.audio_channels) == ("aac", 1)


def test_poster_is_a_frame_of_the_video_at_its_size(tmp_path: Path) -> None:
    from io import BytesIO

    from PIL import Image

    clip = make_clip(tmp_path / "a.mp4", size="320x240", seconds=2)
    data = poster_jpeg(clip, 2.0, "a.mp4")
    assert data.startswith(b"\xff\xd8")
    image = Image.open(BytesIO(data))
    assert image.size == (320, 240)
    assert len(set(image.convert("L").getdata())) > 10  # a picture, not a blank frame


def test_a_720p_high_rate_source_becomes_480p_main_under_the_cap(tmp_path: Path) -> None:
    source = make_clip(tmp_path / "hd.mp4", size="1280x720", seconds=3, rate=30, video=HIGH,
                       audio=("-c:a", "aac", "-ac", "2", "-b:a", "192k"))  # fmt: skip
    assert inspect(source).video_kbits and inspect(source).video_kbits > 600  # type: ignore[operator]
    target = tmp_path / "out" / "video.mp4"
    result = transcode(source, target, quality="480p", duration=3.0)
    assert not result.copied
    assert (result.width, result.height) == (854, 480)
    assert any("profile High" in reason for reason in result.reasons)
    assert_fits_the_web(target, 854, 480, QUALITIES["480p"].maxrate)
    assert "-movflags" in result.command and "+faststart" in result.command
    assert [p.name for p in target.parent.iterdir()] == ["video.mp4"]  # no leftovers


@pytest.mark.parametrize(
    ("quality", "size"), [("360p", (640, 360)), ("720p", (1280, 720))]
)  # fmt: skip
def test_each_quality_has_its_box_and_cap(
    tmp_path: Path, quality: str, size: tuple[int, int]
) -> None:
    source = make_clip(tmp_path / "fhd.mp4", size="1920x1080", seconds=1, video=HIGH)
    result = transcode(source, tmp_path / "v.mp4", quality=quality, duration=1.0)
    assert (result.width, result.height) == size
    assert_fits_the_web(tmp_path / "v.mp4", *size, QUALITIES[quality].maxrate)


def test_sizes_keep_the_aspect_are_even_and_never_upscale() -> None:
    q480 = QUALITIES["480p"]
    assert target_size(1920, 1080, q480) == (854, 480)
    assert target_size(1080, 1920, q480) == (480, 854)  # portrait phone video
    assert target_size(640, 360, q480) == (640, 360)  # smaller: kept
    assert target_size(853, 479, q480) == (852, 478)  # odd: one pixel less, never more
    assert target_size(1440, 1080, q480) == (640, 480)  # 4:3
    assert target_size(3000, 1000, q480) == (854, 284)  # wide screen recording


def test_a_source_that_fits_is_stream_copied(tmp_path: Path) -> None:
    source = make_clip(tmp_path / "fits.mp4", size="640x360", seconds=2,
                       extra=("-b:v", "300k", "-movflags", "+faststart"))  # fmt: skip
    target = tmp_path / "video.mp4"
    fractions: list[float] = []
    result = transcode(source, target, quality="480p", duration=2.0, progress=fractions.append)
    assert result.copied and result.reasons == ()
    assert "copy" in result.command and "libx264" not in result.command
    assert stream_hashes(target) == stream_hashes(source)
    assert moov_first(target)
    assert fractions[-1] == 1.0


def test_only_faststart_missing_is_a_remux_that_moves_moov_first(tmp_path: Path) -> None:
    source = make_clip(tmp_path / "slow.mp4", size="640x360", seconds=2, extra=("-b:v", "300k"))
    assert not moov_first(source) and not has_faststart(source)
    result = transcode(source, tmp_path / "video.mp4", quality="480p", duration=2.0)
    assert result.copied
    assert moov_first(tmp_path / "video.mp4") and has_faststart(tmp_path / "video.mp4")
    assert stream_hashes(tmp_path / "video.mp4") == stream_hashes(source)


def test_a_phone_video_recorded_rotated_comes_out_upright(tmp_path: Path) -> None:
    landscape = make_clip(tmp_path / "raw.mp4", size="1280x720", seconds=1, video=HIGH)
    phone = tmp_path / "phone.mp4"
    ffmpeg("-display_rotation", "90", "-i", str(landscape), "-c", "copy", str(phone))
    assert "rotation of" in inspect(phone).text
    info = probe(phone, "phone.mp4")
    assert (info.rotation, info.width, info.height) == (90, 720, 1280)
    result = transcode(phone, tmp_path / "video.mp4", quality="480p", duration=1.0)
    assert (result.width, result.height) == (480, 854)
    assert_fits_the_web(tmp_path / "video.mp4", 480, 854, 600)


@pytest.mark.parametrize(
    ("name", "video", "audio"),
    [
        ("lecture.mov", ("-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p"),
         ("-c:a", "aac", "-ac", "2")),
        ("lecture.webm", ("-c:v", "libvpx-vp9", "-b:v", "300k", "-pix_fmt", "yuv420p"),
         ("-c:a", "libopus")),
        ("lecture.mkv", ("-c:v", "libx264", "-profile:v", "high422", "-pix_fmt", "yuv422p"),
         ("-c:a", "libmp3lame")),
    ],
)  # fmt: skip
def test_mov_webm_and_mkv_become_mp4(
    tmp_path: Path, name: str, video: tuple[str, ...], audio: tuple[str, ...]
) -> None:
    source = make_clip(tmp_path / name, size="640x480", seconds=1, video=video, audio=audio)
    result = transcode(source, tmp_path / "video.mp4", quality="480p", duration=1.0)
    assert not result.copied
    assert_fits_the_web(tmp_path / "video.mp4", 640, 480, 600)


def test_an_mkv_that_fits_is_remuxed_into_mp4(tmp_path: Path) -> None:
    source = make_clip(tmp_path / "screen.mkv", size="640x360", seconds=1, extra=("-b:v", "300k"))
    result = transcode(source, tmp_path / "video.mp4", quality="480p", duration=1.0)
    assert result.copied
    assert "mov,mp4" in inspect(tmp_path / "video.mp4").text
    assert moov_first(tmp_path / "video.mp4")


def test_a_60fps_screen_recording_is_capped_at_30fps(tmp_path: Path) -> None:
    source = make_clip(tmp_path / "screen.mp4", size="640x360", seconds=1, rate=60, video=HIGH)
    result = transcode(source, tmp_path / "video.mp4", quality="480p", duration=1.0)
    assert "fps=30" in " ".join(result.command)
    assert " 30 fps" in inspect(tmp_path / "video.mp4").text


def test_progress_rises_to_one(tmp_path: Path) -> None:
    source = make_clip(tmp_path / "long.mp4", size="1280x720", seconds=6, rate=30, video=HIGH)
    fractions: list[float] = []
    transcode(source, tmp_path / "video.mp4", quality="480p", duration=6.0,
              progress=fractions.append)  # fmt: skip
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions) and len(set(fractions)) == len(fractions)
    assert any(0.0 < f < 1.0 for f in fractions), fractions
    assert all(0.0 <= f <= 1.0 for f in fractions)


def test_a_failed_transcode_leaves_nothing(tmp_path: Path) -> None:
    source = make_clip(tmp_path / "a.mp4", seconds=1, video=HIGH)
    info = probe(source, "a.mp4")
    damaged = tmp_path / "damaged.mp4"
    data = source.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])  # cut short: no moov
    target = tmp_path / "out" / "video.mp4"
    with pytest.raises(SourceFileError) as caught:
        transcode(damaged, target, quality="480p", duration=1.0, info=info, label="a/damaged.mp4")
    assert caught.value.file == "a/damaged.mp4"
    assert not target.exists() and list(target.parent.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("lecture.mp4", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "seems to be a PDF document"),
        ("lecture.mp4", "Сабақ жоспары\nКүш және үдеу\n".encode(), "seems to be a text file"),
        ("lecture.mp4", b"PK\x03\x04" + bytes(200), "ZIP archive"),
        ("lecture.avi", bytes(range(256)) * 4, "ffmpeg cannot read it as a video"),
    ],
)  # fmt: skip
def test_a_file_that_is_no_video_says_what_it_seems_to_be(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceFileError) as caught:
        probe(path, f"videos/{name}")
    assert caught.value.file == f"videos/{name}"
    assert "not a video" in caught.value.message and words in caught.value.message
    assert caught.value.hint


def test_sound_only_and_still_images_are_not_videos(tmp_path: Path) -> None:
    sound = tmp_path / "lecture.m4a"
    ffmpeg("-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", str(sound))
    with pytest.raises(SourceFileError, match="only sound"):
        probe(sound, "lecture.m4a")
    image = tmp_path / "lecture.jpg"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x64", "-frames:v", "1", str(image))
    with pytest.raises(SourceFileError, match="still image.*JPEG"):
        probe(image, "lecture.jpg")


def test_a_cut_short_mp4_is_explained(tmp_path: Path) -> None:
    source = make_clip(tmp_path / "a.mp4", seconds=1)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(source.read_bytes()[:2000])
    with pytest.raises(SourceFileError, match="cut short"):
        probe(cut, "cut.mp4")
