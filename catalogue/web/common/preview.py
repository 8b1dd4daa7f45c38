"""Package previews: a stored package played in the browser, where it cannot touch the
catalogue.

The files are read straight from the stored zip under ``/preview/<token>/<member>``. The
token is a signed, expiring capability for one package (its SHA-256); ``preview_url``
mints it for pages that have already checked the visitor may see the package. The view is
public because a sandboxed document sends no cookies: the token is the authorization.

What keeps a package's scripts away from the visitor's account
(tests/catalogue/test_preview_browser.py):

- every response carries ``Content-Security-Policy: sandbox ...`` without
  ``allow-same-origin`` (and the page's iframe has the same ``sandbox``), so each preview
  document has an opaque origin: ``document.cookie`` throws, the catalogue page around it is
  cross-origin, ``top`` cannot be navigated;
- its sources are the path prefix ``<host>/preview/<token>/`` (plus the injected API script),
  so ``connect-src`` does not reach ``/api/v1``; nothing under the prefix ever redirects, since
  browsers stop matching paths after a redirect;
- requests from an opaque origin are cross-site, and the session cookie is SameSite=Lax.

Two headers are deliberately not what a catalogue page has. ``frame-ancestors`` and
``X-Frame-Options: SAMEORIGIN`` compare every ancestor's origin, and an opaque-origin
ancestor matches nothing, so they would break a package's own nested frames (our player shows
its pages in an iframe); framing a preview gains an attacker nothing, it stays in its
sandbox. ``Cross-Origin-Resource-Policy`` is ``cross-origin`` because a sandboxed document's
requests come from an opaque origin: ``same-origin`` would block its images and scripts.

A package finds its LMS by searching its own window and its parents, and an opaque origin
cannot reach an object in another frame; so every HTML file gets ``preview-api.js`` (an
in-memory SCORM 1.2 and 2004 LMS that reports each call to the catalogue page's panel)
injected first in its ``<head>``.
"""

from __future__ import annotations

import mimetypes
import re
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO
from urllib.parse import unquote

from flask import (
    Blueprint,
    Flask,
    current_app,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from lxml import etree
from markupsafe import escape
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response
from werkzeug.wsgi import wrap_file

from catalogue.storage import storage
from catalogue.web.common.pages import public
from scorm_builder.xmlsafe import XmlSafetyError, parse_xml
from scorm_builder.zipsafe import SafeZip, ZipSafetyError, readable

bp = Blueprint("preview", __name__)

SALT = "sandyq-preview"
#: How long a preview link works: a long lesson, a lunch break, and the rest of the lesson.
MAX_AGE = 12 * 3600
MANIFEST = "imsmanifest.xml"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
FALLBACK_LAUNCH = "index.html"
#: HTML files are read whole to inject the API; a page bigger than this is not a page.
MAX_HTML = 32 * 1024**2
MAX_MANIFEST = 8 * 1024**2
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
SANDBOX = "allow-scripts allow-forms allow-popups allow-modals"
API_SCRIPT = "preview-api.js"

#: Types that matter to a player and that ``mimetypes`` gets wrong or does not know everywhere.
CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".vtt": "text/vtt",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".ogv": "video/ogg",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".xml": "application/xml",
    ".xsd": "application/xml",
}

#: A Host header that can go into the policy as it is (it names the sources).
_HOST = re.compile(r"(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?")
_HEAD = re.compile(rb"<!--.*?-->|<head(?:\s[^>]*)?>", re.IGNORECASE | re.DOTALL)
_AFTER_PROLOGUE = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype[^>]*>\s*)?"
    rb"(?:<!--.*?-->\s*)*(?:<html(?:\s[^>]*)?>)?",
    re.IGNORECASE | re.DOTALL,
)


# ---- the capability -------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def preview_token(sha256: str) -> str:
    return _serializer().dumps(sha256)


def preview_url(sha256: str) -> str:
    """The URL of the package's launch file with a fresh token; call it only for visitors
    allowed to see the package (the token opens it to whoever holds the link)."""
    launch, query = launch_of(sha256)
    return url_for("preview.package_file", token=preview_token(sha256), member=launch) + query


