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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from catalogue.jobs import steps
from catalogue.jobs.registry import JobContext, JobFailed, JobResult, handler
from catalogue.package_metadata import PackageMetadata, read_package_metadata
from catalogue.services.resources import stored_findings
from catalogue.storage import storage
from scorm_builder.build import package_files
from scorm_builder.errors import ScormError
from scorm_builder.model import LANGUAGES, Language, ScormVersion
from scorm_builder.package import write_zip
from scorm_builder.readers import ReadOptions
from scorm_builder.readers.course_folder import CourseReading, read_course_folder
from scorm_builder.readers.docx import docx_title
from scorm_builder.readers.single_file import MetadataFlags, part_type_of, read_single_file
from scorm_builder.slug import ascii_slug
from scorm_builder.validate import Report, validate_package

CAPTION_SUFFIXES = (".srt", ".vtt")
#: The order parts take in a course built from several files: read, watch, then test.
PART_ORDER = {"lesson": 0, "html": 1, "video": 2, "quiz": 3}
BUILDABLE = ".docx, .gift, .txt, .mp4, .webm, .mov, .mkv"

# Where each stage of a build takes the progress bar.
_READ, _TRANSCODE_END, _PACK, _VALIDATE, _STORE = 0.05, 0.7, 0.75, 0.85, 0.95


