"""Readers turn teachers' files into the content model, one module per input format.

A part reader takes its ``[[parts]]`` table and a ``PartContext`` and returns one part.
A new input format is one new module and one line in ``PART_READERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scorm_builder.model import Part
from scorm_builder.readers.context import PartContext, Progress, ReadOptions, no_progress
from scorm_builder.readers.docx import read_lesson_part
from scorm_builder.readers.html_page import read_html_part
from scorm_builder.readers.quiz import read_quiz_part
from scorm_builder.readers.video import read_video_part

__all__ = ["PART_READERS", "PartContext", "PartReader", "Progress", "ReadOptions", "no_progress"]

PartReader = Callable[[dict[str, Any], PartContext], Part]

#: ``[[parts]] type = "..."`` -> its reader.
PART_READERS: dict[str, PartReader] = {
    "html": read_html_part,
    "lesson": read_lesson_part,
    "quiz": read_quiz_part,
    "video": read_video_part,
}