def _package_of(token: str) -> str | None:
    """The SHA-256 a token opens; None when it was not signed by us; raises
    ``SignatureExpired`` when it is ours but too old."""
    try:
        sha256 = _serializer().loads(token, max_age=MAX_AGE)
    except SignatureExpired:  # a BadSignature too, but one worth a message
        raise
    except BadSignature:
        return None
    return sha256 if isinstance(sha256, str) else None


# ---- reading the stored zip -----------------------------------------------------------


def safe_member_name(member: str) -> bool:
    """A relative POSIX path inside the package: no traversal, absolute paths, backslashes,
    drive letters, control characters or empty segments."""
    if not member or "\\" in member or member.startswith("/") or ":" in member.split("/")[0]:
        return False
    if any(ord(c) < 0x20 or c == "\x7f" for c in member):
        return False
    return all(part not in ("", ".", "..") for part in member.split("/"))


def _stored_path(sha256: str) -> Path | None:
    try:
        stored = storage()
        return stored.path(sha256) if stored.exists(sha256) else None
    except ValueError:  # not a SHA-256
        return None


def _checked(archive: SafeZip, member: str) -> bool:
    """True when ``member`` is a file of the archive that zipsafe finds nothing wrong with."""
    if archive.archive_unsafe or member not in archive:
        return False
    return all(problem.entry != member for problem in archive.problems)


def launch_of(sha256: str) -> tuple[str, str]:
    """(launch file, query) from the manifest: the default organization's first item that
    has a resource with an href (SCORM 1.2 and 2004 alike); ``index.html`` otherwise."""
    path = _stored_path(sha256)
    if path is None:
        return FALLBACK_LAUNCH, ""
    try:
        with SafeZip.open(path) as archive:
            if not _checked(archive, MANIFEST):
                return FALLBACK_LAUNCH, ""
            root = parse_xml(archive.read(MANIFEST, MAX_MANIFEST), source=MANIFEST).getroot()
    except (ZipSafetyError, XmlSafetyError):
        return FALLBACK_LAUNCH, ""
    resources = {r.get("identifier"): r for r in root.iter("{*}resource")}
    organizations = root.find("{*}organizations")
    default = organizations.get("default") if organizations is not None else None
    organization = next(
        (o for o in root.iter("{*}organization") if o.get("identifier") == default),
        next(root.iter("{*}organization"), None),
    )
    items = organization.iter("{*}item") if organization is not None else iter(())
    for item in items:
        resource = resources.get(item.get("identifierref"))
        href = resource.get("href") if resource is not None else None
        if resource is None or not href:
            continue
        base = "".join(_xml_base(e) for e in (root, resource.getparent(), resource))
        address, _, query = (base + href).partition("?")
        launch = unquote(address.partition("#")[0]).removeprefix("./")
        if safe_member_name(launch):
            return launch, _query(query, item.get("parameters") or "")
    return FALLBACK_LAUNCH, ""


def _xml_base(element: etree._Element | None) -> str:
    return "" if element is None else element.get(XML_BASE) or ""


def _query(query: str, parameters: str) -> str:
    """The launch URL's query: the href's own, then the item's parameters (SCORM CAM)."""
    parameters = parameters.lstrip("?&")
    if parameters.startswith("#"):
        return (f"?{query}" if query else "") + parameters
    joined = "&".join(part for part in (query, parameters) if part)
    return f"?{joined}" if joined else ""


# ---- the view -------------------------------------------------------------------------


# No redirect may ever be answered under a preview's prefix (browsers stop matching CSP paths
# after one), so werkzeug must not "merge" a package's double slashes with a redirect.
@bp.get("/preview/<token>/<path:member>", merge_slashes=False)
@public
def package_file(token: str, member: str) -> Response | tuple[str, int]:
    try:
        sha256 = _package_of(token)
    except SignatureExpired:
        message = gettext("This preview link has expired. Reload the page to get a new one.")
        return render_template("errors.html", status=403, message=message), 403
    if sha256 is None or not safe_member_name(member) or not _HOST.fullmatch(request.host):
        raise NotFound()
    path = _stored_path(sha256)
    if path is None:
        raise NotFound()
    try:
        with SafeZip.open(path) as archive:
            if not _checked(archive, member):
                raise NotFound()
            if member.lower().endswith(HTML_SUFFIXES):
                response = _page(member, archive.read(member, MAX_HTML))
            else:
                response = _streamed(path, member, archive.size_of(member), package=sha256)
    except ZipSafetyError:
        raise NotFound() from None
    _protect(response, token)
    return response


