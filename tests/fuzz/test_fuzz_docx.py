"""Fuzzing the Word reader: generated WordprocessingML in a real .docx (runs, fields,
tables, text boxes, pictures, equations, lists, notes, with hostile attribute values),
and damaged archives (bytes changed, cut short, entries replaced); every input ends in a
lesson or a clear ``SourceFileError``."""

from __future__ import annotations

import io
import zipfile
from functools import cache
from html import escape

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from samples.tools.lesson_docx import OMML_FRACTION, LessonDocx, png_bytes
from scorm_builder.errors import ScormError
from scorm_builder.readers.docx import read_docx
from tests.fuzz import assert_clear, fuzz_settings

#: How many tests share this target's budget of inputs (tests/fuzz/test_budget.py).
TESTS_IN_TARGET = 3
FUZZ = fuzz_settings(TESTS_IN_TARGET)

SOURCE = "fuzz.docx"
NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}
TAGS = (
    "w:p", "w:r", "w:t", "w:tbl", "w:tr", "w:tc", "w:tcPr", "w:gridSpan", "w:vMerge",
    "w:trPr", "w:tblHeader", "w:gridBefore", "w:pPr", "w:pStyle", "w:outlineLvl",
    "w:numPr", "w:ilvl", "w:numId", "w:rPr", "w:rStyle", "w:b", "w:i", "w:u", "w:strike",
    "w:vertAlign", "w:br", "w:cr", "w:tab", "w:ptab", "w:sym", "w:noBreakHyphen",
    "w:softHyphen", "w:fldChar", "w:instrText", "w:fldSimple", "w:hyperlink",
    "w:footnoteReference", "w:endnoteReference", "w:drawing", "wp:inline", "wp:anchor",
    "wp:docPr", "wp:extent", "a:graphic", "a:graphicData", "a:blip", "pic:pic", "wps:wsp",
    "wps:txbx", "w:txbxContent", "w:pict", "v:shape", "v:rect", "v:imagedata",
    "v:textbox", "w:object", "o:OLEObject", "w:sdt", "w:sdtPr", "w:docPartGallery",
    "w:sdtContent", "w:ins", "w:del", "w:moveTo", "w:smartTag", "w:customXml", "w:dir",
    "mc:AlternateContent", "mc:Choice", "mc:Fallback", "m:oMath", "m:oMathPara", "m:r",
    "m:t", "m:f", "m:num", "m:den", "m:rad", "m:deg", "m:degHide", "m:e", "m:sSub",
    "m:sSup", "m:sSubSup", "m:sPre", "m:sub", "m:sup", "m:nary", "m:naryPr", "m:chr",
    "m:limLoc", "m:d", "m:dPr", "m:begChr", "m:endChr", "m:sepChr", "m:m", "m:mr",
    "m:func", "m:fName", "m:acc", "m:accPr", "m:bar", "m:limLow", "m:limUpp", "m:lim",
    "m:box", "m:borderBox", "m:eqArr", "m:groupChr", "m:phant", "m:fPr", "m:type",
    "m:rPr", "m:sty", "m:nor", "w:bogus",
)  # fmt: skip
ATTRIBUTES = (
    "w:val", "w:id", "r:id", "r:embed", "r:link", "w:fldCharType", "w:instr", "w:char",
    "w:font", "cx", "cy", "descr", "title", "name", "w:type", "w:anchor", "m:val",
    "ProgID", "alt", "o:title", "uri", "w:ilvl", "Requires", "w:abstractNumId",
)  # fmt: skip
VALUES = (
    "", "0", "1", "-1", "2", "9", "10", "99999999999999999999", "1e400", "NaN", "rId1",
    "rId2", "rId3", "rId4", "rId5", "rId6", "rId7", "rId8", "rId9", "rId99", "restart",
    "continue", "begin", "separate", "end", 'HYPERLINK "http://example.kz"',
    'HYPERLINK \\l "bm"', "HYPERLINK", 'HYPERLINK "javascript:alert(1)"',
    'HYPERLINK "file:///etc/passwd"', "PAGE", "F020", "F0B1", "00", "zz", "FFFFFFFF",
    "Symbol", "Wingdings", "Heading1", "Heading9", "Title", "Subtitle", "Caption", "Quote",
    "TOC1", "ListBullet2", "ListNumber", "superscript", "subscript", "textWrapping",
    "page", "∑", "∫", "(", ")", "|", "Equation.3", "MathType", "Excel.Sheet",
    "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "http://schemas.openxmlformats.org/drawingml/2006/diagram",
    "http://schemas.openxmlformats.org/drawingml/2006/picture", "wps", "true", "false",
    "Table of Contents", "Қазақ тілі", "separator", "normal", "undOvr", "subSup", "bar",
    "<script>", "&amp;", "Description automatically generated",
)  # fmt: skip
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)


def _element(tag: str, attributes: list[tuple[str, str]], children: list[str]) -> str:
    attrs = "".join(f' {name}="{escape(value)}"' for name, value in dict(attributes).items())
    return f"<{tag}{attrs}>{''.join(children)}</{tag}>"


