"""MoodleClient against the fake Moodle, in process (WSGITransport) and over real HTTP.

Every test that touches the wire runs twice: through ``httpx.WSGITransport`` and through
a werkzeug server on 127.0.0.1, so the client is exercised on a real socket too. Tests
that need a real socket (timeouts, refused connections) run over HTTP only.
"""

from __future__ import annotations

import hashlib
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from werkzeug.serving import make_server

from lms_sync.errors import (
    IdNumberTaken,
    InvalidToken,
    MoodleError,
    NotInService,
    RestDisabled,
    SyncError,
    TransportError,
    UnexpectedResponse,
    UploadError,
    UploadInvalidToken,
)
from lms_sync.moodle_client import MoodleClient, flatten, is_idempotent
from lms_sync.retrying import Retries
from tests.support.fake_moodle import FakeMoodle, create_fake_moodle, make_scorm_zip

TOKEN = "tok-3f9a1c7e5b2d4e6f8a0b1c2d3e4f5a6b"
NO_WAIT = Retries(retries=3, backoff=0.0)

Connect = Callable[..., MoodleClient]


@pytest.fixture
def fake() -> FakeMoodle:
    return create_fake_moodle(TOKEN)


def serve(app: Any) -> tuple[str, Callable[[], None]]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join()

    return f"http://127.0.0.1:{server.server_port}", stop


