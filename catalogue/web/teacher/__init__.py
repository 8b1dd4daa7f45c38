"""The teacher's pages: build a package, upload one, follow one's resources through the
council's review, and bring an offline library's results.

One blueprint (``teacher``, made in ``base`` with what the pages share) whose views live
in three modules: ``build`` (the build and upload forms and the result of their background
job, from which a resource is made), ``resources`` (the list of one's resources and each
resource's page) and ``offline`` (the upload of an offline library's results file).
Importing them here registers their views on ``bp``; the names below are the blueprint's
endpoints.
"""

from __future__ import annotations

from catalogue.web.teacher.base import bp
from catalogue.web.teacher.build import build, built, upload
from catalogue.web.teacher.offline import offline_results
from catalogue.web.teacher.resources import (
    edit,
    mine,
    resource,
    resubmit,
    revise,
    submit,
    withdraw,
)

__all__ = [
    "bp",
    "build",
    "built",
    "edit",
    "mine",
    "offline_results",
    "resource",
    "resubmit",
    "revise",
    "submit",
    "upload",
    "withdraw",
]
