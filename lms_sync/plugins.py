"""Installable zips of Sandyq's Moodle plugins, made from the sources shipped in this package.

``lms_sync/moodle_plugins/<component>/`` holds each plugin's sources (``local_sandyq``: the sync's
web-service functions; ``repository_sandyq``: the catalogue in Moodle's file picker).
``write_plugin_zips`` writes ``<component>.zip`` for each, in the layout Moodle's
*Install plugins* page (tool_installaddon) expects: one top folder named after the plugin
without its type (``local_sandyq`` -> ``sandyq/``), holding ``version.php`` that declares
``$plugin->component``.

The zips are reproducible: entries sorted, fixed timestamps and permissions, so the same
sources always give the same bytes (and the same SHA-1).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

#: Every zip entry gets this time (the earliest a zip can record).
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)

#: Names never packed (editor and OS litter).
_SKIPPED = {"__pycache__", ".DS_Store", "Thumbs.db"}


@dataclass(frozen=True)
class MoodlePlugin:
    """A plugin whose sources live in ``lms_sync/moodle_plugins/<component>``."""

    component: str

    @property
    def plugin_type(self) -> str:
        return self.component.split("_", 1)[0]

    @property
    def folder(self) -> str:
        """The top folder in the zip: the plugin's name without its type."""
        return self.component.split("_", 1)[1]

    @property
    def zip_name(self) -> str:
        return f"{self.component}.zip"


PLUGINS = (MoodlePlugin("local_sandyq"), MoodlePlugin("repository_sandyq"))


def plugin_sources(plugin: MoodlePlugin) -> Traversable:
    """The folder of a plugin's sources inside the installed ``lms_sync`` package."""
    return files("lms_sync").joinpath("moodle_plugins", plugin.component)


def _walk(folder: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    """``(zip path, file or folder)`` below ``folder``; folder paths end with ``/``."""
    found: list[tuple[str, Traversable]] = []
    for child in folder.iterdir():
        if child.name in _SKIPPED or child.name.startswith(".") or child.name.endswith(".pyc"):
            continue
        path = f"{prefix}{child.name}"
        if child.is_dir():
            found.append((f"{path}/", child))
            found.extend(_walk(child, f"{path}/"))
        else:
            found.append((path, child))
    return found


def _entry(name: str, is_dir: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
    info.create_system = 3  # Unix, so the permissions below are read.
    if is_dir:
        info.external_attr = (0o40755 << 16) | 0x10
    else:
        info.external_attr = 0o100644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_plugin_zip(plugin: MoodlePlugin, target_dir: Path) -> Path:
    """Write ``<component>.zip`` into ``target_dir`` and return its path."""
    sources = plugin_sources(plugin)
    if not sources.is_dir() or not sources.joinpath("version.php").is_file():
        raise FileNotFoundError(f"the sources of {plugin.component} are missing from lms_sync")
    entries = sorted(_walk(sources, f"{plugin.folder}/"), key=lambda entry: entry[0])
    target = target_dir / plugin.zip_name
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w") as archive:
        archive.writestr(_entry(f"{plugin.folder}/", is_dir=True), b"")
        for name, item in entries:
            if name.endswith("/"):
                archive.writestr(_entry(name, is_dir=True), b"")
            else:
                archive.writestr(_entry(name, is_dir=False), item.read_bytes(), compresslevel=9)
    partial.replace(target)
    return target


def write_plugin_zips(target_dir: Path) -> list[Path]:
    """Write ``local_sandyq.zip`` and ``repository_sandyq.zip`` into ``target_dir``."""
    target_dir.mkdir(parents=True, exist_ok=True)
    return [write_plugin_zip(plugin, target_dir) for plugin in PLUGINS]
