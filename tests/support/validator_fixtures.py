"""Valid SCORM packages built in code, and helpers that break them one way at a time.

No dependency on ``../shared`` or on the builder: each package is a manifest written out
here (with Kazakh titles), an index page, a second page and an image.
"""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
from collections.abc import Callable, Mapping

PAGE = """<!DOCTYPE html>
<html lang="kk">
<head>
<meta charset="utf-8">
<title>Ньютон заңдары</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<h1>Ньютон заңдары</h1>
<img src="images/apple.png" alt="Алма">
<a href="https://kk.wikipedia.org/wiki/Ньютон">Уикипедия</a>
<script src="scorm.js"></script>
</body>
</html>
"""

SECOND_PAGE = PAGE.replace("Ньютон заңдары</h1>", "Екінші заң</h1>")
STYLE = "body { font-family: sans-serif; background: url(images/apple.png) no-repeat; }\n"
SCRIPT = "var api = window.parent && window.parent.API;\n"
# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="kz.sandyq.newton" version="1"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="org1">
    <organization identifier="org1">
      <title>Ньютон заңдары</title>
      <item identifier="item1" identifierref="res1">
        <title>Бірінші заң</title>
        <adlcp:masteryscore>80</adlcp:masteryscore>
      </item>
      <item identifier="item2" identifierref="res2">
        <title>Екінші заң</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res1" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
      <file href="style.css"/>
      <file href="scorm.js"/>
      <file href="images/apple.png"/>
    </resource>
    <resource identifier="res2" type="webcontent" adlcp:scormtype="sco" href="page2.html">
      <file href="page2.html"/>
      <dependency identifierref="common"/>
    </resource>
    <resource identifier="common" type="webcontent" adlcp:scormtype="asset">
      <file href="images/apple.png"/>
    </resource>
  </resources>
</manifest>
"""

MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="kz.sandyq.newton" version="1"
    xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
    xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
    xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
    xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>{schemaversion}</schemaversion>
  </metadata>
  <organizations default="org1">
    <organization identifier="org1">
      <title>Ньютон заңдары</title>
      <item identifier="item1" identifierref="res1">
        <title>Бірінші заң</title>
      </item>
      <item identifier="item2" identifierref="res2">
        <title>Екінші заң</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res1" type="webcontent" adlcp:scormType="sco" href="index.html">
      <file href="index.html"/>
      <file href="style.css"/>
      <file href="scorm.js"/>
      <file href="images/apple.png"/>
    </resource>
    <resource identifier="res2" type="webcontent" adlcp:scormType="sco" href="page2.html">
      <file href="page2.html"/>
      <dependency identifierref="common"/>
    </resource>
    <resource identifier="common" type="webcontent" adlcp:scormType="asset">
      <file href="images/apple.png"/>
    </resource>
  </resources>
</manifest>
"""

MANIFEST = "imsmanifest.xml"


def _files(manifest: str) -> dict[str, bytes]:
    return {
        MANIFEST: manifest.encode("utf-8"),
        "index.html": PAGE.encode("utf-8"),
        "page2.html": SECOND_PAGE.encode("utf-8"),
        "style.css": STYLE.encode("utf-8"),
        "scorm.js": SCRIPT.encode("utf-8"),
        "images/apple.png": PNG,
    }


def build_zip(files: Mapping[str, bytes]) -> bytes:
    """A deflated zip of ``files`` in the given order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def read_zip(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def manifest_12() -> str:
    return MANIFEST_12


def manifest_2004(edition: int = 4) -> str:
    label = "2004 3rd Edition" if edition == 3 else "2004 4th Edition"
    return MANIFEST_2004.replace("{schemaversion}", label)


def package_12() -> bytes:
    """A valid SCORM 1.2 package."""
    return build_zip(_files(manifest_12()))


def package_2004_3rd() -> bytes:
    """A valid SCORM 2004 3rd Edition package."""
    return build_zip(_files(manifest_2004(3)))


def package_2004_4th() -> bytes:
    """A valid SCORM 2004 4th Edition package."""
    return build_zip(_files(manifest_2004(4)))


PACKAGES: dict[str, Callable[[], bytes]] = {
    "1.2": package_12,
    "2004 3rd Edition": package_2004_3rd,
    "2004 4th Edition": package_2004_4th,
}


# Mutations --------------------------------------------------------------------------


def manifest_text(package: bytes) -> str:
    return read_zip(package)[MANIFEST].decode("utf-8")


def replace_in_manifest(package: bytes, old: str, new: str, count: int = 1) -> bytes:
    """The package with ``old`` replaced by ``new`` in its manifest (it must be there)."""
    text = manifest_text(package)
    assert old in text, f"{old!r} not in the manifest"
    return with_entries(package, add={MANIFEST: text.replace(old, new, count).encode("utf-8")})


def with_manifest_bytes(package: bytes, data: bytes) -> bytes:
    return with_entries(package, add={MANIFEST: data})


def with_entries(
    package: bytes,
    *,
    add: Mapping[str, bytes] | None = None,
    remove: tuple[str, ...] = (),
    rename: Mapping[str, str] | None = None,
) -> bytes:
    """The package with entries added (or replaced), removed or renamed."""
    files = read_zip(package)
    for name in remove:
        del files[name]
    for old, new in (rename or {}).items():
        files = {new if name == old else name: data for name, data in files.items()}
    files.update(add or {})
    return build_zip(files)


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first ``needle`` in ``text``."""
    index = text.index(needle)
    return text.count("\n", 0, index) + 1


