"""Every interface string is translated into Kazakh, Russian and English.

The messages are extracted from the code exactly as ``tools/i18n.sh`` does; each catalog
must have every one of them, translated, not fuzzy, with the same placeholders, and no
entry the code no longer uses.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "catalogue" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [
            str(pybabel),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "lazy_gettext",
            "-k",
            "_l",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as source:
        return read_po(source)


def _ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id for message in catalog if message.id}


def test_the_code_has_interface_strings(extracted: Catalog) -> None:
    assert len(_ids(extracted)) > 200


@pytest.mark.parametrize("locale", ["kk", "ru", "en"])
def test_the_catalog_translates_every_extracted_message(extracted: Catalog, locale: str) -> None:
    path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as source:
        catalog = read_po(source, locale=locale)
    missing = sorted(str(i) for i in _ids(extracted) - _ids(catalog))
    assert not missing, f"{path}: not in the catalog (run tools/i18n.sh): {missing[:10]}"
    obsolete = sorted(str(i) for i in _ids(catalog) - _ids(extracted))
    assert not obsolete, f"{path}: no longer used (run tools/i18n.sh): {obsolete[:10]}"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated or fuzzy: {ids[0]!r}")
            continue
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if set(PLACEHOLDER.findall(string)) - set(PLACEHOLDER.findall(" ".join(ids))):
                problems.append(f"unknown placeholder in {string!r}")
            if len(strings) == 1 and set(PLACEHOLDER.findall(string)) != wanted:
                problems.append(f"placeholders differ: {ids[0]!r} -> {string!r}")
    assert not problems, f"{path}:\n" + "\n".join(problems[:20])


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_translations_are_not_english(locale: str) -> None:
    """A catalog filled by copying the English text would pass the check above."""
    path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as source:
        catalog = read_po(source, locale=locale)
    words = [m for m in catalog if m.id and isinstance(m.id, str) and len(m.id.split()) >= 3]
    copied = [m.id for m in words if m.string == m.id]
    assert len(copied) <= len(words) // 50, f"{locale}: left in English: {copied[:10]}"
    cyrillic = re.compile("[а-яёәғқңөұүһі]", re.IGNORECASE)
    assert all(cyrillic.search(str(m.string)) for m in words if m.string != m.id)
