"""Readers turn teachers' files into the content model, one module per input format.

Each reader module declares its ``ReaderFormat`` (``FORMAT``: part type, reader function,
settings, file suffixes, what the catalogue's form offers, companion files) and
``READERS`` lists them: the one registry. ``course.toml``'s ``[[parts]]`` types, the
suffixes ``sandyq build FILE`` knows, the settings each part takes and the file types the
catalogue's build form accepts all come from it. A new input format is one new module and
one line here; see ``docs/formats.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from scorm_builder.readers import docx, html_page, quiz, video
from scorm_builder.readers.context import PartContext, Progress, ReadOptions, no_progress
from scorm_builder.readers.format import PartReader, ReaderFormat

__all__ = [
    "PART_READERS",
    "READERS",
    "PartContext",
    "PartReader",
    "Progress",
    "ReadOptions",
    "ReaderFormat",
    "companion_suffixes",
    "companions_of",
    "get_reader",
    "no_progress",
    "offered_suffixes",
    "reader_for_file",
    "single_file_suffixes",
]


def _registry(*formats: ReaderFormat) -> Mapping[str, ReaderFormat]:
    """The formats by part type; a type or a suffix claimed twice is a programming error."""
    by_type: dict[str, ReaderFormat] = {}
    claimed: dict[str, str] = {}
    for found in formats:
        if found.type in by_type:
            raise ValueError(f"two readers for the part type {found.type!r}")
        for suffix in (*found.suffixes, *found.companions):
            if suffix in claimed:
                raise ValueError(f"{suffix} is read by both {claimed[suffix]} and {found.type}")
            claimed[suffix] = found.type
        by_type[found.type] = found
    return MappingProxyType(by_type)


#: ``[[parts]] type = "..."`` -> its format, in the order messages list them.
READERS: Mapping[str, ReaderFormat] = _registry(
    html_page.FORMAT,
    docx.FORMAT,
    quiz.FORMAT,
    video.FORMAT,
)

#: ``[[parts]] type = "..."`` -> its reader function (a view of ``READERS``).
PART_READERS: Mapping[str, PartReader] = MappingProxyType(
    {part_type: found.read for part_type, found in READERS.items()}
)


def get_reader(part_type: str) -> ReaderFormat:
    """The format of a part type, or a clear error naming the ones there are."""
    try:
        return READERS[part_type]
    except KeyError:
        raise ValueError(
            f"no reader for the part type {part_type!r}; there are: {', '.join(READERS)}"
        ) from None


def reader_for_file(path: Path) -> ReaderFormat | None:
    """The format that builds ``path`` on its own (``sandyq build lesson.docx``), if any."""
    return next((found for found in READERS.values() if found.reads(path)), None)


def companions_of(path: Path) -> ReaderFormat | None:
    """The format ``path`` is a companion file of (a caption file: the video's), if any."""
    return next((found for found in READERS.values() if found.accompanies(path)), None)


def single_file_suffixes() -> tuple[str, ...]:
    """Every suffix ``sandyq build FILE`` knows, sorted (for messages)."""
    return tuple(sorted(suffix for found in READERS.values() for suffix in found.suffixes))


def offered_suffixes() -> tuple[str, ...]:
    """What the catalogue's build form offers as lessons, tests and videos, in order."""
    return tuple(suffix for found in READERS.values() for suffix in found.offered)


def companion_suffixes() -> tuple[str, ...]:
    """Files the build form takes along with those (captions), in order."""
    return tuple(suffix for found in READERS.values() for suffix in found.companions)
