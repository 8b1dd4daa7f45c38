"""Rendering: the course model becomes the files of a package, before any manifest.

The result, ``RenderedPackage``, says which files exist and which of them make up each
SCO, so the SCORM writers only have to describe it. Each part is one SCO played by the
player shell, or, with ``single_sco``, all parts are the pages of one SCO. A lesson page,
a quiz and a video are each a page of the shell; a package of several SCOs also gets a
course menu (``index.html``) so it can be opened from a USB stick with no LMS.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from scorm_builder.model import Course, LessonPart, Page, Part, QuizPart, VideoPart
from scorm_builder.render.labels import LABELS

ASSETS_DIR = "sandyq"
LAUNCH_FILE = "index.html"

#: What a package file holds: bytes, or a big file on disk to stream.
FileData = bytes | Path


@dataclass(frozen=True)
class RenderedSco:
    """One SCO: its launch file, the files only it uses, and its mastery score if graded."""

    key: str
    title: str
    launch: str
    files: tuple[str, ...]
    mastery_score: int | None = None


@dataclass(frozen=True)
class RenderedPackage:
    """Every file of the package (but the manifest and schemas), grouped into SCOs."""

    files: dict[str, FileData]
    scos: tuple[RenderedSco, ...]
    shared: tuple[str, ...]


@dataclass(frozen=True)
class _PageSpec:
    """A page of a SCO before rendering: which part, which of its pages, what kind."""

    kind: str
    title: str
    path: str
    part: Part
    page: Page | None = None


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("scorm_builder.render", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


#: Assets only a page of that kind needs (``quiz.js``...); the rest every package carries.
_KIND_ASSETS = ("quiz", "video")


def runtime_assets(kinds: frozenset[str] = frozenset(_KIND_ASSETS)) -> dict[str, bytes]:
    """The player and runtime files a package with pages of ``kinds`` carries, by path.

    Every package has the shell, runtime and page files; the quiz and video players come
    only with a quiz or a video, so a plain lesson stays small on a slow line.
    """
    folder = resources.files("scorm_builder.render").joinpath("assets")
    assets = {}
    for item in sorted(folder.iterdir(), key=lambda item: item.name):
        kind = item.name.split(".")[0]
        if not item.is_file() or item.name.startswith("."):
            continue
        if kind in _KIND_ASSETS and kind not in kinds:
            continue
        assets[f"{ASSETS_DIR}/{item.name}"] = item.read_bytes()
    return assets


def render_course(course: Course) -> RenderedPackage:
    """Render every page, each SCO's player shell, the menu and the runtime."""
    env = environment()
    parts = course.parts
    groups = [parts] if course.options.single_sco or len(parts) == 1 else [(p,) for p in parts]
    files: dict[str, FileData] = {}
    scos = []
    for number, group in enumerate(groups, start=1):
        launch = LAUNCH_FILE if len(groups) == 1 else f"part-{number:02d}.html"
        sco_files = _render_group(env, course, group, launch, files)
        title = course.metadata.title if len(groups) == 1 else group[0].title
        navigation = {"continue": number < len(groups), "previous": number > 1}
        files[launch] = _render_shell(env, course, group, launch, str(number), navigation)
        scos.append(
            RenderedSco(
                key=str(number),
                title=title,
                launch=launch,
                files=(launch, *sorted(set(sco_files))),
                mastery_score=_mastery_score(group),
            )
        )
    kinds = frozenset(spec.kind for spec in _pages_of(parts))
    shared = runtime_assets(kinds)
    files.update(shared)
    shared_paths = set(shared)
    if len(groups) > 1:
        files[LAUNCH_FILE] = _render_menu(env, course, scos)
        shared_paths.add(LAUNCH_FILE)
    return RenderedPackage(files=files, scos=tuple(scos), shared=tuple(sorted(shared_paths)))


def _pages_of(group: tuple[Part, ...]) -> list[_PageSpec]:
    specs: list[_PageSpec] = []
    for part in group:
        if isinstance(part, LessonPart):
            specs.extend(
                _PageSpec("page", page.title, page.path, part, page) for page in part.pages
            )
        elif isinstance(part, QuizPart):
            specs.append(_PageSpec("quiz", part.title, part.path, part))
        else:
            specs.append(_PageSpec("video", part.title, part.path, part))
    return specs


