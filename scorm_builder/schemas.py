"""Where the project's XSD sets live, for the writers (which ship them) and the validator."""

from __future__ import annotations

from pathlib import Path

import scorm_builder

#: The exact ``<schemaversion>`` per (SCORM version, 2004 edition); LMSs match it literally.
SCHEMA_VERSIONS = {
    ("1.2", None): "1.2",
    ("2004", 3): "2004 3rd Edition",
    ("2004", 4): "2004 4th Edition",
}

#: Folder of each set inside ``schemas/``, per (SCORM version, 2004 edition).
SCHEMA_SETS = {
    ("1.2", None): "scorm12",
    ("2004", 3): "scorm2004_3rd",
    ("2004", 4): "scorm2004_4th",
}


def schema_dir() -> Path:
    """The installed wheel's ``_schemas`` folder when there is one, else the repo's ``schemas/``."""
    installed = Path(scorm_builder.__file__).parent / "_schemas"
    if installed.is_dir():
        return installed
    return Path(scorm_builder.__file__).resolve().parent.parent / "schemas"
