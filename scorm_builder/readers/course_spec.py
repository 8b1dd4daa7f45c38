"""A course described in memory: what ``course.toml`` would say, never written to a file.

``CourseSpec`` holds the folder the files are in, the ``[[parts]]`` tables in reading
order and the metadata given for the course. ``read_course_spec`` reads it into a
``Course`` the way a single-file build does (``sandyq build lesson.docx`` is the spec of
one part), and ``course_of_files`` makes the spec of several teachers' files, as the
catalogue's build form sends them: lessons first, then pages, videos (each with the
caption files named after it) and tests, the course titled after its first Word lesson.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scorm_builder.errors import BuildError, CourseConfigError, ScormError
from scorm_builder.model import LANGUAGES, LICENSES, Course, Language, Metadata, PackageOptions
from scorm_builder.readers import (
    READERS,
    ReaderFormat,
    companions_of,
    offered_suffixes,
    reader_for_file,
)
from scorm_builder.readers.context import ReadOptions
from scorm_builder.readers.course_folder import CourseReading, apply_options
from scorm_builder.readers.docx import docx_title
from scorm_builder.readers.parts import read_parts
from scorm_builder.slug import ascii_slug

__all__ = [
    "CourseSpec",
    "MetadataFlags",
    "course_identifier",
    "course_of_files",
    "read_course_spec",
]


@dataclass(frozen=True)
class MetadataFlags:
    """Metadata given on the command line or a form; ``None`` or empty means 'not given'."""

    title: str | None = None
    language: str | None = None
    subject: str | None = None
    grades: tuple[int, ...] = ()
    license: str | None = None
    authors: tuple[str, ...] = ()
    description: str | None = None
    identifier: str | None = None


@dataclass(frozen=True)
class CourseSpec:
    """A course given in memory: ``parts`` are ``[[parts]]`` tables (``type``, ``source``
    relative to ``root``, and the type's own settings), in reading order."""

    root: Path
    parts: tuple[Mapping[str, Any], ...]
    flags: MetadataFlags = field(default_factory=MetadataFlags)

    def count(self, part_type: str) -> int:
        """How many parts of ``part_type`` the course has."""
        return sum(1 for table in self.parts if table.get("type") == part_type)


def read_course_spec(spec: CourseSpec, options: ReadOptions) -> CourseReading:
    """The course of ``spec``; its title comes from the flags, else from the first part
    (a Word document's Title, a test's category), else from the first file's name."""
    flags = spec.flags
    language = _language(flags.language)
    parts, warnings = read_parts(
        [dict(table) for table in spec.parts],
        root=spec.root,
        language=language,
        options=options,
        video_quality=options.video_quality or "480p",
    )
    stem = Path(str(spec.parts[0].get("source", ""))).stem if spec.parts else ""
    title = flags.title or (parts[0].title if parts else "") or stem
    license_id = flags.license or "CC-BY-4.0"
    if license_id not in LICENSES:
        raise CourseConfigError(
            f"licence '{license_id}' is not one the catalogue accepts",
            hint="use one of: " + ", ".join(LICENSES),
        )
    metadata = Metadata(
        identifier=flags.identifier or ascii_slug(title) or ascii_slug(stem) or "course",
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


# ---- several files, one course ------------------------------------------------------------


def course_of_files(files: Sequence[Path], flags: MetadataFlags) -> CourseSpec:
    """The course made of teachers' ``files``, all in one folder: one file is built as it
    is (``sandyq build lesson.docx``); several become parts in the order of their formats
    (``ReaderFormat.order``: read, watch, then test), each companion file (a caption file)
    with the file it is named after. The identifier comes from the title and starts with
    a letter. Raises ``BuildError`` naming a file that no reader builds."""
    content = [path for path in files if companions_of(path) is None]
    companions = [path for path in files if companions_of(path) is not None]
    _check_buildable(content, companions)
    root = content[0].parent
    if len(content) == 1:
        source = content[0]
        table: dict[str, Any] = {"type": _reader(source).type, "source": source.name}
        for key, names in _companion_tables([source], companions).get(source, {}).items():
            if names:
                table[key] = names
        identifier = course_identifier(flags.title or source.stem)
        return CourseSpec(root, (table,), replace(flags, identifier=identifier))
    ordered = sorted(content, key=lambda path: (_reader(path).order, path.name))
    title = flags.title or _first_title(ordered)
    tables: list[dict[str, Any]] = []
    owned = _companion_tables(ordered, companions)
    for path in ordered:
        table = {"type": _reader(path).type, "source": path.name}
        table.update(owned.get(path, {}))
        tables.append(table)
    flags = replace(flags, title=title, identifier=course_identifier(title))
    return CourseSpec(root, tuple(tables), flags)


def course_identifier(title: str) -> str:
    """A manifest identifier from the title: ASCII, starting with a letter."""
    slug = ascii_slug(title) or "course"
    return slug if slug[0].isalpha() else f"course-{slug}"


def _reader(path: Path) -> ReaderFormat:
    found = reader_for_file(path)
    assert found is not None, path  # _check_buildable has refused it otherwise
    return found


def _check_buildable(content: list[Path], companions: list[Path]) -> None:
    buildable = ", ".join(offered_suffixes())
    for path in content:
        if reader_for_file(path) is None:
            raise BuildError(
                f"Sandyq cannot build a '{path.suffix or path.name}' file; "
                f"give a Word lesson, a test or a video ({buildable})",
                file=path.name,
            )
    if not content:
        if companions:
            raise BuildError("only caption files were given: add the video they belong to")
        raise BuildError(f"no files were given: add a lesson, a test or a video ({buildable})")
    for companion in companions:
        owner = companions_of(companion)
        if owner is not None and not any(_reader(path) is owner for path in content):
            raise BuildError("caption files go with a video; add the video", file=companion.name)


def _companion_tables(
    content: list[Path], companions: list[Path]
) -> dict[Path, dict[str, list[str]]]:
    """Each companion file goes to the file of its format it is named after
    (``lecture.kk.srt`` to ``lecture.mp4``); with a single such file, every companion is
    its own. Every file of a format with companions gets its list, empty or not."""
    tables: dict[Path, dict[str, list[str]]] = {}
    for found in READERS.values():
        if found.companion_key is None:
            continue
        key = found.companion_key
        owners = [path for path in content if _reader(path) is found]
        for owner in owners:
            tables[owner] = {key: []}
        for companion in companions:
            if companions_of(companion) is not found:
                continue
            named = [o for o in owners if companion.name.startswith(f"{o.stem}.")]
            if not named and len(owners) == 1:
                named = owners
            if not named:
                raise BuildError(
                    "no video is named like this caption file; name it after its video and "
                    "language, e.g. lecture.kk.srt for lecture.mp4",
                    file=companion.name,
                )
            tables[max(named, key=lambda o: len(o.stem))][key].append(companion.name)
    return tables


def _first_title(ordered: list[Path]) -> str:
    """The course title when none was given: the first Word lesson's Title, else the name
    of the first file."""
    first = ordered[0]
    if _reader(first).type == "lesson" and first.suffix.lower() == ".docx":
        try:
            found = docx_title(first)
        except ScormError:
            found = None  # the part's reader reports what is wrong with the file
        if found:
            return found
    return first.stem
