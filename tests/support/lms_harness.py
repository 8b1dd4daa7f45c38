"""A tiny LMS for browser tests: scorm-again's API objects behind a loopback web server.

``serve(package_dir)`` serves three things on 127.0.0.1 (port chosen by the OS):

- ``/lms/lms.html``: the LMS page. ``startLms(version, cmi, src)`` creates
  ``window.API`` (``new Scorm12API``) or ``window.API_1484_11`` (``new Scorm2004API``),
  loads ``cmi`` (flattened CMI, e.g. a previous run's data) and opens ``src`` two frames
  deep (``lms.html`` > ``frame.html`` > the SCO), like Moodle's player, so the SCO's API
  search has to walk up through parents. Every API call is recorded in ``window.__trace``
  as ``{fn, args, ret, err}`` where ``err`` is the error code right after the call.
- ``/scorm-again/``: scorm-again's ``dist`` build from ``tools/npm/node_modules``.
- ``/pkg/``: the unzipped package.

Browser tests wait for the event they need (``wait_for_call``, ``wait_for_frame``, a DOM
state through ``expect``), never for a clock; the one deadline, ``BROWSER_WAIT_MS``, is set
on every context of the shared browser (``chromium()``) so that a hang still fails.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import mimetypes
import re
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from re import Pattern
from typing import Any
from urllib.parse import unquote, urlsplit

from playwright.sync_api import (
    Browser,
    BrowserContext,
    Frame,
    Page,
    Playwright,
    expect,
    sync_playwright,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCORM_AGAIN_DIST = ROOT / "tools" / "npm" / "node_modules" / "scorm-again" / "dist"

#: The browser tests' one deadline (ms), for every action, navigation, wait and expect():
#: set on each context of the shared browser and on expect() by ``chromium()``. It only
#: makes a hang fail; the tests wait for events, so a loaded machine just takes longer,
#: and a 2-core machine busy with other work stays far below it.
BROWSER_WAIT_MS = 60_000

#: API functions per version, in the order the standard lists them.
API_FUNCTIONS = {
    "1.2": (
        "LMSInitialize",
        "LMSFinish",
        "LMSGetValue",
        "LMSSetValue",
        "LMSCommit",
        "LMSGetLastError",
        "LMSGetErrorString",
        "LMSGetDiagnostic",
    ),
    "2004": (
        "Initialize",
        "Terminate",
        "GetValue",
        "SetValue",
        "Commit",
        "GetLastError",
        "GetErrorString",
        "GetDiagnostic",
    ),
}

LMS_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sandyq LMS harness</title>
<script src="/scorm-again/scorm12.js"></script>
<script src="/scorm-again/scorm2004.js"></script>
<style>
  html, body { margin: 0; height: 100%; }
  iframe { border: 0; width: 100%; height: 100%; display: block; }
</style>
</head>
<body>
<script>
window.__trace = [];
window.__functions = __FUNCTIONS__;

window.startLms = function (version, cmi, src) {
  var settings = {logLevel: 5, autocommit: false, lmsCommitUrl: false};
  var api = version === "1.2" ? new Scorm12API(settings) : new Scorm2004API(settings);
  if (cmi) api.loadFromFlattenedJSON(cmi);
  var names = window.__functions[version];
  var lastError = api[names[5]].bind(api);
  names.forEach(function (name) {
    var original = api[name].bind(api);
    api[name] = function () {
      var args = Array.prototype.slice.call(arguments);
      var ret = original.apply(null, args);
      window.__trace.push({fn: name, args: args, ret: String(ret), err: String(lastError())});
      return ret;
    };
  });
  window.__api = api;
  if (version === "1.2") window.API = api; else window.API_1484_11 = api;
  var frame = document.createElement("iframe");
  frame.id = "course";
  frame.title = "Course";
  frame.src = "/lms/frame.html?src=" + encodeURIComponent(src);
  document.body.appendChild(frame);
};

window.closeCourse = function () {
  var frame = document.getElementById("course");
  if (frame) frame.remove();
};
</script>
</body>
</html>
"""

FRAME_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Course frame</title>
<style>
  html, body { margin: 0; height: 100%; }
  iframe { border: 0; width: 100%; height: 100%; display: block; }
</style>
</head>
<body>
<iframe id="sco" title="SCO"></iframe>
<script>
document.getElementById("sco").src = new URLSearchParams(location.search).get("src");
</script>
</body>
</html>
"""

#: Read/write elements a real LMS keeps for the next launch after exit = suspend.
KEPT_ELEMENTS = {
    "1.2": (
        "cmi.core.lesson_location",
        "cmi.core.lesson_status",
        "cmi.core.score.raw",
        "cmi.core.score.min",
        "cmi.core.score.max",
        "cmi.suspend_data",
    ),
    "2004": (
        "cmi.location",
        "cmi.completion_status",
        "cmi.success_status",
        "cmi.progress_measure",
        "cmi.score.raw",
        "cmi.score.min",
        "cmi.score.max",
        "cmi.score.scaled",
        "cmi.suspend_data",
    ),
}


def resume_data(version: str, previous: dict[str, Any]) -> dict[str, Any]:
    """What an LMS hands the next launch after a suspended session: the kept elements
    of the previous run's flattened CMI (interactions too), and entry = resume."""
    kept = {
        k: v
        for k, v in previous.items()
        if (k in KEPT_ELEMENTS[version] or k.startswith("cmi.interactions.")) and v != ""
    }
    kept["cmi.core.entry" if version == "1.2" else "cmi.entry"] = "resume"
    return kept


