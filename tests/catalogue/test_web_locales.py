"""Every page type rendered in Kazakh, Russian and English, in a real Chromium: the page says
which language it is in (``<html lang>``), and no English interface string shows through on
a Kazakh or Russian page.

tests/catalogue/test_translations.py checks the catalogs; this is the other half: what a visitor
actually sees. The English strings looked for are the catalog's own: every ``msgid`` of
``catalogue/translations/<locale>/LC_MESSAGES/messages.po`` whose ``msgstr`` differs from it
(an empty one too, which shows the English) and that has at least two English words. Each
becomes a pattern, its placeholders matching any text, and is searched for in the page's
visible text (``inner_text("body")``) and in what assistive technology reads out (the
document title, ``aria-label``, ``placeholder``, ``title`` and ``alt``). An English page is
checked the other way round: no Kazakh or Russian interface string on it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, FilePayload, Page, Response, expect

from catalogue.i18n import LOCALE_COOKIE, LOCALES
from catalogue.jobs.worker import Heartbeat, claim, engine_of
from catalogue.models import State
from tests.catalogue.test_web_council_browser import with_package, with_password
from tests.catalogue.test_web_teacher_resources import _revision_requested
from tests.conftest import REPO
from tests.support.catalogue import (
    PASSWORD,
    Person,
    add_resource,
    add_results_token,
    sample_package,
)
from tests.support.jobs import record_only, submit
from tests.support.review import (
    Council,
    assigned,
    council,
    draft,
    in_review,
    ok,
    post,
    reviewed,
    submitted,
)

TRANSLATIONS = REPO / "catalogue" / "translations"
DOCX = REPO / "samples" / "physics-7-course" / "newton-lesson.docx"
GIFT = REPO / "samples" / "physics-7-course" / "newton-test.gift"
#: A file the build form does not take.
NOT_BUILDABLE: FilePayload = {
    "name": "конспект.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n",
}

# ---- the catalogs: which interface strings must not show ---------------------------------

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")
ENGLISH_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
ANY_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True)
class Phrase:
    """An interface string as it would appear on a page: its placeholders match any text
    on one line, its spaces any run of spaces, and it stands as whole words."""

    text: str
    pattern: re.Pattern[str]

    @classmethod
    def of(cls, text: str) -> Phrase:
        parts: list[str] = []
        last = 0
        for found in PLACEHOLDER.finditer(text):
            parts.append(_literal(text[last : found.start()]))
            parts.append("%" if found.group() == "%%" else r"[^\n]+?")
            last = found.end()
        parts.append(_literal(text[last:]))
        body = "".join(parts)
        start = r"(?<!\w)" if re.match(r"\w", text) else ""
        end = r"(?!\w)" if re.search(r"\w$", text) else ""
        return cls(text, re.compile(start + body + end))

    def found_in(self, text: str) -> bool:
        return self.pattern.search(text) is not None


def _literal(text: str) -> str:
    return r"[ \t\u00a0]+".join(re.escape(word) for word in text.split(" ")) if text else ""


def _forms(values: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if values is None:
        return ()
    return (values,) if isinstance(values, str) else tuple(values)


def _words(text: str, word: re.Pattern[str]) -> int:
    return len(word.findall(PLACEHOLDER.sub(" ", text)))


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def untranslated_english(catalog: Catalog) -> list[Phrase]:
    """The English ``msgid``s (plural forms too) whose ``msgstr`` differs from them and that
    have at least two English words: what a page in the catalog's language must not show.
    A phrase that a translation itself contains (a product name kept in Latin letters, say)
    is left out."""
    messages = [m for m in catalog if m.id]
    translations = [s for m in messages for s in _forms(m.string) if s and s not in _forms(m.id)]
    phrases: list[Phrase] = []
    for message in messages:
        ids, strings = _forms(message.id), _forms(message.string)
        if strings and all(s in ids for s in strings):
            continue  # kept in English on purpose (a product name, a format)
        for text in ids:
            text = _normal(text)
            if _words(text, ENGLISH_WORD) < 2:
                continue
            phrase = Phrase.of(text)
            if not any(phrase.found_in(s) for s in translations):
                phrases.append(phrase)
    return phrases


def translated(catalog: Catalog, english: Catalog) -> list[Phrase]:
    """The catalog's own translations of two words or more that differ from the English:
    what an English page must not show. Placeholder-free ones only (a pattern with a
    placeholder could match the Kazakh content of a page)."""
    kept = {_normal(s) for m in english if m.id for s in _forms(m.string) if s}
    phrases: list[Phrase] = []
    for message in catalog:
        if not message.id:
            continue
        for text in _forms(message.string):
            text = _normal(text)
            if not text or text in _forms(message.id) or text in kept:
                continue
            if PLACEHOLDER.search(text) or _words(text, ANY_WORD) < 2:
                continue
            phrases.append(Phrase.of(text))
    return phrases


@cache
def catalog(locale: str) -> Catalog:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale=locale)


def forbidden(locale: str) -> list[Phrase]:
    """What must not show on a page in ``locale``."""
    if locale == "en":
        english = catalog("en")
        return [
            p for other in LOCALES if other != "en" for p in translated(catalog(other), english)
        ]
    return untranslated_english(catalog(locale))


# ---- what a page shows ---------------------------------------------------------------------

READ_OUT = """() => {
  const parts = [document.title];
  for (const element of document.querySelectorAll("[aria-label], [placeholder], [title], [alt]")) {
    for (const name of ["aria-label", "placeholder", "title", "alt"]) {
      const value = element.getAttribute(name);
      if (value) parts.push(value);
    }
  }
  return parts;
}"""


def shown_text(page: Page) -> str:
    """The page's visible text, then, a line each, what a screen reader reads out besides."""
    lines = [
        re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in page.inner_text("body").split("\n")
    ]
    read_out: list[str] = page.evaluate(READ_OUT)
    return "\n".join([line for line in lines if line] + [_normal(text) for text in read_out])


