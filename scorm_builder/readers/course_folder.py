"""Course-folder reader: ``course.toml`` and the files it names become a ``Course``.

``course.toml`` has three tables: ``[course]`` (metadata), ``[package]`` (SCORM version
and edition) and ``[[parts]]`` (ordered parts, each with a ``type``). Every problem is
reported with the file, the line and what to change.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from scorm_builder.errors import CourseConfigError, ScormError
from scorm_builder.model import (
    EDITIONS,
    LANGUAGES,
    LICENSES,
    SCORM_VERSIONS,
    Course,
    Edition,
    Metadata,
    PackageOptions,
    ScormVersion,
)
from scorm_builder.readers.context import ReadOptions
from scorm_builder.readers.docx import docx_title
from scorm_builder.readers.parts import COURSE_FILE, read_parts
from scorm_builder.readers.textfile import decode_utf8
from scorm_builder.slug import ascii_slug
from scorm_builder.vocabulary import GRADES

_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{0,99}$")
_COURSE_KEYS = (
    "identifier", "title", "description", "language", "subject", "grades",
    "keywords", "authors", "license", "version",
)  # fmt: skip
_PACKAGE_KEYS = ("scorm", "edition", "single_sco", "video_quality")
VIDEO_QUALITIES = ("360p", "480p", "720p")


@dataclass
class CourseReading:
    """A course read from a folder, with the warnings found on the way."""

    course: Course
    warnings: list[str] = field(default_factory=list)


def read_course_folder(folder: Path, options: ReadOptions) -> CourseReading:
    """Read ``folder/course.toml`` and every file it names; ``options`` win over the file."""
    config_path = folder / COURSE_FILE
    if not config_path.is_file():
        raise CourseConfigError(
            f"there is no {COURSE_FILE} in '{folder}'",
            file=str(config_path),
            hint="create course.toml with [course] (title, language ...) and [[parts]]; "
            "see samples/physics-7-newton/course.toml",
        )
    text = decode_utf8(config_path.read_bytes(), COURSE_FILE)
    config = _parse_toml(text)
    locate = _KeyLocator(text)
    try:
        _check_keys(config, ("course", "package", "parts"), "", locate)
        metadata = _read_metadata(
            _table(config, "course", locate), locate, _word_title(config.get("parts"), folder)
        )
        package = _table(config, "package", locate, required=False)
        settings = apply_options(_read_options(package, locate), options)
        parts_config = config.get("parts")
        if not isinstance(parts_config, list) or not parts_config:
            raise CourseConfigError(
                "the course has no parts",
                line=locate.line("parts"),
                hint='add at least one [[parts]] table with type = "html" and a source page',
            )
        video_quality = options.video_quality or _video_quality(package, locate)
        parts, warnings = read_parts(
            parts_config,
            root=folder,
            language=metadata.language,
            options=options,
            video_quality=video_quality,
            line_of=lambda index, key: locate.line("parts", key, index),
        )
    except ScormError as error:
        if error.file is None:
            error.file = COURSE_FILE
        raise
    return CourseReading(Course(metadata, parts, settings), warnings)


def apply_options(settings: PackageOptions, options: ReadOptions) -> PackageOptions:
    """The package settings with the command line's choices on top."""
    return PackageOptions(
        scorm=options.scorm or settings.scorm,
        edition=options.edition or settings.edition,
        single_sco=settings.single_sco if options.single_sco is None else options.single_sco,
    )


def _parse_toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(match.group(1)) if match else None
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", message) if match else message
        raise CourseConfigError(
            f"course.toml is not valid TOML: {reason}",
            file=COURSE_FILE,
            line=line,
            hint='write each setting as key = value, with text in double quotes: title = "Кіріспе"',
        ) from None


