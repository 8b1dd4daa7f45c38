"""Making a video fit for slow lines: one ffmpeg process, no per-frame Python.

The output is a progressive MP4 every browser plays from a web server and from
``file://``: H.264 Main, yuv420p, even dimensions, AAC mono, ``moov`` first (faststart)
so playback starts before the whole file has arrived. Each quality is a CRF capped by a
maximum rate, so a talking head stays small and a busy screen recording stays under the
cap. A source that already fits is stream-copied (remuxed without re-encoding), which
also drops the metadata phones record, such as where the video was shot.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scorm_builder.errors import SourceFileError
from scorm_builder.readers.video.probe import VideoInfo, ffmpeg_exe, probe

FractionDone = Callable[[float], None]


def no_fraction(fraction: float) -> None:
    """The default progress reporter: says nothing."""


@dataclass(frozen=True)
class Quality:
    """A target: the box the picture must fit (``long_side`` x ``short_side``, either
    orientation), the CRF, and the cap on the video rate (kbit/s) with its buffer."""

    name: str
    long_side: int
    short_side: int
    crf: int
    maxrate: int
    bufsize: int
    audio_bitrate: int


QUALITIES: dict[str, Quality] = {
    "360p": Quality("360p", 640, 360, crf=26, maxrate=400, bufsize=800, audio_bitrate=48),
    "480p": Quality("480p", 854, 480, crf=25, maxrate=600, bufsize=1200, audio_bitrate=64),
    "720p": Quality("720p", 1280, 720, crf=23, maxrate=1200, bufsize=2400, audio_bitrate=64),
}
#: H.264 profiles every browser and old phone decodes in hardware.
COPYABLE_PROFILES = ("Baseline", "Constrained Baseline", "Main")
MAX_FPS = 30.0
KEYFRAME_SECONDS = 5
MAX_COPIED_AUDIO_KBITS = 128


@dataclass(frozen=True)
class TranscodeResult:
    """What was done: ``copied`` (remuxed, not re-encoded), the exact ffmpeg ``command``
    (for benchmarks), the output's size, and why it had to be re-encoded."""

    copied: bool
    command: list[str]
    width: int
    height: int
    reasons: tuple[str, ...] = ()


def transcode(
    source: Path,
    target: Path,
    *,
    quality: str,
    duration: float,
    progress: FractionDone = no_fraction,
    info: VideoInfo | None = None,
    label: str | None = None,
) -> TranscodeResult:
    """Write ``source`` as a fitting MP4 to ``target``; copy its streams when they fit.

    ``progress`` gets fractions from 0 to 1.0 (ffmpeg's ``out_time`` against
    ``duration``). ``target`` appears whole or not at all. ``SourceFileError`` names
    ``label`` when ffmpeg fails.
    """
    preset = QUALITIES[quality]
    label = label or source.name
    info = info or probe(source, label)
    width, height = target_size(info.width, info.height, preset)
    reasons = reencode_reasons(info, preset)
    if not reasons:
        command = copy_command(source, target, info)
        try:
            _run(command, target, duration, progress, label)
            return TranscodeResult(True, command, info.width, info.height)
        except SourceFileError:
            reasons = ("the streams could not be copied into MP4",)
    command = encode_command(source, target, info, preset)
    _run(command, target, duration, progress, label)
    return TranscodeResult(False, command, width, height, reasons)