def leaks(page: Page, phrases: Iterable[Phrase]) -> list[str]:
    text = shown_text(page)
    return sorted({phrase.text for phrase in phrases if phrase.found_in(text)})


# ---- a catalogue with a page of every type -------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """A page: its address, the status it answers with, and optionally a form the visitor
    sends on it (``send`` returns the answer), for the pages that answer a form."""

    name: str
    path: str
    status: int = 200
    send: Callable[[Page], Response] | None = None
    sent_status: int = 200


@dataclass
class Site:
    people: Council
    #: Who visits (None: an anonymous visitor) and the pages they open.
    visits: list[tuple[Person | None, list[Visit]]] = field(default_factory=list)
    uuids: dict[str, str] = field(default_factory=dict)
    jobs: dict[str, str] = field(default_factory=dict)


def _post_answer(page: Page, submit: str) -> Response:
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click(submit)
    response: Response = answer.value
    page.wait_for_load_state()
    return response


def wrong_password(page: Page) -> Response:
    page.fill("#f-email", "zhok@mektep.kz")
    page.fill("#f-password", "қате-құпия-сөз")
    return _post_answer(page, "form[action^='/login'] button[type=submit]")


def expired_form(page: Page) -> Response:
    """A form whose CSRF token is no longer valid (it was left open for days, say)."""
    page.evaluate("document.querySelector('form input[name=csrf_token]').value = 'ескі'")
    page.fill("#f-email", "zhok@mektep.kz")
    page.fill("#f-password", "қате-құпия-сөз")
    return _post_answer(page, "form[action^='/login'] button[type=submit]")


def files_not_for_building(page: Page) -> Response:
    page.set_input_files("#f-files", files=[NOT_BUILDABLE])
    return _post_answer(page, "form[action='/build'] button[type=submit]")


def no_package_chosen(page: Page) -> Response:
    """The upload form sent without a file (by a browser that does not check ``required``)."""
    page.evaluate("document.getElementById('f-package').removeAttribute('required')")
    return _post_answer(page, "form[action='/upload'] button[type=submit]")


def unanswered_rubric(page: Page) -> Response:
    return _post_answer(page, "button[value=submit]")


def not_scorm() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("сабақ.html", "<p>Сәлем</p>")
    return buffer.getvalue()


def report_use(app: Flask, client: FlaskClient, people: Council, uuid: str) -> None:
    """Two Moodle sites report the resource, so its page has the "How it is used" section
    with numbers, a chart and a table (its authors see it)."""
    token = {"Authorization": f"Bearer {add_results_token(app, people.admin)}"}
    for site, period, learners in (
        ("https://moodle.school.kz", "2026-11-30", 2),
        ("https://moodle.school.kz", "2026-12-01", 4),
        ("https://moodle.aqtobe.kz", "2026-12-01", 3),
    ):
        activity = {
            "resource": uuid,
            "course": {"id": 7, "name": "Физика, 7-сынып"},
            "learners": learners,
            "completed": 1,
            "passed": 1,
            "attempts": learners + 1,
            "score_mean": 70.5,
        }
        body = {"site": {"url": site, "name": "Мектеп"}, "period": period, "activities": [activity]}
        response = client.put("/api/v1/usage", json=body, headers=token)
        assert response.status_code == 200, response.text


def build_site(app: Flask, client: FlaskClient, tmp_path: Path) -> Site:
    """Resources in every state, reviews in every state, and jobs queued, running, failed
    and done; then, for each person, the pages they would open."""
    people = council(app)
    with_password(app, people.author, people.reviewer1, people.chair, people.admin)
    package = sample_package(tmp_path)
    site = Site(people)
    uuids = site.uuids
    uuids["published"] = add_resource(app, people.author, State.PUBLISHED, package=package)
    report_use(app, client, people, uuids["published"])
    uuids["draft"] = draft(app, people.author, title_kk="Жарықтың сынуы")
    uuids["triage"] = submitted(app, client, people, title_kk="Қысым")
    uuids["invited"], (invited, _) = assigned(app, client, people, title_kk="Жылу мөлшері")
    uuids["accepted"], (accepted, _) = in_review(app, client, people, title_kk="Архимед заңы")
    uuids["reviewed"], (reviewed_id, _) = reviewed(app, client, people, title_kk="Ом заңы")
    uuids["approved"], _ = reviewed(app, client, people, title_kk="Жарық")
    body = {"decision": "approve", "reason": "Екі сарапшы да мақұлдады."}
    ok(post(client, f"/resources/{uuids['approved']}/decision", people.chair, body))
    with_package(app, package, *(uuids[k] for k in ("draft", "triage", "invited", "accepted")))
    with_package(app, package, uuids["reviewed"], uuids["approved"])
    uuids["revision"] = _revision_requested(app, client, people, package.read_bytes())

    author = people.author.id
    then = {"then": "teacher.built"}
    jobs = site.jobs
    jobs["built"] = submit(app, author, "build", then, {"Сабақ.docx": DOCX})
    jobs["failed"] = submit(app, author, "build", then, {"Сабақ.docx": b"PK?"})
    jobs["findings"] = submit(
        app, author, "validate", {**then, "filename": "сабақ.zip"}, {"package.zip": not_scorm()}
    )
    jobs["done"] = submit(app, author, "build", {}, {"тест.gift": GIFT})
    record_only(app)  # from here on a job waits for a worker that never comes
    jobs["queued"] = submit(app, author, "build", then, {"тест.gift": GIFT})
    jobs["running"] = submit(app, author, "build", then, {"тест.gift": GIFT})
    engine = engine_of(app)
    assert claim(engine, jobs["running"], "worker-1")
    Heartbeat(engine, jobs["running"], "worker-1", 1.0).report(0.42, "packaging")

    site.visits = [
        (
            None,
            [
                Visit("home", "/"),
                Visit("catalogue", "/search"),
                Visit("search results", "/search?q=Ньютон"),
                Visit("search without results", "/search?q=жоқсөзбар"),
                Visit("resource", f"/resources/{uuids['published']}"),
                Visit("sign-in", "/login"),
                Visit("sign-in refused", "/login", send=wrong_password, sent_status=401),
                Visit("expired form", "/login", send=expired_form, sent_status=400),
                Visit("not found", "/no-such-page", status=404),
            ],
        ),
        (
            people.author,
            [
                Visit("build form", "/build"),
                Visit("build form refused", "/build", send=files_not_for_building, sent_status=422),
                Visit("upload form", "/upload"),
                Visit("upload form refused", "/upload", send=no_package_chosen, sent_status=422),
                Visit("job queued", f"/jobs/{jobs['queued']}"),
                Visit("job running", f"/jobs/{jobs['running']}"),
                Visit("job failed", f"/jobs/{jobs['failed']}"),
                Visit("job done", f"/jobs/{jobs['done']}"),
                Visit("build result", f"/build/{jobs['built']}"),
                Visit("check findings", f"/build/{jobs['findings']}"),
                Visit("build failed", f"/build/{jobs['failed']}"),
                Visit("my resources", "/my/resources"),
                Visit("my draft", f"/my/resources/{uuids['draft']}"),
                Visit("my resource in review", f"/my/resources/{uuids['triage']}"),
                Visit("revision requested", f"/my/resources/{uuids['revision']}"),
                Visit("resource, as its author", f"/resources/{uuids['triage']}"),
                Visit("resource use, as its author", f"/resources/{uuids['published']}"),
                Visit("access denied", "/chair", status=403),
                Visit("my account", "/account"),
            ],
        ),
        (
            people.reviewer1,
            [
                Visit("my reviews", "/council/reviews"),
                Visit("review invitation", f"/council/reviews/{invited}"),
                Visit("review rubric", f"/council/reviews/{accepted}"),
                Visit(
                    "review refused",
                    f"/council/reviews/{accepted}",
                    send=unanswered_rubric,
                    sent_status=422,
                ),
                Visit("review submitted", f"/council/reviews/{reviewed_id}"),
            ],
        ),
        (
            people.chair,
            [
                Visit("council desk", "/chair"),
                *(
                    Visit(f"chair: {state}", f"/chair/resources/{uuids[state]}")
                    for state in ("triage", "invited", "reviewed", "approved", "published")
                ),
                Visit("statistics", "/statistics"),
            ],
        ),
        (
            people.admin,
            [
                Visit("users", "/admin/users"),
                Visit("new user", "/admin/users/new"),
                Visit("user", f"/admin/users/{people.author.id}"),
                Visit("API tokens", "/admin/tokens"),
            ],
        ),
    ]
    return site


@contextmanager
def visitor(
    browser: Browser, base: str, locale: str, person: Person | None
) -> Iterator[tuple[Page, list[str]]]:
    """A browser of its own with ``locale`` chosen (the switcher's cookie), signed in as
    ``person``; and the JavaScript errors its pages raise."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="kk-KZ")
    context.add_cookies([{"name": LOCALE_COOKIE, "value": locale, "url": base}])
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        if person is not None:
            page.goto(f"{base}/login?next=/")
            page.fill("#f-email", person.email)
            page.fill("#f-password", PASSWORD)
            page.press("#f-password", "Enter")
            page.wait_for_url(f"{base}/")
        yield page, errors
    finally:
        context.close()


def open_page(page: Page, base: str, visit: Visit) -> None:
    response = page.goto(base + visit.path)
    assert response is not None and response.status == visit.status, (visit, response)
    if visit.send is not None:
        answer = visit.send(page)
        assert answer.status == visit.sent_status, (visit, answer.status)
    expect(page.locator("h1")).to_have_count(1)


# ---- the tests -------------------------------------------------------------------------------


def _catalog_of(messages: dict[Any, Any], locale: str = "kk") -> Catalog:
    made = Catalog(locale=locale)
    for msgid, msgstr in messages.items():
        made.add(msgid, msgstr)
    return made


def test_the_phrases_looked_for_are_the_untranslated_interface_strings() -> None:
    """The mechanics, on a catalog made up for the purpose."""
    kk = _catalog_of(
        {
            "Build a package": "Пакет жасау",
            "Search": "Іздеу",  # one word: too likely in content to look for
            "SCORM 2004 (4th edition)": "SCORM 2004 (4th edition)",  # the same on purpose
            "Version %(number)s of %(total)s": "%(total)s ішінен %(number)s-нұсқа",
            "Sign in": "",  # not translated yet: the English shows
            "OAI-PMH identifier": "OAI-PMH identifier (идентификатор)",  # kept inside
            ("%(num)d open review", "%(num)d open reviews"): ("%(num)d ашық рецензия", ""),
        }
    )
    phrases = {p.text: p for p in untranslated_english(kk)}
    assert set(phrases) == {
        "Build a package",
        "Version %(number)s of %(total)s",
        "Sign in",
        "%(num)d open review",
        "%(num)d open reviews",
    }
    assert phrases["Build a package"].found_in("Басты бет\nBuild a  package\nШығу")
    assert not phrases["Build a package"].found_in("Build a packaged lesson")
    assert phrases["Version %(number)s of %(total)s"].found_in("Version 2 of 3")
    assert not phrases["Version %(number)s of %(total)s"].found_in("Version 2\nof 3")
    assert phrases["%(num)d open reviews"].found_in("Бекзат Сарапшы 3 open reviews")
    assert not phrases["Sign in"].found_in("Кіру")

    en = _catalog_of({"Build a package": "Build a package", "Sign in": "Sign in"}, "en")
    assert untranslated_english(en) == []
    # an English page must not show the translations (one word, or with placeholders: no)
    assert [p.text for p in translated(kk, en)] == [
        "Пакет жасау",
        "OAI-PMH identifier (идентификатор)",
    ]


@pytest.mark.browser
@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_speaks_the_visitors_language(
    app: Flask, client: FlaskClient, served: str, browser: Browser, tmp_path: Path, locale: str
) -> None:
    site = build_site(app, client, tmp_path)
    phrases = forbidden(locale)
    if locale != "en":
        assert phrases, f"{locale}: the catalog gives no English string to look for"
    wrong_lang: list[str] = []
    shown: dict[str, list[str]] = {}
    errors: list[str] = []
    visited = 0
    for person, visits in site.visits:
        with visitor(browser, served, locale, person) as (page, page_errors):
            for visit in visits:
                open_page(page, served, visit)
                visited += 1
                lang = page.get_attribute("html", "lang")
                if lang != locale:
                    wrong_lang.append(f"{visit.name} ({visit.path}): lang={lang!r}")
                if found := leaks(page, phrases):
                    shown[f"{visit.name} ({visit.path})"] = found
            errors += page_errors
    assert visited >= 40
    assert not wrong_lang, f"{locale}: <html lang> is not {locale!r} on " + "; ".join(wrong_lang)
    assert not errors, f"JavaScript errors: {errors}"
    every = sorted({text for found in shown.values() for text in found})
    report = "\n".join(
        f"  {page}: {', '.join(repr(t) for t in found[:6])}{' …' if len(found) > 6 else ''}"
        for page, found in shown.items()
    )
    language = "English" if locale != "en" else "Kazakh or Russian"
    assert not shown, (
        f"{locale}: {len(every)} {language} interface strings show on {len(shown)} of "
        f"{visited} pages:\n{report}"
    )


@pytest.mark.browser
@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_the_language_is_chosen_with_the_keyboard_and_kept(
    app: Flask, served: str, page: Page
) -> None:
    page.goto(f"{served}/search?q=Ньютон")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    russian = page.locator("nav.languages a[hreflang=ru]")
    for _ in range(30):
        page.keyboard.press("Tab")
        if russian.evaluate("link => link === document.activeElement"):
            break
    expect(russian).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("nav.languages a[hreflang=ru]")).to_have_attribute("aria-current", "true")
    expect(page.locator("#search-q")).to_have_value("Ньютон")
    page.goto(f"{served}/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
