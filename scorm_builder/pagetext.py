"""The words pupils read in a package: the visible text of its HTML pages, for the
catalogue's search index and the offline library's search keys.

A package is a stranger's zip even once stored, so it is read through
``scorm_builder.zipsafe`` (each entry inflated through its counted stream, never more than
``MAX_PAGE_BYTES``) and parsed by lxml's HTML parser with no network. Script, style and
template contents are not text anyone reads. The text is bounded (``MAX_TEXT_BYTES`` of
UTF-8): the first pages of a long course say what it is about, and a tsvector holds at
most 1 MB.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from lxml import etree, html

from scorm_builder.errors import ScormError
from scorm_builder.zipsafe import SafeZip

MAX_TEXT_BYTES = 200_000
MAX_PAGE_BYTES = 4 * 1024 * 1024
PAGES = (".html", ".htm", ".xhtml")
#: Elements whose content is not read: code, styles, and what is never shown.
HIDDEN = ("script", "style", "noscript", "template", "head", "svg", "math")
_SPACE = re.compile(r"\s+")


def _parser() -> html.HTMLParser:
    return html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, recover=True, huge_tree=False
    )


def page_text(data: bytes) -> str:
    """The visible text of one HTML page, its white space collapsed."""
    try:
        root = html.document_fromstring(data, parser=_parser())
    except (etree.ParserError, ValueError):
        return ""
    for element in list(root.iter(*HIDDEN)):
        if isinstance(element, html.HtmlElement) and element.getparent() is not None:
            element.drop_tree()  # its tail, the text after it, stays
    words = " ".join(str(part) for part in root.itertext())
    return _SPACE.sub(" ", words).strip()


def package_text(path: Path, limit: int = MAX_TEXT_BYTES) -> str:
    """The text of every HTML page of the package at ``path``, in the order of their
    names, at most ``limit`` bytes of UTF-8 (cut between words)."""
    try:
        archive = SafeZip.open(path, scan=False)
    except ScormError:
        return ""
    if archive.archive_unsafe:
        return ""

    def pages() -> Iterator[tuple[str, bytes]]:
        for name in archive.names:
            if is_page(name) and not archive.unsafe(name):
                try:
                    yield name, archive.read(name, MAX_PAGE_BYTES)
                except (ScormError, KeyError, OSError):
                    continue

    return pages_text(pages(), limit)


def is_page(name: str) -> bool:
    return name.lower().endswith(PAGES)


def pages_text(pages: Iterable[tuple[str, bytes]], limit: int = MAX_TEXT_BYTES) -> str:
    """The text of these HTML pages (name, bytes), in the order of their names, at most
    ``limit`` bytes of UTF-8: for a reader that has the pages' bytes at hand already."""
    parts: list[str] = []
    size = 0
    for _, data in sorted(pages, key=lambda page: page[0]):
        text = page_text(data)
        if text:
            parts.append(text)
            size += len(text.encode("utf-8")) + 1
        if size > limit:
            break
    return _bounded(" ".join(parts), limit)


def _bounded(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    cut = encoded[:limit].decode("utf-8", errors="ignore")
    return cut.rsplit(" ", 1)[0] if " " in cut else cut
