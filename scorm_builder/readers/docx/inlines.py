"""The inline content of one Word paragraph: runs, links, fields, pictures, notes, math.

Word hides a lot inside a paragraph: tracked changes (``w:ins`` kept, ``w:del`` dropped),
content controls, smart tags, fields (a ``HYPERLINK`` field is a link; any other field
shows its last result), ``mc:AlternateContent`` (the first choice is read), pictures in
DrawingML and in legacy VML (one linked from outside the document is reported by its
address), text boxes (handed to the block reader, which shows them as asides after the
paragraph), Symbol-font characters, and equations (``m:oMath`` inline, ``m:oMathPara`` on
its own line).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from lxml import etree

from scorm_builder.readers.docx.intermediate import (
    FootnoteRef,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    Text,
    Unsupported,
)
from scorm_builder.readers.docx.names import ADEC, CHART, qn
from scorm_builder.readers.docx.styles import RunFormat, StyleSheet

_EMU_PER_PIXEL = 9525
_GENERATED_ALT = re.compile(
    r"\s*(Description automatically generated|Автоматически созданное описание|"
    r"Описание создано автоматически)\.?\s*$",
    re.IGNORECASE,
)
_HYPERLINK_TARGET = re.compile(r'^\s*HYPERLINK\s+(?:"([^"]*)"|(\S+))?', re.IGNORECASE)
_HYPERLINK_ANCHOR = re.compile(r'\\l\s+(?:"([^"]*)"|(\S+))')
#: Symbol font code points (Insert > Symbol) that are not plain ASCII.
_SYMBOL_FONT: dict[int, str] = {
    **{0x41 + i: c for i, c in enumerate("ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ")},
    **{0x61 + i: c for i, c in enumerate("αβχδεφγηιϕκλμνοπθρστυϖωξψζ")},
    0x22: "∀", 0x24: "∃", 0x27: "∋", 0x2A: "∗", 0x2D: "−", 0x40: "≅", 0x5C: "∴",
    0x5E: "⊥", 0xA2: "′", 0xA3: "≤", 0xA5: "∞", 0xAB: "↔", 0xAC: "←", 0xAD: "↑",
    0xAE: "→", 0xAF: "↓", 0xB0: "°", 0xB1: "±", 0xB2: "″", 0xB3: "≥", 0xB4: "×",
    0xB5: "∝", 0xB6: "∂", 0xB7: "•", 0xB8: "÷", 0xB9: "≠", 0xBA: "≡", 0xBB: "≈",
    0xBC: "…", 0xC5: "⊕", 0xC6: "∅", 0xC7: "∩", 0xC8: "∪", 0xCE: "∈", 0xCF: "∉",
    0xD0: "∠", 0xD1: "∇", 0xD5: "∏", 0xD6: "√", 0xD7: "⋅", 0xD8: "¬", 0xD9: "∧",
    0xDA: "∨", 0xDB: "⇔", 0xDE: "⇒", 0xE5: "∑", 0xF2: "∫",
}  # fmt: skip
#: Elements whose children are read as if they stood in the paragraph itself.
_TRANSPARENT = frozenset(
    qn(tag) for tag in ("w:ins", "w:moveTo", "w:smartTag", "w:customXml", "w:dir", "w:bdo")
)


@dataclass(frozen=True)
class PartRels:
    """The relationships of the part being read: link addresses and pictures by ``r:id``."""

    links: Mapping[str, str] = field(default_factory=dict)
    images: Mapping[str, tuple[str, bytes]] = field(default_factory=dict)


@dataclass
class _Field:
    instruction: list[str] = field(default_factory=list)
    result: list[Inline] = field(default_factory=list)
    in_result: bool = False


@dataclass
class _Sink:
    items: list[Inline]
    field_depth: int


class InlineReader:
    """Reads the inlines of paragraphs of one part (document body, footnotes)."""

    def __init__(self, styles: StyleSheet, rels: PartRels, note_prefix: str = "") -> None:
        self.styles = styles
        self.rels = rels
        self.note_prefix = note_prefix
        self._fields: list[_Field] = []
        self._sinks: list[_Sink] = []
        self._boxes: list[etree._Element] = []

    def take_text_boxes(self) -> list[etree._Element]:
        """The ``w:txbxContent`` of the text boxes met since the last call, in reading order:
        the block reader shows each as an aside after the paragraph (``TextBox``)."""
        boxes, self._boxes = self._boxes, []
        return boxes

    def read(self, paragraph: etree._Element) -> tuple[Inline, ...]:
        saved_fields, saved_sinks = self._fields, self._sinks
        self._fields, self._sinks = [], [_Sink([], 0)]
        try:
            self._children(paragraph)
            while self._fields:
                self._end_field()
            return tuple(self._sinks[0].items)
        finally:
            self._fields, self._sinks = saved_fields, saved_sinks

    # --- emitting -------------------------------------------------------------------------

    def _emit(self, item: Inline) -> None:
        sink = self._sinks[-1]
        if len(self._fields) > sink.field_depth:
            current = self._fields[-1]
            if current.in_result:
                current.result.append(item)
            return
        sink.items.append(item)

    def _collect(self, element: etree._Element) -> tuple[Inline, ...]:
        self._sinks.append(_Sink([], len(self._fields)))
        try:
            self._children(element)
        finally:
            sink = self._sinks.pop()
        return tuple(sink.items)

    # --- paragraph level ------------------------------------------------------------------

    def _children(self, element: etree._Element) -> None:
        for child in element:
            self._paragraph_child(child)

    def _paragraph_child(self, child: etree._Element) -> None:
        tag = child.tag
        if tag == qn("w:r"):
            self._run(child)
        elif tag == qn("w:hyperlink"):
            self._hyperlink(child)
        elif tag == qn("w:fldSimple"):
            self._fields.append(_Field([child.get(qn("w:instr"), "")], in_result=True))
            self._children(child)
            self._end_field()
        elif tag in _TRANSPARENT:
            self._children(child)
        elif tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                self._children(content)
        elif tag == qn("m:oMath"):
            self._emit(Math(child, display=False))
        elif tag == qn("m:oMathPara"):
            for math in child.iter(qn("m:oMath")):
                self._emit(Math(math, display=True))
        elif tag == qn("mc:AlternateContent"):
            choice = child.find(qn("mc:Choice"))
            if choice is not None:
                self._children(choice)

    def _hyperlink(self, element: etree._Element) -> None:
        children = self._collect(element)
        rel_id = element.get(qn("r:id"))
        target = self.rels.links.get(rel_id, "") if rel_id else ""
        self._emit(Link(children, target=target, anchor=element.get(qn("w:anchor"), "")))

    # --- fields ---------------------------------------------------------------------------

    def _end_field(self) -> None:
        if not self._fields:
            return
        ended = self._fields.pop()
        instruction = "".join(ended.instruction)
        target = _HYPERLINK_TARGET.match(instruction)
        if target:
            anchor = _HYPERLINK_ANCHOR.search(instruction)
            self._emit(
                Link(
                    tuple(ended.result),
                    target=(target.group(1) or target.group(2) or "").strip(),
                    anchor=(anchor.group(1) or anchor.group(2) or "") if anchor else "",
                )
            )
            return
        for item in ended.result:
            self._emit(item)

    def _field_char(self, element: etree._Element) -> None:
        kind = element.get(qn("w:fldCharType"))
        if kind == "begin":
            self._fields.append(_Field())
        elif kind == "separate" and self._fields:
            self._fields[-1].in_result = True
        elif kind == "end":
            self._end_field()

    # --- runs -----------------------------------------------------------------------------

    def _run(self, run: etree._Element) -> None:
        properties = run.find(qn("w:rPr"))
        style = properties.find(qn("w:rStyle")) if properties is not None else None
        run_format = self.styles.character_format(
            style.get(qn("w:val")) if style is not None else None, properties
        )
        for child in run:
            self._run_child(child, run_format)

    def _run_child(self, child: etree._Element, run_format: RunFormat) -> None:
        tag = child.tag
        if tag == qn("w:t"):
            self._emit(Text(child.text or "", run_format))
        elif tag in (qn("w:tab"), qn("w:ptab")):
            self._emit(Text(" ", run_format))
        elif tag == qn("w:br"):
            if child.get(qn("w:type"), "textWrapping") == "textWrapping":
                self._emit(LineBreak())
        elif tag == qn("w:cr"):
            self._emit(LineBreak())
        elif tag == qn("w:noBreakHyphen"):
            self._emit(Text("\u2011", run_format))
        elif tag == qn("w:softHyphen"):
            self._emit(Text("\u00ad", run_format))
        elif tag == qn("w:sym"):
            self._emit(Text(_symbol(child), run_format))
        elif tag == qn("w:fldChar"):
            self._field_char(child)
        elif tag == qn("w:instrText"):
            if self._fields and not self._fields[-1].in_result:
                self._fields[-1].instruction.append(child.text or "")
        elif tag == qn("w:footnoteReference"):
            self._emit(FootnoteRef(f"{self.note_prefix}f{child.get(qn('w:id'), '')}"))
        elif tag == qn("w:endnoteReference"):
            self._emit(FootnoteRef(f"{self.note_prefix}e{child.get(qn('w:id'), '')}"))
        elif tag == qn("w:drawing"):
            self._drawing(child)
        elif tag == qn("w:pict"):
            self._vml(child, "")
        elif tag == qn("w:object"):
            self._ole(child)
        elif tag == qn("mc:AlternateContent"):
            choice = child.find(qn("mc:Choice"))
            if choice is not None:
                for grandchild in choice:
                    self._run_child(grandchild, run_format)

    # --- pictures -------------------------------------------------------------------------

    def _drawing(self, drawing: etree._Element) -> None:
        frame = next(iter(drawing), None)
        if frame is None:
            return
        properties = frame.find(qn("wp:docPr"))
        name, alt, decorative, generated = _alt_text(properties)
        extent = frame.find(qn("wp:extent"))
        width = height = None
        if extent is not None:
            width = _pixels(extent.get("cx"))
            height = _pixels(extent.get("cy"))
        blips = _outside_text_boxes(drawing.iter(qn("a:blip")), drawing)
        for blip in blips:
            embed = blip.get(qn("r:embed"))
            if embed and embed in self.rels.images:
                media, data = self.rels.images[embed]
                self._emit(Image(media, data, alt, decorative, width, height, generated))
            else:
                self._linked(embed, blip.get(qn("r:link")), name=name)
        if not blips:
            uris = [data.get("uri", "") for data in drawing.iter(qn("a:graphicData"))]
            if any(uri == CHART for uri in uris):
                self._emit(Unsupported("chart", name))
            elif any(uri.endswith("/diagram") for uri in uris):
                self._emit(Unsupported("smartart", name))
        self._text_boxes(drawing)

    def _linked(self, *rel_ids: str | None, name: str = "") -> None:
        """A picture Word shows from a file or address outside the document: reported by
        where it points (the teacher knows that path), else by the picture's name."""
        targets = [self.rels.links[rel] for rel in rel_ids if rel and rel in self.rels.links]
        if targets or any(rel_ids):
            self._emit(Unsupported("linked-image", targets[0] if targets else name))

    def _text_boxes(self, element: etree._Element) -> None:
        """Text boxes directly under ``element`` (not those inside another text box, which
        that box's own paragraphs bring along) are kept for the block reader."""
        self._boxes.extend(_outside_text_boxes(element.iter(qn("w:txbxContent")), element))

    def _vml(self, element: etree._Element, fallback_alt: str) -> None:
        for shape in _outside_text_boxes(element.iter(qn("v:shape"), qn("v:rect")), element):
            imagedata = shape.find(qn("v:imagedata"))
            rel_id = imagedata.get(qn("r:id")) if imagedata is not None else None
            if imagedata is not None and rel_id in self.rels.images:
                media, data = self.rels.images[rel_id or ""]
                alt = shape.get("alt") or imagedata.get(qn("o:title")) or fallback_alt or None
                self._emit(Image(media, data, alt))
            elif imagedata is not None:
                self._linked(rel_id, name=imagedata.get(qn("o:title")) or shape.get("id") or "")
        self._text_boxes(element)

    def _ole(self, element: etree._Element) -> None:
        ole = element.find(qn("o:OLEObject"))
        program = ole.get("ProgID", "") if ole is not None else ""
        if program.startswith("Equation") or "MathType" in program or "DSMT" in program:
            self._emit(Unsupported("old-equation", program))
        elif element.find(f".//{qn('v:imagedata')}") is not None:
            self._vml(element, program)
        else:
            self._emit(Unsupported("object", program))


