"""Word reader: a teacher's .docx lesson becomes a `LessonPart` of HTML pages.

Two stages, as in pandoc's Docx reader: `parse` turns the archive into the intermediate
form of `intermediate` (after `archive` has checked it is a safe zip), and `convert`
maps that onto pages of HTML. Word elements supported:

- headings: a page per Heading 1 (``split = "h2"``: per Heading 1 and 2), the heading as
  page title; deeper headings become ``h2``..``h6`` without skipping a level; headings
  are recognised by style name ("heading N") or outline level;
- Title (the lesson title when none is given), Subtitle, Caption (a ``<caption>`` when
  it precedes a table), Quote (``<blockquote>``); tables of contents are dropped;
- paragraphs and runs: bold, italic, underline, strikethrough, subscript, superscript
  (direct or from character styles), line breaks, tabs, Symbol-font characters;
- bulleted and numbered lists from ``numbering.xml``, nested by level (``<ol type>`` for
  letters and Roman numerals, ``start`` when numbering continues);
- tables: header rows (``th scope="col"``), merged cells (``colspan``, ``rowspan``);
- pictures (DrawingML and VML) with Word's alt text; decorative pictures get
  ``alt=""``; large photos are downscaled (`images`); text boxes (their paragraphs and
  tables) are shown as an aside right after the paragraph they are anchored in;
- hyperlinks (``w:hyperlink`` and ``HYPERLINK`` fields): http, https and mailto only;
  links to bookmarks keep their text;
- footnotes and endnotes, numbered through the lesson, listed at the end of the page that
  cites them with a link back;
- equations (OMML) as native MathML (`omml`);
- tracked changes (insertions kept, deletions dropped), content controls, smart tags.

Reported, not shown: charts, SmartArt, Equation 3.0/MathType objects, linked pictures
(named by the file or address they point to), links to files. Refused with a hint: .doc
and .odt files (converted with LibreOffice when it is installed), damaged archives, zip
bombs, oversized pictures.
"""

from __future__ import annotations

import posixpath
import shutil
import subprocess
from pathlib import Path
from typing import Any

from scorm_builder.errors import CourseConfigError, SourceFileError
from scorm_builder.model import Language, LessonPart
from scorm_builder.readers.assets import read_course_file
from scorm_builder.readers.context import PartContext
from scorm_builder.readers.docx.archive import SAVE_AS_DOCX, refuse_other_format, sniff_format
from scorm_builder.readers.docx.convert import DocxLesson, Split, convert
from scorm_builder.readers.docx.parse import parse_docx
from scorm_builder.readers.format import ReaderFormat

__all__ = ["DocxLesson", "docx_title", "read_docx", "read_lesson_part"]

_CONVERT_TIMEOUT = 180


def read_docx(
    data: bytes,
    *,
    source: str,
    folder: str,
    split: str = "h1",
    title: str | None = None,
    language: Language = "kk",
) -> DocxLesson:
    """Read a .docx file's bytes into pages under ``folder``; no I/O.

    ``source`` names the file in messages. Raises `SourceFileError` for a file that is
    not a safe, readable .docx.
    """
    if split not in ("h1", "h2"):
        raise CourseConfigError(
            f"split = '{split}' is not known",
            file=source,
            hint='use split = "h1" (a page per Heading 1) or "h2" (per Heading 2)',
        )
    chosen: Split = "h1" if split == "h1" else "h2"
    document = parse_docx(data, source=source)
    return convert(
        document, source=source, folder=folder, split=chosen, title=title, language=language
    )


def read_lesson_part(table: dict[str, Any], context: PartContext) -> LessonPart:
    """The ``[[parts]] type = "lesson"`` reader: ``source``, optional ``title``, ``split``."""
    path = context.source_path(table)
    label = context.collector.source_label(path)
    data = read_course_file(path, label, None)
    kind = sniff_format(data)
    if kind in ("doc", "odt"):
        data = _converted(path, label, context)
    split = context.split or table.get("split", "h1")
    title = table.get("title")
    lesson = read_docx(
        data,
        source=label,
        folder=context.folder,
        split=str(split),
        title=title if isinstance(title, str) else None,
        language=context.language,
    )
    context.warnings.extend(lesson.warnings)
    return LessonPart(title=lesson.title, pages=lesson.pages, assets=lesson.assets, source=label)


def docx_title(path: Path) -> str | None:
    """The course title a single .docx gives: its Title paragraph or title property."""
    label = path.name
    document = parse_docx(read_course_file(path, label, None), source=label)
    return document.title or document.core_title or None


def libreoffice() -> str | None:
    """The LibreOffice program on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _converted(path: Path, label: str, context: PartContext) -> bytes:
    """A .doc/.odt file converted to .docx by LibreOffice, or the error saying how to."""
    program = libreoffice()
    if program is None:
        refuse_other_format(path.read_bytes(), label)
    assert program is not None
    out_dir = context.work_dir / f"docx-{context.index:02d}"
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = (context.work_dir / "libreoffice-profile").resolve().as_uri()
    command = [
        program,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--convert-to",
        "docx",
        "--outdir",
        str(out_dir),
        str(path),
    ]
    try:
        subprocess.run(command, capture_output=True, timeout=_CONVERT_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SourceFileError(
            f"LibreOffice could not convert the file to .docx ({error})",
            file=label,
            hint=SAVE_AS_DOCX,
        ) from None
    converted = out_dir / (path.stem + ".docx")
    if not converted.is_file():
        raise SourceFileError(
            "LibreOffice could not convert the file to .docx", file=label, hint=SAVE_AS_DOCX
        )
    context.warnings.append(
        f"{label}: converted from {posixpath.splitext(path.name)[1] or 'its format'} to .docx "
        "with LibreOffice; check the pages, and next time save the lesson as .docx"
    )
    return read_course_file(converted, label, None)


#: ``[[parts]] type = "lesson"``; .doc and .odt are read to be converted or explained.
FORMAT = ReaderFormat(
    type="lesson",
    read=read_lesson_part,
    what="a Word lesson",
    keys=("split",),
    suffixes=(".docx", ".doc", ".odt"),
    offered=(".docx",),
    order=0,
)
