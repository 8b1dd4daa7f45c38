"""The poster: one frame of the finished video, shown before playback starts.

moviepy decodes the frame (from the transcoded file, so it is already upright and at the
output size); Pillow writes a small progressive JPEG, since on an 8 Mbit/s line the poster
is the first thing the learner waits for.
"""

from __future__ import annotations

import io
from pathlib import Path

from moviepy import VideoFileClip
from PIL import Image

from scorm_builder.errors import SourceFileError

POSTER_QUALITY = 80
#: Lectures often open on a black frame or a fade; look a little way in.
POSTER_AT_FRACTION = 0.1
POSTER_AT_MOST = 5.0


def poster_time(duration: float) -> float:
    """When to take the poster: a tenth of the way in, at most 5 s, inside the video."""
    return max(0.0, min(duration * POSTER_AT_FRACTION, POSTER_AT_MOST, duration - 0.1))


def poster_jpeg(video: Path, duration: float, label: str) -> bytes:
    """A JPEG of the frame at ``poster_time(duration)`` of ``video``."""
    try:
        clip = VideoFileClip(str(video), audio=False)
    except (OSError, KeyError, ValueError) as error:
        raise SourceFileError(f"the poster frame could not be read ({error})", file=label) from None
    try:
        frame = clip.get_frame(poster_time(min(duration, clip.duration or duration)))
    finally:
        clip.close()
    buffer = io.BytesIO()
    Image.fromarray(frame).convert("RGB").save(
        buffer, "JPEG", quality=POSTER_QUALITY, optimize=True, progressive=True
    )
    return buffer.getvalue()
