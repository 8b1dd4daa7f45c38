"""Stage 5b: every file the manifest names is in the zip, exactly as written.

Zip entry names are case-sensitive and so are most web servers; Windows is not, so a
package that works on the author's laptop breaks on the LMS. A case-only mismatch gets
its own rule and names the real entry.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from lxml import etree

from scorm_builder.validate.findings import MANIFEST, Finding, finding
from scorm_builder.validate.manifest import Manifest, is_remote, line_of, resolve_href

__all__ = ["check_files"]

LAUNCHABLE = (".html", ".htm")


class _Lookup:
    """Exact and case-folded lookups over the zip's entry names."""

    def __init__(self, names: Collection[str]) -> None:
        self.names = frozenset(names)
        self.folded: dict[str, str] = {}
        for name in names:
            self.folded.setdefault(name.lower(), name)

    def check(self, path: str, element: etree._Element, rule: str) -> Finding | None:
        if path in self.names:
            return None
        real = self.folded.get(path.lower())
        if real is not None:
            return finding("FILE-CASE", MANIFEST, line_of(element), path=path, real=real)
        return finding(rule, MANIFEST, line_of(element), path=path)


def _launch(manifest: Manifest, resource: etree._Element, href: str) -> Finding | None:
    values = [
        v for a, v in resource.attrib.items() if etree.QName(a).localname.lower() == "scormtype"
    ]
    is_sco = any(v.strip().lower() == "sco" for v in values)
    path = resolve_href("", href)
    if is_sco and not path.lower().endswith(LAUNCHABLE):
        return finding("LAUNCH-NOT-HTML", MANIFEST, line_of(resource), href=href)
    return None


def _references(manifest: Manifest, lookup: _Lookup) -> Iterator[Finding]:
    reported: set[str] = set()

    def check(element: etree._Element, href: str, rule: str) -> Iterator[Finding]:
        if not href or is_remote(href):
            return
        path = resolve_href(manifest.base_of(element), href)
        if path in reported:
            return
        problem = lookup.check(path, element, rule)
        if problem is not None:
            reported.add(path)
            yield problem

    file_tag = manifest.cp_tag("file")
    for resource in manifest.resources:
        href = resource.get("href")
        if href is not None:
            yield from check(resource, href, "FILE-MISSING")
            launch = _launch(manifest, resource, href)
            if launch is not None:
                yield launch
        for file in resource.iter(file_tag):
            yield from check(file, file.get("href", ""), "FILE-MISSING")
    for location in manifest.all("location", manifest.adlcp):
        yield from check(location, (location.text or "").strip(), "METADATA-MISSING")


def check_files(manifest: Manifest, names: Collection[str]) -> list[Finding]:
    """Findings for hrefs, <file> entries and metadata locations missing from the zip."""
    return list(_references(manifest, _Lookup(names)))
