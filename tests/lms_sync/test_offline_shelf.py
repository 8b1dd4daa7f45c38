"""The offline library's cards and search keys (pure), and a package that is not safe to
unpack refused before a byte of it is written."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from lms_sync.models import PublishedItem
from lms_sync.offline.library import LibraryError, unpack
from lms_sync.offline.shelf import ShelfError, search_keys, shelve
from scorm_builder.errors import ScormError
from scorm_builder.folding import fold

UUID = "0f0e0d0c-0b0a-4908-8706-050403020100"


def item(**changes: Any) -> PublishedItem:
    base: dict[str, Any] = {
        "uuid": UUID, "version": 2, "title": "Қозғалыс", "language": "kk",
        "subject": "physics", "grades": (7,), "sha256": "a" * 64, "size": 10,
        "scorm_version": "2004 4th Edition", "download_url": "http://c/p", "published_at":
        "2026-12-01T08:00:00Z", "changed_at": "2026-12-01T08:00:00Z", "state": "published",
    }  # fmt: skip
    return PublishedItem(**{**base, **changes})


def described(number: int = 2, **metadata: Any) -> dict[str, Any]:
    return {
        "latest_version": {
            "number": number,
            "metadata": {
                "title_kk": "Денелердің қозғалысы", "title_ru": "Движение тел",
                "description_kk": "Ньютонның бірінші заңы", "keywords": ["үдеу"],
                "license": "CC-BY-SA-4.0", "resource_type": "lesson", **metadata,
            },
        }
    }  # fmt: skip


def test_a_card_carries_the_texts_the_licence_and_every_word_s_key() -> None:
    shelved = shelve(item(), described(), "packages/x/index.html", 1234).as_json()
    assert shelved["title"] == {"kk": "Денелердің қозғалысы", "ru": "Движение тел", "en": ""}
    assert shelved["license_name"]["ru"].startswith("Creative Commons «Атрибуция")
    keys = shelved["search"].split()
    for word in ("қозғалысы", "движение", "ньютонның", "үдеу", "физика", "physics", "7"):
        assert fold(word) in keys, word
    assert fold("козгалыс") == fold("kozgalys") == fold("қозғалыс")
    assert len(keys) == len(set(keys))  # each key once


def test_the_lesson_s_own_words_are_searched() -> None:
    shelved = shelve(item(), described(), "packages/x/index.html", 1, "Дене тыныштықта тұрады")
    assert {fold("тыныштықта"), fold("тұрады")} <= set(shelved.search.split())


def test_a_description_of_another_version_is_refused() -> None:
    with pytest.raises(ShelfError, match="changed during the export"):
        shelve(item(), described(number=3), "packages/x/index.html", 1)
    with pytest.raises(ShelfError, match="has no version"):
        shelve(item(), {}, "packages/x/index.html", 1)


def test_search_keys_split_on_punctuation() -> None:
    assert search_keys(["Күш, масса — үдеу!"]) == " ".join(
        fold(w) for w in ("күш", "масса", "үдеу")
    )


def test_a_package_that_climbs_out_of_its_folder_is_not_unpacked(tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("imsmanifest.xml", "<manifest/>")
        archive.writestr("../../оқушы.txt", "x")
    target = tmp_path / "out" / "package"
    with pytest.raises((ScormError, LibraryError)):
        unpack(bad, target)
    assert not (tmp_path / "оқушы.txt").exists() and not target.exists()


@pytest.mark.parametrize("launch", ["javascript:alert(1)", "../../index.html", "нет.html"])
def test_a_package_whose_launch_page_is_not_its_own_is_refused(tmp_path: Path, launch: str) -> None:
    from tests.support.catalogue import sample_package

    package = tmp_path / "hostile.zip"
    with zipfile.ZipFile(sample_package(tmp_path)) as source, zipfile.ZipFile(package, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "imsmanifest.xml":
                data = re.sub(rb'href="[^"]*index\.html', f'href="{launch}'.encode(), data, count=1)
            out.writestr(info, data)
    with pytest.raises(LibraryError, match="is not a file of the package"):
        unpack(package, tmp_path / "out")
