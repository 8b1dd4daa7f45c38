"""Writers turn a rendered course into a SCORM package's manifest and schema files.

One module per output format; a new one (IMS Common Cartridge, cmi5) is one module and
one line in ``WRITERS``.
"""

from __future__ import annotations

from collections.abc import Callable

from scorm_builder.model import Course
from scorm_builder.render import RenderedPackage
from scorm_builder.writers import scorm12, scorm2004

Writer = Callable[[Course, RenderedPackage], dict[str, bytes]]

WRITERS: dict[str, Writer] = {
    "1.2": scorm12.write,
    "2004": scorm2004.write,
}


def get_writer(scorm: str) -> Writer:
    """The writer for a SCORM version, or a clear error naming the ones there are."""
    try:
        return WRITERS[scorm]
    except KeyError:
        raise ValueError(
            f"no writer for SCORM {scorm!r}; there are: {', '.join(WRITERS)}"
        ) from None
