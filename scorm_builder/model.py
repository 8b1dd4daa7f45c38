"""The content model: what a course is, independent of where it came from or where it goes.

Readers (``scorm_builder.readers``) build these values from teachers' files; the renderer
and the SCORM writers (``scorm_builder.writers``) turn them into a package. Plain frozen
dataclasses with no I/O, so every stage can be tested with values alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Language = Literal["kk", "ru", "en"]
LANGUAGES: tuple[Language, ...] = ("kk", "ru", "en")

ScormVersion = Literal["1.2", "2004"]
SCORM_VERSIONS: tuple[ScormVersion, ...] = ("1.2", "2004")
Edition = Literal[3, 4]
EDITIONS: tuple[Edition, ...] = (3, 4)

#: Licences a catalogue can publish: Creative Commons 4.0, public domain, or permission.
LICENSES: tuple[str, ...] = (
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC-BY-NC-4.0",
    "CC-BY-NC-SA-4.0",
    "CC-BY-ND-4.0",
    "CC-BY-NC-ND-4.0",
    "CC0-1.0",
    "public-domain",
    "all-rights-reserved",
)


@dataclass(frozen=True)
class Metadata:
    """Descriptive metadata of a course; it becomes the manifest's LOM record."""

    identifier: str
    title: str
    description: str = ""
    language: Language = "kk"
    subject: str = ""
    grades: tuple[int, ...] = ()
    keywords: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    license: str = "CC-BY-4.0"
    version: str = "1.0"


@dataclass(frozen=True)
class Asset:
    """A file a part needs (image, stylesheet, script), under its ASCII package path."""

    path: str
    data: bytes


@dataclass(frozen=True)
class HtmlPart:
    """A page the teacher wrote as HTML.

    ``body`` and ``head`` are the teacher's markup with every local reference already
    rewritten to the asset's package path, relative to ``path`` (the page's own place in
    the package). ``has_h1`` says the teacher's body already has its own top heading.
    """

    title: str
    path: str
    body: str
    head: str = ""
    assets: tuple[Asset, ...] = ()
    source: str = ""
    has_h1: bool = False


Part = HtmlPart


@dataclass(frozen=True)
class PackageOptions:
    """How to package: which SCORM version and, for 2004, which edition."""

    scorm: ScormVersion = "2004"
    edition: Edition = 4


@dataclass(frozen=True)
class Course:
    """A course: metadata and its ordered parts."""

    metadata: Metadata
    parts: tuple[Part, ...]
    options: PackageOptions = field(default_factory=PackageOptions)
