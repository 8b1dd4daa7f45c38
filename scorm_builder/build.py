"""``build_package``: the one call the CLI and the catalogue make to build a package.

It takes a course in any of three forms: a path (a folder with ``course.toml``, that file,
or a single lesson, test or video), a ``CourseSpec`` (the same description held in
memory, as the catalogue's build form gives it; no ``course.toml`` is written), or a
``Course`` (the content model itself). It reads, renders, writes the manifest with the
writer the package options choose (``scorm_builder.writers``) and zips, and it returns
where the zip is together with what the catalogue stores about it (``PackageMetadata``,
the SCOs, sizes), worked out from the course it has just written: the zip is not read back.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from scorm_builder.errors import BuildError
from scorm_builder.model import Course, LessonPart, QuizPart
from scorm_builder.package import entry_order, write_zip
from scorm_builder.package_info import (
    HTML_SUFFIXES,
    MAX_SCANNED_HTML,
    PackageMetadata,
    ScoInfo,
    accessibility,
    clean,
    guess_kind,
)
from scorm_builder.readers import ReadOptions
from scorm_builder.readers.course_folder import CourseReading, apply_options, read_course_folder
from scorm_builder.readers.course_spec import CourseSpec, MetadataFlags, read_course_spec
from scorm_builder.readers.parts import COURSE_FILE
from scorm_builder.readers.single_file import read_single_file
from scorm_builder.render import FileData, RenderedPackage, render_course
from scorm_builder.vocabulary import GRADES
from scorm_builder.writers import WriterFormat, get_writer, writer_for
from scorm_builder.writers.common import item_id

__all__ = [
    "BuildResult",
    "BuildStage",
    "CourseSpec",
    "MetadataFlags",
    "build_package",
    "default_output",
    "describe_course",
    "package_files",
    "read_source",
]

#: The stages ``build_package`` reports to ``on_stage``: the files are being read (and
#: video transcoded: ``ReadOptions.progress`` says how far), then the package is made.
BuildStage = Literal["reading", "packaging"]


@dataclass(frozen=True)
class BuildResult:
    """What a build produced, for the CLI's report and the catalogue's records.

    ``output`` and ``size`` are the zip and its size in bytes; ``writer`` is the format it
    was written in; ``metadata`` is what the catalogue prefills a resource with (the same
    a ``scorm_builder.package_reader`` reading of the zip gives); ``scos`` are the items
    of its organization; ``file_count`` and ``unpacked_size`` count the zip's entries and
    their bytes. ``warnings`` are the readers'.
    """

    output: Path
    size: int
    course: Course
    file_count: int
    warnings: tuple[str, ...]
    writer: WriterFormat
    metadata: PackageMetadata
    scos: tuple[ScoInfo, ...]
    unpacked_size: int

    @property
    def label(self) -> str:
        """``SCORM 1.2`` or ``SCORM 2004 4th Edition``."""
        return self.writer.label


def package_files(course: Course, writer: WriterFormat | None = None) -> dict[str, FileData]:
    """Every file of the package for a course: rendered content, manifest, schemas.

    ``writer`` is the format to write (by default the one the course's options choose)."""
    return _package(course, writer or writer_for(course.options))[1]


def _package(course: Course, writer: WriterFormat) -> tuple[RenderedPackage, dict[str, FileData]]:
    rendered = render_course(course)
    files = dict(rendered.files)
    files.update(writer.write(course, rendered))
    return rendered, files


def default_output(course: Course, writer: WriterFormat | None = None) -> Path:
    """``<identifier>-scorm12.zip`` or ``<identifier>-scorm2004-4th.zip`` in the working folder."""
    suffix = (writer or writer_for(course.options)).suffix
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


def _read(
    source: Path | CourseSpec | Course,
    options: ReadOptions,
    flags: MetadataFlags | None,
    captions: tuple[Path, ...],
) -> CourseReading:
    if isinstance(source, Course):
        return CourseReading(replace(source, options=apply_options(source.options, options)))
    if isinstance(source, CourseSpec):
        return read_course_spec(source, options)
    return read_source(source, options, flags, captions)


def build_package(
    source: Path | CourseSpec | Course,
    output: Path | None = None,
    *,
    options: ReadOptions | None = None,
    flags: MetadataFlags | None = None,
    captions: tuple[Path, ...] = (),
    scorm: str | None = None,
    edition: int | None = None,
    writer: str | None = None,
    work_dir: Path | None = None,
    on_stage: Callable[[BuildStage], None] | None = None,
) -> BuildResult:
    """Build the package of ``source`` into ``output`` (by default ``default_output``).

    ``source`` is a path (course folder, ``course.toml`` or a single file; ``flags`` and
    ``captions`` serve single files), a ``CourseSpec`` or a ``Course``. ``scorm`` and
    ``edition`` are shortcuts for the same fields of ``options``, which win over what the
    course says; ``writer`` names the output format by its id instead (``scorm2004-3``,
    any key of ``scorm_builder.writers.WRITERS``). Files made on the way (transcoded
    video) live in a temporary folder inside ``work_dir`` (the system's by default),
    removed at the end; the zip appears at ``output`` only when complete. ``on_stage``
    hears "reading", then "packaging".
    """
    stage = on_stage or _no_stage
    with tempfile.TemporaryDirectory(prefix="sandyq-build-", dir=work_dir) as work:
        read_options = replace(options, work_dir=Path(work)) if options else ReadOptions(Path(work))
        if scorm is not None:
            read_options = replace(read_options, scorm=scorm)  # type: ignore[arg-type]
        if edition is not None:
            read_options = replace(read_options, edition=edition)  # type: ignore[arg-type]
        chosen = get_writer(writer) if writer is not None else None
        if chosen is not None:
            read_options = replace(
                read_options, scorm=chosen.scorm, edition=chosen.edition or read_options.edition
            )
        stage("reading")
        reading = _read(source, read_options, flags, captions)
        stage("packaging")
        course = reading.course
        chosen = chosen or writer_for(course.options)
        rendered, files = _package(course, chosen)
        target = output if output is not None else default_output(course, chosen)
        size = write_zip(files, target)
        unpacked = sum(_size(data) for data in files.values())
    return BuildResult(
        output=target,
        size=size,
        course=course,
        file_count=len(files),
        warnings=tuple(reading.warnings),
        writer=chosen,
        metadata=describe_course(course, rendered, files, chosen),
        scos=_scos(course, rendered),
        unpacked_size=unpacked,
    )


def _no_stage(stage: BuildStage) -> None:
    """The default ``on_stage``: says nothing."""


def _size(data: FileData) -> int:
    return data.stat().st_size if isinstance(data, Path) else len(data)


# ---- what the catalogue stores, from the course just written --------------------------------


def describe_course(
    course: Course,
    rendered: RenderedPackage,
    files: Mapping[str, FileData],
    writer: WriterFormat | None = None,
) -> PackageMetadata:
    """The metadata of the package of ``course`` (rendered as ``rendered``, made of
    ``files``), as ``scorm_builder.package_reader`` would read it back from the zip: the
    LOM record the writers put in the manifest, and what is measured from the files."""
    metadata = course.metadata
    language = metadata.language
    title, description = clean(metadata.title), clean(metadata.description)
    pages = (
        data.decode("utf-8", errors="replace")
        for name, data in sorted(files.items(), key=lambda item: entry_order(item[0]))
        if name.lower().endswith(HTML_SUFFIXES)
        and isinstance(data, bytes)
        and len(data) <= MAX_SCANNED_HTML
    )
    kinds = {_page_kind(part) for part in course.parts}
    return PackageMetadata(
        titles={language: title} if title else {},
        descriptions={language: description} if description else {},
        language=language,
        keywords=tuple(dict.fromkeys(clean(k) for k in metadata.keywords if clean(k))),
        subject=clean(metadata.subject).lower()[:64] or None,
        grades=tuple(sorted({grade for grade in metadata.grades if grade in GRADES})),
        scorm_version=(writer or writer_for(course.options)).schemaversion,
        accessibility=accessibility(sorted(files, key=entry_order), pages),
        kind=guess_kind(len(rendered.scos), kinds, files),
    )


def _page_kind(part: object) -> str:
    """The kind of page a part is in the player: ``page``, ``quiz`` or ``video``."""
    if isinstance(part, LessonPart):
        return "page"
    return "quiz" if isinstance(part, QuizPart) else "video"


def _scos(course: Course, rendered: RenderedPackage) -> tuple[ScoInfo, ...]:
    return tuple(
        ScoInfo(
            identifier=item_id(course.metadata, sco.key),
            title=clean(sco.title),
            launch=sco.launch,
            scorm_type="sco",
            mastery_score=f"{sco.mastery_score}%" if sco.mastery_score is not None else None,
            files=len(sco.files),
        )
        for sco in rendered.scos
    )
