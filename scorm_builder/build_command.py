"""``sandyq build``: a course folder, or a single lesson, test or video, into a SCORM package."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import cast

import click

from scorm_builder.build import build_package
from scorm_builder.errors import ScormError
from scorm_builder.model import LANGUAGES, Edition, ScormVersion
from scorm_builder.readers import ReadOptions
from scorm_builder.readers.course_folder import VIDEO_QUALITIES
from scorm_builder.readers.single_file import MetadataFlags


class ProgressBar:
    """A one-line bar with percentage and time left, on stderr when it is a terminal.

    Elsewhere (CI logs, the catalogue's worker) it prints a line per 10 % instead, so a
    long transcode is never silent and never floods a log.
    """

    def __init__(self) -> None:
        self.task = ""
        self.started = 0.0
        self.last_step = -1
        self.interactive = sys.stderr.isatty()

    def __call__(self, task: str, fraction: float) -> None:
        now = time.monotonic()
        if task != self.task:
            self.task, self.started, self.last_step = task, now, -1
        fraction = min(max(fraction, 0.0), 1.0)
        elapsed = now - self.started
        left = elapsed / fraction - elapsed if fraction > 0.01 else None
        eta = f"{int(left // 60)}:{int(left % 60):02d} left" if left is not None else "…"
        if self.interactive:
            filled = int(fraction * 30)
            bar = "#" * filled + "-" * (30 - filled)
            click.echo(f"\r{task} [{bar}] {fraction:4.0%} {eta}   ", nl=fraction >= 1.0, err=True)
        elif int(fraction * 10) > self.last_step:
            self.last_step = int(fraction * 10)
            click.echo(f"{task}: {fraction:.0%} ({eta})", err=True)


@click.command("build")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the zip; a missing folder is made (and said).",
)
@click.option("--scorm", type=click.Choice(["1.2", "2004"]), help="SCORM version.")
@click.option("--edition", type=click.Choice(["3", "4"]), help="SCORM 2004 edition.")
@click.option("--single-sco", is_flag=True, default=None, help="Pack every part into one SCO.")
@click.option("--split", type=click.Choice(["h1", "h2"]), help="Word lessons: a page per heading.")
@click.option("--video-quality", type=click.Choice(VIDEO_QUALITIES), help="Video size.")
@click.option(
    "--captions",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Caption file of a video (.srt/.vtt, named like lecture.kk.srt); repeatable.",
)
@click.option("--title", help="Course title (single files).")
@click.option("--lang", "language", type=click.Choice(LANGUAGES), help="Content language.")
@click.option("--subject", help="Subject code, e.g. physics.")
@click.option("--grade", "grades", type=click.IntRange(0, 12), multiple=True, help="School year.")
@click.option("--license", "license_id", help="Licence, e.g. CC-BY-4.0.")
@click.option("--author", "authors", multiple=True, help="Author's full name; repeatable.")
def build_command(
    source: Path,
    output: Path | None,
    scorm: str | None,
    edition: str | None,
    single_sco: bool | None,
    split: str | None,
    video_quality: str | None,
    captions: tuple[Path, ...],
    title: str | None,
    language: str | None,
    subject: str | None,
    grades: tuple[int, ...],
    license_id: str | None,
    authors: tuple[str, ...],
) -> None:
    """Build a SCORM package from SOURCE: a folder holding course.toml, or one file
    (a Word lesson .docx, a GIFT or Aiken test .gift/.txt, a video .mp4/.mov/.webm/.mkv).
    """
    options = ReadOptions(
        work_dir=Path("."),
        scorm=cast(ScormVersion | None, scorm),
        edition=cast(Edition | None, int(edition) if edition else None),
        single_sco=single_sco,
        video_quality=video_quality,
        split=split,
        progress=ProgressBar(),
    )
    flags = MetadataFlags(
        title=title,
        language=language,
        subject=subject,
        grades=grades,
        license=license_id,
        authors=authors,
    )
    # The zip's folder is made when missing (as `mkdir -p`), and said, so that a typo in
    # -o does not leave the package somewhere unexpected without a word.
    new_folder = output.parent if output is not None and not output.parent.exists() else None
    try:
        result = build_package(source, output, options=options, flags=flags, captions=captions)
    except ScormError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(1) from None
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if new_folder is not None:
        click.echo(f"note: made the folder {new_folder}, which did not exist", err=True)
    click.echo(
        f"{result.output}: {result.label}, {len(result.course.parts)} parts, "
        f"{result.file_count} files, {result.size / 1024:.0f} KB"
    )
