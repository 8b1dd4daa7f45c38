"""One broken package per rule: the rule id, the line, and whether the package is invalid."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from scorm_builder.validate import SEVERITIES, Report, Severity, validate_package
from scorm_builder.validate.messages import render
from tests.hostile import corpus as hostile
from tests.support import validator_fixtures as fx

#: libxml2 gives an element the line where its start tag ends: for the fixtures'
#: multi-line <manifest ...> that is the line of its last attribute, xmlns:xsi.
ROOT_END = 'xmlns:xsi="'


@dataclass(frozen=True)
class Case:
    """A package broken one way, the rule it must trip and where (needle in the manifest)."""

    rule: str
    build: Callable[[], bytes]
    needle: str | None = None  # the finding's line is the line of this text in the manifest
    entry: str | None = None  # the finding's zip entry, when it is not the manifest
    line: int | None = None  # an explicit line (files other than the manifest)


def _v12(old: str, new: str) -> Callable[[], bytes]:
    return lambda: fx.replace_in_manifest(fx.package_12(), old, new)


def _v2004(old: str, new: str, edition: int = 4) -> Callable[[], bytes]:
    package = fx.package_2004_4th if edition == 4 else fx.package_2004_3rd
    return lambda: fx.replace_in_manifest(package(), old, new)


def _add_item_value(element: str) -> Callable[[], bytes]:
    return _v12("<adlcp:masteryscore>", f"{element}\n        <adlcp:masteryscore>")


def _utf16() -> bytes:
    text = fx.manifest_12().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return fx.with_manifest_bytes(fx.package_12(), text.encode("utf-16"))


def _bom_contradicts() -> bytes:
    text = fx.manifest_12().replace('encoding="UTF-8"', 'encoding="windows-1251"')
    return fx.with_manifest_bytes(fx.package_12(), b"\xef\xbb\xbf" + text.encode("utf-8"))


def _ns0() -> bytes:
    text = fx.manifest_12().replace("xmlns:adlcp=", "xmlns:ns0=").replace("adlcp:", "ns0:")
    return fx.with_manifest_bytes(fx.package_12(), text.encode("utf-8"))


def _no_organization() -> bytes:
    text = fx.manifest_12()
    start, end = text.index("<organizations"), text.index("</organizations>")
    text = text[:start] + "<organizations/>" + text[end + len("</organizations>") :]
    return fx.with_manifest_bytes(fx.package_12(), text.encode("utf-8"))


def _remote_script() -> bytes:
    page = fx.PAGE.replace(
        '<script src="scorm.js">', '<script src="https://cdn.example.com/jquery.js">'
    )
    return fx.with_entries(fx.package_12(), add={"index.html": page.encode("utf-8")})


CASES = [
    Case("ZIP-NOT-ZIP", lambda: b"%PDF-1.4 this is not a zip"),
    Case("ZIP-NO-MANIFEST", lambda: fx.with_entries(fx.package_12(), remove=(fx.MANIFEST,))),
    Case(
        "ZIP-MANIFEST-NESTED",
        lambda: fx.with_entries(fx.package_12(), rename={fx.MANIFEST: "course/imsmanifest.xml"}),
        entry="course/imsmanifest.xml",
    ),
    Case(
        "ZIP-MANIFEST-CASE",
        lambda: fx.with_entries(fx.package_12(), rename={fx.MANIFEST: "IMSManifest.xml"}),
        entry="IMSManifest.xml",
    ),
    Case(
        "ZIP-TRAVERSAL",
        lambda: fx.add_raw_entry(fx.package_12(), "../evil.html"),
        entry="../evil.html",
    ),
    Case(
        "ZIP-ABSOLUTE",
        lambda: fx.add_raw_entry(fx.package_12(), "/tmp/evil.html"),
        entry="/tmp/evil.html",
    ),
    Case(
        "ZIP-BACKSLASH",
        lambda: fx.add_raw_entry(fx.package_12(), "images\\pear.png"),
        entry="images\\pear.png",
    ),
    Case(
        "ZIP-SYMLINK",
        lambda: fx.add_symlink(fx.package_12(), "link.html", "/etc/passwd"),
        entry="link.html",
    ),
    Case(
        "ZIP-ENCRYPTED", lambda: fx.set_encrypted(fx.package_12(), "page2.html"), entry="page2.html"
    ),
    Case(
        "ZIP-NAME-ENCODING",
        lambda: fx.clear_utf8_flag(
            fx.with_entries(fx.package_12(), add={"сурет.png": fx.PNG}), "сурет.png"
        ),
        entry="сурет.png".encode().decode("cp437"),
    ),
    Case(
        "ZIP-DUPLICATE", lambda: fx.add_duplicate(fx.package_12(), "style.css"), entry="style.css"
    ),
    Case("ZIP-TOO-MANY", lambda: fx.many_entries(10_000)),
    Case("ZIP-TOO-LARGE", lambda: fx.set_declared_size(fx.package_12(), "page2.html", 0xFFFFFFF0)),
    Case(
        "ZIP-RATIO",
        lambda: fx.with_entries(fx.package_12(), add={"bomb.txt": bytes(5 * 1024**2)}),
        entry="bomb.txt",
    ),
    Case(
        "ZIP-UNREADABLE", lambda: fx.set_method(fx.package_12(), fx.MANIFEST, 97), entry=fx.MANIFEST
    ),
    Case(
        "ZIP-ENTRY-TOO-LARGE",
        lambda: fx.set_declared_size(fx.package_12(), "scorm.js", 2 * 1024**3),
        entry="scorm.js",
    ),
    Case(
        "ZIP-SIZE-MISMATCH",
        lambda: hostile._package(hostile._lying_bomb("assets/data.bin")),
        entry="assets/data.bin",
    ),
    Case(
        "ZIP-CRC",
        lambda: hostile._package(hostile.Entry("notes.txt", b"x", declared_crc=1)),
        entry="notes.txt",
    ),
    Case(
        "ZIP-CASE-CLASH",
        lambda: hostile._package(hostile.Entry("INDEX.html", b"<p>")),
        entry="INDEX.html",
    ),
    Case(
        "ZIP-FILE-FOLDER",
        lambda: hostile._package(hostile.Entry("images", b"x")),
        entry="images",
    ),
    Case(
        "ZIP-NAME-TOO-LONG",
        lambda: hostile._package(hostile.Entry("ә" * 128 + ".html", b"x")),
        entry="ә" * 128 + ".html",
    ),
    Case(
        "ZIP-CONTROL-CHAR",
        lambda: hostile._package(hostile.Entry("a\x1bb.html", b"x")),
        entry="a\x1bb.html",
    ),
    Case(
        "ZIP-RESERVED-NAME",
        lambda: hostile._package(hostile.Entry("con.txt", b"x")),
        entry="con.txt",
    ),
    Case(
        "XML-DTD",
        _v12("?>\n<manifest", '?>\n<!DOCTYPE manifest [<!ENTITY lol "lol">]>\n<manifest'),
        needle="<!DOCTYPE",
    ),
    Case("XML-ENCODING", _utf16, line=1, entry=fx.MANIFEST),
    Case("XML-BOM", _bom_contradicts, line=1, entry=fx.MANIFEST),
    Case("XML-MALFORMED", _v12("</organizations>", "</organisations>"), needle="</organisations>"),
    Case(
        "VERSION-UNKNOWN",
        _v12("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "http://example.com/cp"),
        needle=ROOT_END,
    ),
    Case(
        "SCHEMAVERSION-MISSING",
        _v12("<schemaversion>1.2</schemaversion>", ""),
        needle=ROOT_END,
    ),
    Case(
        "SCHEMAVERSION-VARIANT",
        _v2004("2004 4th Edition", "2004 4th edition"),
        needle="<schemaversion>",
    ),
    Case("SCHEMAVERSION-UNKNOWN", _v12(">1.2<", ">SCORM 2.0<"), needle="<schemaversion>"),
    Case("SCHEMAVERSION-MISMATCH", _v12(">1.2<", ">2004 4th Edition<"), needle="<schemaversion>"),
    Case(
        "XSD",
        _v2004("<title>Ньютон заңдары</title>", "<titel>Ньютон заңдары</titel>"),
        needle="<titel>",
    ),
    Case(
        "ID-DUPLICATE",
        _v12('<item identifier="item2"', '<item identifier="item1"'),
        needle='<item identifier="item1" identifierref="res2"',
    ),
    Case("ORG-MISSING", _no_organization, needle="<organizations/>"),
    Case("ORG-DEFAULT-MISSING", _v12('default="org1"', 'default="org9"'), needle="<organizations"),
    Case("REF-UNRESOLVED", _v12('identifierref="res2"', 'identifierref="res9"'), needle="res9"),
    Case(
        "ITEM-NO-RESOURCE",
        _v12('<item identifier="item2" identifierref="res2">', '<item identifier="item2">'),
        needle='<item identifier="item2">',
    ),
    Case(
        "SCORMTYPE-MISSING",
        _v12(' adlcp:scormtype="asset"', ""),
        needle='<resource identifier="common"',
    ),
    Case(
        "SCORMTYPE-CASE",
        _v12('adlcp:scormtype="sco" href="page2.html"', 'adlcp:scormType="sco" href="page2.html"'),
        needle='<resource identifier="res2"',
    ),
    Case(
        "SCORMTYPE-VALUE",
        _v12('adlcp:scormtype="asset"', 'adlcp:scormtype="Asset"'),
        needle='<resource identifier="common"',
    ),
    Case(
        "FILE-MISSING",
        _v12('<file href="style.css"/>', '<file href="styles.css"/>'),
        needle="styles.css",
    ),
    Case(
        "FILE-CASE",
        _v12('<file href="images/apple.png"/>', '<file href="images/Apple.png"/>'),
        needle="images/Apple.png",
    ),
    Case(
        "LAUNCH-NOT-HTML",
        lambda: fx.with_entries(
            fx.replace_in_manifest(fx.package_12(), 'href="page2.html">', 'href="notes.pdf">'),
            add={"notes.pdf": b"%PDF-1.4"},
        ),
        needle='<resource identifier="res2"',
    ),
    Case(
        "METADATA-MISSING",
        _v12("</schemaversion>", "</schemaversion>\n    <adlcp:location>lom.xml</adlcp:location>"),
        needle="<adlcp:location>",
    ),
    Case("MASTERYSCORE-RANGE", _v12(">80<", ">120<"), needle="<adlcp:masteryscore>"),
    Case(
        "DATAFROMLMS-LENGTH",
        _add_item_value(f"<adlcp:datafromlms>{'x' * 256}</adlcp:datafromlms>"),
        needle="<adlcp:datafromlms>",
    ),
    Case(
        "MAXTIME-FORMAT",
        _add_item_value("<adlcp:maxtimeallowed>45 minutes</adlcp:maxtimeallowed>"),
        needle="<adlcp:maxtimeallowed>",
    ),
    Case(
        "TIMELIMITACTION-VALUE",
        _add_item_value("<adlcp:timelimitaction>exit</adlcp:timelimitaction>"),
        needle="<adlcp:timelimitaction>",
    ),
    Case(
        "PREREQUISITES-LENGTH",
        _add_item_value(
            '<adlcp:prerequisites type="aicc_script">'
            + "&amp;".join(["item2"] * 40)
            + "</adlcp:prerequisites>"
        ),
        needle="<adlcp:prerequisites",
    ),
    Case("NS-PREFIX", _ns0, needle="<ns0:masteryscore>"),
    Case(
        "NS-UNKNOWN",
        _v2004("adlseq_v1p3", "adlseq_v1p2"),
        needle=ROOT_END,
    ),
    Case(
        "XML-BASE",
        _v12('<organization identifier="org1">', '<organization identifier="org1" xml:base="x/">'),
        needle='<organization identifier="org1"',
    ),
    Case("OFFLINE-REMOTE", _remote_script, entry="index.html", line=12),
]


def _only(report: Report, rule: str) -> list[str]:
    return [f.rule for f in report.findings if f.rule == rule]


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_each_rule_is_found_where_it_is(case: Case) -> None:
    package = case.build()
    report = validate_package(package)

    found = [f for f in report.findings if f.rule == case.rule]
    assert found, [(f.rule, f.line) for f in report.findings]
    first = found[0]
    if case.needle is not None:
        text = fx.manifest_text(package)
        assert (first.entry, first.line) == (fx.MANIFEST, fx.line_of(text, case.needle))
    if case.line is not None:
        assert first.line == case.line
    if case.entry is not None:
        assert first.entry == case.entry
    if SEVERITIES[case.rule] is Severity.ERROR:
        assert not report.valid
    else:
        assert report.valid and first.severity is SEVERITIES[case.rule]


def test_every_rule_has_a_broken_package() -> None:
    assert sorted(c.rule for c in CASES) == sorted(SEVERITIES)


@pytest.mark.parametrize("version", sorted(fx.PACKAGES))
def test_valid_packages_have_no_findings(version: str) -> None:
    report = validate_package(fx.PACKAGES[version]())
    assert report.findings == ()
    assert report.valid
    assert report.scorm_version == version


def test_offline_turns_the_remote_script_warning_into_an_error() -> None:
    package = _remote_script()
    relaxed = validate_package(package)
    strict = validate_package(package, offline=True)
    assert relaxed.valid and [f.severity for f in relaxed.findings] == [Severity.WARNING]
    assert not strict.valid and [f.severity for f in strict.findings] == [Severity.ERROR]


def test_links_to_websites_are_not_offline_problems() -> None:
    page = fx.PAGE.replace("</body>", '<a href="//edu.gov.kz/">Министрлік</a>\n</body>')
    package = fx.with_entries(fx.package_12(), add={"index.html": page.encode("utf-8")})
    assert validate_package(package, offline=True).findings == ()


def test_remote_fonts_in_css_and_inline_styles_are_found() -> None:
    css = fx.STYLE + '@import url("https://fonts.googleapis.com/css?family=PT+Sans");\n'
    page = fx.PAGE.replace("<h1>", '<h1 style="background: url(//cdn.example.com/b.png)">')
    package = fx.with_entries(
        fx.package_12(), add={"style.css": css.encode(), "index.html": page.encode()}
    )
    found = {(f.entry, f.line) for f in validate_package(package).findings}
    assert found == {("style.css", 2), ("index.html", 9)}


def test_a_schemaversion_variant_hint_names_the_exact_string() -> None:
    package = fx.replace_in_manifest(fx.package_2004_3rd(), "2004 3rd Edition", "CAM 1.3")
    report = validate_package(package)
    (variant,) = [f for f in report.findings if f.rule == "SCHEMAVERSION-VARIANT"]
    assert report.scorm_version == "2004 3rd Edition"
    assert "<schemaversion>2004 3rd Edition</schemaversion>" in render(variant, "en").hint


def test_a_case_only_mismatch_names_the_real_entry() -> None:
    package = fx.replace_in_manifest(fx.package_12(), 'href="page2.html"/>', 'href="Page2.html"/>')
    (case,) = validate_package(package).findings
    assert case.rule == "FILE-CASE"
    assert "page2.html" in render(case, "kk").hint


def test_a_declared_encoding_other_than_utf8_is_an_encoding_error() -> None:
    text = fx.manifest_12().replace('encoding="UTF-8"', 'encoding="windows-1251"')
    package = fx.with_manifest_bytes(fx.package_12(), text.encode("cp1251", "xmlcharrefreplace"))
    assert _only(validate_package(package), "XML-ENCODING") == ["XML-ENCODING"]


def test_xml_base_on_resources_is_honoured() -> None:
    files = fx.read_zip(fx.package_12())
    moved = {("lesson/" + n if n.endswith(".html") else n): d for n, d in files.items()}
    package = fx.build_zip(moved)
    package = fx.replace_in_manifest(package, "<resource ", '<resource xml:base="lesson/" ')
    for asset in ("style.css", "scorm.js", "images/apple.png"):
        package = fx.replace_in_manifest(
            package, f'<file href="{asset}"/>', f'<file href="../{asset}"/>'
        )
    package = fx.replace_in_manifest(
        package,
        '<resource identifier="res2"',
        '<resource xml:base="lesson/" identifier="res2"',
    )
    assert [f.rule for f in validate_package(package).findings] == []