@pytest.fixture(params=["wsgi", "http"])
def connect(request: pytest.FixtureRequest, fake: FakeMoodle) -> Iterator[Connect]:
    """``connect(token=..., retries=..., timeout=...)``: a client of the fake site."""
    clients: list[MoodleClient] = []
    if request.param == "http":
        url, stop = serve(fake)
    else:
        url, stop = "http://moodle.test", lambda: None

    def make(token: str = TOKEN, *, path: str = "", **options: Any) -> MoodleClient:
        options.setdefault("retries", NO_WAIT)
        if request.param == "wsgi":
            options["transport"] = httpx.WSGITransport(app=fake)
        client = MoodleClient(url + path, token, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
    stop()


@pytest.fixture
def http_site(fake: FakeMoodle) -> Iterator[str]:
    url, stop = serve(fake)
    yield url
    stop()


@pytest.fixture
def course(fake: FakeMoodle) -> int:
    category = fake.add_category("Физика", "sandyq-cat-physics")
    return fake.add_course("Физика 7-сынып", "PHYS7", category, "sandyq-phys7", numsections=2)


def draft_with(client: MoodleClient, package: bytes, name: str = "lesson.zip") -> int:
    return client.upload([(name, package)]).itemid


def no_token_in(*texts: str) -> None:
    for text in texts:
        assert TOKEN not in text


# ---- the form encoding -----------------------------------------------------------------


def test_flatten_numbers_lists_and_names_structures_like_php() -> None:
    assert flatten(
        {
            "courses": [{"fullname": "Физика", "categoryid": 3, "visible": True}],
            "cmids": [7, 8],
            "options": [{"name": "excludemodules", "value": False}],
            "addsubcategories": False,
            "ratio": 0.5,
        }
    ) == {
        "courses[0][fullname]": "Физика",
        "courses[0][categoryid]": "3",
        "courses[0][visible]": "1",
        "cmids[0]": "7",
        "cmids[1]": "8",
        "options[0][name]": "excludemodules",
        "options[0][value]": "0",
        "addsubcategories": "0",
        "ratio": "0.5",
    }


def test_flatten_leaves_out_none_and_empty_lists_but_keeps_empty_strings() -> None:
    assert flatten({"lang": None, "courseids": [], "intro": "", "c": [{"x": None, "y": 1}]}) == {
        "intro": "",
        "c[0][y]": "1",
    }


def test_reads_are_the_functions_named_get() -> None:
    assert is_idempotent("core_course_get_categories")
    assert is_idempotent("local_sandyq_get_synced")
    assert not is_idempotent("core_course_create_courses")
    assert not is_idempotent("local_sandyq_update_scorm")


def test_retries_back_off_exponentially_with_bounded_jitter() -> None:
    policy = Retries(retries=5, backoff=0.5, max_backoff=4.0, jitter=0.25)
    assert [policy.delay(n, 0.0) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    assert 0.5 < policy.delay(1, 0.99) < 0.5 * 1.25
    assert MoodleClient("https://moodle.example", TOKEN, retries=5).retries == Retries(retries=5)


def test_the_client_refuses_addresses_that_are_not_http() -> None:
    with pytest.raises(ValueError, match="https://"):
        MoodleClient("moodle.example", TOKEN)


def test_create_course_sends_the_bracket_form_moodle_reads(
    connect: Connect, fake: FakeMoodle, course: int
) -> None:
    client = connect()
    client.create_course("Алгебра 8", "ALG8", 1, "sandyq-alg8", lang="")
    assert fake.requests[-1].form == {
        "wstoken": TOKEN,
        "wsfunction": "core_course_create_courses",
        "moodlewsrestformat": "json",
        "courses[0][fullname]": "Алгебра 8",
        "courses[0][shortname]": "ALG8",
        "courses[0][categoryid]": "1",
        "courses[0][idnumber]": "sandyq-alg8",
    }  # lang="" is left out: Moodle rejects an empty lang


def test_get_synced_sends_course_ids_as_a_numbered_list(connect: Connect, fake: FakeMoodle) -> None:
    client = connect()
    client.get_synced([4, 5])
    assert {k: v for k, v in fake.requests[-1].form.items() if k.startswith("courseids")} == {
        "courseids[0]": "4",
        "courseids[1]": "5",
    }
    client.get_synced()
    assert not any(k.startswith("courseids") for k in fake.requests[-1].form)
    calls = len(fake.requests)
    assert client.get_synced([]) == []  # no courses: nothing to ask (not "every course")
    assert len(fake.requests) == calls


# ---- what the sync reads and writes ----------------------------------------------------


def test_site_info_lists_the_service_functions(connect: Connect) -> None:
    info = connect().site_info()
    assert info.userid == 2 and info.uploadfiles
    assert info.release.startswith("4.4")
    assert info.missing({"local_sandyq_create_scorm", "core_user_create_users"}) == [
        "core_user_create_users"
    ]


def test_categories_by_idnumber_finds_each_and_skips_subcategories(
    connect: Connect, fake: FakeMoodle
) -> None:
    root = fake.add_category("Жаратылыстану", "sandyq-science")
    fake.add_category("Физика", "sandyq-physics", parent=root)
    found = connect().categories_by_idnumber(["sandyq-science", "sandyq-missing"])
    assert list(found) == ["sandyq-science"]
    assert found["sandyq-science"].name == "Жаратылыстану"
    assert found["sandyq-science"].parent == 0


def test_create_category_round_trips_kazakh_names(connect: Connect) -> None:
    client = connect()
    created = client.create_category("Физика және астрономия", 0, "sandyq-kk")
    found = client.categories_by_idnumber(["sandyq-kk"])["sandyq-kk"]
    assert found == created
    assert found.name == "Физика және астрономия"


def test_a_taken_category_idnumber_says_to_reuse_it(connect: Connect) -> None:
    client = connect()
    client.create_category("A", 0, "sandyq-a")
    with pytest.raises(IdNumberTaken) as caught:
        client.create_category("B", 0, "sandyq-a")
    assert caught.value.errorcode == "categoryidnumbertaken"
    assert caught.value.function == "core_course_create_categories"
    assert "look it up by idnumber and reuse it" in str(caught.value)
    assert not caught.value.fatal


def test_create_course_round_trips_kazakh_text(connect: Connect, course: int) -> None:
    client = connect()
    created = client.create_course("Қазақ тілі 5-сынып", "ҚАЗ5", 1, "sandyq-kaz5", lang="kk")
    found = client.courses_by_idnumber("sandyq-kaz5")
    assert found == created
    assert (found.fullname, found.shortname, found.lang) == ("Қазақ тілі 5-сынып", "ҚАЗ5", "kk")
    assert client.courses_by_idnumber("sandyq-nothing") is None


@pytest.mark.parametrize(
    ("shortname", "idnumber", "errorcode"),
    [("PHYS7", "sandyq-other", "shortnametaken"), ("OTHER", "sandyq-phys7", "courseidnumbertaken")],
)
def test_taken_course_names_are_idnumber_taken(
    connect: Connect, course: int, shortname: str, idnumber: str, errorcode: str
) -> None:
    with pytest.raises(IdNumberTaken) as caught:
        connect().create_course("Dup", shortname, 1, idnumber)
    assert caught.value.errorcode == errorcode


def test_a_scorm_activity_is_created_updated_hidden_and_deleted(
    connect: Connect, fake: FakeMoodle, course: int
) -> None:
    client = connect()
    first, second = make_scorm_zip("v1"), make_scorm_zip("v2")
    created = client.create_scorm(
        course, 1, "Ньютон заңдары", draft_with(client, first), "sandyq-res-42", intro="<p>7</p>"
    )
    assert created.sha1hash == hashlib.sha1(first).hexdigest()
    assert created.revision == 1
    [synced] = client.get_synced([course])
    assert (synced.cmid, synced.name, synced.section, synced.visible) == (
        created.cmid,
        "Ньютон заңдары",
        1,
        True,
    )

    updated = client.update_scorm(created.cmid, draft_with(client, second))
    assert (updated.cmid, updated.instanceid) == (created.cmid, created.instanceid)
    assert (updated.sha1hash, updated.revision) == (hashlib.sha1(second).hexdigest(), 2)

    client.set_module_visible(created.cmid, False)
    assert not client.get_synced()[0].visible
    client.set_module_visible(created.cmid, True)
    assert client.get_synced()[0].visible

    client.delete_module(created.cmid)
    assert client.get_synced() == []


def test_a_hidden_activity_can_be_created(connect: Connect, course: int) -> None:
    client = connect()
    client.create_scorm(
        course, 2, "Hidden", draft_with(client, make_scorm_zip()), "h", visible=False
    )
    assert [m.visible for m in client.get_synced()] == [False]


def test_a_broken_package_is_a_moodle_error_that_points_at_the_validator(
    connect: Connect, course: int
) -> None:
    client = connect()
    broken = make_scorm_zip(manifest="<manifest><organizations></manifest>")
    with pytest.raises(MoodleError) as caught:
        client.create_scorm(course, 1, "Broken", draft_with(client, broken), "sandyq-broken")
    assert caught.value.errorcode == "invalidpackage"
    # The plugin names libxml's complaint (recorded: tests/fixtures/moodle/recorded/10-errors.json).
    assert "[malformed_xml]" in str(caught.value)
    assert "Opening and ending tag mismatch: organizations line 1" in str(caught.value)
    assert "sandyq validate" in str(caught.value)
    assert client.get_synced() == []


def test_creating_the_same_activity_twice_is_refused(connect: Connect, course: int) -> None:
    client = connect()
    draft = draft_with(client, make_scorm_zip())
    client.create_scorm(course, 1, "Once", draft, "sandyq-once")
    with pytest.raises(IdNumberTaken):
        client.create_scorm(course, 1, "Twice", draft, "sandyq-once")


# ---- the quirks of the wire ------------------------------------------------------------


def test_null_html_and_double_encoded_answers_are_decoded(
    connect: Connect, fake: FakeMoodle, course: int
) -> None:
    client = connect()
    cmid = fake.add_scorm(course, 1, "S", make_scorm_zip())
    html = client.call("core_course_edit_module", action="hide", id=cmid)
    assert isinstance(html, str) and html.startswith("<li")
    updates: Any = client.call(
        "core_courseformat_update_course", action="cm_show", courseid=course, ids=[cmid]
    )
    assert isinstance(updates, list)
    assert updates[0] == {"name": "cm", "action": "put", "fields": updates[0]["fields"]}
    assert updates[0]["fields"]["visible"] is True
    assert client.call("core_course_delete_modules", cmids=[cmid]) is None


def test_an_invalid_token_is_fatal_and_never_retried(connect: Connect, fake: FakeMoodle) -> None:
    client = connect("0123456789abcdef0123456789abcdef")
    with pytest.raises(InvalidToken) as caught:
        client.site_info()
    assert caught.value.fatal
    assert "Manage tokens" in str(caught.value)
    assert fake.calls["core_webservice_get_site_info"] == 1
    assert "0123456789abcdef" not in str(caught.value) + repr(caught.value) + repr(client)


def test_a_function_outside_the_service_names_itself(connect: Connect, fake: FakeMoodle) -> None:
    fake.functions.discard("local_sandyq_get_synced")
    with pytest.raises(NotInService) as caught:
        connect().get_synced()
    assert caught.value.fatal
    assert "add the function local_sandyq_get_synced to the Sandyq service" in str(caught.value)


def test_a_missing_plugin_function_says_to_install_the_plugin(connect: Connect) -> None:
    with pytest.raises(MoodleError) as caught:
        connect().call("local_sandyq_not_yet_written")
    assert caught.value.errorcode == "invalidrecord"
    assert "install or upgrade the local_sandyq plugin" in str(caught.value)


def test_rest_switched_off_is_fatal_but_uploads_still_work(
    connect: Connect, fake: FakeMoodle
) -> None:
    client = connect()
    fake.rest_enabled = False
    with pytest.raises(RestDisabled) as caught:
        client.site_info()
    assert caught.value.fatal
    assert "enable the REST protocol" in str(caught.value)
    assert fake.calls["core_webservice_get_site_info"] == 1
    assert client.upload([("a.zip", b"PK")]).itemid > 0


def test_invalid_parameters_are_moodle_errors_not_retried(
    connect: Connect, fake: FakeMoodle
) -> None:
    with pytest.raises(MoodleError) as caught:
        connect().call("core_course_get_course_module", cmid="abc")
    assert caught.value.errorcode == "invalidparameter"
    assert "debuginfo" in str(caught.value)
    assert fake.calls["core_course_get_course_module"] == 1


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (
            '<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE>\n</RESPONSE>\n',
            "application/xml; charset=utf-8",
            "XML/HTML",
        ),
        ("Service Unavailable", "text/plain", "not JSON"),
        (
            "<br />\n<b>Warning</b>:  Undefined variable in x.php<br />\n{}",
            "application/json",
            "Display debug messages",
        ),
        ("", "application/json", "empty body"),
    ],
    ids=["xml", "text", "php-warning", "empty"],
)
def test_answers_that_are_not_json_name_the_function(
    connect: Connect, fake: FakeMoodle, body: str, content_type: str, expected: str
) -> None:
    fake.fail_next(
        "core_webservice_get_site_info", status=200, body=body, content_type=content_type
    )
    with pytest.raises(UnexpectedResponse) as caught:
        connect().site_info()
    assert caught.value.function == "core_webservice_get_site_info"
    assert str(caught.value).startswith("core_webservice_get_site_info: ")
    assert expected in str(caught.value)
    assert not caught.value.retryable