def _assets_of(part: Part) -> list[tuple[str, FileData]]:
    if isinstance(part, LessonPart):
        return [(asset.path, asset.data) for asset in part.assets]
    if isinstance(part, VideoPart):
        assets = [part.video, *([part.poster] if part.poster else [])]
        assets += [track.asset for track in part.captions]
        return [(asset.path, asset.file or asset.data) for asset in assets]
    return []


def _render_group(
    env: jinja2.Environment,
    course: Course,
    group: tuple[Part, ...],
    launch: str,
    files: dict[str, FileData],
) -> list[str]:
    specs = _pages_of(group)
    sco_files = []
    for index, spec in enumerate(specs):
        common = _common_context(course, specs, index, launch)
        files[spec.path] = _render_page(env, spec, common).encode("utf-8")
        sco_files.append(spec.path)
    for part in group:
        for path, data in _assets_of(part):
            files[path] = data
            sco_files.append(path)
    return sco_files


def _common_context(
    course: Course, specs: list[_PageSpec], index: int, launch: str
) -> dict[str, Any]:
    """What every page template receives: language, titles and the links around the page."""
    here = posixpath.dirname(specs[index].path) or "."

    def relative(target: str) -> str:
        return posixpath.relpath(target, here)

    return {
        "lang": course.metadata.language,
        "title": specs[index].title,
        "course_title": course.metadata.title,
        "asset_prefix": relative(ASSETS_DIR) + "/",
        "index": index,
        "count": len(specs),
        "prev_href": relative(specs[index - 1].path) if index > 0 else None,
        "next_href": relative(specs[index + 1].path) if index + 1 < len(specs) else None,
        "shell_href": relative(launch),
        "labels": LABELS[course.metadata.language],
    }


def _render_page(env: jinja2.Environment, spec: _PageSpec, common: dict[str, Any]) -> str:
    if spec.kind == "quiz":
        from scorm_builder.render.quiz import render_quiz_page

        assert isinstance(spec.part, QuizPart)
        return render_quiz_page(env, spec.part, common)
    if spec.kind == "video":
        from scorm_builder.render.video import render_video_page

        assert isinstance(spec.part, VideoPart)
        return render_video_page(env, spec.part, common)
    assert spec.page is not None
    return env.get_template("page.html.j2").render(
        **common,
        head=Markup(spec.page.head),
        body=Markup(spec.page.body),
        has_h1=spec.page.has_h1,
    )


def _render_shell(
    env: jinja2.Environment,
    course: Course,
    group: tuple[Part, ...],
    launch: str,
    key: str,
    navigation: dict[str, bool],
) -> bytes:
    metadata = course.metadata
    pages = [
        {"title": spec.title, "href": spec.path, "kind": spec.kind} for spec in _pages_of(group)
    ]
    mastery = _mastery_score(group)
    config = {
        "scorm": course.options.scorm,
        "storageKey": f"sandyq:{metadata.identifier}:{metadata.version}:{key}",
        "pages": pages,
        "lang": metadata.language,
        "completion": {"rule": "all-pages"},
        "graded": mastery is not None,
        "passingScore": mastery,
        "navigation": navigation,
    }
    title = metadata.title if len(group) == len(course.parts) else group[0].title
    shell = env.get_template("player.html.j2").render(
        lang=metadata.language,
        course_title=metadata.title,
        sco_title=title,
        scorm_version=course.options.scorm,
        pages=pages,
        config_json=Markup(script_json(config)),
        labels=LABELS[metadata.language],
        asset_prefix=f"{ASSETS_DIR}/",
    )
    return shell.encode("utf-8")


def _render_menu(env: jinja2.Environment, course: Course, scos: list[RenderedSco]) -> bytes:
    metadata = course.metadata
    return (
        env.get_template("menu.html.j2")
        .render(
            lang=metadata.language,
            course_title=metadata.title,
            description=metadata.description,
            scos=scos,
            labels=LABELS[metadata.language],
            asset_prefix=f"{ASSETS_DIR}/",
        )
        .encode("utf-8")
    )


def _mastery_score(group: tuple[Part, ...]) -> int | None:
    """The passing percentage of a SCO's graded quizzes, weighted by their points."""
    quizzes = [part for part in group if isinstance(part, QuizPart) and part.graded]
    if not quizzes:
        return None
    weights = [sum(q.points for q in quiz.questions if q.graded) for quiz in quizzes]
    total = sum(weights) or 1.0
    return round(
        sum(quiz.passing_score * w for quiz, w in zip(quizzes, weights, strict=True)) / total
    )


def script_json(value: object) -> str:
    """JSON safe inside ``<script type="application/json">`` (no ``</script>`` breakout)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
