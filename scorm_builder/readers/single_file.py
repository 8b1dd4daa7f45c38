"""Single-file builds: ``sandyq build lesson.docx``, ``test.gift``, ``lecture.mp4``.

The file becomes a course of one part; its metadata comes from the command line, else
from the file itself (a Word document's Title), else from the file name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scorm_builder.errors import BuildError, CourseConfigError
from scorm_builder.readers import reader_for_file, single_file_suffixes
from scorm_builder.readers.context import ReadOptions
from scorm_builder.readers.course_folder import CourseReading
from scorm_builder.readers.course_spec import CourseSpec, MetadataFlags, read_course_spec

__all__ = ["MetadataFlags", "part_type_of", "read_single_file"]


def part_type_of(path: Path) -> str | None:
    """The part type that builds ``path`` on its own (``READERS``), if any."""
    found = reader_for_file(path)
    return found.type if found is not None else None


def read_single_file(
    path: Path,
    flags: MetadataFlags,
    options: ReadOptions,
    *,
    captions: tuple[Path, ...] = (),
) -> CourseReading:
    """A one-part course from ``path``."""
    part_type = part_type_of(path)
    if part_type is None:
        known = ", ".join(single_file_suffixes())
        raise BuildError(
            f"Sandyq does not know how to build a '{path.suffix}' file",
            file=str(path),
            hint=f"give a course folder with course.toml, or a file ending in {known}",
        )
    root = path.parent.resolve()
    table: dict[str, Any] = {"type": part_type, "source": path.name}
    if captions:
        if part_type != "video":
            raise CourseConfigError("--captions goes with a video", hint="drop --captions")
        table["captions"] = [_inside(root, caption) for caption in captions]
    return read_course_spec(CourseSpec(root, (table,), flags), options)


def _inside(root: Path, file: Path) -> str:
    resolved = file.resolve()
    if not resolved.is_relative_to(root):
        raise CourseConfigError(
            f"captions '{file}' must be in the video's folder",
            file=str(file),
            hint="put the caption files next to the video",
        )
    return resolved.relative_to(root).as_posix()
