"""ASCII names for identifiers and zip entries, from Kazakh, Russian or English text.

Zip entry names and manifest identifiers stay ASCII so that every LMS, unzip tool and
USB stick file system agrees on them; the Kazakh text itself stays in titles and pages.
Kazakh letters follow the 2021 Latin alphabet; python-slugify transliterates the rest.
"""

from __future__ import annotations

import re

from slugify import slugify

_KAZAKH_LATIN = [
    ("ә", "a"), ("Ә", "A"), ("ғ", "g"), ("Ғ", "G"), ("қ", "q"), ("Қ", "Q"),
    ("ң", "n"), ("Ң", "N"), ("ө", "o"), ("Ө", "O"), ("ұ", "u"), ("Ұ", "U"),
    ("ү", "u"), ("Ү", "U"), ("һ", "h"), ("Һ", "H"), ("і", "i"), ("І", "I"),
]  # fmt: skip

_FILE_NAME_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def ascii_slug(text: str, max_length: int = 60) -> str:
    """A lowercase ASCII slug (``[a-z0-9-]``) of any text; empty when nothing is left."""
    return slugify(text, replacements=_KAZAKH_LATIN, max_length=max_length, word_boundary=True)


def ascii_file_name(name: str) -> str:
    """An ASCII file name that keeps the extension: ``Сурет 1.PNG`` -> ``suret-1.png``."""
    if _FILE_NAME_OK.match(name):
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    slug = ascii_slug(stem) or "file"
    extension = ascii_slug(extension, max_length=10)
    return f"{slug}.{extension}" if extension else slug
