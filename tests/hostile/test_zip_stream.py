"""The counting stream under every zip read: real bytes, the CRC, the configured limits."""

from __future__ import annotations

import pytest

from scorm_builder.zipsafe import (
    SafeZip,
    ZipEntryError,
    ZipLimits,
    ZipLimitsError,
    ZipSafetyError,
)
from tests.hostile.corpus import Entry, _lying_bomb, _package, raw_zip
from tests.support import validator_fixtures as fx


def test_a_lying_size_is_caught_after_one_byte_too_many() -> None:
    with SafeZip.open(_package(_lying_bomb("data.bin")), scan=False) as archive:
        with pytest.raises(ZipEntryError) as caught:
            archive.read("data.bin")
    assert caught.value.kind == "size-mismatch"


def test_the_scan_reads_entries_no_manifest_mentions() -> None:
    package = _package(Entry("unlisted.txt", b"hello", declared_crc=1))
    with SafeZip.open(package) as archive:
        assert [(p.kind, p.entry) for p in archive.problems] == [("bad-crc", "unlisted.txt")]
        with pytest.raises(ZipSafetyError):
            archive.read("unlisted.txt")
    with SafeZip.open(package, scan=False) as archive:
        assert archive.problems == ()  # the headers alone say nothing is wrong
        with pytest.raises(ZipEntryError) as caught:
            archive.read("unlisted.txt")  # but reading it checks the CRC all the same
        assert caught.value.kind == "bad-crc"


def test_a_size_shorter_than_declared_is_a_mismatch_too() -> None:
    package = raw_zip([Entry("a.txt", b"abc", declared_size=10)])
    with SafeZip.open(package) as archive:
        assert [p.kind for p in archive.problems] == ["size-mismatch"]


def test_the_per_entry_limit_counts_real_bytes() -> None:
    package = _package(Entry("big.txt", b"x" * 5000))
    with SafeZip.open(package, ZipLimits(max_entry_size=4096)) as archive:
        assert ("entry-too-large", "big.txt") in [(p.kind, p.entry) for p in archive.problems]


def test_the_total_limit_counts_real_bytes() -> None:
    package = _package(*(Entry(f"f{i}.txt", b"y" * 1000) for i in range(5)))
    with SafeZip.open(package, ZipLimits(max_total_size=4500)) as archive:
        assert archive.archive_unsafe
        assert "too-large" in [p.kind for p in archive.problems]


def test_kazakh_names_are_fine() -> None:
    package = _package(Entry("Сабақ-ә.html", b"<p>"), Entry("суреттер/алма.png", fx.PNG))
    with SafeZip.open(package) as archive:
        assert archive.problems == ()
        assert archive.read("Сабақ-ә.html") == b"<p>"


def test_limits_come_from_the_environment_and_the_configuration() -> None:
    env = {"SANDYQ_ZIP_MAX_ENTRY_BYTES": "1000", "SANDYQ_ZIP_MAX_TOTAL_BYTES": "5_000"}
    limits = ZipLimits.from_env(env)
    assert (limits.max_entry_size, limits.max_total_size) == (1000, 5000)
    assert ZipLimits.from_env({}) == ZipLimits()
    configured = ZipLimits.from_config({"ZIP_MAX_ENTRY_BYTES": 77, "ZIP_MAX_TOTAL_BYTES": None})
    assert configured.max_entry_size == 77
    with pytest.raises(ZipLimitsError, match="SANDYQ_ZIP_MAX_ENTRY_BYTES"):
        ZipLimits.from_env({"SANDYQ_ZIP_MAX_ENTRY_BYTES": "lots"})
    with pytest.raises(ZipLimitsError):
        ZipLimits.from_config({"ZIP_MAX_TOTAL_BYTES": -1})
