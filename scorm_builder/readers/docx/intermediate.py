"""The intermediate form of a Word document: what `parse` finds and `convert` renders.

Plain frozen values, no python-docx: the convert stage and its tests need nothing else.
Only equations keep their OMML element, which `omml` turns into MathML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from scorm_builder.readers.docx.styles import RunFormat


@dataclass(frozen=True)
class Text:
    """Characters with one formatting."""

    text: str
    format: RunFormat = RunFormat()


@dataclass(frozen=True)
class LineBreak:
    """A manual line break (Shift+Enter)."""


@dataclass(frozen=True)
class Image:
    """A picture: ``media`` is its name in the archive (``image1.png``) for messages.

    ``alt`` is None when Word has no alt text; ``decorative`` images need none.
    """

    media: str
    data: bytes
    alt: str | None
    decorative: bool = False
    width: int | None = None
    height: int | None = None
    generated_alt: bool = False


@dataclass(frozen=True)
class Unsupported:
    """Something Word shows that a web page cannot: a chart, an old Equation 3.0 object."""

    kind: str
    name: str = ""


@dataclass(frozen=True)
class Link:
    """A hyperlink: ``target`` is the address (external), ``anchor`` a bookmark (internal)."""

    children: tuple[Inline, ...]
    target: str = ""
    anchor: str = ""


@dataclass(frozen=True)
class FootnoteRef:
    """A footnote (or endnote) mark; ``key`` finds the note in `DocxDocument.footnotes`."""

    key: str


@dataclass(frozen=True)
class Math:
    """An equation: one ``m:oMath`` element; ``display`` for an equation on its own line."""

    omml: etree._Element
    display: bool


Inline = Text | LineBreak | Image | Unsupported | Link | FootnoteRef | Math


@dataclass(frozen=True)
class ListItem:
    """Where a paragraph sits in a Word list."""

    num_id: str
    level: int
    ordered: bool
    number_format: str
    start: int = 1


ParagraphKind = Literal["body", "title", "subtitle", "caption", "quote", "toc"]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``heading`` is Word's level 1..9, or 0 for body text."""

    inlines: tuple[Inline, ...]
    heading: int = 0
    list_item: ListItem | None = None
    kind: ParagraphKind = "body"

    @property
    def plain_text(self) -> str:
        return "".join(plain_text(inline) for inline in self.inlines).strip()


@dataclass(frozen=True)
class Cell:
    """A table cell: ``colspan`` from ``w:gridSpan``, ``merge`` from ``w:vMerge``."""

    blocks: tuple[Block, ...]
    colspan: int = 1
    merge: Literal["", "restart", "continue"] = ""


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    header: bool = False
    skipped_columns: int = 0


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class TextBox:
    """A Word text box (or a shape holding text) with its own paragraphs and tables.

    Word floats it beside the text; a web page has no such place, so it is shown as an
    aside right after the paragraph it is anchored in, which is where a reader meets it.
    """

    blocks: tuple[Block, ...]


Block = Paragraph | Table | TextBox


@dataclass(frozen=True)
class DocxDocument:
    """A whole document: its body, its notes, and the titles Word knows for it."""

    blocks: tuple[Block, ...]
    footnotes: Mapping[str, tuple[Block, ...]] = field(default_factory=dict)
    title: str = ""
    core_title: str = ""
    warnings: tuple[str, ...] = ()


def plain_text(inline: Inline) -> str:
    """The text of an inline as a reader sees it, for titles and messages."""
    if isinstance(inline, Text):
        return inline.text
    if isinstance(inline, LineBreak):
        return " "
    if isinstance(inline, Link):
        return "".join(plain_text(child) for child in inline.children)
    if isinstance(inline, Math):
        return "".join(str(t) for t in inline.omml.itertext())
    return ""
