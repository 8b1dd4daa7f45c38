"""Parse stage: a .docx archive becomes a `DocxDocument` (see `intermediate`).

python-docx opens the package (after `archive` has checked it) and resolves parts and
relationships; the body, footnotes and endnotes are walked here as WordprocessingML,
because python-docx has no API for fields, equations, alt text or notes.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from scorm_builder.readers.docx.archive import open_document
from scorm_builder.readers.docx.inlines import InlineReader, PartRels
from scorm_builder.readers.docx.intermediate import (
    Block,
    Cell,
    DocxDocument,
    ListItem,
    Paragraph,
    ParagraphKind,
    Row,
    Table,
    TextBox,
)
from scorm_builder.readers.docx.names import is_on, qn
from scorm_builder.readers.docx.styles import StyleSheet, read_num_pr
from scorm_builder.xmlsafe import parse_xml

__all__ = ["parse_docx"]

_LIST_STYLE_LEVEL = re.compile(r"^list (?:bullet|number|continue) ([2-9])$")
_KINDS: dict[str, ParagraphKind] = {
    "title": "title",
    "subtitle": "subtitle",
    "caption": "caption",
    "quote": "quote",
    "intense quote": "quote",
}


def parse_docx(data: bytes, *, source: str) -> DocxDocument:
    """Read a .docx file's bytes into the intermediate form; `SourceFileError` if unsafe."""
    document = open_document(data, source)
    main = document.part
    sheet = StyleSheet.read(_related_xml(main, RT.STYLES), _related_xml(main, RT.NUMBERING))
    body = _Blocks(sheet, InlineReader(sheet, _part_rels(main)))
    blocks = body.read(document.element.body)
    notes: dict[str, tuple[Block, ...]] = {}
    for reltype, prefix, tag in (
        (RT.FOOTNOTES, "f", "w:footnote"),
        (RT.ENDNOTES, "e", "w:endnote"),
    ):
        notes.update(_notes(main, reltype, prefix, tag, sheet))
    title = next(
        (b.plain_text for b in blocks if isinstance(b, Paragraph) and b.kind == "title"), ""
    )
    core_title = (document.core_properties.title or "").strip()
    return DocxDocument(blocks, notes, title=title, core_title=core_title)


def _part_rels(part: Any) -> PartRels:
    links: dict[str, str] = {}
    images: dict[str, tuple[str, bytes]] = {}
    for rel_id, rel in part.rels.items():
        if rel.is_external:
            links[rel_id] = rel.target_ref
        elif rel.reltype == RT.IMAGE:
            target = rel.target_part
            images[rel_id] = (str(target.partname).rpartition("/")[2], target.blob)
    return PartRels(links, images)


def _related(part: Any, reltype: str) -> Any | None:
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return rel.target_part
    return None


def _related_xml(part: Any, reltype: str) -> etree._Element | None:
    target = _related(part, reltype)
    if target is None:
        return None
    element = getattr(target, "element", None)
    if isinstance(element, etree._Element):
        return element
    return parse_xml(target.blob, source=str(target.partname)).getroot()


def _notes(
    main: Any, reltype: str, prefix: str, tag: str, sheet: StyleSheet
) -> dict[str, tuple[Block, ...]]:
    part = _related(main, reltype)
    if part is None:
        return {}
    root = parse_xml(part.blob, source=str(part.partname)).getroot()
    reader = _Blocks(sheet, InlineReader(sheet, _part_rels(part)))
    notes: dict[str, tuple[Block, ...]] = {}
    for note in root.iterchildren(qn(tag)):
        if note.get(qn("w:type"), "normal") != "normal":
            continue  # separators and continuation notices
        notes[f"{prefix}{note.get(qn('w:id'), '')}"] = reader.read(note)
    return notes


