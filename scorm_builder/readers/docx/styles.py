"""Word's style sheet and list definitions, reduced to what the reader asks of them.

A paragraph is a heading when its style is called "heading N" (Word stores built-in
names in English whatever the interface language) or when its style chain gives it an
outline level. Its list comes from ``w:numPr`` on the paragraph or its style chain, and
``numbering.xml`` tells a bulleted level from a numbered one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from scorm_builder.readers.docx.names import is_on, qn

_HEADING_NAME = re.compile(r"^(?:heading|заголовок|тақырып)\s*([1-9])$")
#: numFmt -> the ``type`` attribute of ``<ol>``; formats not listed are plain decimal.
OL_TYPES: dict[str, str] = {
    "decimal": "1",
    "decimalZero": "1",
    "lowerLetter": "a",
    "upperLetter": "A",
    "lowerRoman": "i",
    "upperRoman": "I",
}


@dataclass(frozen=True)
class RunFormat:
    """Character formatting that carries meaning on a web page."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    vertical: str = "baseline"


@dataclass(frozen=True)
class ListLevel:
    """One level of a Word list: bulleted or numbered, and how it counts."""

    ordered: bool
    number_format: str
    start: int = 1


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    kind: str
    outline_level: int | None
    num_id: str | None
    num_level: int | None
    run_format: etree._Element | None


@dataclass
class StyleSheet:
    """Styles (by id) and list definitions (by ``numId``) of one document."""

    styles: dict[str, _Style] = field(default_factory=dict)
    default_paragraph: str | None = None
    lists: dict[str, dict[int, ListLevel]] = field(default_factory=dict)

    @classmethod
    def read(
        cls, styles_xml: etree._Element | None, numbering_xml: etree._Element | None
    ) -> StyleSheet:
        sheet = cls()
        if styles_xml is not None:
            for element in styles_xml.iterchildren(qn("w:style")):
                style_id = element.get(qn("w:styleId"), "")
                sheet.styles[style_id] = _read_style(element)
                is_default = element.get(qn("w:default")) in ("1", "true")
                if is_default and element.get(qn("w:type")) == "paragraph":
                    sheet.default_paragraph = style_id
        if numbering_xml is not None:
            sheet.lists = _read_numbering(numbering_xml)
        return sheet

    def name(self, style_id: str | None) -> str:
        """The lower-case name of a style (``heading 1``), or ``""``."""
        style = self.styles.get(style_id or self.default_paragraph or "")
        return style.name if style else ""

    def _chain(self, style_id: str | None) -> list[_Style]:
        chain: list[_Style] = []
        seen: set[str] = set()
        current = style_id or self.default_paragraph
        while current and current not in seen and current in self.styles:
            seen.add(current)
            chain.append(self.styles[current])
            current = self.styles[current].based_on
        return chain

    def heading_level(self, style_id: str | None, own_outline: int | None) -> int:
        """1..9 for a heading paragraph, 0 otherwise."""
        match = _HEADING_NAME.match(self.name(style_id))
        if match:
            return int(match.group(1))
        outline = own_outline
        if outline is None:
            outline = next(
                (s.outline_level for s in self._chain(style_id) if s.outline_level is not None),
                None,
            )
        return outline + 1 if outline is not None and 0 <= outline < 9 else 0

    def style_numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        """``(numId, ilvl)`` a paragraph style gives its paragraphs."""
        for style in self._chain(style_id):
            if style.num_id is not None:
                return style.num_id, style.num_level
        return None, None

    def list_level(self, num_id: str, level: int) -> ListLevel | None:
        levels = self.lists.get(num_id)
        if not levels:
            return None
        return levels.get(level) or ListLevel(ordered=False, number_format="bullet")

    def character_format(self, style_id: str | None, direct: etree._Element | None) -> RunFormat:
        """A run's formatting: its character style chain, then its own ``w:rPr``."""
        layers = [s.run_format for s in reversed(self._chain(style_id)) if s.kind == "character"]
        layers.append(direct)
        values: dict[str, object] = {}
        for layer in layers:
            if layer is None:
                continue
            for key, tag in (("bold", "w:b"), ("italic", "w:i"), ("strike", "w:strike")):
                found = layer.find(qn(tag))
                if found is not None:
                    values[key] = is_on(found)
            underline = layer.find(qn("w:u"))
            if underline is not None:
                values["underline"] = underline.get(qn("w:val"), "single") != "none"
            vertical = layer.find(qn("w:vertAlign"))
            if vertical is not None:
                values["vertical"] = vertical.get(qn("w:val"), "baseline")
        return RunFormat(
            bold=bool(values.get("bold", False)),
            italic=bool(values.get("italic", False)),
            underline=bool(values.get("underline", False)),
            strike=bool(values.get("strike", False)),
            vertical=str(values.get("vertical", "baseline")),
        )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _read_style(element: etree._Element) -> _Style:
    name_element = element.find(qn("w:name"))
    name = (name_element.get(qn("w:val"), "") if name_element is not None else "").lower()
    based = element.find(qn("w:basedOn"))
    ppr = element.find(qn("w:pPr"))
    outline = num_id = num_level = None
    if ppr is not None:
        outline_element = ppr.find(qn("w:outlineLvl"))
        if outline_element is not None:
            outline = _int(outline_element.get(qn("w:val")))
        num_pr = ppr.find(qn("w:numPr"))
        if num_pr is not None:
            num_id, num_level = read_num_pr(num_pr)
    return _Style(
        name=" ".join(name.split()),
        based_on=based.get(qn("w:val")) if based is not None else None,
        kind=element.get(qn("w:type"), "paragraph"),
        outline_level=outline,
        num_id=num_id,
        num_level=num_level,
        run_format=element.find(qn("w:rPr")),
    )


