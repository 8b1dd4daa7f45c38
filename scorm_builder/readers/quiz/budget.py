"""How many questions one test may hold, and the progress of reading a long one.

A test is read question by question. Past the cap (``SANDYQ_MAX_QUESTIONS``, by default
2,000: far more than any school test, far fewer than a file that would take the build's
memory) the reader stops at the first question too many and says where it starts, before
the rest is parsed or rendered. A long test reports how far reading has got to the build's
progress hook; a short one (most) says nothing, so builds of ordinary tests stay quiet.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from scorm_builder.errors import CourseConfigError, SourceFileError

MAX_QUESTIONS_VARIABLE = "SANDYQ_MAX_QUESTIONS"
DEFAULT_MAX_QUESTIONS = 2_000
#: Progress is reported every this many questions, so tests shorter than this say nothing.
PROGRESS_EVERY = 250

Progress = Callable[[str, float], None]


def max_questions(environ: Mapping[str, str] | None = None) -> int:
    """The cap from ``SANDYQ_MAX_QUESTIONS`` (``DEFAULT_MAX_QUESTIONS`` when unset)."""
    written = (os.environ if environ is None else environ).get(MAX_QUESTIONS_VARIABLE, "")
    if not written.strip():
        return DEFAULT_MAX_QUESTIONS
    digits = written.strip().replace("_", "").replace(",", "")
    if not digits.isdigit() or int(digits) < 1:
        raise CourseConfigError(
            f"{MAX_QUESTIONS_VARIABLE}={written!r} is not allowed; it must be a whole number, "
            "1 or more",
            hint=f"unset it to allow {DEFAULT_MAX_QUESTIONS:,} questions a test, or set e.g. "
            f"{MAX_QUESTIONS_VARIABLE}=5000",
        )
    return int(digits)


@dataclass
class QuestionBudget:
    """Counts the questions of one test as they are read; ``lines`` is the file's length."""

    source: str
    limit: int
    lines: int
    progress: Progress | None = None
    count: int = 0

    def admit(self, line: int) -> None:
        """One more question, starting at ``line``: refused past the cap, else counted."""
        if self.count >= self.limit:
            raise SourceFileError(
                f"the test has more than {self.limit:,} questions; question "
                f"{self.limit + 1:,} starts on this line",
                file=self.source,
                line=line,
                hint=f"split it into tests of at most {self.limit:,} questions each, or allow "
                f"more with the environment variable {MAX_QUESTIONS_VARIABLE} (e.g. "
                f"{MAX_QUESTIONS_VARIABLE}={self.limit * 2})",
            )
        self.count += 1
        if self.progress is not None and self.count % PROGRESS_EVERY == 0:
            self.progress(f"reading {self.source}", min(line / max(self.lines, 1), 1.0))

    def done(self) -> None:
        """The whole file is read: a bar that was shown is completed."""
        if self.progress is not None and self.count >= PROGRESS_EVERY:
            self.progress(f"reading {self.source}", 1.0)
