"""What an input format is: its part type, its reader, and the files it reads.

A reader module declares one ``ReaderFormat`` (``FORMAT``) beside its reader function, and
``scorm_builder.readers.READERS`` lists them. Everything that depends on the format is
read from there: which settings a ``[[parts]]`` table of that type takes, which files
``sandyq build FILE`` builds with it, which of those the catalogue's build form offers,
which files come with one (a video's captions), and where a part of that type goes in a
course made of several files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scorm_builder.model import Part
from scorm_builder.readers.context import PartContext

#: ``[[parts]]`` table and its context -> the part.
PartReader = Callable[[dict[str, Any], PartContext], Part]


@dataclass(frozen=True)
class ReaderFormat:
    """One input format.

    ``type`` is the ``[[parts]] type`` that names it; ``read`` reads one such table;
    ``keys`` are the settings it takes besides ``type``, ``title`` and ``source``.
    ``suffixes`` are the files ``sandyq build FILE`` builds with it (lower case, with the
    dot); ``offered`` are those the catalogue's build form accepts (a subset: the form
    cannot upload a folder, so an HTML page with its pictures is not offered).
    ``companions`` are files that only come with one of these (captions of a video): in a
    course made of several files each goes to the file it is named after
    (``lecture.kk.srt`` to ``lecture.mp4``), listed under ``companion_key``. ``order``
    places the parts of a course made of several files: read, watch, then test.
    ``what`` names such a file to a teacher ("a Word lesson").
    """

    type: str
    read: PartReader
    what: str
    keys: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    offered: tuple[str, ...] = ()
    companions: tuple[str, ...] = ()
    companion_key: str | None = None
    order: int = 9

    def __post_init__(self) -> None:
        for suffix in (*self.suffixes, *self.companions):
            if not suffix.startswith(".") or suffix != suffix.lower():
                raise ValueError(f"{self.type}: suffix {suffix!r} must be lower case with a dot")
        if not set(self.offered) <= set(self.suffixes):
            raise ValueError(f"{self.type}: every offered suffix must be one of its suffixes")
        if self.companions and self.companion_key is None:
            raise ValueError(f"{self.type}: companion files need a companion_key")

    def reads(self, path: Path) -> bool:
        """True when ``sandyq build`` builds ``path`` with this format's reader."""
        return path.suffix.lower() in self.suffixes

    def accompanies(self, path: Path) -> bool:
        """True when ``path`` is a companion file of this format (a caption file)."""
        return path.suffix.lower() in self.companions