def _outside_text_boxes(
    found: Iterator[etree._Element], root: etree._Element
) -> list[etree._Element]:
    """The elements of ``found`` that no ``w:txbxContent`` below ``root`` holds."""
    box = qn("w:txbxContent")
    kept: list[etree._Element] = []
    for element in found:
        ancestor = element.getparent()
        while ancestor is not None and ancestor is not root and ancestor.tag != box:
            ancestor = ancestor.getparent()
        if ancestor is None or ancestor is root:
            kept.append(element)
    return kept


def _pixels(emu: str | None) -> int | None:
    try:
        value = round(int(emu or "") / _EMU_PER_PIXEL)
    except ValueError:
        return None
    return value if value > 0 else None


def _alt_text(properties: etree._Element | None) -> tuple[str, str | None, bool, bool]:
    """``(name, alt, decorative, generated)`` from a ``wp:docPr``."""
    if properties is None:
        return "", None, False, False
    decorative = any(
        element.get("val", "1") in ("1", "true")
        for element in properties.iter(f"{{{ADEC}}}decorative")
    )
    alt = (properties.get("descr") or properties.get("title") or "").strip()
    generated = bool(_GENERATED_ALT.search(alt))
    if generated:
        alt = _GENERATED_ALT.sub("", alt).strip()
    return properties.get("name", ""), alt or None, decorative, generated


def _symbol(element: etree._Element) -> str:
    font = (element.get(qn("w:font")) or "").lower()
    try:
        code = int(element.get(qn("w:char")) or "", 16)
    except ValueError:
        return ""
    if code >= 0xF000:
        code -= 0xF000
    if font == "symbol":
        return _SYMBOL_FONT.get(code, chr(code) if 0x20 <= code < 0x7F else "")
    if font.startswith(("wingdings", "webdings")):
        return ""
    return chr(code) if code >= 0x20 else ""