@pytest.mark.parametrize(
    ("body", "cls", "errorcode"),
    [
        (
            '{"exception":"webservice_access_exception","message":"Access control exception"}',
            NotInService,
            "",
        ),
        ('{"exception":"moodle_exception","message":"Something broke"}', MoodleError, ""),
        ('{"errorcode":"invalidtoken","message":"Invalid token"}', InvalidToken, "invalidtoken"),
    ],
    ids=["access-without-errorcode", "bare-exception", "errorcode-without-exception"],
)
def test_errors_without_an_errorcode_or_an_exception_are_still_errors(
    connect: Connect, fake: FakeMoodle, body: str, cls: type[MoodleError], errorcode: str
) -> None:
    fake.fail_next(
        "core_webservice_get_site_info", status=200, body=body, content_type="application/json"
    )
    with pytest.raises(cls) as caught:
        connect().site_info()
    assert caught.value.errorcode == errorcode


def test_a_plugin_answer_of_the_wrong_shape_says_to_update_the_plugin(
    connect: Connect, fake: FakeMoodle
) -> None:
    fake.fail_next(
        "local_sandyq_get_synced",
        status=200,
        content_type="application/json",
        body='{"modules":[{"cmid":"seven"}],"warnings":[]}',
    )
    with pytest.raises(UnexpectedResponse, match="local_sandyq plugin on the site up to date"):
        connect().get_synced()


