"""A job's input files on disk before its row exists: ``DATA_DIR/jobs/<id>/input/<name>``.

Names come from teachers' computers (``Сабақ 1.docx``), so they are kept as given,
Kazakh letters and all, but only as a plain base name: anything that could climb out of
the folder, hide a file or confuse another file system is refused before a byte is written.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from catalogue.errors import Invalid

#: The longest name in bytes (ext4 and most file systems allow 255).
MAX_NAME_BYTES = 200
_FORBIDDEN = set('/\\:*?"<>|')
_CHUNK = 1024 * 1024


def safe_input_name(name: str) -> str:
    """``name`` in NFC when it is a plain file name; ``Invalid`` otherwise."""
    cleaned = unicodedata.normalize("NFC", name)
    problem = (
        not cleaned
        or cleaned != cleaned.strip()
        or cleaned.startswith(".")
        or any(ch in _FORBIDDEN or unicodedata.category(ch).startswith("C") for ch in cleaned)
        or len(cleaned.encode("utf-8")) > MAX_NAME_BYTES
    )
    if problem:
        raise Invalid(
            f"{name!r} is not a file name the catalogue accepts: use a plain name such as "
            "'lesson.docx', without folders, leading dots or special characters",
            code="bad_file_name",
            details={"name": name},
        )
    return cleaned


def stage_inputs(folder: Path, inputs: Mapping[str, IO[bytes]]) -> None:
    """Write every stream as a file named by its key into ``folder`` (created here). Every
    name is checked first; if anything fails, ``folder`` is removed again and the error
    raised, so a refused job leaves no files."""
    names = {key: safe_input_name(key) for key in inputs}
    if len(set(names.values())) != len(names):
        raise Invalid("two input files have the same name", code="bad_file_name")
    try:
        folder.mkdir(parents=True, exist_ok=False)
        for key, stream in inputs.items():
            with (folder / names[key]).open("xb") as out:
                shutil.copyfileobj(stream, out, _CHUNK)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
