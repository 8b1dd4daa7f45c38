"""Running the hostile corpus through every surface a stranger's file reaches.

Each ``run_*`` function feeds one case to one surface and returns what happened
(`Observed`): the verdict, the rule ids, whether it crashed (a traceback, an internal
error, a 5xx) and whether anything was written outside the place it may write to. The
tests assert on each case; `figures_of` counts them all for ``docs/security.md``
(``tools/security_report.py``), so that the figures there are the ones the tests see.

"Outside" is checked with a sentinel layout: every run happens with the current folder
set to ``root/work/target``, beside an empty ``root/outside`` that a zip-slip entry
(``../../outside/pwned.html``) would land in, and no absolute path a case names may
appear either.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from scorm_builder.cli import main
from tests.hostile.corpus import (
    FOLDERS,
    PACKAGES,
    TEACHER_FILES,
    Case,
    Figures,
    FolderCase,
    write_case,
    write_folder,
)

#: Absolute paths that cases name: none may exist after a run.
ABSOLUTE_TARGETS = (Path("/tmp/sandyq-pwned.html"), Path("C:/sandyq-pwned.html"))

#: Zip problems `sandyq inspect` lists that are warnings in the validator.
_WARNING_PROBLEMS = ("reserved-name",)


@dataclass(frozen=True)
class Observed:
    """What one surface did with one case."""

    verdict: str
    rules: tuple[str, ...] = ()
    crashed: bool = False
    outside: bool = False
    output: str = ""


class Sentinel:
    """A run's folders: ``work/target`` (the current folder while it runs), ``inputs`` and
    ``outputs`` (where it may write) and ``outside`` (where nothing may appear)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.target = root / "work" / "target"
        self.inputs = root / "inputs"
        self.outputs = root / "outputs"
        self.outside = root / "outside"
        for folder in (self.target, self.inputs, self.outputs, self.outside):
            folder.mkdir(parents=True, exist_ok=True)

    def _snapshot(self) -> set[Path]:
        allowed = (self.inputs, self.outputs)
        return {
            path
            for path in self.root.rglob("*")
            if not any(path == a or a in path.parents for a in allowed)
        }

    @contextlib.contextmanager
    def watch(self) -> Iterator[list[bool]]:
        """Run the block inside ``work/target``; the yielded flag is set when a file
        appeared anywhere but in ``inputs`` and ``outputs``."""
        before = self._snapshot()
        flag = [False]
        with contextlib.chdir(self.target):
            yield flag
        appeared = self._snapshot() - before
        flag[0] = bool(appeared) or any(path.exists() for path in ABSOLUTE_TARGETS)


def _crashed(output: str, code: int, expected: tuple[int, ...]) -> bool:
    return "Traceback" in output or code not in expected


def _invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        text = "".join(traceback.format_exception(result.exception))
        return 99, result.output + text
    return result.exit_code, result.output


def run_validate(path: Path, sentinel: Sentinel) -> Observed:
    with sentinel.watch() as outside:
        code, output = _invoke(["validate", "--json", "--lang", "en", str(path)])
    if _crashed(output, code, (0, 1)):
        return Observed("crashed", crashed=True, outside=outside[0], output=output)
    (report,) = json.loads(output)
    findings = report["findings"]
    errors = tuple(f["rule"] for f in findings if f["severity"] == "error")
    warnings = tuple(f["rule"] for f in findings if f["severity"] == "warning")
    verdict = "refused" if errors else "warned" if warnings else "accepted"
    if (code == 1) != (verdict == "refused"):
        return Observed("crashed", crashed=True, outside=outside[0], output=output)
    return Observed(verdict, errors + warnings, outside=outside[0], output=output)


def run_inspect(path: Path, sentinel: Sentinel) -> Observed:
    with sentinel.watch() as outside:
        code, output = _invoke(["inspect", "--json", str(path)])
        _, text = _invoke(["inspect", str(path)])
    if _crashed(output + text, code, (0,)):
        return Observed("crashed", crashed=True, outside=outside[0], output=output + text)
    (summary,) = json.loads(output)
    problems: list[str] = summary["problems"]
    serious = [p for p in problems if not p.startswith(_WARNING_PROBLEMS)]
    verdict = "refused" if serious else "warned" if problems else "accepted"
    # an entry name with a newline or ESC must not reach the terminal as it is
    forged = "\x1b" in text or "bad\nname" in text
    return Observed(verdict, crashed=forged, outside=outside[0], output=text)


