"""What a video file holds, from ``ffmpeg -i`` (the binary imageio-ffmpeg ships).

moviepy's parser of that output gives the duration, the bitrate and the streams; the few
facts it does not read (pixel format, profile, audio codec and channels, sample aspect,
the rotation phones record, cover art) come from the same text here. ``parse_probe`` is
pure so tests can feed it text; ``probe`` runs ffmpeg once and explains a file that is
not a video by what it seems to be instead.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import imageio_ffmpeg
from moviepy.video.io.ffmpeg_reader import FFmpegInfosParser

from scorm_builder.errors import SourceFileError

_STREAM = re.compile(r"^\s*Stream #0:(\d+)[^:]*: (Video|Audio|Subtitle|Data|Attachment): (.*)$")
_ROTATION = re.compile(r"rotation of (-?\d+(?:\.\d+)?) degrees|^\s*rotate\s*:\s*(-?\d+)")
_SAR = re.compile(r"SAR (\d+):(\d+)")
_FORMAT = re.compile(r"^Input #0, ([^ ]+), from")
_IMAGE_FORMATS = ("image2", "_pipe", "tty")


@dataclass(frozen=True)
class VideoInfo:
    """The facts the transcoder decides on. ``width``/``height`` are as displayed: after
    the rotation a phone recorded and the sample aspect ratio."""

    duration: float
    width: int
    height: int
    container: str
    video_codec: str
    video_profile: str
    pixel_format: str
    video_bitrate: int | None  # kbit/s
    fps: float
    rotation: int
    square_pixels: bool
    coded_width: int
    coded_height: int
    video_stream: int
    audio_codec: str | None = None
    audio_channels: int | None = None
    audio_bitrate: int | None = None  # kbit/s
    audio_stream: int | None = None


class ProbeError(Exception):
    """``ffmpeg -i`` found no usable video; the message says what the file is instead.

    ``describe``: the file's first bytes may tell what it is (ffmpeg could not open it, or
    it is a still image).
    """

    def __init__(self, message: str, *, describe: bool = False) -> None:
        super().__init__(message)
        self.describe = describe


def ffmpeg_exe() -> str:
    """The ffmpeg binary imageio-ffmpeg ships (or ``IMAGEIO_FFMPEG_EXE``)."""
    return str(imageio_ffmpeg.get_ffmpeg_exe())


def probe(source: Path, label: str) -> VideoInfo:
    """The facts of ``source``; ``SourceFileError`` (naming ``label``) when it is no video."""
    result = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(source)],
        capture_output=True,
        check=False,
    )
    text = result.stderr.decode("utf-8", errors="replace")
    try:
        return parse_probe(text, source.name)
    except ProbeError as error:
        message = f"this is not a video: {error}"
        with source.open("rb") as handle:
            seems = describe_file(handle.read(512))
        if seems and error.describe:
            message += f"; the file seems to be {seems}"
        raise SourceFileError(
            message,
            file=label,
            hint="export the lecture as a video file (mp4, mov, webm or mkv) and try again",
        ) from None


def parse_probe(text: str, name: str = "video") -> VideoInfo:
    """``VideoInfo`` from the text ``ffmpeg -i`` prints; ``ProbeError`` when no video."""
    format_match = next(filter(None, (_FORMAT.match(line) for line in text.splitlines())), None)
    if format_match is None:
        raise ProbeError(_unreadable(text), describe=True)
    container = format_match.group(1).rstrip(",")
    streams = _streams(text)
    video = next(
        (s for s in streams if s["type"] == "Video" and "(attached pic)" not in s["line"]), None
    )
    if any(mark in container for mark in _IMAGE_FORMATS):
        raise ProbeError("it is a still image", describe=True)
    if video is None:
        raise ProbeError(_no_video(container, streams))
    try:
        parsed: dict[str, Any] = FFmpegInfosParser(text, name).parse()
    except Exception as error:  # moviepy raises bare Exceptions on odd output
        raise ProbeError(f"ffmpeg could not read the video's details ({error})") from None
    duration = float(parsed.get("duration") or 0.0)
    if duration <= 0:
        raise ProbeError("the video has no duration: it is a still image or it is damaged")
    audio = next((s for s in streams if s["type"] == "Audio"), None)
    return _info(container, duration, video, audio, parsed)


def has_faststart(path: Path) -> bool:
    """True when an MP4's ``moov`` box comes before its ``mdat`` (playback starts at once)."""
    with path.open("rb") as handle:
        offset = 0
        while True:
            handle.seek(offset)
            header = handle.read(16)
            if len(header) < 8:
                return False
            size = int.from_bytes(header[0:4], "big")
            kind = header[4:8]
            if kind == b"moov":
                return True
            if kind == b"mdat":
                return False
            if size == 1 and len(header) == 16:
                size = int.from_bytes(header[8:16], "big")
            elif size == 0:
                return False
            if size < 8:
                return False
            offset += size


# --- the parts ----------------------------------------------------------------------------


def _streams(text: str) -> list[dict[str, Any]]:
    """Each stream's number, type, line and the lines indented under it (side data)."""
    streams: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for line in text.splitlines():
        match = _STREAM.match(line)
        if match:
            current = {"index": int(match.group(1)), "type": match.group(2),
                       "line": match.group(3), "extra": []}  # fmt: skip
            streams.append(current)
        elif current is not None and line.startswith("    "):
            current["extra"].append(line)
        else:
            current = None
    return streams


