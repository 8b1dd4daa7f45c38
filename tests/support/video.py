"""Helpers for the video tests: tiny clips made with real ffmpeg, and an inspector of MP4
files that does not use the code under test (its own regexes over ``ffmpeg -i``, its own
walk over the MP4 boxes, ffmpeg's ``streamhash`` muxer for stream identity).

No tests here; ``test_video_*.py`` import it.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()

KK_SRT = """1
00:00:00,200 --> 00:00:01,000
Күш — дененің үдеуінің себебі.

2
00:00:01,100 --> 00:00:02,500
Ньютонның екінші заңы:
F = m · a
"""

RU_VTT = """WEBVTT

00:00.200 --> 00:01.000
Сила — причина ускорения тела.

00:01.100 --> 00:02.500
Второй закон Ньютона:
F = m · a
"""


def ffmpeg(*args: str) -> None:
    subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args],
                   check=True)  # fmt: skip


def make_clip(
    path: Path,
    *,
    size: str = "320x240",
    seconds: float = 2,
    rate: int = 25,
    video: tuple[str, ...] = ("-c:v", "libx264", "-profile:v", "main", "-pix_fmt", "yuv420p"),
    audio: tuple[str, ...] | None = ("-c:a", "aac", "-ac", "1", "-b:a", "64k"),
    extra: tuple[str, ...] = (),
    source: str = "testsrc",
) -> Path:
    """A ``testsrc`` clip (with a sine tone unless ``audio`` is None) encoded as asked."""
    inputs = ["-f", "lavfi", "-i", f"{source}=size={size}:rate={rate}:duration={seconds}"]
    if audio is not None:
        inputs += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    ffmpeg(*inputs, *video, *(audio or ()), *extra, str(path))
    return path


@dataclass(frozen=True)
class Inspection:
    """What ``ffmpeg -i`` says about a file, read independently of the code under test."""

    text: str
    video_codec: str
    profile: str
    pixel_format: str
    width: int
    height: int
    video_kbits: int | None
    audio_codec: str | None
    audio_layout: str | None
    rotated: bool
    duration: float


def inspect(path: Path) -> Inspection:
    text = subprocess.run([FFMPEG, "-hide_banner", "-i", str(path)], capture_output=True,
                          text=True).stderr  # fmt: skip
    video = re.search(r"Stream #0:\d+.*?: Video: (\w+) \(([^)]*)\).*?, (\w+)\(.*?, (\d+)x(\d+)",
                      text)  # fmt: skip
    assert video, text
    video_line = next(line for line in text.splitlines() if ": Video: " in line)
    kbits = re.search(r"(\d+) kb/s", video_line)
    audio = re.search(r"Stream #0:\d+.*?: Audio: (\w+).*?Hz, ([\w.()]+)", text)
    duration = re.search(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)", text)
    assert duration, text
    h, m, s = duration.groups()
    return Inspection(
        text=text,
        video_codec=video.group(1),
        profile=video.group(2),
        pixel_format=video.group(3),
        width=int(video.group(4)),
        height=int(video.group(5)),
        video_kbits=int(kbits.group(1)) if kbits else None,
        audio_codec=audio.group(1) if audio else None,
        audio_layout=audio.group(2) if audio else None,
        rotated="rotation of" in text or re.search(r"^\s*rotate\s*:", text, re.M) is not None,
        duration=int(h) * 3600 + int(m) * 60 + float(s),
    )


def top_level_boxes(path: Path) -> list[str]:
    """The MP4's top-level box types in file order (``ftyp``, ``moov``, ``mdat`` ...)."""
    boxes = []
    data = path.read_bytes()
    offset = 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        boxes.append(data[offset + 4 : offset + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[offset + 8 : offset + 16], "big")
        if size < 8:
            break
        offset += size
    return boxes


def moov_first(path: Path) -> bool:
    boxes = top_level_boxes(path)
    return "moov" in boxes and "mdat" in boxes and boxes.index("moov") < boxes.index("mdat")


def stream_hashes(path: Path) -> list[str]:
    """MD5 of every stream's packets: equal lists mean the streams were copied untouched."""
    result = subprocess.run(
        [FFMPEG, "-hide_banner", "-loglevel", "error", "-i", str(path), "-map", "0",
         "-c", "copy", "-f", "streamhash", "-hash", "md5", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return [line.split(",", 2)[2] for line in result.stdout.splitlines() if line.strip()]