def target_size(width: int, height: int, quality: Quality) -> tuple[int, int]:
    """The output size: inside the quality's box, never upscaled, aspect kept, even."""
    long_side, short_side = max(width, height), min(width, height)
    scale = min(1.0, quality.long_side / long_side, quality.short_side / short_side)
    if scale >= 1.0:
        return max(2, width // 2 * 2), max(2, height // 2 * 2)
    box_w, box_h = (
        (quality.long_side, quality.short_side)
        if width >= height
        else (quality.short_side, quality.long_side)
    )
    return (
        min(box_w // 2 * 2, max(2, round(width * scale / 2) * 2)),
        min(box_h // 2 * 2, max(2, round(height * scale / 2) * 2)),
    )


def reencode_reasons(info: VideoInfo, quality: Quality) -> tuple[str, ...]:
    """Why ``info`` cannot be stream-copied for ``quality``; empty when it can."""
    reasons = []
    if info.video_codec != "h264":
        reasons.append(f"video codec {info.video_codec}, not H.264")
    elif info.video_profile not in COPYABLE_PROFILES:
        reasons.append(f"H.264 profile {info.video_profile or 'unknown'}, not Main or Baseline")
    if info.pixel_format != "yuv420p":
        reasons.append(f"pixel format {info.pixel_format or 'unknown'}, not yuv420p")
    if target_size(info.width, info.height, quality) != (info.width, info.height):
        reasons.append(f"size {info.width}x{info.height} is over {quality.name} or odd")
    if info.rotation:
        reasons.append(f"recorded rotated by {info.rotation} degrees")
    if not info.square_pixels:
        reasons.append("pixels are not square")
    if info.video_bitrate is None or info.video_bitrate > quality.maxrate:
        rate = "unknown" if info.video_bitrate is None else f"{info.video_bitrate} kbit/s"
        reasons.append(f"video rate {rate}, over {quality.maxrate} kbit/s")
    if info.audio_codec is not None:
        if info.audio_codec != "aac":
            reasons.append(f"audio codec {info.audio_codec}, not AAC")
        elif (info.audio_channels or 0) > 2:
            reasons.append(f"{info.audio_channels} audio channels")
        elif (info.audio_bitrate or 0) > MAX_COPIED_AUDIO_KBITS:
            reasons.append(f"audio rate {info.audio_bitrate} kbit/s")
    return tuple(reasons)


def encode_command(source: Path, target: Path, info: VideoInfo, quality: Quality) -> list[str]:
    """The ffmpeg command that re-encodes ``source`` for ``quality`` into ``target``."""
    width, height = target_size(info.width, info.height, quality)
    filters = [f"scale={width}:{height}:flags=bicubic", "setsar=1"]
    fps = min(info.fps, MAX_FPS) if info.fps > 0 else MAX_FPS
    if info.fps > MAX_FPS + 0.5:
        filters.append(f"fps={MAX_FPS:g}")
    video = [
        "-vf", ",".join(filters),
        "-c:v", "libx264", "-profile:v", "main", "-pix_fmt", "yuv420p", "-preset", "medium",
        "-crf", str(quality.crf),
        "-maxrate", f"{quality.maxrate}k", "-bufsize", f"{quality.bufsize}k",
        "-g", str(max(1, round(fps * KEYFRAME_SECONDS))),
    ]  # fmt: skip
    audio = (
        ["-c:a", "aac", "-b:a", f"{quality.audio_bitrate}k", "-ac", "1"]
        if info.audio_stream is not None
        else []
    )
    return _command(source, target, info, video + audio)


def copy_command(source: Path, target: Path, info: VideoInfo) -> list[str]:
    """The ffmpeg command that remuxes ``source``'s streams, untouched, into ``target``."""
    return _command(source, target, info, ["-c", "copy"])


def _command(source: Path, target: Path, info: VideoInfo, codecs: list[str]) -> list[str]:
    maps = ["-map", f"0:{info.video_stream}"]
    if info.audio_stream is not None:
        maps += ["-map", f"0:{info.audio_stream}"]
    return [
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-y",
        "-i", str(source), *maps, *codecs,
        "-map_metadata", "-1", "-map_chapters", "-1",
        "-movflags", "+faststart", "-f", "mp4",
        "-progress", "pipe:1", "-stats_period", "0.25", str(target),
    ]  # fmt: skip


def _run(
    command: list[str], target: Path, duration: float, progress: FractionDone, label: str
) -> None:
    """Run ``command`` writing a temporary file beside ``target``, renamed when done."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    command = [*command[:-1], str(partial)]
    done = 0.0
    progress(0.0)
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, stdin=subprocess.DEVNULL
        )
        try:
            assert process.stdout is not None
            for raw in process.stdout:
                key, _, value = raw.decode("ascii", errors="replace").strip().partition("=")
                if key == "out_time_us" and value.isdigit() and duration > 0:
                    fraction = min(0.99, int(value) / 1_000_000 / duration)
                    if fraction > done:
                        done = fraction
                        progress(done)
            code = process.wait()
        except BaseException:
            process.kill()
            process.wait()
            partial.unlink(missing_ok=True)
            raise
        if code != 0:
            partial.unlink(missing_ok=True)
            errors.seek(0)
            tail = errors.read().decode("utf-8", errors="replace").strip().splitlines()[-3:]
            raise SourceFileError(
                "ffmpeg could not convert the video: " + (" / ".join(tail) or f"exit {code}"),
                file=label,
                hint="check that the file plays in a video player; re-export it as MP4",
            )
    os.replace(partial, target)
    progress(1.0)