def test_a_wrong_moodle_address_says_what_the_address_should_be(connect: Connect) -> None:
    with pytest.raises(TransportError) as caught:
        connect(path="/moodle").site_info()
    assert "HTTP 404" in str(caught.value) and "wwwroot" in str(caught.value)
    assert not caught.value.retryable


# ---- retries ---------------------------------------------------------------------------


def test_reads_are_retried_through_503s(connect: Connect, fake: FakeMoodle) -> None:
    fake.fail_next("local_sandyq_get_synced", times=2, status=503)
    assert connect().get_synced() == []
    assert fake.calls["local_sandyq_get_synced"] == 3


def test_reads_give_up_after_the_configured_retries(connect: Connect, fake: FakeMoodle) -> None:
    fake.fail_next("core_webservice_get_site_info", times=5, status=502)
    with pytest.raises(TransportError) as caught:
        connect(retries=Retries(retries=2, backoff=0.0)).site_info()
    assert caught.value.retryable
    assert "gave up after 3 attempts" in str(caught.value)
    assert fake.calls["core_webservice_get_site_info"] == 3


def test_writes_are_not_retried(connect: Connect, fake: FakeMoodle, course: int) -> None:
    client = connect()
    draft = draft_with(client, make_scorm_zip())
    fake.fail_next("local_sandyq_create_scorm", status=503)
    with pytest.raises(TransportError) as caught:
        client.create_scorm(course, 1, "S", draft, "sandyq-s")
    assert caught.value.retryable
    assert "not repeated because the call changes data" in str(caught.value)
    assert fake.calls["local_sandyq_create_scorm"] == 1
    assert client.get_synced() == []


