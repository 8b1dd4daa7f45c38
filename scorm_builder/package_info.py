"""What a SCORM package is, in the terms the catalogue stores: the types both sides share.

A package can be described from two sides. ``scorm_builder.build`` knows the course it
has just written and describes it from the content model, with no zip read back;
``scorm_builder.package_reader`` reads any package from outside (ours or a vendor's). Both
give the same ``PackageMetadata``, so the catalogue prefills a resource the same way
whether a teacher built the package in the browser or uploaded it, and a test
(``tests/scorm_builder/test_package_reader.py``) checks that the two sides agree on every sample.

The rules that measure a package from its files live here once: its files by kind, its
accessibility features and a guess of what kind of resource it is. Plain values and the
standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Literal

#: What kind of resource a package is (the catalogue's ``ResourceType`` values it can guess).
PackageKind = Literal["lesson", "test", "video_lecture", "course"]

#: Accessibility features a package can be measured to have.
CAPTIONS = "captions"
ALT_TEXT = "alt_text"

#: The LOM taxonomies Sandyq writes the subject and the grades in, and reads them back from.
SUBJECT_TAXONOMY = "Sandyq subjects"
GRADE_TAXONOMY = "Kazakhstan school grades"

#: The kinds of files of a package, by suffix (``sandyq inspect`` counts them).
FILE_KINDS: Mapping[str, tuple[str, ...]] = {
    "page": (".html", ".htm", ".xhtml"),
    "script": (".js", ".mjs"),
    "style": (".css",),
    "image": (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"),
    "video": (".mp4", ".webm", ".m4v", ".mov", ".ogv"),
    "audio": (".mp3", ".m4a", ".ogg", ".wav"),
    "captions": (".vtt", ".srt"),
    "schema": (".xsd", ".dtd"),
}
HTML_SUFFIXES = FILE_KINDS["page"]
VIDEO_SUFFIXES = FILE_KINDS["video"]
#: HTML files larger than this are not scanned for images (generated pages rarely are).
MAX_SCANNED_HTML = 4 * 1024**2


@dataclass(frozen=True)
class PackageMetadata:
    """What the catalogue prefills a resource version with; empty means "not said".

    From the LOM record: titles and descriptions by language (``kk``, ``ru``, ``en``),
    the language, keywords (every language's, each once), the subject and the grades.
    From the manifest: ``scorm_version``, its ``<schemaversion>`` as written. Measured
    from the files: ``accessibility`` (``captions``, ``alt_text``) and ``kind``, a guess
    the author corrects.
    """

    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    language: str | None = None
    keywords: tuple[str, ...] = ()
    subject: str | None = None
    grades: tuple[int, ...] = ()
    scorm_version: str | None = None
    accessibility: tuple[str, ...] = ()
    kind: PackageKind = "lesson"


@dataclass(frozen=True)
class ScoInfo:
    """An item of the package's organization and the resource it launches.

    ``mastery_score`` is a percentage (``"60%"``) from SCORM 1.2's ``masteryscore`` or
    SCORM 2004's primary objective; ``files`` counts the resource's ``<file>`` entries.
    """

    identifier: str
    title: str
    launch: str
    scorm_type: str
    mastery_score: str | None
    files: int


@dataclass(frozen=True)
class FileInfo:
    """One file of the package: its path in the zip, its unpacked size and its kind."""

    path: str
    size: int
    kind: str


def file_kind(name: str) -> str:
    """``page``, ``script``, ``image`` ... (``FILE_KINDS``), ``manifest`` or ``other``."""
    lower = name.lower()
    for kind, suffixes in FILE_KINDS.items():
        if lower.endswith(suffixes):
            return kind
    return "manifest" if lower == "imsmanifest.xml" else "other"


def clean(text: str | None) -> str:
    """Text with its whitespace collapsed, as a catalogue field holds it."""
    return " ".join((text or "").split())


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images = 0
        self.without_alt = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images += 1
            if not any(name == "alt" for name, _ in attrs):
                self.without_alt += 1


def accessibility(names: Iterable[str], pages: Iterable[str]) -> tuple[str, ...]:
    """``captions`` when the package has WebVTT files (``names``); ``alt_text`` when its
    HTML ``pages`` have images and every one of them has an ``alt`` (an empty ``alt`` marks
    a decorative image, and counts)."""
    features: list[str] = []
    if any(name.lower().endswith(".vtt") for name in names):
        features.append(CAPTIONS)
    images = _Images()
    for page in pages:
        images.feed(page)
    images.close()
    if images.images and not images.without_alt:
        features.append(ALT_TEXT)
    return tuple(features)


def guess_kind(scos: int, page_kinds: Iterable[str], names: Iterable[str]) -> PackageKind:
    """Only quizzes make a test, several SCOs a course, a video part a video lecture.

    ``scos`` counts the resources of type SCO; ``page_kinds`` are the kinds of pages our
    player lists (``page``, ``quiz``, ``video``); ``names`` are the package's files. A
    course comes before a video lecture: a lesson, a recorded lecture and a test packed as
    three SCOs (``samples/physics-7-course``) is a course that happens to hold a video.
    """
    kinds = set(page_kinds)
    if kinds == {"quiz"}:
        return "test"
    if scos > 1:
        return "course"
    if "video" in kinds or any(name.lower().endswith(VIDEO_SUFFIXES) for name in names):
        return "video_lecture"
    return "lesson"
