"""Fuzzing the zip reader: a valid package with bytes changed and cut short, and zips
made of hostile entries (traversal, absolute and backslashed names, duplicates, odd
compression, flags and attributes), read by ``read_package`` and checked by
``validate_package``. Both list what is wrong and never raise, so any exception is a
crash."""

from __future__ import annotations

import io
import warnings
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from scorm_builder.package_reader import read_package
from scorm_builder.validate.pipeline import validate_package
from scorm_builder.validate.report import to_text
from tests.fuzz import fuzz_settings
from tests.support.validator_fixtures import MANIFEST, manifest_12, package_12

#: How many tests share this target's budget of inputs (tests/fuzz/test_budget.py).
TESTS_IN_TARGET = 3
FUZZ = fuzz_settings(TESTS_IN_TARGET)

NAMES = (
    MANIFEST, "IMSMANIFEST.XML", "index.html", "page2.html", "style.css", "scorm.js",
    "images/apple.png", "images/", "../evil.html", "a/../../evil.html", "/abs.html",
    "C:/win.html", "a\\b.html", "./index.html", "index.html/", "Сабақ.html", " ",
    "a" * 300, "x\x00y.html", "\u202eevil.html",
)  # fmt: skip
COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


def check(package: bytes) -> None:
    read_package(package)
    assert to_text([validate_package(package)], "en")


@FUZZ
@given(st.data())
def test_a_valid_package_with_bytes_changed_and_cut(data: st.DataObject) -> None:
    package = bytearray(package_12())
    for _ in range(data.draw(st.integers(0, 8), label="changes")):
        at = data.draw(st.integers(0, len(package) - 1), label="at")
        package[at] = data.draw(st.integers(0, 255), label="byte")
    cut = data.draw(st.integers(0, len(package)), label="cut")
    check(bytes(package[len(package) - cut :] if data.draw(st.booleans()) else package[:cut]))


_ENTRY = st.tuples(
    st.one_of(st.sampled_from(NAMES), st.text(max_size=20)),
    st.one_of(st.binary(max_size=64), st.just(manifest_12().encode())),
    st.sampled_from(COMPRESSION),
    st.integers(0, 0xFFFF),  # general purpose flags
    st.sampled_from([0, 0o120777 << 16, 0o040755 << 16, 0o100644 << 16, 0xFFFFFFFF]),
    st.integers(0, 255),  # create_system
)


def hostile_zip(entries: list[tuple[str, bytes, int, int, int, int]]) -> bytes:
    """A zip of ``entries`` as written, duplicates and all (zipfile only warns)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore", UserWarning)
        for name, blob, compression, flags, attributes, system in entries:
            info = zipfile.ZipInfo(name or "_")
            info.filename = name  # also an empty name, which ZipInfo would not take
            info.compress_type = compression
            info.flag_bits = flags & ~0x08  # no data descriptor: sizes stay in the header
            info.external_attr = attributes
            info.create_system = system
            try:
                archive.writestr(info, blob)
            except (ValueError, UnicodeEncodeError):
                continue  # zipfile itself refuses to write it
    return buffer.getvalue()


@FUZZ
@given(st.lists(_ENTRY, max_size=6))
def test_zips_of_hostile_entries(entries: list[tuple[str, bytes, int, int, int, int]]) -> None:
    check(hostile_zip(entries))


def test_an_entry_with_an_empty_name_is_refused_by_name() -> None:
    """Found by this fuzzer: an empty name once crashed the reader (``is_dir`` on "")."""
    package = hostile_zip([("", b"", zipfile.ZIP_STORED, 0, 0, 0)])
    check(package)
    findings = validate_package(package).findings
    assert any(f.rule == "ZIP-UNREADABLE" for f in findings), findings


def test_a_directory_asking_for_a_zip_version_too_new_is_refused() -> None:
    """Found by this fuzzer (``make fuzz``): an entry of the central directory that needs
    zip version 6.4 made ``zipfile`` raise ``NotImplementedError`` out of the reader."""
    package = bytearray(package_12())
    directory = package.rfind(b"PK\x01\x02")
    package[directory + 6] = 64  # "version needed to extract": 6.4
    check(bytes(package))
    findings = validate_package(bytes(package)).findings
    assert [f.rule for f in findings if f.severity == "error"], findings


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_as_a_package(data: bytes) -> None:
    check(b"PK\x03\x04" + data if data[:1] == b"\x00" else data)