def test_a_write_whose_answer_was_lost_is_done_but_reported(
    connect: Connect, fake: FakeMoodle, course: int
) -> None:
    client = connect()
    draft = draft_with(client, make_scorm_zip())
    fake.fail_after("local_sandyq_create_scorm", status=500)
    with pytest.raises(TransportError):
        client.create_scorm(course, 1, "S", draft, "sandyq-s")
    assert fake.calls["local_sandyq_create_scorm"] == 1
    assert [m.idnumber for m in client.get_synced()] == ["sandyq-s"]


def test_showing_and_hiding_is_retried_because_repeating_it_is_harmless(
    connect: Connect, fake: FakeMoodle, course: int
) -> None:
    cmid = fake.add_scorm(course, 1, "S", make_scorm_zip())
    fake.fail_next("core_course_edit_module", status=503)
    connect().set_module_visible(cmid, False)
    assert fake.calls["core_course_edit_module"] == 2
    assert fake.state.modules[cmid].visible == 0


def test_an_upload_into_a_new_draft_is_retried_after_a_lost_answer(
    connect: Connect, fake: FakeMoodle
) -> None:
    fake.fail_after("upload", status=502)
    result = connect().upload([("a.zip", b"PK-1")])
    assert fake.calls["upload"] == 2
    assert len(fake.state.drafts) == 2  # the first, orphaned draft stays for Moodle's cron
    assert fake.state.drafts[result.itemid][0].content == b"PK-1"


def test_an_upload_into_an_existing_draft_is_not_retried(
    connect: Connect, fake: FakeMoodle
) -> None:
    client = connect()
    itemid = draft_with(client, b"PK-1", "a.zip")
    fake.fail_next("upload", status=503)
    with pytest.raises(TransportError):
        client.upload([("b.zip", b"PK-2")], itemid=itemid)
    assert fake.calls["upload"] == 2


def test_a_lost_answer_in_process_surfaces_as_a_transport_error(
    fake: FakeMoodle, course: int
) -> None:
    """Through WSGITransport, an httpx exception raised by the fake is a network failure."""
    client = MoodleClient(
        "http://moodle.test", TOKEN, retries=NO_WAIT, transport=httpx.WSGITransport(app=fake)
    )
    fake.fail_next("local_sandyq_get_synced", exception=httpx.ReadTimeout("injected"))
    assert client.get_synced() == []
    assert fake.calls["local_sandyq_get_synced"] == 2
    fake.fail_after("core_course_create_courses", exception=httpx.ReadTimeout("injected"))
    with pytest.raises(TransportError, match="did not answer in time"):
        client.create_course("Lost", "LOST", 1, "sandyq-lost")
    assert client.courses_by_idnumber("sandyq-lost") is not None