def read_num_pr(num_pr: etree._Element) -> tuple[str | None, int | None]:
    """``(numId, ilvl)`` of a ``w:numPr``; either may be missing."""
    num = num_pr.find(qn("w:numId"))
    level = num_pr.find(qn("w:ilvl"))
    return (
        num.get(qn("w:val")) if num is not None else None,
        _int(level.get(qn("w:val"))) if level is not None else None,
    )


def _read_level(lvl: etree._Element) -> ListLevel:
    fmt_element = lvl.find(qn("w:numFmt"))
    number_format = "decimal"
    if fmt_element is not None:
        number_format = fmt_element.get(qn("w:val"), "decimal")
    start_element = lvl.find(qn("w:start"))
    start = _int(start_element.get(qn("w:val"))) if start_element is not None else None
    return ListLevel(
        ordered=number_format not in ("bullet", "none"),
        number_format=number_format,
        start=start if start is not None else 1,
    )


def _read_numbering(numbering: etree._Element) -> dict[str, dict[int, ListLevel]]:
    abstract: dict[str, dict[int, ListLevel]] = {}
    for element in numbering.iterchildren(qn("w:abstractNum")):
        abstract[element.get(qn("w:abstractNumId"), "")] = {
            _int(lvl.get(qn("w:ilvl"))) or 0: _read_level(lvl)
            for lvl in element.iterchildren(qn("w:lvl"))
        }
    lists: dict[str, dict[int, ListLevel]] = {}
    for num in numbering.iterchildren(qn("w:num")):
        abstract_id = num.find(qn("w:abstractNumId"))
        key = abstract_id.get(qn("w:val"), "") if abstract_id is not None else ""
        levels = dict(abstract.get(key, {}))
        for override in num.iterchildren(qn("w:lvlOverride")):
            index = _int(override.get(qn("w:ilvl"))) or 0
            lvl = override.find(qn("w:lvl"))
            if lvl is not None:
                levels[index] = _read_level(lvl)
            start = override.find(qn("w:startOverride"))
            if start is not None and index in levels:
                old = levels[index]
                levels[index] = ListLevel(
                    old.ordered, old.number_format, _int(start.get(qn("w:val"))) or 1
                )
        lists[num.get(qn("w:numId"), "")] = levels
    return lists
