"""One language per answer, the caller's: an error says its ``message`` (and the sentences of
its ``details``) in the locale the pages use (the locale cookie, else Accept-Language, else
Kazakh), names it in ``Content-Language``, and keeps the English developer text for the log.

Every code the catalogue can answer has a text in ``catalogue.error_texts``: the codes are
collected from the source (``code=`` of every call, the error classes' own ``code``, the
workflow's refusals, the few codes made at run time) and from the app's error handlers, so a
new code without a text fails here.
"""

from __future__ import annotations

import ast
import html
import importlib
import io
import logging
import re
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from werkzeug.exceptions import default_exceptions
from werkzeug.test import TestResponse

from catalogue import CSRF_CODE, http_error_code
from catalogue.error_texts import ERROR_TEXTS, UNEXPECTED
from catalogue.errors import CatalogueError
from catalogue.i18n import LOCALE_COOKIE
from catalogue.models import Role, TokenScope
from catalogue.web.common import pages
from catalogue.workflow import Refused
from scorm_builder.validate import validate_package
from scorm_builder.validate.messages import render
from scorm_builder.vocabulary import GRADES, LANGUAGES
from tests.catalogue.test_web_locales import catalog, untranslated_english
from tests.conftest import REPO, catalogue_app
from tests.support.catalogue import Person, add_user, sample_package
from tests.support.error_texts import said

SOURCE = REPO / "catalogue"
LOCALES = ("kk", "ru", "en")

# ---- every code the catalogue answers has a text ------------------------------------------


def _body_field_codes() -> set[str]:
    """``schemas.Body.parse`` answers ``invalid_<field>`` (``invalid_body`` without one)."""
    from catalogue.api.schemas import Body

    codes, waiting = {"invalid_body"}, list(Body.__subclasses__())
    while waiting:
        model = waiting.pop()
        waiting.extend(model.__subclasses__())
        codes |= {f"invalid_{name}" for name in model.model_fields}
    return codes


#: The codes made at run time, by where they are made: (file, the ``code=`` expression).
DYNAMIC: dict[tuple[str, str], Callable[[], set[str]]] = {
    ("auth.py", "f'{scope.value}_token_required'"): lambda: {
        f"{scope.value}_token_required" for scope in TokenScope
    },
    ("api/schemas.py", "f'invalid_{name}'"): _body_field_codes,
    # the workflow's refusals, collected from its ``Refused(code, ...)`` calls below
    ("services/review/base.py", "refused.code"): set,
}


def _module(path: Path) -> object:
    name = ".".join(path.relative_to(REPO).with_suffix("").parts)
    return importlib.import_module(name.removesuffix(".__init__"))


def source_codes() -> set[str]:
    """Every error code in ``catalogue/``, read with ``ast``."""
    codes: set[str] = set()
    unknown: list[str] = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        where = path.relative_to(SOURCE).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = None
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg != "code":
                        continue
                    value = keyword.value
                    if isinstance(value, ast.Constant):
                        if isinstance(value.value, str):  # not a redirect's code=303
                            codes.add(value.value)
                    elif (where, ast.unparse(value)) in DYNAMIC:
                        codes |= DYNAMIC[(where, ast.unparse(value))]()
                    else:
                        unknown.append(f"{where}:{node.lineno}: code={ast.unparse(value)}")
                called = node.func
                name = called.id if isinstance(called, ast.Name) else ""
                if name == "Refused" and node.args and isinstance(node.args[0], ast.Constant):
                    module = module or _module(path)
                    if getattr(module, "Refused", None) is Refused:  # not the preview's own
                        codes.add(str(node.args[0].value))
            elif isinstance(node, ast.ClassDef):
                for statement in node.body:
                    if (
                        isinstance(statement, ast.Assign)
                        and any(
                            isinstance(t, ast.Name) and t.id == "code" for t in statement.targets
                        )
                        and isinstance(statement.value, ast.Constant)
                    ):
                        module = module or _module(path)
                        cls = getattr(module, node.name)
                        if issubclass(cls, CatalogueError):  # not OAI-PMH's protocol errors
                            codes.add(str(statement.value.value))
    assert not unknown, f"a code made at run time: list its values in DYNAMIC: {unknown}"
    return codes


def handler_codes() -> set[str]:
    """What the app's own handlers answer: werkzeug's errors and the CSRF refusal."""
    return {http_error_code(error()) for error in default_exceptions.values()} | {CSRF_CODE}


