"""Rendering: the course model becomes the files of a package, before any manifest.

The result, ``RenderedPackage``, says which files exist and which of them make up each
SCO, so the SCORM writers only have to describe it. All the course's pages form one SCO
played by the player shell (``index.html``), which bookmarks the page the learner is on.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from importlib import resources

import jinja2
from markupsafe import Markup

from scorm_builder.model import Course, HtmlPart
from scorm_builder.render.labels import LABELS

ASSETS_DIR = "sandyq"
LAUNCH_FILE = "index.html"


@dataclass(frozen=True)
class RenderedSco:
    """One SCO: its launch file and the files only it uses."""

    key: str
    title: str
    launch: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class RenderedPackage:
    """Every file of the package (but the manifest and schemas), grouped into SCOs."""

    files: dict[str, bytes]
    scos: tuple[RenderedSco, ...]
    shared: tuple[str, ...]


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("scorm_builder.render", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def runtime_assets() -> dict[str, bytes]:
    """The player and runtime files every package carries, by package path."""
    folder = resources.files("scorm_builder.render").joinpath("assets")
    return {
        f"{ASSETS_DIR}/{item.name}": item.read_bytes()
        for item in sorted(folder.iterdir(), key=lambda item: item.name)
        if item.is_file() and not item.name.startswith(".")
    }


def render_course(course: Course) -> RenderedPackage:
    """Render every page, the player shell and the runtime into package files."""
    environment = _environment()
    metadata = course.metadata
    labels = LABELS[metadata.language]
    files: dict[str, bytes] = {}
    sco_files: list[str] = []
    pages = [{"title": part.title, "href": part.path} for part in course.parts]
    for index, part in enumerate(course.parts):
        files[part.path] = _render_page(environment, course, index, part, labels).encode("utf-8")
        sco_files.append(part.path)
        for asset in part.assets:
            files[asset.path] = asset.data
            sco_files.append(asset.path)
    key = "1"
    config = {
        "scorm": course.options.scorm,
        "storageKey": f"sandyq:{metadata.identifier}:{metadata.version}:{key}",
        "pages": pages,
        "lang": metadata.language,
        "completion": {"rule": "all-pages"},
    }
    shell = environment.get_template("player.html.j2").render(
        lang=metadata.language,
        course_title=metadata.title,
        sco_title=metadata.title,
        scorm_version=course.options.scorm,
        pages=pages,
        config_json=Markup(_script_json(config)),
        labels=labels,
        asset_prefix=f"{ASSETS_DIR}/",
    )
    files[LAUNCH_FILE] = shell.encode("utf-8")
    shared = runtime_assets()
    files.update(shared)
    sco = RenderedSco(
        key=key,
        title=metadata.title,
        launch=LAUNCH_FILE,
        files=(LAUNCH_FILE, *sorted(set(sco_files))),
    )
    return RenderedPackage(files=files, scos=(sco,), shared=tuple(sorted(shared)))


def _render_page(
    environment: jinja2.Environment,
    course: Course,
    index: int,
    part: HtmlPart,
    labels: dict[str, str],
) -> str:
    parts = course.parts
    here = posixpath.dirname(part.path)

    def relative(target: str) -> str:
        return posixpath.relpath(target, here or ".")

    return environment.get_template("page.html.j2").render(
        lang=course.metadata.language,
        title=part.title,
        course_title=course.metadata.title,
        head=Markup(part.head),
        body=Markup(part.body),
        has_h1=part.has_h1,
        asset_prefix=relative(ASSETS_DIR) + "/",
        index=index,
        count=len(parts),
        prev_href=relative(parts[index - 1].path) if index > 0 else None,
        next_href=relative(parts[index + 1].path) if index + 1 < len(parts) else None,
        shell_href=relative(LAUNCH_FILE),
        labels=labels,
    )


def _script_json(value: object) -> str:
    """JSON safe inside ``<script type="application/json">`` (no ``</script>`` breakout)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