def _info(
    container: str,
    duration: float,
    video: dict[str, Any],
    audio: dict[str, Any] | None,
    parsed: dict[str, Any],
) -> VideoInfo:
    line: str = video["line"]
    codec_match = re.match(r"(\w+)(?: \(([^)]*)\))?", line)
    codec = codec_match.group(1) if codec_match else "unknown"
    profile = (codec_match.group(2) or "") if codec_match else ""
    fields = _fields(line)
    pixel_format = fields[1].split("(")[0].strip() if len(fields) > 1 else ""
    size = re.search(r"(?:^|[ ,])(\d{2,5})x(\d{2,5})(?=[ ,\[]|$)", line)
    if size is None:
        raise ProbeError("ffmpeg could not read the size of the video")
    coded_width, coded_height = int(size.group(1)), int(size.group(2))
    sar = _SAR.search(line)
    sar_ratio = int(sar.group(1)) / int(sar.group(2)) if sar and int(sar.group(2)) else 1.0
    if sar_ratio <= 0:
        sar_ratio = 1.0
    width, height = round(coded_width * sar_ratio), coded_height
    rotation = _rotation(video["extra"])
    if rotation in (90, 270):
        width, height = height, width
    bitrate = re.search(r"(\d+) kb/s", line)
    fps = re.search(r"(\d+(?:\.\d+)?) fps", line) or re.search(r"(\d+(?:\.\d+)?) tbr", line)
    audio_fields = _fields(audio["line"]) if audio else []
    audio_bitrate = re.search(r"(\d+) kb/s", audio["line"]) if audio else None
    return VideoInfo(
        duration=duration,
        width=width,
        height=height,
        container=container,
        video_codec=codec,
        video_profile=profile,
        pixel_format=pixel_format,
        video_bitrate=int(bitrate.group(1)) if bitrate else _estimate_bitrate(parsed, audio),
        fps=float(fps.group(1)) if fps else 0.0,
        rotation=rotation,
        square_pixels=abs(sar_ratio - 1.0) < 1e-3,
        coded_width=coded_width,
        coded_height=coded_height,
        video_stream=int(video["index"]),
        audio_codec=audio_fields[0].split()[0] if audio_fields else None,
        audio_channels=_channels(audio_fields),
        audio_bitrate=int(audio_bitrate.group(1)) if audio_bitrate else None,
        audio_stream=int(audio["index"]) if audio else None,
    )


def _fields(line: str) -> list[str]:
    """The comma-separated fields of a stream line, commas inside brackets kept."""
    fields, depth, current = [], 0, ""
    for char in line:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            fields.append(current.strip())
            current = ""
        else:
            current += char
    fields.append(current.strip())
    return fields


def _rotation(lines: list[str]) -> int:
    for line in lines:
        match = _ROTATION.search(line)
        if match:
            degrees = float(match.group(1) or match.group(2))
            return round(degrees) % 360
    return 0


def _channels(fields: list[str]) -> int | None:
    for field in fields:
        if field == "mono":
            return 1
        if field == "stereo":
            return 2
        match = re.match(r"(\d+)(?:\.(\d+))? channels|(\d+)\.(\d+)", field)
        if match:
            numbers = [int(group) for group in match.groups() if group]
            return sum(numbers)
    return None


def _estimate_bitrate(parsed: dict[str, Any], audio: dict[str, Any] | None) -> int | None:
    """Containers such as webm and mkv give only the total: take the audio's share off."""
    total = parsed.get("bitrate")
    if not isinstance(total, int):
        return None
    audio_rate = re.search(r"(\d+) kb/s", audio["line"]) if audio else None
    return max(0, total - (int(audio_rate.group(1)) if audio_rate else (96 if audio else 0)))


# --- explaining what a file is when it is no video ----------------------------------------


def _no_video(container: str, streams: list[dict[str, Any]]) -> str:
    audio = next((s for s in streams if s["type"] == "Audio"), None)
    if audio is not None:
        codec = audio["line"].split()[0] if audio["line"] else "audio"
        return f"the file holds only sound ({codec}), no picture"
    return f"the file has no video stream (ffmpeg reads it as '{container}')"


def _unreadable(text: str) -> str:
    if "moov atom not found" in text and "misdetection possible" not in text:
        return (
            "the MP4 file is cut short: its index (the 'moov' box) is missing, which "
            "happens when a recording or a copy was interrupted"
        )
    return "ffmpeg cannot read it as a video"


def describe_file(head: bytes) -> str | None:
    """What a file seems to be from its first bytes, for messages; None if unknown."""
    signatures: tuple[tuple[bytes, str], ...] = (
        (b"%PDF", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive (or a Word/PowerPoint file)"),
        (b"\xd0\xcf\x11\xe0", "an old Office document (.doc/.ppt)"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xbc\xaf", "a 7-Zip archive"),
        (b"ID3", "an MP3 sound file"),
        (b"{\\rtf", "an RTF document"),
    )
    for signature, description in signatures:
        if head.startswith(signature):
            return description
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "a WAV sound file"
    stripped = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if stripped[:1] == b"<" and b"html" in stripped[:200].lower():
        return "a web page (HTML)"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        text = head[: error.start].decode("utf-8") if error.start > len(head) - 4 else ""
        if not text:
            return None
    if "-->" in text and re.search(r"\d+:\d+", text):
        return "a captions file (SRT/WebVTT)"
    if all(char.isprintable() or char in "\r\n\t" for char in text):
        return "a text file"
    return None
