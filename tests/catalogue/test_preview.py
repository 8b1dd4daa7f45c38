"""Package previews over HTTP: the token, the member names, the headers that sandbox every
file, the injected preview LMS, Range requests, the launch file and the page macro.

The browser side (a hostile package gets nothing, the sample course plays and the panel
shows its calls) is in ``test_preview_browser.py``.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient

from catalogue.models import Role
from catalogue.web.common.preview import (
    API_SCRIPT,
    launch_of,
    preview_token,
    preview_url,
    safe_member_name,
    with_api_script,
)

KAZAKH_PAGE = (
    '<!DOCTYPE html>\n<html lang="kk">\n<head>\n<meta charset="utf-8">\n'
    "<title>Қазақ тілі: әріптер</title>\n</head>\n"
    "<body><h1>Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І</h1></body>\n</html>\n"
)
VIDEO = bytes(range(256)) * 40  # 10 240 bytes standing in for an MP4


def manifest_12(href: str, parameters: str = "") -> str:
    attribute = f' parameters="{parameters}"' if parameters else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>Сынақ</title>
      <item identifier="folder"><title>Бөлім</title>
        <item identifier="i1" identifierref="r1"{attribute}><title>Сабақ</title></item>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="asset" type="webcontent" adlcp:scormtype="asset" href="other.html"/>
    <resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="{href}"/>
  </resources>
</manifest>"""