class _KeyLocator:
    """Finds the line of a key in the TOML text (tomllib keeps no positions)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def line(self, table: str, key: str | None = None, index: int | None = None) -> int | None:
        current, count = "", -1
        for number, raw in enumerate(self.lines, start=1):
            stripped = raw.strip()
            header = re.match(r"^\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?", stripped)
            if header:
                current = header.group(1)
                if stripped.startswith("[[") and current == table:
                    count += 1
                if key is None and current == table and (index is None or index == count):
                    return number
                continue
            if key and current == table and (index is None or index == count):
                if re.match(rf"^{re.escape(key)}\s*=", stripped):
                    return number
        return None


def _table(
    config: dict[str, Any], name: str, locate: _KeyLocator, *, required: bool = True
) -> dict[str, Any]:
    value = config.get(name)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise CourseConfigError(
            f"course.toml needs a [{name}] table",
            line=locate.line(name),
            hint=f"add a line [{name}] followed by its settings",
        )
    return value


def _check_keys(
    table: dict[str, Any],
    known: tuple[str, ...],
    name: str,
    locate: _KeyLocator,
    index: int | None = None,
) -> None:
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            where = f"in [{name}]" if name else "at the top level"
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"
            raise CourseConfigError(
                f"unknown setting '{key}' {where}",
                line=locate.line(name, key, index) if name else locate.line(key),
                hint=hint,
            )


def _text(
    table: dict[str, Any], key: str, locate: _KeyLocator, table_name: str, default: str = ""
) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise CourseConfigError(
            f"'{key}' must be text in double quotes",
            line=locate.line(table_name, key),
            hint=f'write {key} = "..."',
        )
    return value.strip()


def _text_list(table: dict[str, Any], key: str, locate: _KeyLocator) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise CourseConfigError(
            f"'{key}' must be a list of texts",
            line=locate.line("course", key),
            hint=f'write {key} = ["first", "second"]',
        )
    return tuple(item.strip() for item in value if item.strip())


def _word_title(parts: Any, folder: Path) -> str | None:
    """The Title of the first part when it is a Word lesson: the course title by default."""
    if not isinstance(parts, list) or not parts or not isinstance(parts[0], dict):
        return None
    first = parts[0]
    source = first.get("source")
    if first.get("type") != "lesson" or not isinstance(source, str):
        return None
    path = (folder / source).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        return None  # the part's reader reports it, with its line
    return docx_title(path)


def _read_metadata(
    table: dict[str, Any], locate: _KeyLocator, fallback_title: str | None = None
) -> Metadata:
    _check_keys(table, _COURSE_KEYS, "course", locate)
    title = _text(table, "title", locate, "course") or (fallback_title or "")
    if not title:
        raise CourseConfigError(
            "the course has no title",
            line=locate.line("course", "title") or locate.line("course"),
            hint='add title = "..." under [course]; a Word lesson\'s Title also serves',
        )
    identifier = _text(table, "identifier", locate, "course") or ascii_slug(title)
    if not _IDENTIFIER.match(identifier):
        raise CourseConfigError(
            f"identifier '{identifier}' must be ASCII letters, digits, '-', '_' or '.', "
            "starting with a letter",
            line=locate.line("course", "identifier"),
            hint='e.g. identifier = "kz-physics-7-newton"; without it the title gives one',
        )
    language = _text(table, "language", locate, "course", "kk")
    if language not in LANGUAGES:
        raise CourseConfigError(
            f"language '{language}' is not supported",
            line=locate.line("course", "language"),
            hint='use "kk" (Kazakh), "ru" (Russian) or "en" (English)',
        )
    grades = table.get("grades", [])
    if isinstance(grades, int):
        grades = [grades]
    if not isinstance(grades, list) or not all(
        isinstance(grade, int) and not isinstance(grade, bool) and grade in GRADES
        for grade in grades
    ):
        raise CourseConfigError(
            f"'grades' must be a list of school years from {GRADES[0]} to {GRADES[-1]}",
            line=locate.line("course", "grades"),
            hint="e.g. grades = [7] or grades = [7, 8]",
        )
    license_id = _text(table, "license", locate, "course", "CC-BY-4.0")
    if license_id not in LICENSES:
        close = difflib.get_close_matches(license_id, LICENSES, n=1)
        raise CourseConfigError(
            f"licence '{license_id}' is not one the catalogue accepts",
            line=locate.line("course", "license"),
            hint=(f"did you mean '{close[0]}'? " if close else "")
            + "use one of: "
            + ", ".join(LICENSES),
        )
    version = table.get("version", "1.0")
    if isinstance(version, int | float) and not isinstance(version, bool):
        version = str(version)
    return Metadata(
        identifier=identifier,
        title=title,
        description=_text(table, "description", locate, "course"),
        language=language,
        subject=_text(table, "subject", locate, "course"),
        grades=tuple(sorted(set(grades))),
        keywords=_text_list(table, "keywords", locate),
        authors=_text_list(table, "authors", locate),
        license=license_id,
        version=_text({"version": version}, "version", locate, "course") or "1.0",
    )


def _read_options(table: dict[str, Any], locate: _KeyLocator) -> PackageOptions:
    _check_keys(table, _PACKAGE_KEYS, "package", locate)
    scorm = table.get("scorm", "2004")
    if isinstance(scorm, float | int) and not isinstance(scorm, bool):
        scorm = {1.2: "1.2", 2004: "2004"}.get(scorm, str(scorm))
    if scorm not in SCORM_VERSIONS:
        raise CourseConfigError(
            f"scorm = {scorm!r} is not a SCORM version we build",
            line=locate.line("package", "scorm"),
            hint='use scorm = "1.2" or scorm = "2004"',
        )
    edition = table.get("edition", 4)
    if edition not in EDITIONS:
        raise CourseConfigError(
            f"edition = {edition!r} is not a SCORM 2004 edition we build",
            line=locate.line("package", "edition"),
            hint="use edition = 3 or edition = 4",
        )
    single_sco = table.get("single_sco", False)
    if not isinstance(single_sco, bool):
        raise CourseConfigError(
            "single_sco must be true or false",
            line=locate.line("package", "single_sco"),
            hint="single_sco = true packs every part into one SCO",
        )
    return PackageOptions(
        scorm=cast(ScormVersion, scorm), edition=cast(Edition, edition), single_sco=single_sco
    )


def _video_quality(table: dict[str, Any], locate: _KeyLocator) -> str:
    quality = table.get("video_quality", "480p")
    if quality not in VIDEO_QUALITIES:
        raise CourseConfigError(
            f"video_quality = {quality!r} is not one we make",
            line=locate.line("package", "video_quality"),
            hint='use "360p", "480p" (the default, good for 8 Mbit/s lines) or "720p"',
        )
    return str(quality)
