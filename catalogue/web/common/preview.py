"""Package previews: a stored package played in the browser, where it cannot touch the
catalogue, and cannot tell anyone else that it is being looked at.

The files are read straight from the stored zip under ``/preview/<token>/<member>``. A
token is a signed, short-lived capability (``PREVIEW_TOKEN_MINUTES``, 30 by default) for one
package (its SHA-256) and its holder; ``preview_url`` mints one for pages that have already
checked the visitor may see the package. The view is public: a sandboxed document sends no
session cookie, so the token is the authorization, and it is bound to its holder in two steps
(docs/decisions.md, "Preview links are bound to the session"):

- the *launch token* in the catalogue's page carries the user id and a MAC of a random
  preview key kept in the signed session (``session.clear()`` at sign-in and sign-out makes a
  new one). The frame's first request is a same-site navigation from the catalogue's page,
  so it carries the session cookie: it must be the same user and key, or it is refused (a
  link copied to another browser, kept after signing out, or another user's);
- it is answered with a redirect to the same file under a *frame token*, bound to that
  browser (a MAC of its address and User-Agent) instead, since nothing the frame loads
  afterwards carries a cookie. A frame token is never a tab of its own (``Sec-Fetch-Dest``),
  and lives no longer than the launch token did.

What keeps a package's scripts away from the visitor's account and from other hosts
(tests/catalogue/test_preview_browser.py):

- every response carries ``Content-Security-Policy: sandbox ...`` without
  ``allow-same-origin`` or ``allow-popups`` (and the page's iframe has the same
  ``sandbox``), so each preview document has an opaque origin: ``document.cookie`` throws,
  the catalogue page around it is cross-origin, ``top`` cannot be navigated, and
  ``window.open`` opens nothing;
- its sources are the path prefix ``<host>/preview/<token>/`` (plus the injected API script),
  narrower than ``'self'``: ``connect-src``, ``img-src``, ``form-action`` and the rest reach
  neither ``/api/v1`` nor any other host; nothing under the prefix ever redirects, since
  browsers stop matching paths after a redirect;
- the frame navigating itself elsewhere is refused by its parent's ``frame-src`` (the
  catalogue page's ``'self'``, the package's own prefix for nested frames); so a preview
  document is served only inside a frame (``Sec-Fetch-Dest``), never as a tab of its own,
  where no parent would stop it;
- requests from an opaque origin are cross-site, and the session cookie is SameSite=Lax.

Two headers are deliberately not what a catalogue page has. ``frame-ancestors`` and
``X-Frame-Options: SAMEORIGIN`` compare every ancestor's origin, and an opaque-origin
ancestor matches nothing, so they would break a package's own nested frames (our player shows
its pages in an iframe); framing a preview gains an attacker nothing, since the token only
works with its holder's cookie and the frame stays in its sandbox.
``Cross-Origin-Resource-Policy`` is ``cross-origin`` because a sandboxed document's requests
come from an opaque origin: ``same-origin`` would block its images and scripts.

A package finds its LMS by searching its own window and its parents, and an opaque origin
cannot reach an object in another frame; so every HTML file gets ``preview-api.js`` (an
in-memory SCORM 1.2 and 2004 LMS that reports each call to the catalogue page's panel)
injected first in its ``<head>``.
"""

from __future__ import annotations

import hashlib
import hmac
import mimetypes
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO
from urllib.parse import unquote

from flask import (
    Blueprint,
    Flask,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from lxml import etree
from markupsafe import escape
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response
from werkzeug.wsgi import wrap_file

from catalogue.db import db
from catalogue.models import User
from catalogue.storage import storage
from catalogue.web.common.pages import public
from scorm_builder.xmlsafe import XmlSafetyError, parse_xml
from scorm_builder.zipsafe import SafeZip, ZipSafetyError, readable

bp = Blueprint("preview", __name__)

SALT = "sandyq-preview"
#: Where the session keeps the key its launch tokens are bound to.
SESSION_KEY = "preview_key"
#: The two kinds of token: in the catalogue's page (bound to the session), in the frame
#: (bound to the browser).
LAUNCH, FRAME = "launch", "frame"
MANIFEST = "imsmanifest.xml"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
FALLBACK_LAUNCH = "index.html"
#: HTML files are read whole to inject the API; a page bigger than this is not a page.
MAX_HTML = 32 * 1024**2
MAX_MANIFEST = 8 * 1024**2
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
SANDBOX = "allow-scripts allow-forms allow-modals"
API_SCRIPT = "preview-api.js"

#: ``Sec-Fetch-Dest`` of a request a preview may answer: a frame and what its documents load
#: (an old browser that sends no ``Sec-Fetch-Dest`` is not refused).
_TOP_LEVEL = frozenset({"document"})

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


def max_age() -> int:
    """How long a preview link works, in seconds: long enough to review one package, short
    enough that a link found later in a history or a log opens nothing."""
    return int(float(current_app.config["PREVIEW_TOKEN_MINUTES"]) * 60)


def _mac(*parts: object) -> str:
    """A MAC of ``parts`` under the app's secret: what a token carries of its holder, never
    the secret it is made from (a package's script can read its own URL, the token with it)."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    message = "\0".join(str(part) for part in (SALT, *parts)).encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def _client() -> str:
    """The browser a frame token is for: its address and its User-Agent."""
    return f"{request.remote_addr or ''}\0{request.headers.get('User-Agent', '')}"


def preview_token(
    sha256: str, *, user_id: int | None = None, key: str | None = None, client: str = ""
) -> str:
    """A launch token (``key``: the session's preview key) or a frame token (``client``:
    what ``_client`` says of the browser) for ``sha256``, held by ``user_id`` (None: a
    visitor who is not signed in)."""
    if key is not None:
        return _serializer().dumps([LAUNCH, sha256, user_id, _mac(LAUNCH, user_id, key)])
    return _serializer().dumps([FRAME, sha256, user_id, _mac(FRAME, user_id, client)])


def _session_key() -> str:
    """The session's preview key, made on first use; ``session.clear()`` (signing in or
    out) throws it away, and every launch token with it."""
    key = session.get(SESSION_KEY)
    if not isinstance(key, str) or len(key) < 32:
        key = secrets.token_urlsafe(32)
        session[SESSION_KEY] = key
    return key


def _signed_in() -> int | None:
    user_id = session.get("user_id")
    return user_id if isinstance(user_id, int) and not isinstance(user_id, bool) else None


def preview_url(sha256: str) -> str:
    """The URL of the package's launch file with a fresh launch token for the visitor in
    this browser session; call it only for visitors allowed to see the package."""
    launch, query = launch_of(sha256)
    token = preview_token(sha256, user_id=_signed_in(), key=_session_key())
    return url_for("preview.package_file", token=token, member=launch) + query


@dataclass(frozen=True)
class Grant:
    """What a valid token opens, for whom, and which kind of token it is."""

    kind: str
    sha256: str
    user_id: int | None
    mac: str


class Refused(Exception):
    """A token we signed that may not be used here and now: too old, another session's or
    browser's, or its user's who is no longer active."""


def _grant_of(token: str) -> Grant | None:
    """The grant a token carries; None when it was not signed by us (or is malformed);
    raises ``Refused`` when it is ours but too old or not this visitor's."""
    try:
        payload = _serializer().loads(token, max_age=max_age())
    except SignatureExpired:  # a BadSignature too, but one worth a message
        raise Refused("expired") from None
    except BadSignature:
        return None
    if not isinstance(payload, list) or len(payload) != 4:
        return None
    kind, sha256, user_id, mac = payload
    if kind not in (LAUNCH, FRAME) or not isinstance(sha256, str) or not isinstance(mac, str):
        return None
    if user_id is not None and (not isinstance(user_id, int) or isinstance(user_id, bool)):
        return None
    grant = Grant(kind, sha256, user_id, mac)
    _check_holder(grant)
    return grant


