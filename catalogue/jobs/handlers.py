"""The job kinds of the catalogue: ``build`` (teachers' files into a SCORM package) and
``validate`` (a package a teacher uploads). Both end the same way: the package checked,
stored in the catalogue's storage when valid, and described by a result the teacher's
pages use to prefill a new resource:

    {"sha256", "size", "filename", "scorm": "1.2" | "2004", "valid", "findings",
     "metadata": {"title_kk", ..., "language", "subject", "grades", "keywords", ...},
     "warnings"}

``findings`` are stored as data (``stored_findings``) and become sentences only when a page
renders them. Only a valid package is stored (as with an upload); an invalid one has
``sha256`` "".
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, cast

from catalogue.jobs import steps
from catalogue.jobs.registry import Handler, JobContext, JobFailed, JobResult
from catalogue.services.resources import package_metadata, prefill, stored_findings
from catalogue.storage import storage
from scorm_builder.build import BuildStage, MetadataFlags, build_package
from scorm_builder.errors import ScormError
from scorm_builder.model import SCORM_VERSIONS, ScormVersion
from scorm_builder.package_info import PackageMetadata
from scorm_builder.readers import ReadOptions
from scorm_builder.readers.course_spec import course_of_files
from scorm_builder.validate import Report, validate_package
from scorm_builder.vocabulary import GRADES, LANGUAGES, Lang

# Where each stage of a build takes the progress bar.
_READ, _TRANSCODE_END, _PACK, _VALIDATE, _STORE = 0.05, 0.7, 0.75, 0.85, 0.95


# ---- parameters -------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildParams:
    """A build's parameters, checked: a bad value fails the job with what to change."""

    scorm: ScormVersion = "2004"
    title: str | None = None
    language: Lang | None = None
    subject: str | None = None
    grades: tuple[int, ...] = ()
    single_sco: bool | None = None

    @classmethod
    def of(cls, params: dict[str, Any]) -> BuildParams:
        scorm = str(params.get("scorm") or "2004")
        if scorm not in SCORM_VERSIONS:
            raise JobFailed(f"SCORM version {scorm!r} is not one we build: choose 1.2 or 2004")
        language = params.get("language") or None
        if language is not None and language not in LANGUAGES:
            raise JobFailed(f"language {language!r} is not supported: choose kk, ru or en")
        grades = params.get("grades") or []
        if not isinstance(grades, list) or not all(
            isinstance(g, int) and not isinstance(g, bool) and g in GRADES for g in grades
        ):
            raise JobFailed("grades must be school years from 0 to 12")
        single_sco = params.get("single_sco")
        return cls(
            scorm=scorm,
            title=(str(params.get("title") or "").strip() or None),
            language=cast(Lang | None, language),
            subject=(str(params.get("subject") or "").strip().lower() or None),
            grades=tuple(sorted(set(grades))),
            single_sco=None if single_sco is None else bool(single_sco),
        )

    @property
    def flags(self) -> MetadataFlags:
        """The course's metadata as the form gave it."""
        return MetadataFlags(
            title=self.title, language=self.language, subject=self.subject, grades=self.grades
        )


# ---- build ------------------------------------------------------------------------------


class _VideoProgress:
    """Maps the builder's progress (one 0..1 run per video it transcodes, named by the
    video) onto the job's bar between reading and packaging."""

    def __init__(self, context: JobContext, videos: int) -> None:
        self.context = context
        self.videos = max(videos, 1)
        self.tasks: dict[str, int] = {}

    def __call__(self, task: str, fraction: float) -> None:
        index = self.tasks.setdefault(task, len(self.tasks))
        done = min(index + max(min(fraction, 1.0), 0.0), self.videos) / self.videos
        self.context.progress(0.1 + (_TRANSCODE_END - 0.1) * done, steps.TRANSCODING)


