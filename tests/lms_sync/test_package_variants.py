"""The sync tests' package variants (``tests.support.sync``) really differ, or a test of
"a new version" would push the same bytes twice."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.support.sync import package_variant


def test_package_variants_differ(tmp_path: Path) -> None:
    first, second = package_variant(tmp_path, "a"), package_variant(tmp_path, "b")
    assert first.read_bytes() != second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert "imsmanifest.xml" in archive.namelist()
