"""Single-file builds: ``sandyq build lesson.docx``, ``test.gift``, ``lecture.mp4``.

The file becomes a course of one part; its metadata comes from the command line, else
from the file itself (a Word document's Title), else from the file name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scorm_builder.errors import BuildError, CourseConfigError
from scorm_builder.model import LANGUAGES, LICENSES, Course, Language, Metadata, PackageOptions
from scorm_builder.readers.context import ReadOptions
from scorm_builder.readers.course_folder import CourseReading, apply_options
from scorm_builder.readers.parts import read_parts
from scorm_builder.slug import ascii_slug

#: File suffix -> part type.
SINGLE_FILE_TYPES: dict[str, str] = {
    ".docx": "lesson",
    ".doc": "lesson",
    ".odt": "lesson",
    ".gift": "quiz",
    ".aiken": "quiz",
    ".txt": "quiz",
    ".mp4": "video",
    ".m4v": "video",
    ".mov": "video",
    ".webm": "video",
    ".mkv": "video",
    ".html": "html",
    ".htm": "html",
}


@dataclass(frozen=True)
class MetadataFlags:
    """Metadata given on the command line; ``None`` or empty means 'not given'."""

    title: str | None = None
    language: str | None = None
    subject: str | None = None
    grades: tuple[int, ...] = ()
    license: str | None = None
    authors: tuple[str, ...] = ()
    description: str | None = None
    identifier: str | None = None


def part_type_of(path: Path) -> str | None:
    return SINGLE_FILE_TYPES.get(path.suffix.lower())


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
        known = ", ".join(sorted(SINGLE_FILE_TYPES))
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
    language = _language(flags.language)
    parts, warnings = read_parts(
        [table],
        root=root,
        language=language,
        options=options,
        video_quality=options.video_quality or "480p",
    )
    title = flags.title or parts[0].title or path.stem
    license_id = flags.license or "CC-BY-4.0"
    if license_id not in LICENSES:
        raise CourseConfigError(
            f"licence '{license_id}' is not one the catalogue accepts",
            hint="use one of: " + ", ".join(LICENSES),
        )
    metadata = Metadata(
        identifier=flags.identifier or ascii_slug(title) or ascii_slug(path.stem) or "course",
        title=title,
        description=flags.description or "",
        language=language,
        subject=flags.subject or "",
        grades=tuple(sorted(set(flags.grades))),
        authors=flags.authors,
        license=license_id,
    )
    settings = apply_options(PackageOptions(), options)
    return CourseReading(Course(metadata, parts, settings), warnings)


def _language(value: str | None) -> Language:
    if value is None:
        return "kk"
    for language in LANGUAGES:
        if value == language:
            return language
    raise CourseConfigError(
        f"language '{value}' is not supported", hint="use --lang kk, --lang ru or --lang en"
    )


def _inside(root: Path, file: Path) -> str:
    resolved = file.resolve()
    if not resolved.is_relative_to(root):
        raise CourseConfigError(
            f"captions '{file}' must be in the video's folder",
            file=str(file),
            hint="put the caption files next to the video",
        )
    return resolved.relative_to(root).as_posix()