def test_every_code_the_catalogue_answers_has_a_text() -> None:
    codes = source_codes() | handler_codes()
    assert {"package_invalid", "bad_request", "results_token_required", "gate_failed"} <= codes
    assert {"invalid_reviewer_ids", "csrf_failed", "method_not_allowed"} <= codes
    assert "badVerb" not in codes  # OAI-PMH answers its own errors
    missing = sorted(codes - set(ERROR_TEXTS))
    assert not missing, f"codes without a text in catalogue/error_texts.py: {missing}"
    unused = sorted(set(ERROR_TEXTS) - codes)
    assert not unused, f"texts of codes nobody answers: {unused}"


@pytest.fixture
def sqlite_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    with catalogue_app(request, tmp_path, "sqlite") as application:
        yield application


def test_every_text_is_said_in_kazakh_and_russian(sqlite_app: Flask) -> None:
    for code in ERROR_TEXTS:
        english = said(sqlite_app, "en", code)
        for locale in ("kk", "ru"):
            assert said(sqlite_app, locale, code) != english, (code, locale)


# ---- the API ---------------------------------------------------------------------------


#: How a caller says their language, and the one they get.
ASKED = [
    pytest.param({}, None, "kk", id="nothing: Kazakh"),
    pytest.param({"Accept-Language": "kk-KZ,kk;q=0.9"}, None, "kk", id="kk-KZ"),
    pytest.param({"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}, None, "ru", id="ru-RU"),
    pytest.param({"Accept-Language": "en-US,en;q=0.9"}, None, "en", id="en-US"),
    pytest.param({"Accept-Language": "en"}, "ru", "ru", id="cookie ru over en"),
    pytest.param({"Accept-Language": "ru"}, "kk", "kk", id="cookie kk over ru"),
]


def asking(client: FlaskClient, cookie: str | None) -> FlaskClient:
    if cookie is not None:
        client.set_cookie(LOCALE_COOKIE, cookie)
    return client


def assert_said(app: Flask, response: TestResponse, code: str, locale: str) -> None:
    error = response.json["error"]  # type: ignore[index]
    assert error["code"] == code
    assert error["message"] == said(app, locale, code)
    assert response.headers["Content-Language"] == locale


@pytest.mark.parametrize(("headers", "cookie", "locale"), ASKED)
def test_an_api_error_speaks_the_callers_language(
    app: Flask,
    client: FlaskClient,
    caplog: pytest.LogCaptureFixture,
    headers: dict[str, str],
    cookie: str | None,
    locale: str,
) -> None:
    missing = str(uuid.uuid4())
    caplog.set_level(logging.INFO, logger="catalogue")
    response = asking(client, cookie).get(f"/api/v1/resources/{missing}", headers=headers)
    assert response.status_code == 404
    assert_said(app, response, "resource_not_found", locale)
    # the developer's English stays in the log, not in the answer
    assert f"there is no resource {missing}" in caplog.text
    assert "there is no resource" not in response.get_data(as_text=True)


@pytest.mark.parametrize(("headers", "cookie", "locale"), ASKED[:4])
def test_the_handlers_own_answers_speak_it_too(
    app: Flask, client: FlaskClient, headers: dict[str, str], cookie: str | None, locale: str
) -> None:
    nowhere = asking(client, cookie).get("/api/v1/nowhere", headers=headers)
    assert nowhere.status_code == 404
    assert_said(app, nowhere, "not_found", locale)
    wrong_method = client.put("/api/v1/openapi.json", headers=headers)
    assert wrong_method.status_code == 405
    assert_said(app, wrong_method, "method_not_allowed", locale)
    unsigned = client.post("/api/v1/resources", headers=headers)
    assert unsigned.status_code == 401
    assert_said(app, unsigned, "unauthenticated", locale)


# ---- a refused package: its message and its findings in one language ---------------------


@pytest.fixture(scope="module")
def newton(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return sample_package(tmp_path_factory.mktemp("newton")).read_bytes()


@pytest.fixture
def teacher(app: Flask) -> Person:
    return add_user(app, "aliya@mektep.kz", Role.TEACHER, name="Әлия Нұрланова")


def upload(
    client: FlaskClient, package: bytes, headers: dict[str, str], **fields: str
) -> TestResponse:
    data: dict[str, object] = {"package": (io.BytesIO(package), "Ньютон.zip"), **fields}
    return client.post(
        "/api/v1/resources", data=data, headers=headers, content_type="multipart/form-data"
    )


def broken(package: bytes) -> bytes:
    """The package without one of its images: an error the validator names."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != "content/pages/img/inertia.png":
                target.writestr(info, source.read(info))
    return out.getvalue()


@pytest.mark.parametrize(("headers", "cookie", "locale"), ASKED)
def test_an_invalid_package_is_refused_in_one_language(
    app: Flask,
    client: FlaskClient,
    teacher: Person,
    newton: bytes,
    tmp_path: Path,
    headers: dict[str, str],
    cookie: str | None,
    locale: str,
) -> None:
    package = broken(newton)
    response = upload(asking(client, cookie), package, {**teacher.auth, **headers})

    assert response.status_code == 422
    assert_said(app, response, "package_invalid", locale)
    findings = response.json["error"]["details"]["findings"]  # type: ignore[index]
    (tmp_path / "broken.zip").write_bytes(package)
    expected = validate_package(tmp_path / "broken.zip").findings
    assert [f["rule"] for f in findings] == [f.rule for f in expected]
    assert "FILE-MISSING" in [f["rule"] for f in findings]
    assert [f["message"] for f in findings] == [render(f, locale).message for f in expected]
    assert [f["hint"] for f in findings] == [render(f, locale).hint for f in expected]


# ---- a metadata error's fields ----------------------------------------------------------


def field_texts(app: Flask, locale: str) -> dict[str, str]:
    """What the fields sent below are told, from the catalog of ``locale``."""
    with app.test_request_context(), force_locale(locale):
        return {
            "language": gettext("Give one of: %(choices)s.", choices=", ".join(LANGUAGES)),
            "grades": gettext(
                "Grades are whole numbers from %(first)s to %(last)s.",
                first=GRADES[0],
                last=GRADES[-1],
            ),
            "learning_minutes": gettext("Give the minutes as a whole number from 1 to 10000."),
            "titel_kk": gettext("There is no such field."),
        }


@pytest.mark.parametrize(("headers", "cookie", "locale"), ASKED)
def test_a_metadata_errors_fields_are_in_the_callers_language(
    app: Flask,
    client: FlaskClient,
    teacher: Person,
    newton: bytes,
    headers: dict[str, str],
    cookie: str | None,
    locale: str,
) -> None:
    response = upload(
        asking(client, cookie),
        newton,
        {**teacher.auth, **headers},
        language="de",
        grades="7,13",
        learning_minutes="many",
        titel_kk="typo",
    )

    assert response.status_code == 422
    assert_said(app, response, "metadata_invalid", locale)
    fields = response.json["error"]["details"]["fields"]  # type: ignore[index]
    assert fields == field_texts(app, locale)
    if locale != "en":
        english = field_texts(app, "en")
        assert all(fields[name] != english[name] for name in fields)


def test_the_missing_title_is_said_in_the_callers_language(
    app: Flask, client: FlaskClient, teacher: Person, newton: bytes
) -> None:
    """The title is checked after the package, once the manifest's title is known."""
    response = upload(client, newton, {**teacher.auth, "Accept-Language": "ru"}, title_kk="")
    assert response.status_code == 422
    assert_said(app, response, "metadata_invalid", "ru")
    assert response.json["error"]["details"]["fields"] == {  # type: ignore[index]
        "title": "Укажите название хотя бы на одном языке."
    }


# ---- a page -------------------------------------------------------------------------------


def visible_text(page: str) -> str:
    without_code = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", without_code))


def test_a_kazakh_page_never_shows_the_english_text(sqlite_app: Flask) -> None:
    """Even a code that (by mistake) has no text: the page says the general one, in Kazakh."""
    english = "a brand-new refusal that nobody has translated"

    def refuse() -> str:
        raise CatalogueError(english, code="brand_new_code")

    sqlite_app.add_url_rule("/refused-for-a-test", "refused_for_a_test", refuse)
    page = sqlite_app.test_client().get("/refused-for-a-test")  # no Accept-Language: Kazakh

    assert page.status_code == 400
    text = visible_text(page.get_data(as_text=True))
    assert english not in text
    with sqlite_app.test_request_context(), force_locale("kk"):
        told = pages.error_message(CatalogueError(english, code="brand_new_code"))
        assert told == str(UNEXPECTED)
    assert told == said(sqlite_app, "kk", "internal_server_error")
    assert told != said(sqlite_app, "en", "internal_server_error")
    assert told in text
    leaks = [phrase.text for phrase in untranslated_english(catalog("kk")) if phrase.found_in(text)]
    assert leaks == []


@pytest.mark.parametrize("code", ["user_not_found", "usage_invalid", "bad_json", "forbidden"])
def test_codes_the_pages_once_said_in_english_are_kazakh_now(sqlite_app: Flask, code: str) -> None:
    with sqlite_app.test_request_context(), force_locale("kk"):
        told = pages.error_message(CatalogueError("the developer's English", code=code))
    assert told == said(sqlite_app, "kk", code) != said(sqlite_app, "en", code)