def zipped(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            stored = name.endswith(".mp4")
            archive.writestr(
                name,
                data.encode() if isinstance(data, str) else data,
                compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED,
            )
    return buffer.getvalue()


def store(app: Flask, files: dict[str, bytes | str]) -> str:
    """Put a package made of ``files`` into the catalogue's storage; its SHA-256."""
    from catalogue.storage import storage

    with app.app_context():
        sha256, _ = storage().put(io.BytesIO(zipped(files)))
    return sha256


#: What ``_client`` says of werkzeug's test client: its address and User-Agent.
CLIENT = "127.0.0.1\0Werkzeug/{version}"


def client_of() -> str:
    """The test client as a frame token's holder."""
    import importlib.metadata

    return CLIENT.format(version=importlib.metadata.version("werkzeug"))


def url_of(app: Flask, sha256: str, *, user_id: int | None = None) -> str:
    """A frame token's URL of the package's launch file, for the test client."""
    with app.test_request_context():
        launch, query = launch_of(sha256)
        token = preview_token(sha256, user_id=user_id, client=client_of())
        return f"/preview/{token}/{launch}{query}"


def folder_of(url: str) -> str:
    return url.rsplit("/", 1)[0]


@pytest.fixture
def package(app: Flask) -> str:
    return store(
        app,
        {
            "imsmanifest.xml": manifest_12("index.html"),
            "index.html": KAZAKH_PAGE,
            "media/clip.mp4": VIDEO,
            "media/сурет.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
            "../outside.html": "<p>outside</p>",
        },
    )


# ---- the launch page and its headers ------------------------------------------------


def test_the_launch_page_is_sandboxed_and_gets_the_preview_lms(
    app: Flask, client: FlaskClient, package: str
) -> None:
    url = url_of(app, package)
    assert re.fullmatch(r"/preview/[^/]+/index\.html", url)
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["sandbox"].split() == [
        "allow-scripts",
        "allow-forms",
        "allow-modals",
    ]
    assert "allow-same-origin" not in policy
    assert "allow-top-navigation" not in policy
    assert "allow-popups" not in policy  # window.open would reach any host
    prefix = f"localhost{folder_of(url)}/"
    assert directives["connect-src"] == prefix
    assert directives["img-src"] == f"{prefix} data: blob:"
    assert directives["media-src"] == f"{prefix} blob:"
    assert directives["default-src"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["form-action"] == prefix
    assert directives["base-uri"] == "'none'"
    assert directives["script-src"].split()[:2] == [prefix, f"localhost/static/{API_SCRIPT}"]
    assert "'self'" not in policy  # 'self' would open the whole catalogue, /api/v1 included
    assert "frame-ancestors" not in policy  # an opaque-origin player frame would be refused
    assert "X-Frame-Options" not in response.headers  # the policy alone governs framing
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response.headers["X-DNS-Prefetch-Control"] == "off"
    assert response.headers["Cache-Control"] == "private, no-cache"  # the holder is rechecked
    page = response.get_data(as_text=True)
    assert page.startswith(
        '<!DOCTYPE html>\n<html lang="kk">\n<head><script src="/static/preview-api.js"'
    )
    assert "<title>Қазақ тілі: әріптер</title>" in page
    assert "Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І" in page
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"


def test_a_host_header_cannot_write_into_the_policy(
    app: Flask, client: FlaskClient, package: str
) -> None:
    url = url_of(app, package)
    assert client.get(url, headers={"Host": "evil.kz; script-src *"}).status_code == 404
    good = client.get(url, headers={"Host": "sandyq.edu.kz:8443"})
    assert "connect-src sandyq.edu.kz:8443/preview/" in good.headers["Content-Security-Policy"]


def test_other_files_are_sandboxed_too(app: Flask, client: FlaskClient, package: str) -> None:
    picture = client.get(f"{folder_of(url_of(app, package))}/media/сурет.svg")
    assert picture.status_code == 200
    assert picture.mimetype == "image/svg+xml"
    assert picture.headers["Content-Security-Policy"].startswith("sandbox allow-scripts")
    assert b"preview-api.js" not in picture.get_data()


def test_the_preview_lms_script_is_served(client: FlaskClient) -> None:
    script = client.get(f"/static/{API_SCRIPT}")
    assert script.status_code == 200
    assert b"API_1484_11" in script.get_data()


# ---- the token ----------------------------------------------------------------------


def test_a_tampered_token_opens_nothing(app: Flask, client: FlaskClient, package: str) -> None:
    url = url_of(app, package)
    token = url.split("/")[2]
    # not the last character: its low bits may be base64 padding, and a token that differs
    # only there decodes to the very same signature (this test failed one run in a few)
    at = len(token) - 5
    flipped = token[:at] + ("A" if token[at] != "A" else "B") + token[at + 1 :]
    assert client.get(url.replace(token, flipped)).status_code == 404
    assert client.get(url.replace(token, "not-a-token")).status_code == 404
    assert client.get(url).status_code == 200


def test_a_token_signed_with_another_key_opens_nothing(
    app: Flask, client: FlaskClient, package: str
) -> None:
    other = Flask("other")
    other.config["SECRET_KEY"] = "another key"
    with other.app_context():
        token = preview_token(package, client=client_of())
    assert client.get(f"/preview/{token}/index.html").status_code == 404


def test_an_expired_token_is_refused_with_a_reason(
    app: Flask, client: FlaskClient, package: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    thirty_one_minutes_ago = time.time() - 31 * 60
    with app.test_request_context(), monkeypatch.context() as patch:
        patch.setattr("itsdangerous.timed.time.time", lambda: thirty_one_minutes_ago)
        token = preview_token(package, client=client_of())
    # the reason, not its translation, is under test: read it in English
    response = client.get(f"/preview/{token}/index.html", headers={"Accept-Language": "en"})
    assert response.status_code == 403
    assert "This preview link has expired." in response.get_data(as_text=True)


def test_a_token_for_a_package_not_in_storage_opens_nothing(
    app: Flask, client: FlaskClient
) -> None:
    with app.test_request_context():
        token = preview_token("ab" * 32, client=client_of())
        junk = preview_token("../../etc/passwd", client=client_of())
    assert client.get(f"/preview/{token}/index.html").status_code == 404
    assert client.get(f"/preview/{junk}/index.html").status_code == 404


def test_the_lifetime_is_configurable(
    app: Flask, client: FlaskClient, package: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.config["PREVIEW_TOKEN_MINUTES"] = 5
    six_minutes_ago = time.time() - 6 * 60
    with app.test_request_context(), monkeypatch.context() as patch:
        patch.setattr("itsdangerous.timed.time.time", lambda: six_minutes_ago)
        old = preview_token(package, client=client_of())
    assert client.get(f"/preview/{old}/index.html").status_code == 403
    assert client.get(url_of(app, package)).status_code == 200


def test_a_frame_token_works_only_in_its_browser(
    app: Flask, client: FlaskClient, package: str
) -> None:
    url = url_of(app, package)
    assert client.get(url).status_code == 200
    other_browser = {"User-Agent": "Mozilla/5.0 (another browser)"}
    assert client.get(url, headers=other_browser).status_code == 403
    assert client.get(url, environ_overrides={"REMOTE_ADDR": "10.0.0.9"}).status_code == 403
    with app.test_request_context():
        for_nobody = preview_token(package)  # a frame token for no browser at all
    assert client.get(f"/preview/{for_nobody}/index.html").status_code == 403


def test_a_token_is_its_users_only_and_while_they_are_active(
    app: Flask, client: FlaskClient, package: str
) -> None:
    from catalogue.db import db
    from catalogue.models import User
    from tests.support.catalogue import add_user

    aigerim = add_user(app, "aigerim@example.kz", Role.REVIEWER)
    url = url_of(app, package, user_id=aigerim.id)
    assert client.get(url).status_code == 200
    forged = url_of(app, package, user_id=aigerim.id + 1)  # a user who does not exist
    assert client.get(forged).status_code == 403
    with app.app_context():
        row = db.session.get(User, aigerim.id)
        assert row is not None
        row.active = False
        db.session.commit()
    assert client.get(url).status_code == 403


def test_a_launch_token_needs_its_session_and_becomes_a_frame_token(
    app: Flask, client: FlaskClient, package: str
) -> None:
    from flask import session

    from catalogue.web.common.preview import SESSION_KEY

    @app.get("/_mint/<sha256>")
    def mint(sha256: str) -> str:
        return preview_url(sha256)

    @app.get("/_clear")
    def clear() -> str:
        session.clear()  # what signing in and signing out do
        return "cleared"

    launch = client.get(f"/_mint/{package}").get_data(as_text=True)
    with client.session_transaction() as stored:
        assert len(stored[SESSION_KEY]) >= 32
    answer = client.get(launch + "?lang=kk")
    assert answer.status_code == 303
    assert answer.headers["Cache-Control"] == "no-store"
    frame = answer.headers["Location"]
    assert frame.endswith("/index.html?lang=kk") and frame.split("/")[2] != launch.split("/")[2]
    assert client.get(frame).status_code == 200
    assert app.test_client().get(launch).status_code == 403  # another browser: no session
    client.get("/_clear")
    assert client.get(launch).status_code == 403  # signed out: the session's key is gone
    assert client.get(frame).status_code == 200  # the frame already open plays on


def test_a_preview_is_never_a_document_of_its_own(
    app: Flask, client: FlaskClient, package: str
) -> None:
    """In a tab of its own no parent's ``frame-src`` would stop it navigating elsewhere."""
    url = url_of(app, package)
    assert client.get(url, headers={"Sec-Fetch-Dest": "document"}).status_code == 403
    assert client.get(url, headers={"Sec-Fetch-Dest": "iframe"}).status_code == 200
    assert client.get(url, headers={"Sec-Fetch-Dest": "image"}).status_code == 200


# ---- member names -------------------------------------------------------------------


@pytest.mark.parametrize(
    "member",
    [
        "../outside.html",
        "media/../../outside.html",
        "./index.html",
        "media//clip.mp4",
        "media\\clip.mp4",
        "C:/index.html",
        "/etc/passwd",
        "",
    ],
)
def test_unsafe_member_names_are_refused(member: str) -> None:
    assert not safe_member_name(member)


@pytest.mark.parametrize(
    "tail",
    [
        "../outside.html",
        "..%2Foutside.html",
        "%2E%2E/outside.html",
        "media/%2E%2E/%2E%2E/outside.html",
        "media%5Cclip.mp4",
        "%2Fetc/passwd",
        "/etc/passwd",
        "media",
        "media/",
        "media//clip.mp4",
        "x//..%2F..%2Fapi/v1/me/resources",
        "missing.html",
        "INDEX.HTML",
    ],
)
def test_members_outside_or_missing_are_404(
    app: Flask, client: FlaskClient, package: str, tail: str
) -> None:
    response = client.get(f"{folder_of(url_of(app, package))}/{tail}")
    assert response.status_code == 404, tail  # never a redirect: CSP paths end at one


def test_an_archive_entry_named_with_dots_is_never_served(
    app: Flask, client: FlaskClient, package: str
) -> None:
    """The zip really holds ``../outside.html``; the name check and zipsafe both refuse it."""
    with app.test_request_context():
        token = preview_token(package, client=client_of())
    environ = {"PATH_INFO": f"/preview/{token}/../outside.html"}
    response = client.get(environ_overrides=environ)
    assert response.status_code == 404


# ---- Range requests (the video player seeks) ------------------------------------------


def test_a_range_of_a_video_is_206(app: Flask, client: FlaskClient, package: str) -> None:
    video = f"{folder_of(url_of(app, package))}/media/clip.mp4"
    whole = client.get(video)
    assert whole.status_code == 200
    assert whole.mimetype == "video/mp4"
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert whole.get_data() == VIDEO
    part = client.get(video, headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 1000-1999/{len(VIDEO)}"
    assert part.get_data() == VIDEO[1000:2000]
    assert part.headers["Content-Security-Policy"].startswith("sandbox ")
    tail = client.get(video, headers={"Range": "bytes=-100"})
    assert tail.status_code == 206
    assert tail.get_data() == VIDEO[-100:]
    again = client.get(video, headers={"If-None-Match": whole.headers["ETag"]})
    assert again.status_code == 304
    beyond = client.get(video, headers={"Range": f"bytes={len(VIDEO) + 10}-"})
    assert beyond.status_code == 416


# ---- the launch file ----------------------------------------------------------------


def test_the_launch_file_comes_from_the_manifest(app: Flask, client: FlaskClient) -> None:
    sha256 = store(
        app,
        {
            "imsmanifest.xml": manifest_12("sco/бастау.html", parameters="?lang=kk"),
            "sco/бастау.html": KAZAKH_PAGE,
        },
    )
    with app.test_request_context():
        assert launch_of(sha256) == ("sco/бастау.html", "?lang=kk")
        url = preview_url(sha256)
    assert url.endswith("/sco/%D0%B1%D0%B0%D1%81%D1%82%D0%B0%D1%83.html?lang=kk")
    assert client.get(url_of(app, sha256)).status_code == 200


def test_the_launch_file_of_a_built_sample_package(app: Flask, tmp_path: Path) -> None:
    from tests.support.catalogue import sample_package

    sha256 = store(app, dict(_entries(sample_package(tmp_path))))
    with app.test_request_context():
        assert launch_of(sha256) == ("index.html", "")


def _entries(path: Path) -> list[tuple[str, bytes | str]]:
    with zipfile.ZipFile(path) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


@pytest.mark.parametrize(
    "files",
    [
        {"index.html": KAZAKH_PAGE},
        {"imsmanifest.xml": "<manifest><not-closed></manifest>", "index.html": KAZAKH_PAGE},
        {"imsmanifest.xml": manifest_12("../escape.html"), "index.html": KAZAKH_PAGE},
        {"imsmanifest.xml": manifest_12("http://example.com/x.html"), "index.html": ""},
    ],
)
def test_without_a_usable_manifest_the_launch_is_index_html(
    app: Flask, files: dict[str, bytes | str]
) -> None:
    sha256 = store(app, files)
    with app.test_request_context():
        assert launch_of(sha256) == ("index.html", "")


def test_xml_base_is_part_of_the_launch_path(app: Flask) -> None:
    manifest = manifest_12("start.html").replace(
        'identifier="r1"', 'identifier="r1" xml:base="lessons/"'
    )
    sha256 = store(app, {"imsmanifest.xml": manifest})
    with app.test_request_context():
        assert launch_of(sha256) == ("lessons/start.html", "")


# ---- injecting the preview LMS ------------------------------------------------------

TAG = b'<script src="/static/preview-api.js"></script>'


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (b"<html><head><title>a</title></head>", b"<html><head>" + TAG + b"<title>a"),
        (
            b'<!doctype html><HTML><HEAD lang="kk"><meta charset=utf-8>',
            b'<!doctype html><HTML><HEAD lang="kk">' + TAG + b"<meta",
        ),
        (
            b"<!-- <head> in a comment --><html><head><title>",
            b"<!-- <head> in a comment --><html><head>" + TAG + b"<title>",
        ),
        (b"<header>no head element</header>", TAG + b"<header>no head element</header>"),
        (
            b"<!DOCTYPE html>\n<html lang=kk>\n<body>\xd2\x9a</body>",
            b"<!DOCTYPE html>\n<html lang=kk>" + TAG + b"\n<body>\xd2\x9a</body>",
        ),
        (b"plain text", TAG + b"plain text"),
    ],
)
def test_the_script_goes_first_into_head(page: bytes, expected: bytes) -> None:
    assert with_api_script(page, TAG).startswith(expected)


def test_a_utf16_page_is_injected_as_utf8() -> None:
    page = "\ufeff<html><head><title>Әліппе</title></head></html>".encode("utf-16")
    result = with_api_script(page, TAG)
    assert TAG in result
    assert "Әліппе".encode() in result


def test_a_windows_1251_page_keeps_its_own_charset(app: Flask, client: FlaskClient) -> None:
    page = '<html><head><meta charset="windows-1251"><title>Проба</title></head></html>'
    sha256 = store(app, {"index.html": page.encode("cp1251")})
    response = client.get(url_of(app, sha256))
    assert response.headers["Content-Type"] == "text/html"
    assert "Проба".encode("cp1251") in response.get_data()


# ---- the page macro -----------------------------------------------------------------


def test_the_macro_embeds_a_sandboxed_frame_and_the_panel(app: Flask, package: str) -> None:
    template = (
        '{% from "_preview.html" import preview %}'
        "{{ preview(preview_url(sha256), 'Ньютон заңдары: күш & масса') }}"
    )
    with app.test_request_context():
        html = render_template_string(template, sha256=package)
    frame = re.search(r"<iframe[^>]*>", html, re.S)
    assert frame is not None
    tag = frame.group(0)
    assert 'sandbox="allow-scripts allow-forms allow-modals"' in tag
    assert "allow-same-origin" not in html
    assert 'referrerpolicy="no-referrer"' in tag
    assert re.search(r'src="/preview/[^"/]+/index\.html"', tag)
    assert "Ньютон заңдары: күш &amp; масса" in tag
    assert 'aria-labelledby="preview-heading"' in html
    assert re.search(r'<h2 id="preview-heading">[^<]+</h2>', html)
    assert "<noscript>" in html
    assert '<script src="/static/preview-panel.js"></script>' in html
    assert html.index("preview-panel.js") < html.index("<iframe")  # listens before it loads
    # what an LMS receives is there, folded under "Technical details" until asked for
    folded = re.search(r"<details class=\"preview-technical\">\s*<summary>([^<]+)", html)
    assert folded is not None and folded.group(1).strip() == "Техникалық мәліметтер"
    assert html.index("<details") < html.index('class="preview-panel"') < html.index("</details>")
    assert "<script>" not in html and "style=" not in html and " on" not in tag
