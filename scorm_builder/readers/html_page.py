"""HTML reader: a page the teacher wrote as HTML becomes an ``HtmlPart``.

Supported: a whole document or a fragment in UTF-8; its local images, media, captions,
stylesheets (followed for ``url()``), scripts and linked files are packaged under ASCII
names and every reference is rewritten; links to other pages of the course follow those
pages; ``<style>``, stylesheet links and scripts of ``<head>`` are kept. Resources from the
internet are kept but reported, since the package then does not work offline.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from scorm_builder.errors import SourceFileError
from scorm_builder.model import LessonPart, Page
from scorm_builder.readers.assets import AssetCollector, is_local, is_remote, read_course_file
from scorm_builder.readers.context import PartContext
from scorm_builder.readers.format import ReaderFormat
from scorm_builder.readers.textfile import decode_utf8

#: element -> attributes that load a file
_LOADING_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "img": ("src",),
    "source": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "script": ("src",),
    "link": ("href",),
    "object": ("data",),
    "embed": ("src",),
    "iframe": ("src",),
    "input": ("src",),
}
_SRCSET_ELEMENTS = ("img", "source")
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
_MAX_PAGE_BYTES = 20 * 1024 * 1024


def read_html_part(table: dict[str, Any], context: PartContext) -> LessonPart:
    """Read one ``type = "html"`` part of ``course.toml``: a lesson of one page."""
    source = context.source_path(table)
    collector, warnings = context.collector, context.warnings
    label = collector.source_label(source)
    page_path = collector.package_path_for(source)
    text = decode_utf8(read_course_file(source, label, None), label)
    if len(text) > _MAX_PAGE_BYTES:
        raise SourceFileError("the page is larger than 20 MB", file=label)
    document = _parse(text, label)
    page = _Page(source, page_path, collector, warnings, text.splitlines())
    head = _head_markup(document, page)
    body = document.find("body")
    if body is None:
        raise SourceFileError("the page has no body", file=label, hint="write the page as HTML")
    _rewrite_references(body, page)
    title = table.get("title")
    if not isinstance(title, str) or not title.strip():
        title = _title_of(document) or source.stem
    lesson_page = Page(
        title=title.strip(),
        path=page_path,
        body=_inner_html(body),
        head=head,
        has_h1=body.find(".//h1") is not None,
    )
    return LessonPart(
        title=lesson_page.title,
        pages=(lesson_page,),
        assets=collector.take_assets(),
        source=label,
    )


@dataclass
class _Page:
    """The page being read: where it is, where it goes, and its lines for messages."""

    source: Path
    path: str
    collector: AssetCollector
    warnings: list[str]
    lines: list[str]

    def line_of(self, value: str, element_line: int | None) -> int | None:
        """The line holding ``value``: libxml2 reports where a start tag ends, not the attribute."""
        if element_line is None:
            return None
        for number in range(min(element_line, len(self.lines)), max(element_line - 20, 0), -1):
            if value in self.lines[number - 1]:
                return number
        return element_line


def _parse(text: str, label: str) -> etree._Element:
    if not text.strip():
        raise SourceFileError("the page is empty", file=label, line=1, hint="write the lesson text")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise SourceFileError(f"the page cannot be read as HTML: {error}", file=label) from None


def _title_of(document: etree._Element) -> str | None:
    for path in (".//h1", ".//title"):
        element = document.find(path)
        if element is not None:
            text = str(element.xpath("string()")).strip()
            if text:
                return text
    return None


def _head_markup(document: etree._Element, page: _Page) -> str:
    head = document.find("head")
    if head is None:
        return ""
    kept = [
        element
        for element in head
        if element.tag in ("style", "script")
        or (element.tag == "link" and "stylesheet" in (element.get("rel") or "").lower())
    ]
    for element in kept:
        _rewrite_element(element, page)
    return "\n".join(lxml.html.tostring(element, encoding="unicode").strip() for element in kept)


def _rewrite_references(body: etree._Element, page: _Page) -> None:
    for element in body.iter():
        if isinstance(element.tag, str):
            _rewrite_element(element, page)


def _rewrite_element(element: etree._Element, page: _Page) -> None:
    tag = element.tag
    source, page_path, collector, warnings = page.source, page.path, page.collector, page.warnings
    label = collector.source_label(source)
    element_line: int | None = element.sourceline  # type: ignore[assignment]
    line = element_line
    for attribute in _LOADING_ATTRIBUTES.get(tag, ()):
        value = element.get(attribute)
        if value is None:
            continue
        line = page.line_of(value, element_line)
        if is_remote(value):
            warnings.append(
                f'{label}:{line}: <{tag} {attribute}="{value}"> is loaded from the internet; '
                "the package will not show it offline"
            )
        elif is_local(value):
            element.set(attribute, collector.link(value, source, page_path, line))
    if tag in _SRCSET_ELEMENTS and element.get("srcset"):
        element.set(
            "srcset", _rewrite_srcset(element.get("srcset", ""), source, page_path, collector, line)
        )
    if tag == "a" and element.get("href") and is_local(element.get("href", "")):
        line = page.line_of(element.get("href", ""), element_line)
        element.set(
            "href", _rewrite_link(element.get("href", ""), source, page_path, collector, line)
        )
    if tag == "img" and element.get("alt") is None:
        warnings.append(
            f"{label}:{line}: image '{element.get('src', '')}' has no alt text; "
            'pupils who use a screen reader will miss it (add alt="..." describing the image)'
        )
    if tag == "style" and element.text:
        element.text = collector.rewrite_css_text(element.text, source, page_path)
    if element.get("style"):
        element.set(
            "style", collector.rewrite_css_text(element.get("style", ""), source, page_path)
        )


def _rewrite_srcset(
    srcset: str, source: Path, page_path: str, collector: AssetCollector, line: int | None
) -> str:
    candidates = []
    for candidate in srcset.split(","):
        words = candidate.strip().split()
        if words and is_local(words[0]):
            words[0] = collector.link(words[0], source, page_path, line)
        candidates.append(" ".join(words))
    return ", ".join(candidates)


def _rewrite_link(
    href: str, source: Path, page_path: str, collector: AssetCollector, line: int | None
) -> str:
    """Links to another page of the course follow that page; other local files are packaged."""
    target = collector.resolve(href, source, line)
    if target in collector.page_sources:
        target_path = collector.package_path_for(target)
        return posixpath.relpath(target_path, posixpath.dirname(page_path))
    if target.suffix.lower() in _PAGE_SUFFIXES:
        collector.warnings.append(
            f"{collector.source_label(source)}:{line}: '{href}' links to a page that is not a part "
            "of the course; it is packaged as it is (add it to course.toml as a part to render it)"
        )
    return collector.link(href, source, page_path, line)


def _inner_html(element: etree._Element) -> str:
    text = str(lxml.html.tostring(element, encoding="unicode", method="html"))
    start = text.index(">") + 1
    end = text.rindex("</")
    return text[start:end].strip()


#: ``[[parts]] type = "html"``; ``sandyq build page.html`` too. Not offered by the
#: catalogue's form, which uploads files, not a page with the pictures beside it.
FORMAT = ReaderFormat(
    type="html",
    read=read_html_part,
    what="an HTML page",
    suffixes=(".html", ".htm"),
    order=1,
)
