"""What a job is doing and why it failed, in the visitor's language.

A job stores language-neutral keys (``Job.step``) and English error texts (``Job.error``);
the page translates them when it shows them, so a job started by a Kazakh-speaking
teacher reads right to an administrator who uses Russian.
"""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext
from flask_babel.speaklater import LazyString

QUEUED = "queued"
READING = "reading"
TRANSCODING = "transcoding"
PACKAGING = "packaging"
VALIDATING = "validating"
STORING = "storing"
DONE = "done"

#: Step key -> its label on the progress page.
STEP_LABELS: dict[str, LazyString] = {
    QUEUED: lazy_gettext("Waiting for a free worker"),
    READING: lazy_gettext("Reading the files"),
    TRANSCODING: lazy_gettext("Converting the video for slow connections"),
    PACKAGING: lazy_gettext("Making the SCORM package"),
    VALIDATING: lazy_gettext("Checking the package"),
    STORING: lazy_gettext("Saving the package"),
    DONE: lazy_gettext("Done"),
}

#: Errors the job machinery itself writes (English, as stored).
WORKER_STOPPED = "the worker stopped during the job"
NOT_A_ZIP = "the file is not a ZIP archive: export the course as a SCORM package (.zip)"
TIMED_OUT = "the job took too long and was stopped"
UNEXPECTED = (
    "something went wrong on the server; try again, and tell the administrator if it fails again"
)

#: Stored error text -> what the page shows instead, in the visitor's language.
ERROR_LABELS: dict[str, LazyString] = {
    WORKER_STOPPED: lazy_gettext(
        "The server stopped while it was working on this. Start again; your files were not lost."
    ),
    NOT_A_ZIP: lazy_gettext(
        "The file is not a ZIP archive. Export the course from your authoring tool as a "
        "SCORM package (.zip) and upload that."
    ),
    TIMED_OUT: lazy_gettext("This took too long and was stopped. Try a shorter video."),
    UNEXPECTED: lazy_gettext(
        "Something went wrong on the server. Try again, and tell the administrator if it "
        "fails again."
    ),
}


def step_label(step: str) -> str:
    """The label of ``step``; an unknown (newer) key shows as it is rather than failing."""
    label = STEP_LABELS.get(step)
    return str(label) if label is not None else step


def error_label(error: str) -> str:
    """The stored error as the page shows it: translated when the machinery wrote it; a
    builder's message (which names the file and line, in English for now) introduced by a
    sentence in the visitor's language."""
    label = ERROR_LABELS.get(error)
    if label is not None:
        return str(label)
    if not error:
        return ""
    return str(
        gettext("The file has a problem to fix (details in English): %(detail)s", detail=error)
    )