def run_build(source: Path, sentinel: Sentinel, name: str, *extra: str) -> Observed:
    output_zip = sentinel.outputs / f"{name}.zip"
    with sentinel.watch() as outside:
        code, output = _invoke(["build", str(source), "-o", str(output_zip), *extra])
    if _crashed(output, code, (0, 1)):
        return Observed("crashed", crashed=True, outside=outside[0], output=output)
    if code == 0:
        return Observed("accepted", outside=outside[0], output=output)
    # refused: a clear message and no zip, not even a partial one
    clear = "error:" in output and not list(sentinel.outputs.glob(f"{name}*"))
    return Observed("refused", crashed=not clear, outside=outside[0], output=output)


def build_case(case: Case, sentinel: Sentinel) -> Observed:
    path = write_case(case, sentinel.inputs / case.id)
    return run_build(path, sentinel, case.id, "--lang", "kk", "--title", "Сабақ")


def build_folder(case: FolderCase, sentinel: Sentinel) -> Observed:
    return run_build(write_folder(case, sentinel.inputs / case.id), sentinel, case.id)


# ---- the catalogue -----------------------------------------------------------------------


def _api_observed(status: int, body: object) -> Observed:
    if status >= 500 or not isinstance(body, dict):
        return Observed("crashed", crashed=True, output=str(body))
    if status == 201:
        validation = body.get("latest_version", body).get("validation", {})
        findings = validation.get("findings", [])
        warnings = tuple(f["rule"] for f in findings if f.get("severity") == "warning")
        return Observed("warned" if warnings else "accepted", warnings)
    details = body.get("error", body).get("details") or {}
    rules = tuple(f["rule"] for f in details.get("findings", []))
    return Observed("refused", rules, output=json.dumps(body, ensure_ascii=False))


def run_upload_api(client: object, headers: dict[str, str], data: bytes, filename: str) -> Observed:
    """POST /api/v1/resources with the package, as a teacher's script would."""
    from flask.testing import FlaskClient

    assert isinstance(client, FlaskClient)
    response = client.post(
        "/api/v1/resources",
        data={"package": (io.BytesIO(data), filename), "title_kk": "Ньютон заңдары"},
        headers=headers,
        content_type="multipart/form-data",
    )
    return _api_observed(response.status_code, response.get_json(silent=True))