def _check_holder(grant: Grant) -> None:
    """A launch token comes with the session it was minted in (the same user, the same
    preview key); a frame token from the same browser. Either way the user, if any, must
    still be active."""
    if grant.kind == LAUNCH:
        key = session.get(SESSION_KEY)
        same = isinstance(key, str) and _signed_in() == grant.user_id
        expected = _mac(LAUNCH, grant.user_id, key) if same else ""
    else:
        expected = _mac(FRAME, grant.user_id, _client())
    if not expected or not hmac.compare_digest(expected, grant.mac):
        raise Refused("not this holder")
    if grant.user_id is not None:
        user = db.session.get(User, grant.user_id)
        if user is None or not user.active:
            raise Refused("user")


def _to_frame_token(grant: Grant, member: str) -> Response:
    """The launch token, checked against the session, traded for a frame token: the frame
    and everything it loads then carry no cookie (an opaque origin's requests are
    cross-site), so they are bound to the browser instead. The one redirect of a preview
    happens here, before any package file, outside the prefix of the frame's policy."""
    frame = preview_token(grant.sha256, user_id=grant.user_id, client=_client())
    target = url_for("preview.package_file", token=frame, member=member)
    query = request.query_string.decode("latin-1")
    response = redirect(target + (f"?{query}" if query else ""), code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


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
        with SafeZip.open(path, scan=False) as archive:  # scanned when stored
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
    """A file of the package, for the holder of a frame token; a launch token is
    traded for one first."""
    try:
        grant = _grant_of(token)
    except Refused:
        return _refused()
    if request.headers.get("Sec-Fetch-Dest") in _TOP_LEVEL:
        return _refused()  # a tab of its own: no parent's frame-src would keep it home
    if grant is None or not safe_member_name(member) or not _HOST.fullmatch(request.host):
        raise NotFound()
    if grant.kind == LAUNCH:
        return _to_frame_token(grant, member)
    path = _stored_path(grant.sha256)
    if path is None:
        raise NotFound()
    try:
        with SafeZip.open(path, scan=False) as archive:  # scanned when stored
            if not _checked(archive, member):
                raise NotFound()
            if member.lower().endswith(HTML_SUFFIXES):
                response = _page(member, archive.read(member, MAX_HTML))
            else:
                response = _streamed(path, member, archive.size_of(member), package=grant.sha256)
    except ZipSafetyError:
        raise NotFound() from None
    _protect(response, token)
    return response


def _refused() -> tuple[str, int]:
    """403 with the one thing a reviewer can do: reload the catalogue's page (signed in, in
    this browser) for a new link."""
    message = gettext("This preview link has expired. Reload the page to get a new one.")
    return render_template("errors.html", status=403, message=message), 403


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
            f"form-action {prefix}",
            "object-src 'none'",
            "base-uri 'none'",
        )
    )


def _protect(response: Response, token: str) -> None:
    headers = response.headers
    headers["Content-Security-Policy"] = policy(token)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    headers["X-DNS-Prefetch-Control"] = "off"  # a link's host is not even looked up
    # stored but asked again each time: the holder's cookie is checked on every use
    headers["Cache-Control"] = "private, no-cache"


# ---- for templates --------------------------------------------------------------------


@bp.record_once
def _register_globals(state: object) -> None:
    app: Flask = state.app  # type: ignore[attr-defined]
    app.jinja_env.globals["preview_url"] = preview_url
