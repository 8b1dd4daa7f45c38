"""What an output format is: its id, its names, the schemas it ships and its writer.

A writer module declares one ``WriterFormat`` per package format it writes (``scorm12``
writes one, ``scorm2004`` two: the 3rd and the 4th edition), and
``scorm_builder.writers.WRITERS`` lists them by ``id``. Everything that depends on the
format (the label in ``sandyq build``'s report, the default file name, the schema set, the
exact ``<schemaversion>``) is read from here, never worked out from the SCORM version again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scorm_builder.model import Edition, ScormVersion

if TYPE_CHECKING:
    from scorm_builder.model import Course
    from scorm_builder.render import RenderedPackage

#: Writes the manifest and the schema files of one package: ``{path: bytes}``.
Writer = Callable[["Course", "RenderedPackage"], dict[str, bytes]]


@dataclass(frozen=True)
class WriterFormat:
    """One package format Sandyq writes.

    ``id`` is the registry key (``scorm2004-4``); ``label`` names it to people
    (``SCORM 2004 4th Edition``); ``suffix`` ends the default file name
    (``<identifier>-scorm2004-4th.zip``); ``schema_set`` is its folder in ``schemas/``,
    shipped at the package root; ``schemaversion`` is the exact ``<schemaversion>`` its
    manifest carries (LMSs compare it literally). ``scorm`` and ``edition`` are the
    ``PackageOptions`` that choose it.
    """

    id: str
    label: str
    suffix: str
    scorm: ScormVersion
    edition: Edition | None
    schema_set: str
    schemaversion: str
    write: Writer


def format_id(scorm: str, edition: int | None = None) -> str:
    """The id of the format for a SCORM version and 2004 edition: ``scorm12``, ``scorm2004-4``.

    SCORM 1.2 has no editions, so ``edition`` is ignored for it (as ``--edition`` is).
    """
    if scorm == "1.2":
        return "scorm12"
    return f"scorm{scorm}-{edition if edition is not None else 4}"
