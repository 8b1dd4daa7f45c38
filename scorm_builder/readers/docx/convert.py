"""Convert stage: a `DocxDocument` becomes pages of HTML, pictures and warnings.

Pages: a page per Heading 1 (``split="h2"``: per Heading 1 and Heading 2); the heading
text is the page title, which the page template shows as the page's ``h1``, so bodies
never hold an ``h1``: deeper headings move up (Heading 2 -> ``h2`` ...) and never skip a
level. Text before the first heading becomes a first page titled with the lesson title;
Word's Title paragraph is the lesson title and is not repeated.

All Word text is escaped; only markup made here reaches the page.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html import escape
from typing import Literal

from scorm_builder.errors import SourceFileError
from scorm_builder.model import Asset, Language, Page
from scorm_builder.readers.docx.images import ImageBombError, UnreadableImageError, prepare_image
from scorm_builder.readers.docx.intermediate import (
    Block,
    DocxDocument,
    FootnoteRef,
    Image,
    Inline,
    LineBreak,
    Link,
    ListItem,
    Math,
    Paragraph,
    Table,
    Text,
    TextBox,
)
from scorm_builder.readers.docx.omml import omml_to_string
from scorm_builder.readers.docx.styles import OL_TYPES, RunFormat
from scorm_builder.readers.docx.tables import render_table

Split = Literal["h1", "h2"]
SAFE_SCHEMES = ("http://", "https://", "mailto:")

_FOOTNOTE_LABELS: dict[str, tuple[str, str]] = {
    "kk": ("Ескертпелер", "Мәтінге оралу"),
    "ru": ("Сноски", "Вернуться к тексту"),
    "en": ("Footnotes", "Back to text"),
}
_UNSUPPORTED: dict[str, str] = {
    "old-equation": "an equation made with the old Equation Editor or MathType cannot be "
    "shown; retype it with Insert > Equation",
    "chart": "a chart cannot be shown; copy it and use Paste Special > Picture (PNG)",
    "smartart": "a SmartArt graphic cannot be shown; copy it and use Paste Special > Picture (PNG)",
    "linked-image": "a picture linked from outside the document is left out; "
    "insert it with Insert > Pictures > This Device",
    "object": "an embedded object cannot be shown; paste it as a picture instead",
}


@dataclass(frozen=True)
class DocxLesson:
    """A Word lesson read: its title, pages, pictures and what the teacher should check."""

    title: str
    pages: tuple[Page, ...]
    assets: tuple[Asset, ...]
    warnings: tuple[str, ...]


def lesson_title(document: DocxDocument, source: str) -> str:
    """Word's Title paragraph, else the document's title property, else the file name."""
    stem = posixpath.splitext(posixpath.basename(source.replace("\\", "/")))[0]
    return document.title or document.core_title or stem


def convert(
    document: DocxDocument,
    *,
    source: str,
    folder: str,
    split: Split = "h1",
    title: str | None = None,
    language: Language = "kk",
) -> DocxLesson:
    """Render the document as pages under ``folder``; pictures go to ``folder/media``."""
    lesson = _Lesson(document, source, folder, 1 if split == "h1" else 2, language)
    name = (title or "").strip() or lesson_title(document, source)
    pages: list[Page] = []
    for number, (page_title, blocks) in enumerate(_sections(document, name, lesson.split), 1):
        body = _PageWriter(lesson, page_title).render(blocks)
        pages.append(Page(page_title, f"{folder}/page-{number:02d}.html", body))
    warnings = tuple(f"{source}: {message}" for message in lesson.warnings)
    return DocxLesson(name, tuple(pages), tuple(lesson.assets), warnings)


def _has_content(block: Block) -> bool:
    if isinstance(block, Table):
        return True
    if isinstance(block, TextBox):
        return any(_has_content(inner) for inner in block.blocks)
    if block.kind in ("title", "toc"):
        return False
    return bool(block.plain_text) or any(
        isinstance(inline, Image | Math) for inline in block.inlines
    )


def _sections(
    document: DocxDocument, lesson_name: str, split: int
) -> list[tuple[str, list[Block]]]:
    sections: list[tuple[str, int, list[Block]]] = [(lesson_name, 0, [])]
    for block in document.blocks:
        if isinstance(block, Paragraph) and 1 <= block.heading <= split and block.plain_text:
            sections.append((" ".join(block.plain_text.split()), block.heading, []))
        else:
            sections[-1][2].append(block)
    kept: list[tuple[str, list[Block]]] = []
    for index, (section_title, level, blocks) in enumerate(sections):
        empty = not any(_has_content(block) for block in blocks)
        followed = index + 1 < len(sections)
        if empty and (level == 0 or (level < split and followed)):
            continue
        kept.append((section_title, blocks))
    return kept or [(lesson_name, [])]


@dataclass
class _Lesson:
    """State shared by the pages of one lesson: pictures, note numbers, warnings."""

    document: DocxDocument
    source: str
    folder: str
    split: int
    language: Language
    assets: list[Asset] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    images: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    note_numbers: dict[str, int] = field(default_factory=dict)

    def image_source(self, image: Image, page_title: str) -> tuple[str, int, int] | None:
        """``(src, width, height)`` of a picture, packaging it on first use."""
        if image.media in self.images:
            return self.images[image.media]
        try:
            prepared = prepare_image(image.data)
        except ImageBombError as error:
            raise SourceFileError(
                f"picture '{image.media}' on page '{page_title}' is too large to open "
                f"safely ({error})",
                file=self.source,
                hint="make the picture smaller (at most a few thousand pixels a side) and "
                "insert it again",
            ) from None
        except UnreadableImageError as error:
            self.warnings.append(
                f"picture '{image.media}' on page '{page_title}' cannot be shown in a "
                f"browser ({error}); save it as PNG or JPEG and insert it again"
            )
            return None
        number = len(self.assets) + 1
        name = f"media/image-{number:02d}.{prepared.extension}"
        self.assets.append(Asset(f"{self.folder}/{name}", prepared.data))
        self.images[image.media] = (name, prepared.width, prepared.height)
        return self.images[image.media]


class _PageWriter:
    """Writes the body of one page."""

    def __init__(self, lesson: _Lesson, title: str) -> None:
        self.lesson = lesson
        self.title = title
        self.heading_level = 1
        self.notes: list[tuple[int, str]] = []

    def warn(self, message: str) -> None:
        self.lesson.warnings.append(message)

    def render(self, blocks: list[Block]) -> str:
        body = self.blocks(blocks, in_cell=False)
        if self.notes:
            body += self.footnotes()
        return body

    # --- blocks ---------------------------------------------------------------------------

    def blocks(self, blocks: list[Block] | tuple[Block, ...], *, in_cell: bool) -> str:
        out: list[str] = []
        index = 0
        while index < len(blocks):
            block = blocks[index]
            if isinstance(block, Table):
                out.append(render_table(block, "", self.cell))
            elif isinstance(block, TextBox):
                out.append(self.text_box(block))
            elif block.list_item is not None:
                end = index
                while end < len(blocks):
                    candidate = blocks[end]
                    if not isinstance(candidate, Paragraph) or candidate.list_item is None:
                        break
                    end += 1
                out.append(self.list_html(blocks[index:end]))  # type: ignore[arg-type]
                index = end
                continue
            elif (
                block.kind == "caption"
                and index + 1 < len(blocks)
                and isinstance(blocks[index + 1], Table)
            ):
                table = blocks[index + 1]
                assert isinstance(table, Table)
                out.append(render_table(table, self.inlines(block.inlines), self.cell))
                index += 2
                continue
            else:
                out.append(self.paragraph(block, in_cell=in_cell))
            index += 1
        return "".join(out)

    def text_box(self, box: TextBox) -> str:
        """A text box as an aside where it is anchored. A ``div`` with the role ``note``
        rather than ``<aside>``: an aside inside the page's main content is a landmark out
        of place for screen readers (axe's best practice), a note is what a box is."""
        inner = self.blocks([b for b in box.blocks if _has_content(b)], in_cell=True)
        return f'<div class="text-box" role="note">{inner}</div>' if inner else ""

    def cell(self, blocks: tuple[Block, ...]) -> str:
        if len(blocks) == 1 and isinstance(blocks[0], Paragraph) and not blocks[0].list_item:
            return self.inlines(blocks[0].inlines).strip()
        return self.blocks([b for b in blocks if _has_content(b)], in_cell=True)

    def paragraph(self, paragraph: Paragraph, *, in_cell: bool) -> str:
        if paragraph.kind in ("title", "toc"):
            return ""
        content = self.inlines(paragraph.inlines).strip()  # also reports what it drops
        if not content:
            return ""
        if paragraph.heading and not in_cell:
            level = max(2, paragraph.heading - self.lesson.split + 1)
            level = min(level, self.heading_level + 1, 6)
            self.heading_level = level
            return f"<h{level}>{content}</h{level}>"
        if paragraph.kind == "quote":
            return f"<blockquote><p>{content}</p></blockquote>"
        if paragraph.kind in ("subtitle", "caption"):
            return f'<p class="{paragraph.kind}">{content}</p>'
        return f"<p>{content}</p>"

    def list_html(self, items: list[Paragraph]) -> str:
        out: list[str] = []
        stack: list[tuple[int, str, str]] = []  # (level, tag, numId)
        counters: dict[tuple[str, int], int] = {}
        for paragraph in items:
            item = paragraph.list_item
            assert item is not None
            tag = "ol" if item.ordered else "ul"
            while stack and stack[-1][0] > item.level:
                out.append(f"</li></{stack.pop()[1]}>")
            if stack and stack[-1][0] == item.level:
                if stack[-1][1] == tag and (stack[-1][2] == item.num_id or item.level > 0):
                    out.append("</li>")
                else:
                    out.append(f"</li></{stack.pop()[1]}>")
            if not stack or stack[-1][0] < item.level:
                out.append(self._open_list(item, tag, counters))
                stack.append((item.level, tag, item.num_id))
            counters[(item.num_id, item.level)] = counters.get((item.num_id, item.level), 0) + 1
            for key in [k for k in counters if k[0] == item.num_id and k[1] > item.level]:
                del counters[key]
            out.append(f"<li>{self.inlines(paragraph.inlines).strip()}")
        while stack:
            out.append(f"</li></{stack.pop()[1]}>")
        return "".join(out)

    def _open_list(self, item: ListItem, tag: str, counters: dict[tuple[str, int], int]) -> str:
        if tag == "ul":
            return "<ul>"
        attributes = ""
        list_type = OL_TYPES.get(item.number_format, "1")
        if list_type != "1":
            attributes += f' type="{list_type}"'
        start = item.start + counters.get((item.num_id, item.level), 0)
        if start != 1:
            attributes += f' start="{start}"'
        return f"<ol{attributes}>"

    # --- inlines --------------------------------------------------------------------------

    def inlines(self, inlines: tuple[Inline, ...]) -> str:
        out: list[str] = []
        pending: list[Text] = []
        for inline in inlines:
            if isinstance(inline, Text):
                if pending and pending[-1].format != inline.format:
                    out.append(_formatted(pending))
                    pending = []
                pending.append(inline)
                continue
            if pending:
                out.append(_formatted(pending))
                pending = []
            out.append(self.inline(inline))
        if pending:
            out.append(_formatted(pending))
        return "".join(out)

    def inline(self, inline: Inline) -> str:
        if isinstance(inline, Text):
            return _formatted([inline])
        if isinstance(inline, LineBreak):
            return "<br>"
        if isinstance(inline, Image):
            return self.image(inline)
        if isinstance(inline, Link):
            return self.link(inline)
        if isinstance(inline, FootnoteRef):
            return self.footnote_ref(inline)
        if isinstance(inline, Math):
            return omml_to_string(inline.omml, display=inline.display)
        what = _UNSUPPORTED.get(inline.kind, inline.kind)
        if inline.kind == "linked-image":
            what = f"the picture '{inline.name or '?'}' is linked from outside the document " + (
                "and left out; insert it with Insert > Pictures > This Device"
            )
        self.warn(f"page '{self.title}': {what}")
        return ""

    def image(self, image: Image) -> str:
        found = self.lesson.image_source(image, self.title)
        if found is None:
            return ""
        src, width, height = found
        if image.width and image.height:
            width, height = image.width, image.height
        alt = "" if image.decorative else (image.alt or "")
        if image.alt is None and not image.decorative:
            self.warn(
                f"picture '{image.media}' on page '{self.title}' has no alt text; pupils who "
                "use a screen reader will miss it (in Word: right-click the picture > "
                "View Alt Text, and describe it, or tick 'Mark as decorative')"
            )
        elif image.generated_alt and not image.decorative:
            self.warn(
                f"the alt text of picture '{image.media}' on page '{self.title}' was made "
                "automatically; check that it describes the picture"
            )
        return f'<img src="{escape(src)}" alt="{escape(alt)}" width="{width}" height="{height}">'

    def link(self, link: Link) -> str:
        content = self.inlines(link.children)
        target = link.target.strip()
        if not target:
            return content  # a link to a bookmark in the document: the pages are split
        if not target.lower().startswith(SAFE_SCHEMES):
            self.warn(
                f"page '{self.title}': the link to '{target}' is not a web or e-mail address; "
                "it is kept as plain text"
            )
            return content
        href = f"{target}#{link.anchor}" if link.anchor else target
        return f'<a href="{escape(href)}">{content}</a>'

    def footnote_ref(self, reference: FootnoteRef) -> str:
        notes = self.lesson.document.footnotes
        if reference.key not in notes:
            return ""
        numbers = self.lesson.note_numbers
        if reference.key in numbers:
            number = numbers[reference.key]
            return f'<sup><a href="#fn-{number}">{number}</a></sup>'
        number = numbers[reference.key] = len(numbers) + 1
        self.notes.append((number, reference.key))
        return f'<sup><a href="#fn-{number}" id="fnref-{number}">{number}</a></sup>'

    def footnotes(self) -> str:
        label, back = _FOOTNOTE_LABELS.get(self.lesson.language, _FOOTNOTE_LABELS["en"])
        start = self.notes[0][0]
        items: list[str] = []
        for number, key in self.notes:
            paragraphs = [
                self.inlines(block.inlines).strip()
                for block in self.lesson.document.footnotes[key]
                if isinstance(block, Paragraph) and _has_content(block)
            ] or [""]
            paragraphs[-1] += (
                f' <a href="#fnref-{number}" class="footnote-back" '
                f'aria-label="{escape(back)}">↩</a>'
            )
            content = "".join(f"<p>{text}</p>" for text in paragraphs)
            items.append(f'<li id="fn-{number}">{content}</li>')
        start_attribute = f' start="{start}"' if start != 1 else ""
        return (
            f'<section class="footnotes" aria-label="{escape(label)}">'
            f"<ol{start_attribute}>{''.join(items)}</ol></section>"
        )


def _formatted(texts: list[Text]) -> str:
    text = escape("".join(t.text for t in texts), quote=False)
    if not text:
        return ""
    style: RunFormat = texts[0].format
    for flag, tag in (
        (style.strike, "s"),
        (style.underline, "u"),
        (style.italic, "em"),
        (style.bold, "strong"),
    ):
        if flag:
            text = f"<{tag}>{text}</{tag}>"
    if style.vertical == "superscript":
        text = f"<sup>{text}</sup>"
    elif style.vertical == "subscript":
        text = f"<sub>{text}</sub>"
    return text
