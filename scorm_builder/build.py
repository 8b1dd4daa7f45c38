"""``build_package``: the one function the CLI and the catalogue call to make a package."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scorm_builder.errors import BuildError
from scorm_builder.model import Course, Edition, ScormVersion
from scorm_builder.package import write_zip
from scorm_builder.readers.course_folder import COURSE_FILE, read_course_folder
from scorm_builder.render import render_course
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


def package_files(course: Course) -> dict[str, bytes]:
    """Every file of the package for a course: rendered content, manifest, schemas."""
    rendered = render_course(course)
    files = dict(rendered.files)
    files.update(get_writer(course.options.scorm)(course, rendered))
    return files


def default_output(course: Course) -> Path:
    """``<identifier>-scorm12.zip`` or ``<identifier>-scorm2004-4th.zip`` in the working folder."""
    options = course.options
    suffix = (
        "scorm12"
        if options.scorm == "1.2"
        else f"scorm2004-{options.edition}{'rd' if options.edition == 3 else 'th'}"
    )
    return Path(f"{course.metadata.identifier}-{suffix}.zip")


def build_package(
    source: Path,
    output: Path | None = None,
    *,
    scorm: ScormVersion | None = None,
    edition: Edition | None = None,
) -> BuildResult:
    """Build the package of a course folder (or its ``course.toml``) into ``output``."""
    folder = source.parent if source.is_file() and source.name == COURSE_FILE else source
    if not folder.is_dir():
        raise BuildError(
            f"'{source}' is not a course folder",
            file=str(source),
            hint="give the folder that holds course.toml",
        )
    reading = read_course_folder(folder, scorm=scorm, edition=edition)
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