def build(context: JobContext) -> JobResult:
    """Teachers' files into a package with ``build_package``: one file is built as it is
    (``sandyq build lesson.docx``); several become one course (``course_of_files``: lessons,
    pages, videos with their captions, then tests). The result's metadata is the build's
    own description of the package; the zip is only read to validate it."""
    params = BuildParams.of(context.params)
    context.progress(_READ, steps.READING)
    folder = context.workdir / "course"
    folder.mkdir()
    files = [_link_or_copy(path, folder / path.name) for path in _inputs(context)]
    target = context.workdir / "package.zip"

    def stage(name: BuildStage) -> None:
        if name == "packaging":
            context.progress(_PACK, steps.PACKAGING)

    try:
        course = course_of_files(files, params.flags)
        options = ReadOptions(
            work_dir=context.workdir,
            scorm=params.scorm,
            single_sco=params.single_sco,
            progress=_VideoProgress(context, course.count("video")),
        )
        built = build_package(
            course,
            target,
            options=options,
            work_dir=_fresh(context.workdir / "tmp"),
            on_stage=stage,
        )
    except ScormError as error:
        raise JobFailed(_without_folder(str(error), folder)) from None
    filename = _file_name(built.course.metadata.title, params.scorm)
    result = _check_and_store(context, target, filename, built.metadata)
    result["warnings"] = [_without_folder(w, folder) for w in built.warnings]
    result["contents"] = asdict(built.course.contents)
    return result


def _inputs(context: JobContext) -> list[Path]:
    return sorted(path for path in context.inputs.iterdir() if path.is_file())


def _link_or_copy(source: Path, target: Path) -> Path:
    """A video can be large: a hard link costs nothing, a copy only when linking cannot."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
    return target


def _fresh(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _without_folder(message: str, folder: Path) -> str:
    """A builder message names files by their path on the server; the teacher knows them by
    name only."""
    for prefix in {str(folder) + os.sep, str(folder.resolve()) + os.sep}:
        message = message.replace(prefix, "")
    return message


# ---- validate ---------------------------------------------------------------------------


def validate(context: JobContext) -> JobResult:
    """A package a teacher uploads: checked (zip safety, manifest, schemas, files) and
    stored when valid; a file that is not a zip at all fails the job."""
    given = _inputs(context)
    if len(given) != 1:
        raise JobFailed("give exactly one package (.zip) to check")
    context.progress(0.1, steps.VALIDATING)
    name = str(context.params.get("filename") or "")
    return _check_and_store(context, given[0], _clean_file_name(name) if name else None)


# ---- shared: check, describe, store --------------------------------------------------------


def _check_and_store(
    context: JobContext,
    package: Path,
    filename: str | None,
    found: PackageMetadata | None = None,
) -> JobResult:
    """Validate, store when valid, and record; ``found`` is the build's description of
    the package, else what the validator read from it (``Report.info``)."""
    context.progress(_VALIDATE, steps.VALIDATING)
    report = validate_package(package)
    if any(finding.rule == "ZIP-NOT-ZIP" for finding in report.findings):
        raise JobFailed(steps.NOT_A_ZIP)
    if found is None:
        found = package_metadata(report)
    scorm = _scorm_of(report, found)
    sha256, size = "", package.stat().st_size
    if report.valid:
        context.progress(_STORE, steps.STORING)
        with package.open("rb") as stream:
            sha256, size = storage().put(stream)
    title = next(iter(found.titles.values()), "") or package.stem
    return {
        "sha256": sha256,
        "size": size,
        "filename": filename or _file_name(title, scorm),
        "scorm": scorm,
        "valid": report.valid,
        "findings": stored_findings(report),
        "metadata": prefill(found, offline_ready=report.offline_ready),
        "warnings": [],
    }


def _scorm_of(report: Report, found: PackageMetadata) -> str:
    version = report.scorm_version or found.scorm_version or ""
    if not version:
        return ""
    return "1.2" if version.startswith("1.2") else "2004"


_UNSAFE_IN_NAMES = re.compile(r"[^\w.-]+")


def _clean_file_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base[:-4] if base.lower().endswith(".zip") else base
    words = _UNSAFE_IN_NAMES.sub("-", stem).strip(".-")[:100].strip(".-")
    return f"{words or 'package'}.zip"


def _file_name(title: str, scorm: str) -> str:
    """``Ньютонның-екінші-заңы-scorm2004.zip``: the title's words (Kazakh letters kept),
    nothing a file system or a browser download could trip over."""
    words = _UNSAFE_IN_NAMES.sub("-", title).strip(".-_")[:80].strip(".-_") or "package"
    suffix = {"1.2": "-scorm12", "2004": "-scorm2004"}.get(scorm, "")
    return f"{words}{suffix}.zip"


#: The job kinds this module runs (``registry.JOB_KINDS`` names the same ones).
HANDLERS: dict[str, Handler] = {"build": build, "validate": validate}
