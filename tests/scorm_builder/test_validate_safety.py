"""The hardened XML parser and the safe zip reader, on their own."""

from __future__ import annotations

import pytest

from scorm_builder.xmlsafe import (
    XmlBomError,
    XmlDoctypeError,
    XmlEncodingError,
    XmlSyntaxError,
    parse_xml,
)
from scorm_builder.zipsafe import SafeZip, ZipLimits, ZipNotZipError, ZipSafetyError
from tests.support import validator_fixtures as fx

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!-- a comment first -->
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<lolz>&lol2;</lolz>
"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE r SYSTEM "http://example.com/evil.dtd"><r/>"""


def test_parses_utf8_with_kazakh_text() -> None:
    tree = parse_xml("<title>Ньютон заңдары</title>".encode(), source="t.xml")
    assert tree.getroot().text == "Ньютон заңдары"


@pytest.mark.parametrize(("data", "line"), [(BILLION_LAUGHS, 3), (EXTERNAL, 2)])
def test_a_doctype_is_refused_before_parsing(data: bytes, line: int) -> None:
    with pytest.raises(XmlDoctypeError) as caught:
        parse_xml(data, source="evil.xml")
    assert caught.value.line == line
    assert caught.value.file == "evil.xml"


def test_utf16_is_refused() -> None:
    with pytest.raises(XmlEncodingError) as caught:
        parse_xml('<?xml version="1.0" encoding="UTF-16"?><r/>'.encode("utf-16"))
    assert caught.value.encoding == "UTF-16"


def test_a_bom_that_contradicts_the_declaration_is_refused() -> None:
    data = b'\xef\xbb\xbf<?xml version="1.0" encoding="ISO-8859-1"?><r/>'
    with pytest.raises(XmlBomError):
        parse_xml(data)


def test_bytes_that_are_not_utf8_are_refused_with_their_line() -> None:
    with pytest.raises(XmlEncodingError) as caught:
        parse_xml(b'<?xml version="1.0" encoding="UTF-8"?>\n<r>\n\xd2\xe5\xf1\xf2</r>')
    assert caught.value.line == 3


def test_a_utf8_bom_that_agrees_is_fine() -> None:
    assert parse_xml(b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?><r/>').getroot().tag == "r"


def test_malformed_xml_has_a_line() -> None:
    with pytest.raises(XmlSyntaxError) as caught:
        parse_xml(b"<a>\n<b>\n</a>")
    assert caught.value.line == 3


def test_not_a_zip() -> None:
    with pytest.raises(ZipNotZipError):
        SafeZip.open(b"hello")


def test_read_caps_the_size_whatever_the_header_says() -> None:
    package = fx.with_entries(fx.package_12(), add={"big.txt": b"a" * 10_000})
    with SafeZip.open(package) as archive:
        assert archive.read("big.txt", 10_000) == b"a" * 10_000
        with pytest.raises(ZipSafetyError):
            archive.read("big.txt", 9_999)


def test_unsafe_entries_are_never_read() -> None:
    package = fx.add_raw_entry(fx.package_12(), "../evil.html", b"<p>evil</p>")
    with SafeZip.open(package) as archive:
        assert [p.kind for p in archive.problems] == ["traversal"]
        with pytest.raises(ZipSafetyError):
            archive.read("../evil.html")
        with pytest.raises(ZipSafetyError):
            archive.raise_for_problems()


def test_limits_are_configurable() -> None:
    with SafeZip.open(fx.package_12(), ZipLimits(max_entries=3)) as archive:
        assert archive.archive_unsafe
        assert [p.kind for p in archive.problems] == ["too-many-entries"]


def test_an_entry_in_a_compression_python_cannot_inflate_gets_a_clear_error() -> None:
    import io
    import zipfile

    from scorm_builder.zipsafe import SafeZip, ZipSafetyError

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("сабақ.html", "<p>Ньютон</p>")
    data = bytearray(buffer.getvalue())
    # mark the entry as Deflate64 (method 9) in the local and the central header
    data[8:10] = (9).to_bytes(2, "little")
    central = data.index(b"PK\x01\x02")
    data[central + 10 : central + 12] = (9).to_bytes(2, "little")
    with SafeZip.open(bytes(data)) as package:
        with pytest.raises(ZipSafetyError) as caught:
            package.read("сабақ.html")
    assert "method 9" in caught.value.message and "deflate" in (caught.value.hint or "")