# ---- parameters -------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildParams:
    """A build's parameters, checked: a bad value fails the job with what to change."""

    scorm: ScormVersion = "2004"
    title: str | None = None
    language: Language | None = None
    subject: str | None = None
    grades: tuple[int, ...] = ()
    single_sco: bool | None = None

    @classmethod
    def of(cls, params: dict[str, Any]) -> BuildParams:
        scorm = str(params.get("scorm") or "2004")
        if scorm not in ("1.2", "2004"):
            raise JobFailed(f"SCORM version {scorm!r} is not one we build: choose 1.2 or 2004")
        language = params.get("language") or None
        if language is not None and language not in LANGUAGES:
            raise JobFailed(f"language {language!r} is not supported: choose kk, ru or en")
        grades = params.get("grades") or []
        if not isinstance(grades, list) or not all(
            isinstance(g, int) and not isinstance(g, bool) and 0 <= g <= 12 for g in grades
        ):
            raise JobFailed("grades must be school years from 0 to 12")
        single_sco = params.get("single_sco")
        return cls(
            scorm=cast(ScormVersion, scorm),
            title=(str(params.get("title") or "").strip() or None),
            language=cast(Language | None, language),
            subject=(str(params.get("subject") or "").strip().lower() or None),
            grades=tuple(sorted(set(grades))),
            single_sco=None if single_sco is None else bool(single_sco),
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


@handler("build")
def build(context: JobContext) -> JobResult:
    """Teachers' files into a package: one file is built as it is (``sandyq build
    lesson.docx``); several become a course folder with a ``course.toml``."""
    params = BuildParams.of(context.params)
    context.progress(_READ, steps.READING)
    given = sorted(path for path in context.inputs.iterdir() if path.is_file())
    folder = context.workdir / "course"
    folder.mkdir()
    for path in given:
        _link_or_copy(path, folder / path.name)
    sources = [folder / path.name for path in given]
    content = [path for path in sources if path.suffix.lower() not in CAPTION_SUFFIXES]
    captions = [path for path in sources if path.suffix.lower() in CAPTION_SUFFIXES]
    _check_buildable(content, captions)
    videos = sum(1 for path in content if part_type_of(path) == "video")
    options = ReadOptions(
        work_dir=_fresh(context.workdir / "tmp"),
        scorm=params.scorm,
        single_sco=params.single_sco,
        progress=_VideoProgress(context, videos),
    )
    target = context.workdir / "package.zip"
    try:
        reading = _read(folder, content, captions, params, options)
        context.progress(_PACK, steps.PACKAGING)
        write_zip(package_files(reading.course), target)
    except ScormError as error:
        raise JobFailed(_without_folder(str(error), folder)) from None
    title = reading.course.metadata.title
    result = _check_and_store(context, target, _file_name(title, params.scorm))
    result["warnings"] = [_without_folder(w, folder) for w in reading.warnings]
    return result


def _link_or_copy(source: Path, target: Path) -> None:
    """A video can be large: a hard link costs nothing, a copy only when linking cannot."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _fresh(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _check_buildable(content: list[Path], captions: list[Path]) -> None:
    for path in content:
        if part_type_of(path) is None:
            raise JobFailed(
                f"{path.name}: Sandyq cannot build a '{path.suffix or path.name}' file; "
                f"give a Word lesson, a test or a video ({BUILDABLE})"
            )
    if not content:
        if captions:
            raise JobFailed("only caption files were given: add the video they belong to")
        raise JobFailed(f"no files were given: add a lesson, a test or a video ({BUILDABLE})")
    if captions and not any(part_type_of(path) == "video" for path in content):
        raise JobFailed(f"{captions[0].name}: caption files go with a video; add the video")


def _read(
    folder: Path,
    content: list[Path],
    captions: list[Path],
    params: BuildParams,
    options: ReadOptions,
) -> CourseReading:
    if len(content) == 1:
        source = content[0]
        flags = MetadataFlags(
            title=params.title,
            language=params.language,
            subject=params.subject,
            grades=params.grades,
            identifier=_identifier(params.title or source.stem),
        )
        return read_single_file(source, flags, options, captions=tuple(captions))
    (folder / "course.toml").write_text(course_toml(content, captions, params), encoding="utf-8")
    return read_course_folder(folder, options)


def course_toml(content: list[Path], captions: list[Path], params: BuildParams) -> str:
    """The ``course.toml`` of a course made of ``content`` (lessons, then pages, videos and
    tests; each caption file with the video it is named after)."""
    ordered = sorted(content, key=lambda p: (PART_ORDER.get(part_type_of(p) or "", 9), p.name))
    title = params.title or _first_title(ordered)
    lines = ["[course]", f"identifier = {_toml(_identifier(title))}", f"title = {_toml(title)}"]
    lines.append(f"language = {_toml(params.language or 'kk')}")
    if params.subject:
        lines.append(f"subject = {_toml(params.subject)}")
    if params.grades:
        lines.append(f"grades = [{', '.join(str(g) for g in params.grades)}]")
    lines += ["", "[package]", f"scorm = {_toml(params.scorm)}"]
    if params.single_sco is not None:
        lines.append(f"single_sco = {'true' if params.single_sco else 'false'}")
    tracks = _captions_by_video([p for p in ordered if part_type_of(p) == "video"], captions)
    for path in ordered:
        kind = part_type_of(path) or ""
        lines += ["", "[[parts]]", f"type = {_toml(kind)}", f"source = {_toml(path.name)}"]
        if kind == "video":
            names = ", ".join(_toml(c.name) for c in tracks.get(path, []))
            lines.append(f"captions = [{names}]")
    return "\n".join(lines) + "\n"


def _captions_by_video(videos: list[Path], captions: list[Path]) -> dict[Path, list[Path]]:
    """Each caption file goes to the video it is named after (``lecture.kk.srt`` to
    ``lecture.mp4``); with a single video, every caption file is its own."""
    tracks: dict[Path, list[Path]] = {video: [] for video in videos}
    for caption in captions:
        owners = [v for v in videos if caption.name.startswith(f"{v.stem}.")]
        if not owners and len(videos) == 1:
            owners = videos
        if not owners:
            raise JobFailed(
                f"{caption.name}: no video is named like this caption file; name it after its "
                "video and language, e.g. lecture.kk.srt for lecture.mp4"
            )
        tracks[max(owners, key=lambda v: len(v.stem))].append(caption)
    return tracks


def _first_title(ordered: list[Path]) -> str:
    """The course title when none was given: the first Word lesson's Title, else the name
    of the first file."""
    first = ordered[0]
    if part_type_of(first) == "lesson" and first.suffix.lower() == ".docx":
        try:
            found = docx_title(first)
        except ScormError:
            found = None  # the part's reader reports what is wrong with the file
        if found:
            return found
    return first.stem


def _identifier(title: str) -> str:
    """A manifest identifier from the title: ASCII, starting with a letter."""
    slug = ascii_slug(title) or "course"
    return slug if slug[0].isalpha() else f"course-{slug}"


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are a subset of TOML's)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def _without_folder(message: str, folder: Path) -> str:
    """A builder message names files by their path on the server; the teacher knows them by
    name only."""
    for prefix in {str(folder) + os.sep, str(folder.resolve()) + os.sep}:
        message = message.replace(prefix, "")
    return message


# ---- validate ---------------------------------------------------------------------------


@handler("validate")
def validate(context: JobContext) -> JobResult:
    """A package a teacher uploads: checked (zip safety, manifest, schemas, files) and
    stored when valid; a file that is not a zip at all fails the job."""
    given = sorted(path for path in context.inputs.iterdir() if path.is_file())
    if len(given) != 1:
        raise JobFailed("give exactly one package (.zip) to check")
    context.progress(0.1, steps.VALIDATING)
    name = str(context.params.get("filename") or "")
    return _check_and_store(context, given[0], _clean_file_name(name) if name else None)


# ---- shared: check, describe, store --------------------------------------------------------


def _check_and_store(context: JobContext, package: Path, filename: str | None) -> JobResult:
    context.progress(_VALIDATE, steps.VALIDATING)
    report = validate_package(package)
    if any(finding.rule == "ZIP-NOT-ZIP" for finding in report.findings):
        raise JobFailed(steps.NOT_A_ZIP)
    found = read_package_metadata(package, report)
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
        "metadata": prefill(found),
        "warnings": [],
    }


def _scorm_of(report: Report, found: PackageMetadata) -> str:
    version = report.scorm_version or found.scorm_version or ""
    if not version:
        return ""
    return "1.2" if version.startswith("1.2") else "2004"


def prefill(found: PackageMetadata) -> dict[str, Any]:
    """What the package says about itself, as the fields of a resource version (the same
    the upload's prefill uses)."""
    fields: dict[str, Any] = {}
    for language in LANGUAGES:
        fields[f"title_{language}"] = found.titles.get(language, "")[:500]
        fields[f"description_{language}"] = found.descriptions.get(language, "")
    fields.update(
        language=found.language or "",
        subject=found.subject or "",
        grades=list(found.grades),
        keywords=[keyword[:100] for keyword in found.keywords],
        resource_type=found.resource_type.value,
        scorm_version=(found.scorm_version or "")[:32],
        accessibility=list(found.accessibility),
        offline_ready=found.offline_ready,
    )
    return fields


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