_LEAF = st.one_of(_TEXT.map(lambda text: escape(text, quote=False)), st.just(OMML_FRACTION))
_ATTRIBUTE_LIST = st.lists(st.tuples(st.sampled_from(ATTRIBUTES), st.sampled_from(VALUES)))
wordml = st.recursive(
    _LEAF,
    lambda inner: st.builds(
        _element,
        st.sampled_from(TAGS),
        _ATTRIBUTE_LIST.filter(lambda attributes: len(attributes) <= 3),
        st.lists(inner, max_size=4),
    ),
    max_leaves=40,
)


#: Parts of python-docx's template the reader never looks at; they only cost time.
_UNUSED = (
    "word/stylesWithEffects.xml", "word/settings.xml", "word/webSettings.xml",
    "word/fontTable.xml", "word/theme/theme1.xml", "docProps/thumbnail.jpeg",
    "docProps/app.xml", "customXml/item1.xml", "customXml/_rels/item1.xml.rels",
    "customXml/itemProps1.xml",
)  # fmt: skip
#: The styles the reader gives a meaning to, and the paragraphs' and runs' defaults.
_KEPT_STYLES = (
    "Normal", "Heading1", "Heading2", "Heading3", "Title", "Subtitle", "Caption", "Quote",
    "ListParagraph", "ListBullet2", "ListNumber", "TOC1", "Hyperlink", "FootnoteText",
    "TableGrid", "DefaultParagraphFont",
)  # fmt: skip


@cache
def base_entries() -> dict[str, bytes]:
    """A real lesson with a picture, a footnote, a link and a list, to hold the body;
    python-docx's template cut down to what the reader reads (a hundred times faster)."""
    data = (
        LessonDocx(core_title="Fuzz")
        .heading("Кіріспе")
        .paragraph("Мәтін")
        .picture(png_bytes(64, 48), alt="сурет")
        .footnote_paragraph("Күш", "Ньютон")
        .link_paragraph("Сілтеме ", "мұнда", "https://example.kz")
        .list_items([(0, "бір"), (1, "екі")], ordered=True)
        .bytes()
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist() if name not in _UNUSED}
    for rels in ("_rels/.rels", "word/_rels/document.xml.rels"):
        tree = etree.fromstring(entries[rels])
        for relationship in list(tree):
            target = relationship.get("Target", "").lstrip("/").replace("../", "")
            if any(unused.endswith(target) for unused in _UNUSED):
                tree.remove(relationship)
        entries[rels] = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    styles = etree.fromstring(entries["word/styles.xml"])
    for style in styles.findall(f"{{{NAMESPACES['w']}}}style"):
        if style.get(f"{{{NAMESPACES['w']}}}styleId") not in _KEPT_STYLES:
            styles.remove(style)
    entries["word/styles.xml"] = etree.tostring(styles, xml_declaration=True, encoding="UTF-8")
    return entries


def with_entry(name: str, blob: bytes) -> bytes:
    """The base lesson with entry ``name`` replaced by ``blob`` (added when missing)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for entry, data in base_entries().items():
            if entry != name:
                target.writestr(entry, data)
        target.writestr(name, blob)
    return out.getvalue()


@cache
def base_docx() -> bytes:
    """The base lesson as a .docx file."""
    return with_entry("word/document.xml", base_entries()["word/document.xml"])


def read(data: bytes, split: str = "h1") -> None:
    try:
        lesson = read_docx(data, source=SOURCE, folder="content/01-lesson", split=split)
    except ScormError as error:
        assert_clear(error, SOURCE)
        return
    assert lesson.pages and all(page.path.startswith("content/01-lesson/") for page in lesson.pages)
    assert all(warning.startswith(SOURCE) for warning in lesson.warnings)


@FUZZ
@given(st.lists(wordml, max_size=6), st.sampled_from(["h1", "h2"]))
def test_generated_wordml_in_the_body(blocks: list[str], split: str) -> None:
    declarations = "".join(f' xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:document{declarations}><w:body>{''.join(blocks)}</w:body></w:document>"
    ).encode()
    read(with_entry("word/document.xml", document), split)


_PARTS = (
    "word/document.xml", "word/styles.xml", "word/numbering.xml", "word/footnotes.xml",
    "word/_rels/document.xml.rels", "[Content_Types].xml", "docProps/core.xml",
    "word/media/image1.png",
)  # fmt: skip


@FUZZ
@given(st.sampled_from(_PARTS), st.binary(max_size=200))
def test_a_part_replaced_by_bytes(name: str, blob: bytes) -> None:
    read(with_entry(name, blob))


@FUZZ
@given(st.data())
def test_damaged_archive(data: st.DataObject) -> None:
    original = bytearray(base_docx())
    for _ in range(data.draw(st.integers(1, 8), label="changes")):
        at = data.draw(st.integers(0, len(original) - 1), label="at")
        original[at] = data.draw(st.integers(0, 255), label="byte")
    cut = data.draw(st.integers(1, len(original)), label="cut")
    read(bytes(original[:cut]))