class _Blocks:
    """Reads paragraphs and tables of a body, cell, note or content control."""

    def __init__(self, sheet: StyleSheet, inlines: InlineReader) -> None:
        self.sheet = sheet
        self.inlines = inlines

    def read(self, container: etree._Element) -> tuple[Block, ...]:
        blocks: list[Block] = []
        for child in container:
            if child.tag == qn("w:p"):
                blocks.append(self.paragraph(child))
                blocks.extend(self.text_boxes())
            elif child.tag == qn("w:tbl"):
                blocks.append(self.table(child))
            elif child.tag == qn("w:sdt"):
                if not _is_table_of_contents(child):
                    content = child.find(qn("w:sdtContent"))
                    if content is not None:
                        blocks.extend(self.read(content))
            elif child.tag in (qn("w:customXml"), qn("w:ins"), qn("w:moveTo")):
                blocks.extend(self.read(child))
        return tuple(blocks)

    def text_boxes(self) -> list[TextBox]:
        """The text boxes of the paragraph just read, each with its own paragraphs and
        tables (a box inside a box comes along inside it)."""
        return [TextBox(self.read(box)) for box in self.inlines.take_text_boxes()]

    def paragraph(self, element: etree._Element) -> Paragraph:
        properties = element.find(qn("w:pPr"))
        style_id: str | None = None
        own_outline: int | None = None
        num_id, level = None, None
        if properties is not None:
            style = properties.find(qn("w:pStyle"))
            style_id = style.get(qn("w:val")) if style is not None else None
            outline = properties.find(qn("w:outlineLvl"))
            if outline is not None and (outline.get(qn("w:val")) or "").isdigit():
                own_outline = int(outline.get(qn("w:val"), "9"))
            num_pr = properties.find(qn("w:numPr"))
            if num_pr is not None:
                num_id, level = read_num_pr(num_pr)
        style_num, style_level = self.sheet.style_numbering(style_id)
        num_id = num_id if num_id is not None else style_num
        name = self.sheet.name(style_id)
        if level is None and style_level is None:
            # Word's "List Bullet 2" is a list of its own, indented like a second level
            numbered_style = _LIST_STYLE_LEVEL.match(name)
            style_level = int(numbered_style.group(1)) - 1 if numbered_style else 0
        level = level if level is not None else (style_level or 0)
        kind: ParagraphKind = "toc" if name.startswith("toc ") else _KINDS.get(name, "body")
        heading = 0 if kind != "body" else self.sheet.heading_level(style_id, own_outline)
        item = None
        if num_id and num_id != "0" and not heading:
            definition = self.sheet.list_level(num_id, level)
            if definition is not None:
                item = ListItem(
                    num_id, level, definition.ordered, definition.number_format, definition.start
                )
        return Paragraph(self.inlines.read(element), heading, item, kind)

    def table(self, element: etree._Element) -> Table:
        rows: list[Row] = []
        for row in element.iterchildren(qn("w:tr")):
            properties = row.find(qn("w:trPr"))
            header = properties is not None and is_on(properties.find(qn("w:tblHeader")))
            skipped = 0
            if properties is not None:
                before = properties.find(qn("w:gridBefore"))
                value = before.get(qn("w:val"), "0") if before is not None else "0"
                skipped = int(value) if value.isdigit() else 0
            cells = tuple(self.cell(cell) for cell in _cells_of(row))
            rows.append(Row(cells, header, skipped))
        return Table(tuple(rows))

    def cell(self, element: etree._Element) -> Cell:
        properties = element.find(qn("w:tcPr"))
        colspan = 1
        merge: Literal["", "restart", "continue"] = ""
        if properties is not None:
            span = properties.find(qn("w:gridSpan"))
            value = span.get(qn("w:val"), "1") if span is not None else "1"
            colspan = max(1, int(value)) if value.isdigit() else 1
            vmerge = properties.find(qn("w:vMerge"))
            if vmerge is not None:
                merge = "restart" if vmerge.get(qn("w:val")) == "restart" else "continue"
        return Cell(self.read(element), colspan, merge)


def _cells_of(row: etree._Element) -> list[etree._Element]:
    cells: list[etree._Element] = []
    for child in row:
        if child.tag == qn("w:tc"):
            cells.append(child)
        elif child.tag in (qn("w:sdt"), qn("w:customXml")):
            content = child.find(qn("w:sdtContent")) if child.tag == qn("w:sdt") else child
            if content is not None:
                cells.extend(content.iterchildren(qn("w:tc")))
    return cells


def _is_table_of_contents(sdt: etree._Element) -> bool:
    for gallery in sdt.iter(qn("w:docPartGallery")):
        if "Table of Contents" in (gallery.get(qn("w:val")) or ""):
            return True
    return False