# Raw zip headers --------------------------------------------------------------------

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"


Patch = Callable[[bytearray, int, bool], None]


def _patch_headers(package: bytes, name: str, patch: Patch) -> bytes:
    """Apply ``patch(data, header_offset, is_central)`` to both headers of entry ``name``."""
    data = bytearray(package)
    encoded = name.encode("utf-8")
    for signature, name_at, is_central in ((_LOCAL, 30, False), (_CENTRAL, 46, True)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            length = struct.unpack_from("<H", data, start + (28 if is_central else 26))[0]
            if bytes(data[start + name_at : start + name_at + length]) == encoded:
                patch(data, start, is_central)
            start += 4
    return bytes(data)


def set_flag(package: bytes, name: str, bit: int, on: bool = True) -> bytes:
    """Set or clear general-purpose flag ``bit`` of entry ``name`` in both headers."""

    def patch(data: bytearray, start: int, is_central: bool) -> None:
        at = start + (8 if is_central else 6)
        flags = struct.unpack_from("<H", data, at)[0]
        flags = flags | (1 << bit) if on else flags & ~(1 << bit)
        struct.pack_into("<H", data, at, flags)

    return _patch_headers(package, name, patch)


def set_encrypted(package: bytes, name: str) -> bytes:
    """Mark entry ``name`` as encrypted (bit 0)."""
    return set_flag(package, name, 0)


def clear_utf8_flag(package: bytes, name: str) -> bytes:
    """Clear bit 11 of entry ``name``: its UTF-8 name is then read as cp437."""
    return set_flag(package, name, 11, on=False)


def set_declared_size(package: bytes, name: str, size: int) -> bytes:
    """Claim in the central directory that entry ``name`` unpacks to ``size`` bytes."""

    def patch(data: bytearray, start: int, is_central: bool) -> None:
        if is_central:
            struct.pack_into("<I", data, start + 24, size)

    return _patch_headers(package, name, patch)


def add_symlink(package: bytes, name: str, target: str) -> bytes:
    """Add a Unix symlink entry ``name`` pointing at ``target``."""
    files = read_zip(package)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in files.items():
            archive.writestr(entry, data)
        info = zipfile.ZipInfo(name)
        info.create_system = 3
        info.external_attr = 0o120777 << 16
        archive.writestr(info, target)
    return buffer.getvalue()


def add_raw_entry(package: bytes, name: str, data: bytes = b"x") -> bytes:
    """Add an entry whose name is written as given (``..``, ``/``, ``\\`` and all)."""
    files = read_zip(package)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, content in files.items():
            archive.writestr(entry, content)
        archive.writestr(zipfile.ZipInfo(name), data)
    return buffer.getvalue()


def add_duplicate(package: bytes, name: str, data: bytes = b"again") -> bytes:
    """Add a second entry with the same ``name`` (zipfile warns; archivers allow it)."""
    buffer = io.BytesIO(package)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(name, data)
    return buffer.getvalue()


def set_method(package: bytes, name: str, method: int) -> bytes:
    """Claim compression ``method`` for entry ``name`` (e.g. 97, which nothing implements)."""

    def patch(data: bytearray, start: int, is_central: bool) -> None:
        struct.pack_into("<H", data, start + (10 if is_central else 8), method)

    return _patch_headers(package, name, patch)


def many_entries(count: int) -> bytes:
    """A valid package padded with ``count`` tiny stored files."""
    files = read_zip(package_12())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for number in range(count):
            archive.writestr(f"pad/{number}.txt", b"")
    return buffer.getvalue()
