"""Readers turn teachers' files into the content model, one module per input format.

A new input format is one new module and one line in ``PART_READERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scorm_builder.model import Part
from scorm_builder.readers.assets import AssetCollector
from scorm_builder.readers.html_page import read_html_part

#: ``[[parts]] type = "..."`` -> reader(part table, collector, diagnostics) -> Part
PartReader = Callable[[dict[str, Any], AssetCollector, list[str]], Part]

PART_READERS: dict[str, PartReader] = {
    "html": read_html_part,
}