def _page(member: str, html: bytes) -> Response:
    """A package's HTML file with the preview LMS injected; never cached across languages
    (the learner's name is translated), so no validator."""
    body = with_api_script(html, _api_tag())
    response = Response(body, content_type=_html_type(member, body))
    response.headers["Vary"] = "Accept-Language"
    return response


def _streamed(path: Path, member: str, size: int, *, package: str) -> Response:
    """The entry (checked by zipsafe already) as a seekable stream: ``Range`` requests seek
    in it, since our video player jumps; a video is never read whole into memory."""
    archive = zipfile.ZipFile(path)
    try:
        info = archive.getinfo(member)
        if not readable(info):
            raise NotFound()
        stream: IO[bytes] = archive.open(info)
    finally:
        archive.close()  # the open entry keeps the file until it is closed itself
    response = Response(
        wrap_file(request.environ, stream),
        content_type=_content_type(member),
        direct_passthrough=True,
    )
    response.content_length = size
    response.set_etag(f"{package[:32]}-{info.CRC:08x}")  # a stored package never changes
    return response.make_conditional(request, accept_ranges=True, complete_length=size)


def _content_type(member: str) -> str:
    suffix = PurePosixPath(member).suffix.lower()
    kind = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(member)[0]
    kind = kind or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/json", "application/xml"):
        return f"{kind}; charset=utf-8"
    return kind


def _html_type(member: str, body: bytes) -> str:
    """UTF-8 when the page is UTF-8; otherwise the page's own ``<meta charset>`` decides
    (an old Russian page in windows-1251 must not be read as UTF-8)."""
    kind = _content_type(member).split(";")[0]
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return kind
    return f"{kind}; charset=utf-8"


def _api_tag() -> bytes:
    src = url_for("static", filename=API_SCRIPT)
    name = escape(gettext("Learner, Preview"))
    return f'<script src="{src}" data-learner-name="{name}"></script>'.encode()


def with_api_script(html: bytes, tag: bytes) -> bytes:
    """``html`` with ``tag`` as the first thing in its ``<head>``; after the doctype and
    ``<html>`` when there is no head (an implied head), at the very start otherwise."""
    if html.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, rare but legal
        text = html.decode("utf-16")
        return with_api_script(text.encode("utf-8"), tag)
    for found in _HEAD.finditer(html):
        if found.group(0).startswith(b"<!--"):
            continue
        return html[: found.end()] + tag + html[found.end() :]
    prologue = _AFTER_PROLOGUE.match(html)
    at = prologue.end() if prologue else 0
    return html[:at] + tag + html[at:]


def policy(token: str) -> str:
    """The Content-Security-Policy of every preview response (see the module docstring)."""
    host = request.host
    root = request.script_root
    prefix = f"{host}{root}/preview/{token}/"
    api = f"{host}{url_for('static', filename=API_SCRIPT)}"
    return "; ".join(
        (
            f"sandbox {SANDBOX}",
            "default-src 'none'",
            f"script-src {prefix} {api} 'unsafe-inline' 'unsafe-eval'",
            f"style-src {prefix} 'unsafe-inline'",
            f"img-src {prefix} data: blob:",
            f"media-src {prefix} blob:",
            f"font-src {prefix} data:",
            f"connect-src {prefix}",
            f"frame-src {prefix}",
            f"worker-src {prefix}",
            "form-action 'none'",
            "base-uri 'none'",
        )
    )


def _protect(response: Response, token: str) -> None:
    headers = response.headers
    headers["Content-Security-Policy"] = policy(token)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    headers["Cache-Control"] = "private, max-age=3600"  # the token expires anyway


# ---- for templates --------------------------------------------------------------------


@bp.record_once
def _register_globals(state: object) -> None:
    app: Flask = state.app  # type: ignore[attr-defined]
    app.jinja_env.globals["preview_url"] = preview_url
