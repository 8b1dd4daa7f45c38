"""Word lessons built in code with python-docx, for the Word reader's tests and samples.

`LessonDocx` wraps a python-docx document and adds what python-docx has no API for:
multi-level lists in ``numbering.xml``, alt text on pictures, hyperlinks, footnotes,
header rows, equations written as raw OMML, text boxes and pictures linked from outside.
``LessonDocx().heading("...").bytes()`` is a whole .docx file.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Inches
from PIL import Image, ImageDraw

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ADEC_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
V_NS = "urn:schemas-microsoft-com:vml"
_BULLETS = ("•", "◦", "▪")
_ORDERED = ("decimal", "lowerLetter", "lowerRoman")

#: a = F / m, as Word writes it (Insert > Equation > Fraction).
OMML_FRACTION = (
    f'<m:oMath xmlns:m="{M_NS}"><m:r><m:t>a</m:t></m:r><m:r><m:t>=</m:t></m:r>'
    "<m:f><m:num><m:r><m:t>F</m:t></m:r></m:num><m:den><m:r><m:t>m</m:t></m:r></m:den></m:f>"
    "</m:oMath>"
)
#: F = sum of F_i for i = 1..n
OMML_SUM = (
    f'<m:oMath xmlns:m="{M_NS}"><m:r><m:t>F=</m:t></m:r>'
    '<m:nary><m:naryPr><m:chr m:val="∑"/><m:limLoc m:val="undOvr"/></m:naryPr>'
    "<m:sub><m:r><m:t>i=1</m:t></m:r></m:sub><m:sup><m:r><m:t>n</m:t></m:r></m:sup>"
    "<m:e><m:sSub><m:e><m:r><m:t>F</m:t></m:r></m:e><m:sub><m:r><m:t>i</m:t></m:r></m:sub>"
    "</m:sSub></m:e></m:nary></m:oMath>"
)
#: v = sqrt(2 g h)
OMML_ROOT = (
    f'<m:oMath xmlns:m="{M_NS}"><m:r><m:t>v=</m:t></m:r>'
    '<m:rad><m:radPr><m:degHide m:val="1"/></m:radPr><m:deg/>'
    "<m:e><m:r><m:t>2gh</m:t></m:r></m:e></m:rad></m:oMath>"
)


def png_bytes(width: int = 320, height: int = 200, text: str = "F = m·a") -> bytes:
    """A small diagram: a block, an arrow and a label."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((width // 8, height // 3, width // 2, 2 * height // 3), outline="navy", width=3)
    draw.line((width // 2, height // 2, 7 * width // 8, height // 2), fill="crimson", width=4)
    draw.polygon(
        [(7 * width // 8, height // 2 - 8), (7 * width // 8 + 14, height // 2),
         (7 * width // 8, height // 2 + 8)],
        fill="crimson",
    )  # fmt: skip
    draw.text((width // 8, height // 8), text, fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def photo_bytes(width: int = 3000, height: int = 2000, *, orientation: int = 1) -> bytes:
    """A photo-like JPEG (gradient and shapes) of the given size, as a phone would save it."""
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (gradient, gradient.rotate(90).resize((width, height)), gradient))
    draw = ImageDraw.Draw(image)
    for step in range(0, width, max(width // 12, 1)):
        draw.ellipse((step, height // 3, step + width // 14, height // 3 + width // 14),
                     outline="yellow", width=6)  # fmt: skip
    exif = Image.Exif()
    if orientation != 1:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


class LessonDocx:
    """A Word lesson being written; every method returns ``self`` so calls chain."""

    def __init__(self, *, core_title: str = "") -> None:
        self.document: Any = docx.Document()
        self.document.core_properties.title = core_title
        self._numbering = self.document.part.numbering_part.element
        self._next_num = 100
        self._footnotes: list[tuple[int, str]] = []
        self._shapes = 1000

    # --- text ---------------------------------------------------------------------------

    def title(self, text: str) -> LessonDocx:
        self.document.add_paragraph(text, style="Title")
        return self

    def heading(self, text: str, level: int = 1) -> LessonDocx:
        self.document.add_heading(text, level)
        return self

    def paragraph(self, *runs: str | tuple[str, str], style: str | None = None) -> LessonDocx:
        """Runs are text, or ``(text, flags)`` with flags from ``b i u sub sup``."""
        paragraph = self.document.add_paragraph(style=style)
        for run in runs:
            text, flags = (run, "") if isinstance(run, str) else run
            added = paragraph.add_run(text)
            words = flags.split()
            added.bold = "b" in words or None
            added.italic = "i" in words or None
            added.underline = "u" in words or None
            if "sub" in words:
                added.font.subscript = True
            if "sup" in words:
                added.font.superscript = True
        return self

    def list_items(self, items: list[tuple[int, str]], *, ordered: bool = False) -> LessonDocx:
        """A list whose items are ``(level, text)``; levels start at 0."""
        num_id = self._new_list(ordered)
        for level, text in items:
            paragraph = self.document.add_paragraph(text, style="List Paragraph")
            properties = paragraph._p.get_or_add_pPr()
            properties.append(
                parse_xml(
                    f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{level}"/>'
                    f'<w:numId w:val="{num_id}"/></w:numPr>'
                )
            )
        return self

    def _new_list(self, ordered: bool) -> int:
        self._next_num += 1
        number = self._next_num
        levels = "".join(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/>'
            f'<w:numFmt w:val="{_ORDERED[level] if ordered else "bullet"}"/>'
            f'<w:lvlText w:val="{f"%{level + 1}." if ordered else _BULLETS[level]}"/>'
            f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{720 * (level + 1)}" '
            'w:hanging="360"/></w:pPr></w:lvl>'
            for level in range(3)
        )
        abstract = parse_xml(
            f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{number}">'
            f'<w:multiLevelType w:val="hybridMultilevel"/>{levels}</w:abstractNum>'
        )
        first_num = self._numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self._numbering.append(abstract)
        self._numbering.append(
            parse_xml(
                f'<w:num xmlns:w="{W_NS}" w:numId="{number}">'
                f'<w:abstractNumId w:val="{number}"/></w:num>'
            )
        )
        return number

    # --- tables ---------------------------------------------------------------------------

    def table(
        self,
        rows: list[list[str]],
        *,
        caption: str = "",
        merge_down: tuple[int, int, int] | None = None,
        merge_across: tuple[int, int, int] | None = None,
        header_marked: bool = False,
    ) -> LessonDocx:
        """A table; ``merge_down=(column, first_row, last_row)``, ``merge_across=(row,
        first_column, last_column)`` merge cells as Word's Merge Cells does."""
        if caption:
            self.document.add_paragraph(caption, style="Caption")
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if text:
                    table.cell(r, c).text = text
        if merge_down:
            column, first, last = merge_down
            table.cell(first, column).merge(table.cell(last, column))
        if merge_across:
            row_index, first, last = merge_across
            table.cell(row_index, first).merge(table.cell(row_index, last))
        if header_marked:
            row_properties = table.rows[0]._tr.get_or_add_trPr()
            row_properties.append(parse_xml(f'<w:tblHeader xmlns:w="{W_NS}"/>'))
        return self

    # --- pictures, links, notes, equations -------------------------------------------------

    def picture(
        self, data: bytes, *, alt: str | None = None, decorative: bool = False, width: float = 3
    ) -> LessonDocx:
        """A picture in its own paragraph, with Word's alt text (``descr``) when given."""
        self.document.add_picture(io.BytesIO(data), width=Inches(width))
        properties = self.document.paragraphs[-1]._p.xpath(".//wp:docPr")[0]
        if alt is not None:
            properties.set("descr", alt)
        if decorative:
            properties.append(
                parse_xml(
                    '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
                    '<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
                    f'<adec:decorative xmlns:adec="{ADEC_NS}" val="1"/></a:ext></a:extLst>'
                )
            )
        return self

    def link_paragraph(self, before: str, text: str, url: str, after: str = "") -> LessonDocx:
        """A paragraph with a hyperlink in it, as Insert > Link writes it."""
        paragraph = self.document.add_paragraph(before)
        rel_id = self.document.part.relate_to(url, RT.HYPERLINK, is_external=True)
        paragraph._p.append(
            parse_xml(
                f'<w:hyperlink xmlns:w="{W_NS}" xmlns:r="{R_NS}" r:id="{rel_id}">'
                f'<w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>{_xml(text)}</w:t>'
                "</w:r></w:hyperlink>"
            )
        )
        if after:
            paragraph.add_run(after)
        return self

    def footnote_paragraph(self, text: str, note: str, after: str = "") -> LessonDocx:
        """A paragraph ending ``text`` with a footnote mark; ``note`` is the footnote."""
        note_id = len(self._footnotes) + 1
        self._footnotes.append((note_id, note))
        paragraph = self.document.add_paragraph(text)
        paragraph._p.append(
            parse_xml(
                f'<w:r xmlns:w="{W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:footnoteReference w:id="{note_id}"/></w:r>'
            )
        )
        if after:
            paragraph.add_run(after)
        return self

    def equation(self, omml: str, *, display: bool = True, before: str = "") -> LessonDocx:
        """An equation: on its own line (``m:oMathPara``) or inline after ``before``."""
        paragraph = self.document.add_paragraph(before)
        math = parse_xml(omml)
        if display:
            wrapper = parse_xml(f'<m:oMathPara xmlns:m="{M_NS}"/>')
            wrapper.append(math)
            math = wrapper
        paragraph._p.append(math)
        return self

    def text_box(
        self, before: str, paragraphs: list[str], table: list[list[str]] | None = None
    ) -> LessonDocx:
        """A paragraph ``before`` with a text box anchored in it, as Word 2010+ writes one:
        DrawingML (``wps``) with the legacy VML copy as the fallback; the box holds
        ``paragraphs`` and, when given, a ``table`` of rows of cell texts."""
        inner = "".join(f"<w:p><w:r><w:t>{_xml(text)}</w:t></w:r></w:p>" for text in paragraphs)
        if table:
            rows = "".join(
                "<w:tr>"
                + "".join(f"<w:tc><w:p><w:r><w:t>{_xml(c)}</w:t></w:r></w:p></w:tc>" for c in row)
                + "</w:tr>"
                for row in table
            )
            inner += f"<w:tbl>{rows}</w:tbl><w:p/>"
        content = f"<w:txbxContent>{inner}</w:txbxContent>"
        self.raw_paragraph(
            f"<w:r><w:t xml:space='preserve'>{_xml(before)}</w:t></w:r>"
            f'<w:r><mc:AlternateContent xmlns:mc="{MC_NS}"><mc:Choice Requires="wps">'
            f'<w:drawing><wp:anchor xmlns:wp="{WP_NS}"><wp:extent cx="1828800" cy="914400"/>'
            f'<wp:docPr id="{self._next_shape()}" name="Text Box"/><a:graphic xmlns:a="{A_NS}">'
            f'<a:graphicData uri="{WPS_NS}"><wps:wsp xmlns:wps="{WPS_NS}"><wps:txbx>'
            f"{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
            f'</mc:Choice><mc:Fallback><w:pict><v:rect xmlns:v="{V_NS}"><v:textbox>{content}'
            "</v:textbox></v:rect></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        )
        return self

    def linked_picture(self, target: str, *, attribute: str = "r:link") -> LessonDocx:
        """A picture Word shows from ``target`` outside the document (Insert > Pictures >
        Link to File): the relationship is external; ``attribute`` is ``r:link`` (Word) or
        ``r:embed`` (what some other editors write)."""
        rel_id = self.document.part.relate_to(target, RT.IMAGE, is_external=True)
        return self.raw_paragraph(
            f'<w:r><w:drawing><wp:inline xmlns:wp="{WP_NS}"><wp:extent cx="952500" '
            f'cy="952500"/><wp:docPr id="{self._next_shape()}" name="Linked picture"/>'
            f'<a:graphic xmlns:a="{A_NS}"><a:graphicData uri="{PIC_NS}">'
            f'<pic:pic xmlns:pic="{PIC_NS}"><pic:blipFill><a:blip {attribute}="{rel_id}"/>'
            "</pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        )

    def _next_shape(self) -> int:
        self._shapes += 1
        return self._shapes

    def raw_paragraph(self, inner_xml: str) -> LessonDocx:
        """A paragraph of raw WordprocessingML (``w``, ``r`` and ``m`` prefixes declared)."""
        self.document.element.body.insert(
            len(self.document.element.body) - 1,
            parse_xml(f'<w:p xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:m="{M_NS}">{inner_xml}</w:p>'),
        )
        return self

    # --- output ---------------------------------------------------------------------------

    def bytes(self) -> bytes:
        if self._footnotes:
            self._add_footnotes_part()
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()

    def _add_footnotes_part(self) -> None:
        notes = "".join(
            f'<w:footnote w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {_xml(text)}</w:t></w:r></w:p></w:footnote>'
            for note_id, text in self._footnotes
        )
        blob = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes '
            f'xmlns:w="{W_NS}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
            '<w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator"'
            ' w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
            f"{notes}</w:footnotes>"
        ).encode()
        part = Part(
            PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, self.document.part.package
        )
        self.document.part.relate_to(part, RT.FOOTNOTES)
        self._footnotes = []


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def replace_entry(data: bytes, name: str, blob: bytes) -> bytes:
    """The .docx ``data`` with entry ``name`` replaced (to damage a part on purpose)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, blob if info.filename == name else source.read(info))
    return out.getvalue()
