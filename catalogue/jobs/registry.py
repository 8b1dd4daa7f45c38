"""The job kinds and what a handler is given.

A handler is a plain function registered under its kind with ``@handler("build")``; it
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

HANDLERS: dict[str, Handler] = {}


class JobFailed(Exception):
    """The job cannot succeed with its input; ``message`` tells the teacher what to fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class JobLost(Exception):
    """This worker no longer holds the job (it was presumed dead and the job recovered):
    stop working on it and write nothing."""


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register ``function`` as the handler of jobs of ``kind``."""

    def register(function: Handler) -> Handler:
        if kind in HANDLERS and HANDLERS[kind] is not function:
            raise ValueError(f"two handlers for the job kind {kind!r}")
        HANDLERS[kind] = function
        return function

    return register


def load_handlers() -> dict[str, Handler]:
    """Every registered handler; the built-in kinds are imported on first use, not when the
    app is created (they pull in the whole builder)."""
    import catalogue.jobs.handlers  # noqa: F401  (registers "build" and "validate")

    return HANDLERS


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