class _Handler(http.server.SimpleHTTPRequestHandler):
    routes: dict[str, Path] = {}
    pages: dict[str, bytes] = {}

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        for prefix, folder in self.routes.items():
            if path.startswith(prefix):
                target = (folder / path[len(prefix) :]).resolve()
                if target.is_relative_to(folder.resolve()):
                    return str(target)
        return str(Path("/nonexistent") / path.lstrip("/"))

    def do_GET(self) -> None:
        """Static files with HTTP byte ranges, which every LMS web server answers: without
        them Chromium cannot seek in a video (it treats the file as a stream)."""
        page = self.pages.get(urlsplit(self.path).path)
        if page is not None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)
            return
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", "").strip())
        path = Path(self.translate_path(self.path))
        if match is None or not path.is_file():
            super().do_GET()
            return
        size = path.stat().st_size
        first_text, last_text = match.groups()
        if first_text:
            first, last = int(first_text), min(int(last_text or size - 1), size - 1)
        else:
            first, last = max(0, size - int(last_text or 0)), size - 1
        if first > last:
            self.send_error(416)
            return
        with path.open("rb") as handle:
            handle.seek(first)
            body = handle.read(last - first + 1)
        self.send_response(206)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(package_dir: Path) -> Iterator[str]:
    """Serves the LMS pages, scorm-again and ``package_dir``; yields the base URL."""
    functions = json.dumps(API_FUNCTIONS)
    handler = type(
        "Handler",
        (_Handler,),
        {
            "routes": {"/pkg/": package_dir, "/scorm-again/": SCORM_AGAIN_DIST},
            "pages": {
                "/lms/lms.html": LMS_HTML.replace("__FUNCTIONS__", functions).encode(),
                "/lms/frame.html": FRAME_HTML.encode(),
            },
        },
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# ---- waiting for events ------------------------------------------------------------------


def wait_for_call(page: Page, fn: str, *args: str) -> None:
    """Waits until the LMS page has recorded the API call ``fn`` in ``window.__trace``
    (with ``args`` first among its arguments, when given)."""
    page.wait_for_function(
        "([fn, args]) => (window.__trace || []).some("
        "(c) => c.fn === fn && args.every((a, i) => c.args[i] === a))",
        arg=[fn, list(args)],
    )


def wait_for_frame(page: Page, url: str | Pattern[str]) -> Frame:
    """The first frame of ``page`` whose URL matches ``url`` (a regular expression), once its
    document has loaded: woken by each frame navigation, until ``BROWSER_WAIT_MS``."""
    pattern = re.compile(url) if isinstance(url, str) else url
    deadline = time.monotonic() + BROWSER_WAIT_MS / 1000
    while (frame := next((f for f in page.frames if pattern.search(f.url)), None)) is None:
        left = deadline - time.monotonic()
        if left <= 0:
            urls = [f.url for f in page.frames]
            raise AssertionError(f"no frame matches {pattern.pattern}: {urls}")
        try:  # a navigation that landed just before this listener is seen on the next turn
            page.wait_for_event("framenavigated", timeout=min(left, 1.0) * 1000)
        except PlaywrightTimeoutError:
            pass
    frame.wait_for_load_state()
    return frame


# ---- the shared browser ----------------------------------------------------------------


def _patient(context: BrowserContext) -> None:
    context.set_default_timeout(BROWSER_WAIT_MS)
    context.set_default_navigation_timeout(BROWSER_WAIT_MS)


_shared: dict[str, Any] = {"users": 0}


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium through Playwright, shared by every test module that asks.

    Playwright's sync API allows one instance per thread, so the browser fixtures of all
    modules hold the same one; the last to let go closes it. Every context made from it
    (by the ``page`` fixture or a test's own ``browser.new_context``) and every expect()
    give up after ``BROWSER_WAIT_MS``.
    """
    if not CHROMIUM.exists():
        raise RuntimeError(
            f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
        )
    if _shared["users"] == 0:
        playwright: Playwright = sync_playwright().start()
        _shared["playwright"] = playwright
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        browser.on("context", _patient)
        expect.set_options(timeout=BROWSER_WAIT_MS)
        _shared["browser"] = browser
    _shared["users"] += 1
    try:
        yield _shared["browser"]
    finally:
        _shared["users"] -= 1
        if _shared["users"] == 0:
            _shared.pop("browser").close()
            _shared.pop("playwright").stop()
