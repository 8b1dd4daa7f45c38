"""The teacher's pages: build a package, upload one, and follow one's resources through
the council's review.

One blueprint (``teacher``, made in ``base`` with what the pages share) whose views live
in two modules: ``build`` (the build and upload forms and the result of their background
job, from which a resource is made) and ``resources`` (the list of one's resources and each
resource's page). Importing them here registers their views on ``bp``; the names below are
the blueprint's endpoints.
"""

from __future__ import annotations

from catalogue.web.teacher.base import bp
from catalogue.web.teacher.build import build, built, upload
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
    "resource",
    "resubmit",
    "revise",
    "submit",
    "upload",
    "withdraw",
]
