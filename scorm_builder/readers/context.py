"""What a reader is given: the options of a build and the context of the part it reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scorm_builder.model import Edition, Language, ScormVersion
from scorm_builder.readers.assets import AssetCollector

#: Reports long work: (what is being done, fraction done 0..1).
Progress = Callable[[str, float], None]


def no_progress(task: str, fraction: float) -> None:
    """The default progress reporter: says nothing."""


@dataclass(frozen=True)
class ReadOptions:
    """What the command line (or the catalogue) asks for; ``None`` leaves course.toml's choice.

    ``work_dir`` holds files made while reading (transcoded video) until the package is
    written; the caller owns and removes it.
    """

    work_dir: Path
    scorm: ScormVersion | None = None
    edition: Edition | None = None
    single_sco: bool | None = None
    video_quality: str | None = None
    split: str | None = None
    progress: Progress = no_progress


@dataclass
class PartContext:
    """What a part reader may use besides its own table.

    ``folder`` is the package folder reserved for this part (``content/02-test``): a
    reader puts the files it makes there. ``work_dir`` is a private temporary folder
    (transcoded video); it lives until the package is written.
    """

    root: Path
    index: int
    folder: str
    collector: AssetCollector
    language: Language
    work_dir: Path
    warnings: list[str] = field(default_factory=list)
    video_quality: str = "480p"
    split: str | None = None
    progress: Progress = no_progress

    def source_path(self, table: dict[str, Any], key: str = "source") -> Path:
        """The file named by ``key``, checked to be inside the course folder and to exist."""
        from scorm_builder.errors import CourseConfigError, SourceFileError

        value = table.get(key)
        if not isinstance(value, str) or not value:
            raise CourseConfigError(
                f"this part needs '{key}', the path of its file",
                hint=f'add {key} = "..." to this [[parts]] table',
            )
        path = (self.root / value).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise SourceFileError(
                f"'{value}' is outside the course folder",
                file="course.toml",
                hint="copy the file into the course folder",
            )
        if not path.is_file():
            raise SourceFileError(
                f"'{value}' was not found in the course folder",
                file="course.toml",
                hint="check the path; it is relative to the folder holding course.toml",
            )
        return path
