"""The job kinds and what a handler is given.

A handler is a plain function listed under its kind in the table ``HANDLERS`` at the end
of ``catalogue.jobs.handlers`` (read on first use: it pulls in the whole builder); it
receives a ``JobContext`` and returns the job's result (JSON). It reports long work with
``ctx.progress(fraction, step)`` and refuses bad input with ``JobFailed(message)``, whose
message the teacher reads on the progress page, so it says what to change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask

JobResult = dict[str, Any]
Handler = Callable[["JobContext"], JobResult]
#: (fraction done 0..1, step key) -> None; raises ``JobLost`` when the job was taken away.
ProgressReporter = Callable[[float, str], None]

#: Every job kind; ``catalogue.jobs.handlers.HANDLERS`` maps each to its function (a test
#: checks the two agree), so ``enqueue`` can refuse an unknown kind without the builder.
JOB_KINDS: tuple[str, ...] = ("build", "validate")


class JobFailed(Exception):
    """The job cannot succeed with its input; ``message`` tells the teacher what to fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class JobLost(Exception):
    """This worker no longer holds the job (it was presumed dead and the job recovered):
    stop working on it and write nothing."""


def _no_progress(fraction: float, step: str) -> None:
    """Reports nowhere (a context built outside a worker, e.g. in a unit test)."""


@dataclass
class JobContext:
    """What a handler works with: its parameters, the folder of its input files (named as
    given to ``enqueue``), a private work folder wiped before each attempt, and the app."""

    job_id: str
    params: dict[str, Any]
    inputs: Path
    workdir: Path
    app: Flask
    reporter: ProgressReporter = field(default=_no_progress, repr=False)

    def progress(self, fraction: float, step: str) -> None:
        """Record how far the job is (0..1) and what it is doing (a ``STEP_LABELS`` key)."""
        self.reporter(min(max(fraction, 0.0), 1.0), step)
