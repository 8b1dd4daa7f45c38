"""Writers turn a rendered course into a package's manifest and schema files.

One module per output format, each declaring its ``WriterFormat`` (id, label, file-name
suffix, schema set, ``<schemaversion>``, write function); ``WRITERS`` lists them by id. A
new format (IMS Common Cartridge, cmi5) is one module and one line here; see
``docs/formats.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from scorm_builder.model import PackageOptions
from scorm_builder.writers import scorm12, scorm2004
from scorm_builder.writers.format import Writer, WriterFormat, format_id

__all__ = ["WRITERS", "Writer", "WriterFormat", "format_id", "get_writer", "writer_for"]

#: Format id -> its writer, in the order ``sandyq`` lists them.
WRITERS: Mapping[str, WriterFormat] = MappingProxyType(
    {
        writer.id: writer
        for writer in (
            scorm12.FORMAT,
            scorm2004.THIRD_EDITION,
            scorm2004.FOURTH_EDITION,
        )
    }
)


def get_writer(format_id: str) -> WriterFormat:
    """The writer of a format id (``scorm12``, ``scorm2004-3``, ``scorm2004-4``), or a clear
    error naming the ones there are."""
    try:
        return WRITERS[format_id]
    except KeyError:
        raise ValueError(
            f"no writer for the format {format_id!r}; there are: {', '.join(WRITERS)}"
        ) from None


def writer_for(options: PackageOptions) -> WriterFormat:
    """The writer a course's package options choose."""
    return get_writer(format_id(options.scorm, options.edition))