def run_upload_web(client: object, app: object, csrf: str, data: bytes, filename: str) -> Observed:
    """The teacher's upload form (POST /upload): a validation job, then its result."""
    import sqlalchemy as sa
    from flask import Flask
    from flask.testing import FlaskClient

    from catalogue.db import db
    from catalogue.jobs import steps
    from catalogue.models import Job, JobState

    assert isinstance(client, FlaskClient) and isinstance(app, Flask)
    response = client.post(
        "/upload",
        data={"csrf_token": csrf, "package": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )
    if response.status_code >= 500:
        return Observed("crashed", crashed=True, output=response.get_data(as_text=True))
    if response.status_code != 302:
        return Observed("refused", output=response.get_data(as_text=True)[:500])
    with app.app_context():
        job = db.session.scalar(sa.select(Job).order_by(Job.created_at.desc(), Job.id.desc()))
        assert job is not None
        state, error, result = job.state, job.error, dict(job.result or {})
    if state is JobState.FAILED:
        if error == steps.NOT_A_ZIP:
            return Observed("refused", ("ZIP-NOT-ZIP",))
        return Observed("crashed", crashed=True, output=str(error))
    findings = result.get("findings", [])
    errors = tuple(f["rule"] for f in findings if f["severity"] == "error")
    warnings = tuple(f["rule"] for f in findings if f["severity"] == "warning")
    if not result.get("valid"):
        return Observed("refused", errors)
    return Observed("warned" if warnings else "accepted", warnings)


@contextlib.contextmanager
def catalogue_client(root: Path) -> Iterator[tuple[object, object, dict[str, str], str]]:
    """A catalogue on a fresh, migrated SQLite database in ``root``, with a teacher:
    (app, client signed in as the teacher, the teacher's API headers, a CSRF token)."""
    from flask_migrate import upgrade

    from catalogue import create_app
    from catalogue.db import db
    from catalogue.jobs import stop_worker
    from catalogue.models import Role
    from tests.support.catalogue import add_user, csrf_token, sign_in

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{root / 'catalogue.sqlite3'}",
            "DATA_DIR": str(root / "data"),
            "SECRET_KEY": "hostile",
            "UPLOAD_LIMITS": "100000 per hour",
        }
    )
    with app.app_context():
        upgrade()
    teacher = add_user(app, "aliya@mektep.kz", Role.TEACHER, name="Әлия Нұрланова")
    client = app.test_client()
    sign_in(client, teacher)
    try:
        yield app, client, teacher.auth, csrf_token(client)
    finally:
        stop_worker(app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def stored_outside(app: object, sentinel: Sentinel) -> bool:
    """True when the catalogue's data folder holds a file a package's entry named."""
    from flask import Flask

    assert isinstance(app, Flask)
    data = Path(app.config["DATA_DIR"])
    return any("pwned" in path.name for path in data.rglob("*")) or any(sentinel.outside.iterdir())


# ---- the whole corpus, for docs/security.md ----------------------------------------------

SURFACES = ("validate", "inspect", "build", "upload (API)", "upload (web)")


Results = dict[str, dict[str, Observed]]


def run_corpus(root: Path) -> Results:
    """Every case through every surface it reaches: surface -> case id -> what happened.
    ``root`` is a scratch folder; the whole run takes some 25 seconds."""
    results: Results = {surface: {} for surface in SURFACES}
    sentinel = Sentinel(root / "cli")
    paths = {case.id: write_case(case, sentinel.inputs / case.id) for case in PACKAGES}
    for case in PACKAGES:
        results["validate"][case.id] = run_validate(paths[case.id], sentinel)
        results["inspect"][case.id] = run_inspect(paths[case.id], sentinel)
    for case in TEACHER_FILES:
        results["build"][case.id] = build_case(case, sentinel)
    for folder in FOLDERS:
        results["build"][folder.id] = build_folder(folder, sentinel)
    with catalogue_client(root / "catalogue") as (app, client, headers, csrf):
        for case in PACKAGES:
            data = paths[case.id].read_bytes()
            api = run_upload_api(client, headers, data, case.filename)
            web = run_upload_web(client, app, csrf, data, case.filename)
            outside = stored_outside(app, sentinel)
            for surface, seen in (("upload (API)", api), ("upload (web)", web)):
                results[surface][case.id] = Observed(
                    seen.verdict, seen.rules, seen.crashed, outside, seen.output
                )
    return results


def expected(case_id: str) -> str:
    """The verdict the corpus expects of a case."""
    found = next(c for c in (*PACKAGES, *TEACHER_FILES, *FOLDERS) if c.id == case_id)
    return found.expect.verdict


def figures_of(results: Results) -> dict[str, Figures]:
    """The counts of each surface; a case that went otherwise than expected is a surprise."""
    figures = {surface: Figures() for surface in SURFACES}
    for surface, seen in results.items():
        for case_id, observed in seen.items():
            figures[surface].add(
                observed.verdict, crashed=observed.crashed, outside=observed.outside
            )
            if observed.crashed or observed.outside or observed.verdict != expected(case_id):
                figures[surface].surprises[case_id] = observed.verdict
    return figures


def figures_table(figures: dict[str, Figures]) -> str:
    """The Markdown table docs/security.md carries between its markers."""
    lines = [
        "| surface | inputs | refused | warned | accepted | crashed | wrote outside |",
        "|---|---|---|---|---|---|---|",
    ]
    for surface, f in figures.items():
        lines.append(
            f"| {surface} | {f.inputs} | {f.refused} | {f.warned} | {f.accepted} "
            f"| {f.crashed} | {f.wrote_outside} |"
        )
    return "\n".join(lines)


def classes() -> list[str]:
    """Every class of input the corpus covers, in order, for the docs."""
    kinds = [c.kind for c in (*PACKAGES, *TEACHER_FILES)] + [f.kind for f in FOLDERS]
    return list(dict.fromkeys(kinds))


if __name__ == "__main__":  # pragma: no cover - `python -m tests.hostile.runner`
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        print(figures_table(figures_of(run_corpus(Path(scratch)))))
