"""Video benchmark: what Sandyq's transcoding costs over running ffmpeg by hand.

``bench_video(work)`` returns the markdown lines of a "## Video" section; ``bench/run.py``
appends them to docs/benchmarks.md. Run alone (``python bench/video.py``) it prints them,
and with ``--write`` it puts the section into docs/benchmarks.md itself.

- transcode: a generated 60 s 720p clip (H.264 High, ~4 Mbit/s, like a phone video) to
  480p through ``transcode()`` (progress parsing included), against the very same ffmpeg
  command run directly with ``subprocess.run``: the floor any tool using this ffmpeg has;
- stream copy: the sample lecture, which already fits, the same way;
- size: bytes per minute of output video, for the synthetic clip (busy test pattern, so the
  rate cap decides) and for the sample (slides, as most lectures are).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.section import run_alone  # noqa: E402
from scorm_builder.readers.video.probe import ffmpeg_exe, probe  # noqa: E402
from scorm_builder.readers.video.transcode import QUALITIES, transcode  # noqa: E402

SAMPLE = REPO / "samples" / "physics-7-course" / "newton-lecture.mp4"
CLIP_SECONDS = 60
ROUNDS = 3
COPY_ROUNDS = 15


def make_phone_clip(path: Path, seconds: int = CLIP_SECONDS) -> Path:
    """A 720p30 H.264 High clip with stereo AAC, about 4 Mbit/s: a phone's lecture."""
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
         "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=30:duration={seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}",
         "-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p", "-preset", "veryfast",
         "-b:v", "4M", "-c:a", "aac", "-ac", "2", "-b:a", "128k", str(path)],
        check=True,
    )  # fmt: skip
    return path


def compare(source: Path, work: Path, quality: str, rounds: int = ROUNDS) -> dict[str, float]:
    """Median seconds of ``transcode()`` and of its command run directly, alternating."""
    info = probe(source, source.name)
    ours: list[float] = []
    direct: list[float] = []
    copied = False
    command: list[str] = []
    output = work / f"{source.stem}-{quality}.mp4"
    for _ in range(rounds):
        start = time.perf_counter()
        result = transcode(source, output, quality=quality, duration=info.duration, info=info)
        ours.append(time.perf_counter() - start)
        copied, command = result.copied, result.command
        plain = work / f"{source.stem}-{quality}-direct.mp4"
        start = time.perf_counter()
        subprocess.run([*command[:-1], str(plain)], check=True, stdout=subprocess.DEVNULL)
        direct.append(time.perf_counter() - start)
    return {
        "ours": statistics.median(ours),
        "direct": statistics.median(direct),
        "copied": float(copied),
        "bytes": output.stat().st_size,
        "duration": info.duration,
    }


def bench_video(work: Path, progress: Callable[[str], None] = lambda line: None) -> list[str]:
    """Markdown lines of the "## Video" section of docs/benchmarks.md."""
    work.mkdir(parents=True, exist_ok=True)
    progress("video: making a 60 s 720p clip")
    clip = make_phone_clip(work / "phone-720p.mp4")
    progress("video: transcoding to 480p")
    encode = compare(clip, work, "480p")
    progress("video: stream copy of the sample")
    copy = compare(SAMPLE, work, "480p", rounds=COPY_ROUNDS)

    def per_minute(result: dict[str, float]) -> str:
        return f"{result['bytes'] / result['duration'] * 60 / 1024 / 1024:.2f} MB/min"

    cap = QUALITIES["480p"]
    return [
        "## Video",
        "",
        f"`bench/video.py`; medians of {ROUNDS} rounds ({COPY_ROUNDS} for the copy), each against",
        "the same ffmpeg command",
        "(imageio-ffmpeg's binary) run directly with `subprocess.run`. Goal: ratio <= 1.1.",
        "",
        "| measurement | Sandyq | ffmpeg directly | ratio |",
        "|---|---|---|---|",
        f"| transcode a {CLIP_SECONDS} s 720p H.264 High clip (4 Mbit/s) to 480p "
        f"(CRF {cap.crf}, max {cap.maxrate} kbit/s) | {encode['ours']:.2f} s | "
        f"{encode['direct']:.2f} s | {encode['ours'] / encode['direct']:.2f}x |",
        f"| stream copy of the {copy['duration']:.0f} s sample (already fits; "
        f"{'copied' if copy['copied'] else 'NOT copied'}) | {copy['ours'] * 1000:.0f} ms | "
        f"{copy['direct'] * 1000:.0f} ms | {copy['ours'] / copy['direct']:.2f}x |",
        "",
        "| output | size per minute of video |",
        "|---|---|",
        f"| 480p of the busy test pattern (the rate cap decides) | {per_minute(encode)} |",
        f"| the sample lecture (slides, 854x480) | {per_minute(copy)} |",
        "",
        f"Encoding speed: {encode['duration'] / encode['ours']:.1f}x real time on this machine.",
        f"At 8 Mbit/s a minute of 480p at the cap downloads in about "
        f"{encode['bytes'] / encode['duration'] * 60 * 8 / 8_000_000:.1f} s.",
        "",
    ]


if __name__ == "__main__":
    raise SystemExit(run_alone(bench_video, "video"))
