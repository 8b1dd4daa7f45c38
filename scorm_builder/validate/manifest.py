"""A light view of a parsed manifest for the rule stages: its elements, found once.

The rule modules ask questions ("every item", "every resource with its base") of this
object instead of walking the tree again, so the manifest is parsed and walked once.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import unquote, urlsplit

from lxml import etree

from scorm_builder.namespaces import ADLCP_12, ADLCP_2004, XML, qname

__all__ = ["Manifest", "is_remote", "line_of", "resolve_href"]

_BASE = qname(XML, "base")


def line_of(element: etree._Element) -> int | None:
    """The element's line in the manifest, when lxml knows it."""
    line = element.sourceline
    return line if isinstance(line, int) else None


def is_remote(href: str) -> bool:
    """True for absolute URLs (``https://``, ``mailto:``) and protocol-relative ``//``."""
    return href.startswith("//") or bool(urlsplit(href).scheme)


def resolve_href(base: str, href: str) -> str:
    """The package path an ``href`` names: base applied, query and fragment dropped, decoded."""
    path = unquote(urlsplit(href).path)
    joined = posixpath.join(base, path) if base else path
    normal = posixpath.normpath(joined) if joined else joined
    return "" if normal == "." else normal


@dataclass(frozen=True)
class Manifest:
    """The manifest tree and the namespaces of its SCORM family."""

    tree: etree._ElementTree
    family: str  # "1.2" or "2004"

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    @property
    def cp(self) -> str:
        return etree.QName(self.root).namespace or ""

    @property
    def adlcp(self) -> str:
        return ADLCP_12 if self.family == "1.2" else ADLCP_2004

    def cp_tag(self, local: str) -> str:
        return qname(self.cp, local)

    @cached_property
    def elements(self) -> tuple[etree._Element, ...]:
        """Every element in document order (comments and processing instructions left out)."""
        return tuple(e for e in self.root.iter() if isinstance(e.tag, str))

    def all(self, local: str, namespace: str | None = None) -> list[etree._Element]:
        tag = qname(namespace if namespace is not None else self.cp, local)
        return [e for e in self.elements if e.tag == tag]

    @cached_property
    def organizations(self) -> etree._Element | None:
        return self.root.find(self.cp_tag("organizations"))

    @cached_property
    def resources(self) -> list[etree._Element]:
        return self.all("resource")

    @cached_property
    def resource_ids(self) -> frozenset[str]:
        return frozenset(r.get("identifier", "") for r in self.resources)

    @staticmethod
    def base_of(element: etree._Element) -> str:
        """The xml:base in effect for ``element`` (resource, resources, manifest combined)."""
        bases = []
        node: etree._Element | None = element
        while node is not None:
            base = node.get(_BASE)
            if base:
                bases.append(base)
            node = node.getparent()
        path = ""
        for base in reversed(bases):
            path = posixpath.join(path, base) if not is_remote(base) else base
        return path
