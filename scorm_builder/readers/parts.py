"""Reading the ``[[parts]]`` of a course, whichever way the course was described.

Both ``course.toml`` and single-file builds (``sandyq build test.gift``) come here with
part tables; each table goes to the reader of its ``type`` with a ``PartContext``. Errors
raised without a place get the part's place in ``course.toml``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scorm_builder.errors import CourseConfigError, ScormError
from scorm_builder.model import Language, Part
from scorm_builder.readers import READERS
from scorm_builder.readers.assets import AssetCollector
from scorm_builder.readers.context import PartContext, ReadOptions
from scorm_builder.slug import ascii_slug

COURSE_FILE = "course.toml"
#: The keys every part takes; each format adds its own (``ReaderFormat.keys``).
COMMON_KEYS = ("type", "title", "source")

#: (part index, key or None) -> line in course.toml, when there is one.
LineOf = Callable[[int, str | None], int | None]


def no_lines(index: int, key: str | None) -> int | None:
    return None


def read_parts(
    tables: list[Any],
    *,
    root: Path,
    language: Language,
    options: ReadOptions,
    video_quality: str,
    line_of: LineOf = no_lines,
) -> tuple[tuple[Part, ...], list[str]]:
    """Every part, in order, and the warnings their readers found."""
    collector = AssetCollector(root=root.resolve())
    collector.page_sources.update(_page_sources(tables, root))
    warnings: list[str] = []
    parts = []
    for index, table in enumerate(tables):
        context = PartContext(
            root=root,
            index=index,
            folder=_part_folder(index, table),
            collector=collector,
            language=language,
            work_dir=options.work_dir,
            warnings=warnings,
            video_quality=video_quality,
            split=options.split,
            progress=options.progress,
        )
        parts.append(_read_part(index, table, context, line_of))
    return tuple(parts), warnings + collector.warnings


def _part_folder(index: int, table: Any) -> str:
    source = table.get("source") if isinstance(table, dict) else None
    stem = Path(source).stem if isinstance(source, str) else ""
    slug = ascii_slug(stem, max_length=40) or "part"
    return f"content/{index + 1:02d}-{slug}"


def _page_sources(tables: list[Any], root: Path) -> set[Path]:
    return {
        (root / table["source"]).resolve()
        for table in tables
        if isinstance(table, dict)
        and table.get("type") == "html"
        and isinstance(table.get("source"), str)
        and table["source"]
    }


def _read_part(index: int, table: Any, context: PartContext, line_of: LineOf) -> Part:
    line = line_of(index, None)
    if not isinstance(table, dict):
        raise CourseConfigError("each part must be a [[parts]] table", line=line)
    part_type = table.get("type")
    found = READERS.get(part_type) if isinstance(part_type, str) else None
    if found is None or not isinstance(part_type, str):
        raise CourseConfigError(
            f"part {index + 1} has type {part_type!r}, which Sandyq cannot build",
            line=line_of(index, "type") or line,
            hint="part types: " + ", ".join(f'"{name}"' for name in READERS),
        )
    known = COMMON_KEYS + found.keys
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            raise CourseConfigError(
                f"unknown setting '{key}' in a {part_type} part",
                line=line_of(index, key) or line,
                hint=f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}",
            )
    try:
        return found.read(table, context)
    except ScormError as error:
        if error.file in (None, COURSE_FILE) and error.line is None:
            error.line = line_of(index, "source") or line
        raise