def test_timeouts_on_reads_are_retried_over_http(fake: FakeMoodle, http_site: str) -> None:
    fake.delay_next("core_webservice_get_site_info", seconds=0.6)
    with MoodleClient(http_site, TOKEN, timeout=httpx.Timeout(0.2), retries=NO_WAIT) as client:
        assert client.site_info().userid == 2
    assert fake.calls["core_webservice_get_site_info"] == 2


def test_a_timed_out_write_is_not_repeated_though_moodle_may_finish_it(
    fake: FakeMoodle, http_site: str, course: int
) -> None:
    fake.delay_next("core_course_create_courses", seconds=0.6)
    with MoodleClient(http_site, TOKEN, timeout=httpx.Timeout(0.2), retries=NO_WAIT) as client:
        with pytest.raises(TransportError, match="did not answer in time") as caught:
            client.create_course("Slow", "SLOW", 1, "sandyq-slow")
        assert caught.value.retryable
        assert fake.calls["core_course_create_courses"] == 1
        deadline = time.monotonic() + 5
        while client.courses_by_idnumber("sandyq-slow") is None:
            assert time.monotonic() < deadline, "the slow request never finished"
            time.sleep(0.05)


def test_a_refused_connection_is_a_retryable_transport_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = MoodleClient(f"http://127.0.0.1:{port}", TOKEN, retries=Retries(1, backoff=0.0))
    with pytest.raises(TransportError) as caught:
        client.site_info()
    assert caught.value.retryable
    assert "cannot reach Moodle at http://127.0.0.1" in str(caught.value)
    assert "gave up after 2 attempts" in str(caught.value)


# ---- uploads ---------------------------------------------------------------------------


def test_upload_sends_token_and_numbered_files_and_reads_the_draft(
    connect: Connect, fake: FakeMoodle, tmp_path: Path
) -> None:
    package = tmp_path / "Ньютон.zip"
    package.write_bytes(make_scorm_zip())
    result = connect().upload([("notes.txt", b"hello"), (package.name, package)])
    sent = fake.requests[-1]
    assert sent.form == {"token": TOKEN, "filepath": "/", "itemid": "0"}
    assert [(f, n) for f, n, _ in sent.files] == [("file_1", "notes.txt"), ("file_2", package.name)]
    assert [f.filename for f in result.files] == ["notes.txt", "Ньютон.zip"]
    assert result.files[1].filesize == package.stat().st_size
    assert result.files[0].userid == 2  # "2" on the wire
    assert {f.itemid for f in result.files} == {result.itemid}


def test_upload_into_the_same_draft_then_a_name_clash(connect: Connect, fake: FakeMoodle) -> None:
    client = connect()
    itemid = draft_with(client, b"PK-1", "a.zip")
    assert client.upload([("b.zip", b"PK-2")], itemid=itemid).itemid == itemid
    with pytest.raises(UploadError) as caught:
        client.upload([("a.zip", b"PK-3"), ("c.zip", b"PK-4")], itemid=itemid)
    error = caught.value
    assert error.errorcode == "filenameexist"
    assert error.rejected == (("a.zip", "filenameexist", "File name already exists: a.zip"),)
    assert error.itemid == itemid  # c.zip did land
    assert "new draft area" in str(error)
    assert "/tmp/php" not in str(error)


def test_an_oversized_upload_says_which_setting_to_raise(
    connect: Connect, fake: FakeMoodle
) -> None:
    fake.maxbytes = 100
    with pytest.raises(UploadError) as caught:
        connect().upload([("big.zip", b"x" * 101)])
    assert caught.value.errorcode == "fileoversized"
    assert caught.value.itemid is None
    assert "Maximum uploaded file size" in str(caught.value)


def test_an_upload_with_a_bad_token_is_both_an_upload_and_a_token_error(
    connect: Connect, fake: FakeMoodle
) -> None:
    with pytest.raises(UploadInvalidToken) as caught:
        connect("0123456789abcdef0123456789abcdef").upload([("a.zip", b"PK")])
    assert isinstance(caught.value, UploadError) and isinstance(caught.value, InvalidToken)
    assert caught.value.fatal
    assert "Manage tokens" in str(caught.value)
    assert fake.calls["upload"] == 1


