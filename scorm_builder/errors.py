"""Typed errors of the SCORM builder.

Every error carries what a teacher needs to fix it: the file, the line when there is
one, what is wrong and a hint. The CLI turns them into exit codes at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ScormError(Exception):
    """Base of the builder's errors: bad input that the user can fix (exit code 1)."""

    message: str
    file: str | None = None
    line: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file or ""
        if self.file and self.line:
            where = f"{self.file}:{self.line}"
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class BuildError(ScormError):
    """A course folder or one of its files cannot be turned into a package."""


class CourseConfigError(BuildError):
    """`course.toml` is missing, malformed or holds a value we cannot use."""


class SourceFileError(BuildError):
    """A page or asset named by the course is missing, unreadable or unsafe."""
