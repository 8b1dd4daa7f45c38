"""Where a question came from, so that errors and warnings name its line and first words."""

from __future__ import annotations

from dataclasses import dataclass, field

from scorm_builder.errors import SourceFileError


@dataclass
class QuestionSource:
    """One question's place in its file: ``line_of`` turns a text offset into a line."""

    source: str
    line: int
    words: str
    text: str = ""
    #: offset of the answer block's '{': errors about the whole block point there
    opened: int | None = None
    warnings: list[str] = field(default_factory=list)

    def line_of(self, offset: int) -> int:
        return self.line + self.text.count("\n", 0, max(offset, 0))

    def error(self, message: str, *, offset: int | None = None, hint: str) -> SourceFileError:
        """An error about this question, at the line of ``offset`` (else where it starts)."""
        line = self.line if offset is None else self.line_of(offset)
        return SourceFileError(f"{self.label} {message}", file=self.source, line=line, hint=hint)

    def warn(self, message: str, *, offset: int | None = None) -> None:
        line = self.line if offset is None else self.line_of(offset)
        self.warnings.append(f"{self.source}:{line}: {self.label} {message}")

    @property
    def label(self) -> str:
        return f'question "{self.words}"' if self.words else "a question with no text"