@pytest.mark.parametrize(
    ("body", "errorcode", "advice"),
    [
        ("[]", "nofile", "post_max_size"),
        (
            '{"error":"A required parameter (token) was missing","errorcode":"missingparam",'
            '"stacktrace":null,"debuginfo":null,"reproductionlink":null}',
            "missingparam",
            "'token'",
        ),
    ],
    ids=["nothing-stored", "request-level"],
)
def test_upload_request_level_answers_are_upload_errors(
    connect: Connect, fake: FakeMoodle, body: str, errorcode: str, advice: str
) -> None:
    fake.fail_next("upload", status=200, body=body, content_type="text/plain; charset=utf-8")
    with pytest.raises(UploadError) as caught:
        connect().upload([("a.zip", b"PK")])
    assert caught.value.errorcode == errorcode
    assert advice in str(caught.value)


def test_upload_needs_a_file() -> None:
    with pytest.raises(ValueError):
        MoodleClient("https://moodle.example", TOKEN).upload([])


# ---- files and the token ---------------------------------------------------------------


def test_pluginfile_urls_get_the_token_and_fetch_the_package(
    connect: Connect, fake: FakeMoodle, course: int
) -> None:
    client = connect()
    package = make_scorm_zip("fetched")
    fake.add_scorm(course, 1, "S", package, reference="lesson.zip")
    answer: Any = client.call("mod_scorm_get_scorms_by_courses", courseids=[course])
    url = answer["scorms"][0]["packageurl"]
    assert "token" not in url
    signed = client.pluginfile_url(url + "?forcedownload=1")
    assert signed.endswith(f"?forcedownload=1&token={TOKEN}")
    fetched = client._http.get(signed)  # the client's own transport, as the sync would
    assert fetched.content == package


def test_plain_pluginfile_urls_move_under_webservice(connect: Connect) -> None:
    client = connect()
    url = client.base_url + "/pluginfile.php/58/course/overviewfiles/a.png"
    assert client.pluginfile_url(url) == (
        client.base_url + f"/webservice/pluginfile.php/58/course/overviewfiles/a.png?token={TOKEN}"
    )


def test_the_token_is_never_added_to_another_sites_url(connect: Connect) -> None:
    with pytest.raises(ValueError, match="refusing to add the token") as caught:
        connect().pluginfile_url("https://evil.example/webservice/pluginfile.php/1/a.zip")
    no_token_in(str(caught.value))


def test_the_token_never_reaches_logs_errors_or_reprs(
    connect: Connect, fake: FakeMoodle, course: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = connect()
    errors: list[SyncError] = []
    fake.fail_next("core_webservice_get_site_info", times=4, status=503)  # retries, then fails
    # Answers that quote the token back (a debugging proxy, a PHP notice) are redacted.
    fake.fail_next(
        "core_course_get_contents",
        status=200,
        content_type="text/html",
        body=f"<html>wstoken={TOKEN}</html>",
    )
    fake.fail_next(
        "core_course_get_course_module",
        status=200,
        content_type="application/json",
        body=f'{{"exception":"x","errorcode":"y","message":"token {TOKEN}","debuginfo":"{TOKEN}"}}',
    )
    fake.fail_next("upload", status=200, body=f'{{"error":"bad {TOKEN}","errorcode":"z"}}')
    attempts: list[Callable[[], object]] = [
        client.site_info,
        lambda: client.call("core_course_get_contents", courseid=course),
        lambda: client.call("core_course_get_course_module", cmid=1),
        lambda: client.upload([("a.zip", b"PK")]),
        lambda: client.create_scorm(course, 1, "S", 999, "x"),
    ]
    for attempt in attempts:
        with pytest.raises(SyncError) as caught:
            attempt()
        errors.append(caught.value)
    fake.maxbytes = 1
    with pytest.raises(UploadError) as oversized:
        client.upload([("a.zip", b"PK")])
    errors.append(oversized.value)
    assert caplog.records, "the client logs its exchanges"
    no_token_in(caplog.text, repr(client))
    for error in errors:
        no_token_in(str(error), repr(error), repr(error.args), repr(vars(error)))
