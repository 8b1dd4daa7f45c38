"""``build_package``: the one function the CLI and the catalogue call to make a package."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from scorm_builder.errors import BuildError
from scorm_builder.model import Course
from scorm_builder.package import write_zip
from scorm_builder.readers import ReadOptions
from scorm_builder.readers.course_folder import CourseReading, read_course_folder
from scorm_builder.readers.parts import COURSE_FILE
from scorm_builder.readers.single_file import MetadataFlags, read_single_file
from scorm_builder.render import FileData, render_course
from scorm_builder.writers import get_writer


@dataclass(frozen=True)
class BuildResult:
    """What a build produced, for the CLI's report and the catalogue's records."""

    output: Path
    size: int
    course: Course
    file_count: int
    warnings: tuple[str, ...]

    @property
    def label(self) -> str:
        """``SCORM 1.2`` or ``SCORM 2004 4th Edition``."""
        options = self.course.options
        if options.scorm == "1.2":
            return "SCORM 1.2"
        return f"SCORM 2004 {options.edition}{'rd' if options.edition == 3 else 'th'} Edition"


def package_files(course: Course) -> dict[str, FileData]:
    """Every file of the package for a course: rendered content, manifest, schemas."""
    rendered = render_course(course)
    files = dict(rendered.files)
    files.update(get_writer(course.options.scorm)(course, rendered))
    return files


def default_output(course: Course) -> Path:
    """``<identifier>-scorm12.zip`` or ``<identifier>-scorm2004-4th.zip`` in the working folder."""
    options = course.options
    if options.scorm == "1.2":
        suffix = "scorm12"
    else:
        suffix = f"scorm2004-{options.edition}{'rd' if options.edition == 3 else 'th'}"
    return Path(f"{course.metadata.identifier}-{suffix}.zip")


def read_source(
    source: Path,
    options: ReadOptions,
    flags: MetadataFlags | None = None,
    captions: tuple[Path, ...] = (),
) -> CourseReading:
    """A course from a folder holding course.toml, that file itself, or a single file."""
    if source.is_dir():
        return read_course_folder(source, options)
    if source.name == COURSE_FILE:
        return read_course_folder(source.parent, options)
    if source.is_file():
        return read_single_file(source, flags or MetadataFlags(), options, captions=captions)
    raise BuildError(
        f"'{source}' is neither a course folder nor a file",
        file=str(source),
        hint="give the folder that holds course.toml, or a .docx, .gift, .txt or video file",
    )


def build_package(
    source: Path,
    output: Path | None = None,
    *,
    options: ReadOptions | None = None,
    flags: MetadataFlags | None = None,
    captions: tuple[Path, ...] = (),
    scorm: str | None = None,
    edition: int | None = None,
) -> BuildResult:
    """Build the package of ``source`` into ``output`` (by default ``default_output``).

    ``scorm`` and ``edition`` are shortcuts for the same fields of ``options``. Files
    made on the way (transcoded video) live in a temporary folder removed at the end;
    the zip appears at ``output`` only when complete.
    """
    with tempfile.TemporaryDirectory(prefix="sandyq-build-") as work:
        read_options = replace(options, work_dir=Path(work)) if options else ReadOptions(Path(work))
        if scorm is not None:
            read_options = replace(read_options, scorm=scorm)  # type: ignore[arg-type]
        if edition is not None:
            read_options = replace(read_options, edition=edition)  # type: ignore[arg-type]
        reading = read_source(source, read_options, flags, captions)
        files = package_files(reading.course)
        target = output if output is not None else default_output(reading.course)
        size = write_zip(files, target)
    return BuildResult(
        output=target,
        size=size,
        course=reading.course,
        file_count=len(files),
        warnings=tuple(reading.warnings),
    )
