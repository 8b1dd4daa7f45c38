"""``MoodleClient``: the one place that knows Moodle's web-service wire format.

Everything the sync sends to Moodle goes through ``call`` (``webservice/rest/server.php``)
or ``upload`` (``webservice/upload.php``). They own the quirks recorded from a real Moodle
4.4 (see ``tests/fixtures/moodle/``):

- parameters are flattened to PHP's bracket form (``courses[0][shortname]``), every
  value a string, booleans ``"1"``/``"0"``, ``None`` left out (an empty string is *not*
  "absent" to Moodle: ``lang=""`` is rejected);
- errors come back with HTTP 200 as ``{"exception", "errorcode", "message"}``, so every
  body is checked, and mapped onto ``lms_sync.errors``;
- some answers are the literal ``null`` (``core_course_delete_modules``), a bare string
  (``core_course_edit_module``: HTML) or JSON encoded twice
  (``core_courseformat_update_course``);
- a disabled REST protocol is HTTP 403 with an empty body; XML, HTML or plain text where
  JSON was asked for is a clear ``UnexpectedResponse`` naming the function;
- upload.php speaks its own dialect: the token field is ``token``, files are ``file_1``…,
  the JSON comes as ``text/plain``, refused files are entries of the answer list and
  request-level errors are ``{"error", "errorcode", ...}``; ``userid`` is a string.

Timeouts are decided once (``DEFAULT_TIMEOUT``), retries in ``lms_sync.retrying`` (from the
settings' ``Retries``): only idempotent exchanges (reads, i.e. functions named ``*_get_*``,
showing/hiding a module, and uploads into a new draft area) are retried, on connection
errors, timeouts and HTTP 5xx, with exponential backoff and jitter. A Moodle error is an
answer, never retried, except the few after which Moodle rolled the request back.

The token travels in the POST body, never in a URL the client fetches, and is redacted
from anything quoted in an error or a log line. ``pluginfile_url`` is the one exception:
its result holds the token, so do not log it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import mimetypes
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TypeAlias
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from lms_sync.errors import (
    IdNumberTaken,
    InvalidToken,
    MissingCapability,
    MoodleError,
    NotInService,
    RestDisabled,
    TransportError,
    UnexpectedResponse,
    UploadError,
    UploadInvalidToken,
)
from lms_sync.remote import (
    ActivityUse,
    RemoteCategory,
    RemoteCourse,
    RemoteScorm,
    SiteInfo,
    SyncedModule,
    UploadedFile,
    UploadResult,
)
from lms_sync.retrying import Retries, retry_call

log = logging.getLogger(__name__)

#: A decoded JSON value.
JSON: TypeAlias = dict[str, "JSON"] | list["JSON"] | str | int | float | bool | None
#: A value ``call`` can flatten into form fields.
Param: TypeAlias = str | int | float | bool | None | Sequence["Param"] | Mapping[str, "Param"]

REST_PATH = "/webservice/rest/server.php"
UPLOAD_PATH = "/webservice/upload.php"

#: Creating a SCORM makes Moodle unzip and parse the package: give reads a long leash.
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=120.0, write=120.0, pool=10.0)

#: Functions whose JSON answer is itself a string of JSON.
DOUBLE_ENCODED = frozenset({"core_courseformat_update_course"})

_ERROR_CLASSES: dict[str, type[MoodleError]] = {
    "invalidtoken": InvalidToken,
    "accessexception": NotInService,
    "shortnametaken": IdNumberTaken,
    "courseidnumbertaken": IdNumberTaken,
    "categoryidnumbertaken": IdNumberTaken,
    "idnumbertaken": IdNumberTaken,
}
#: Errors after which Moodle rolled the whole request back and the same call may well
#: succeed: two uploads writing the same file into Moodle's file pool at once race on
#: creating its folder (seen on a real Moodle 4.4 with three uploads at a time).
ROLLED_BACK_ERRORCODES = frozenset({"storedfilecannotcreatefiledirs"})
#: For errors that come without an ``errorcode``.
_EXCEPTION_CLASSES: dict[str, type[MoodleError]] = {
    "webservice_access_exception": NotInService,
}


def is_idempotent(function: str) -> bool:
    """Reads are safe to repeat; Moodle names them ``*_get_*``."""
    return "_get_" in function


def flatten(params: Mapping[str, Param]) -> dict[str, str]:
    """Moodle's form encoding: ``{"courses": [{"shortname": "A"}]}`` → ``courses[0][shortname]``.

    Lists are numbered from 0, booleans become "1"/"0", ``None`` is left out (an empty
    list too: both mean "use the default").
    """
    fields: dict[str, str] = {}

    def put(name: str, value: Param) -> None:
        if value is None:
            return
        if isinstance(value, bool):
            fields[name] = "1" if value else "0"
        elif isinstance(value, str | int | float):
            fields[name] = str(value)
        elif isinstance(value, Mapping):
            for key, item in value.items():
                put(f"{name}[{key}]", item)
        else:
            for index, item in enumerate(value):
                put(f"{name}[{index}]", item)

    for key, value in params.items():
        put(key, value)
    return fields


class MoodleClient:
    """A Moodle site seen through its web services and the ``local_sandyq`` plugin.

    ``transport`` swaps the network for tests: ``httpx.WSGITransport(app=fake_moodle)``.
    Use it as a context manager, or call ``close()``.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retries: int | Retries = 3,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        if urlsplit(self.base_url).scheme not in ("http", "https"):
            raise ValueError(f"Moodle's address must start with https:// (got {base_url!r})")
        if not token:
            raise ValueError("a Moodle web-service token is required")
        self._token = token
        self.retries = retries if isinstance(retries, Retries) else Retries(retries=retries)
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
            headers={"User-Agent": "sandyq-lms-sync", "Accept": "application/json"},
        )

    def __repr__(self) -> str:
        return f"MoodleClient({self.base_url!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> MoodleClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ---- the seam ------------------------------------------------------------------------

    def call(self, function: str, /, **params: Param) -> JSON:
        """Call a web-service function; return its decoded answer or raise a ``SyncError``."""
        return self._call(function, params, idempotent=is_idempotent(function))

    def _call(self, function: str, params: Mapping[str, Param], *, idempotent: bool) -> JSON:
        form = {"wstoken": self._token, "wsfunction": function, "moodlewsrestformat": "json"}
        form.update(flatten(params))
        log.debug("%s(%s)", function, ", ".join(key for key in form if key != "wstoken"))

        def once() -> JSON:
            response = self._exchange(
                function, lambda: self._http.post(REST_PATH, data=form), idempotent=idempotent
            )
            return self._decode(function, response)

        def rolled_back(error: BaseException) -> bool:
            return isinstance(error, MoodleError) and error.errorcode in ROLLED_BACK_ERRORCODES

        def on_retry(error: BaseException, attempt: int, wait: float) -> None:
            assert isinstance(error, MoodleError)
            log.warning("%s: %s; retrying in %.1fs", function, error.message, wait)

        return retry_call(once, self.retries, retry_on=rolled_back, on_retry=on_retry)

    def upload(
        self,
        files: Sequence[tuple[str, bytes | Path]],
        *,
        itemid: int = 0,
        filepath: str = "/",
    ) -> UploadResult:
        """Put files into a user draft area through ``webservice/upload.php``.

        ``itemid=0`` makes a new draft area (safe to retry: a lost answer only leaves an
        orphan draft, which Moodle's cron deletes); reusing one is not retried.
        """
        if not files:
            raise ValueError("upload() needs at least one file")
        form = {"token": self._token, "filepath": filepath, "itemid": str(itemid)}

        def send() -> httpx.Response:
            with contextlib.ExitStack() as stack:
                parts = []
                for number, (name, content) in enumerate(files, start=1):
                    body = (
                        stack.enter_context(content.open("rb"))
                        if isinstance(content, Path)
                        else content
                    )
                    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
                    parts.append((f"file_{number}", (name, body, kind)))
                return self._http.post(UPLOAD_PATH, data=form, files=parts)

        log.debug("upload(%s) into draft %s", ", ".join(name for name, _ in files), itemid)
        response = self._exchange("upload", send, idempotent=itemid == 0)
        return self._decode_upload(response, [name for name, _ in files])

    def pluginfile_url(self, url: str) -> str:
        """A file URL from Moodle, with the token that lets a web-service client fetch it.

        Moodle returns ``webservice/pluginfile.php`` URLs without the token; plain
        ``pluginfile.php`` ones are moved under ``webservice/``. The token is only ever
        added to URLs of this site. The result is a secret: do not log it.
        """
        parts = urlsplit(url)
        site = urlsplit(self.base_url)
        if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            raise ValueError(
                f"refusing to add the token to a URL outside {self.base_url} "
                f"({parts.scheme}://{parts.netloc}); if Moodle's wwwroot differs from the "
                "address the sync uses, make them the same"
            )
        path = parts.path
        if "/pluginfile.php/" in path and "/webservice/pluginfile.php/" not in path:
            path = path.replace("/pluginfile.php/", "/webservice/pluginfile.php/", 1)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "token"]
        query.append(("token", self._token))
        return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), parts.fragment))

    # ---- what the sync needs ------------------------------------------------------------

    def site_info(self) -> SiteInfo:
        function = "core_webservice_get_site_info"
        data = _object(self.call(function), function)
        functions = frozenset(
            _str(_object(entry, function), "name", function)
            for entry in _list(data.get("functions", []), function)
        )
        return SiteInfo(
            sitename=_str(data, "sitename", function),
            siteurl=_str(data, "siteurl", function),
            release=_str(data, "release", function),
            version=_str(data, "version", function),
            userid=_int(data, "userid", function),
            username=_str(data, "username", function),
            functions=functions,
            uploadfiles=_flag(data, "uploadfiles", function, default=False),
            downloadfiles=_flag(data, "downloadfiles", function, default=False),
        )

    def categories_by_idnumber(self, idnumbers: Iterable[str]) -> dict[str, RemoteCategory]:
        """The categories that exist, by idnumber (one call each; missing ones are absent)."""
        function = "core_course_get_categories"
        found: dict[str, RemoteCategory] = {}
        for idnumber in idnumbers:
            answer = self.call(
                function,
                criteria=[{"key": "idnumber", "value": idnumber}],
                # The default (1) would add every subcategory to the answer.
                addsubcategories=False,
            )
            for entry in _list(answer, function):
                category = _category(_object(entry, function), function)
                if category.idnumber == idnumber:
                    found[idnumber] = category
        return found

    def create_category(self, name: str, parent: int, idnumber: str) -> RemoteCategory:
        function = "core_course_create_categories"
        answer = self.call(
            function, categories=[{"name": name, "parent": parent, "idnumber": idnumber}]
        )
        created = _object(_single(answer, function), function)
        return RemoteCategory(
            id=_int(created, "id", function), name=name, idnumber=idnumber, parent=parent
        )

    def courses_by_idnumber(self, idnumber: str) -> RemoteCourse | None:
        function = "core_course_get_courses_by_field"
        data = _object(self.call(function, field="idnumber", value=idnumber), function)
        for entry in _list(data.get("courses"), function):
            fields = _object(entry, function)
            _require_course_fields(fields, idnumber, function)
            course = _course(fields, function)
            if course.idnumber == idnumber:
                return course
        return None

    def create_course(
        self,
        fullname: str,
        shortname: str,
        categoryid: int,
        idnumber: str,
        lang: str | None = None,
    ) -> RemoteCourse:
        function = "core_course_create_courses"
        course: dict[str, Param] = {
            "fullname": fullname,
            "shortname": shortname,
            "categoryid": categoryid,
            "idnumber": idnumber,
            # Moodle rejects lang="" rather than reading it as "not forced".
            "lang": lang or None,
        }
        created = _object(_single(self.call(function, courses=[course]), function), function)
        return RemoteCourse(
            id=_int(created, "id", function),
            shortname=shortname,
            fullname=fullname,
            idnumber=idnumber,
            categoryid=categoryid,
            visible=True,
            lang=lang or "",
        )

    def set_module_visible(self, cmid: int, visible: bool) -> None:
        """Show or hide an activity. Repeating it is harmless, so it is retried like a read."""
        function = "core_course_edit_module"
        action = "show" if visible else "hide"
        answer = self._call(function, {"action": action, "id": cmid}, idempotent=True)
        if not isinstance(answer, str):  # Moodle answers with the module's new HTML.
            raise UnexpectedResponse(
                f"{function}: expected the module's HTML, got {type(answer).__name__}",
                function=function,
            )

    def delete_module(self, cmid: int) -> None:
        """Delete one activity (one per call: a failing batch still deletes what came first)."""
        function = "core_course_delete_modules"
        answer = self.call(function, cmids=[cmid])
        if answer is not None:
            raise UnexpectedResponse(
                f"{function}: expected null, got {answer!r}", function=function
            )

    def create_scorm(
        self,
        courseid: int,
        section: int,
        name: str,
        draftitemid: int,
        idnumber: str,
        intro: str = "",
        visible: bool = True,
    ) -> RemoteScorm:
        """Make a SCORM activity from the package in a draft area (``local_sandyq``)."""
        function = "local_sandyq_create_scorm"
        answer = self.call(
            function,
            courseid=courseid,
            section=section,
            name=name,
            draftitemid=draftitemid,
            idnumber=idnumber,
            intro=intro or None,
            visible=visible,
        )
        return _scorm(_object(answer, function), function)

    def update_scorm(self, cmid: int, draftitemid: int = 0, name: str = "") -> RemoteScorm:
        """Replace an activity's package (the cmid stays, the revision goes up), rename
        it, or both; ``0`` and ``""`` keep what is there."""
        function = "local_sandyq_update_scorm"
        answer = self.call(function, cmid=cmid, draftitemid=draftitemid or None, name=name or None)
        return _scorm(_object(answer, function), function)

    def get_results(self, courseids: Sequence[int]) -> list[ActivityUse]:
        """How learners used the synced activities of these courses: counts, no names."""
        function = "local_sandyq_get_results"
        if not courseids:
            return []
        data = _object(self.call(function, courseids=list(courseids)), function)
        for warning in _list(data.get("warnings", []), function):
            log.warning("%s: %s", function, warning)
        found = []
        for course in _list(data.get("courses"), function):
            course_data = _object(course, function)
            courseid = _int(course_data, "courseid", function)
            course_name = _str(course_data, "fullname", function)
            for entry in _list(course_data.get("activities"), function):
                item = _object(entry, function)
                found.append(
                    ActivityUse(
                        courseid=courseid,
                        course_name=course_name,
                        cmid=_int(item, "cmid", function),
                        idnumber=_str(item, "idnumber", function),
                        name=_str(item, "name", function),
                        learners=_int(item, "learners", function),
                        completed=_int(item, "completed", function),
                        passed=_int(item, "passed", function),
                        attempts=_int(item, "attempts", function),
                        score_mean=_number(item, "score_mean", function),
                        score_median=_number(item, "score_median", function),
                        time_seconds=_int(item, "time_seconds", function),
                    )
                )
        return found

    def get_synced(self, courseids: Sequence[int] | None = None) -> list[SyncedModule]:
        """The activities ``local_sandyq`` created, in the given courses (None: everywhere)."""
        function = "local_sandyq_get_synced"
        if courseids is not None and not courseids:
            return []  # on the wire an empty list is no list at all, which means every course
        data = _object(self.call(function, courseids=courseids), function)
        for warning in _list(data.get("warnings", []), function):
            log.warning("%s: %s", function, warning)
        modules = []
        for entry in _list(data.get("modules"), function):
            item = _object(entry, function)
            modules.append(
                SyncedModule(
                    cmid=_int(item, "cmid", function),
                    instanceid=_int(item, "instanceid", function),
                    courseid=_int(item, "courseid", function),
                    section=_int(item, "section", function),
                    idnumber=_str(item, "idnumber", function),
                    name=_str(item, "name", function),
                    sha1hash=_str(item, "sha1hash", function),
                    visible=_flag(item, "visible", function),
                    revision=_int(item, "revision", function),
                )
            )
        return modules

    # ---- exchange and decoding ----------------------------------------------------------

    def _exchange(
        self, function: str, send: Callable[[], httpx.Response], *, idempotent: bool
    ) -> httpx.Response:
        """Send, retrying idempotent exchanges on network trouble and HTTP 5xx."""
        attempts = self.retries.attempts if idempotent else 1
        numbers = iter(range(1, attempts + 1))

        def once() -> httpx.Response:
            attempt = next(numbers)
            started = time.monotonic()
            try:
                response = send()
            except httpx.UnsupportedProtocol as exc:
                raise TransportError(
                    f"{function}: cannot talk to {self.base_url}: {self._redact(str(exc))}; "
                    "check the Moodle address",
                    function=function,
                    retryable=False,
                ) from exc
            except httpx.TimeoutException as exc:
                raise _Trouble(f"Moodle did not answer in time ({type(exc).__name__})") from exc
            except httpx.RequestError as exc:  # connection refused or reset, TLS, bad gzip...
                raise _Trouble(
                    f"cannot reach Moodle at {self.base_url}: {self._redact(str(exc))}"
                ) from exc
            log.debug(
                "%s: HTTP %s in %.2fs (attempt %d)",
                function,
                response.status_code,
                time.monotonic() - started,
                attempt,
            )
            if response.status_code < 500:
                return response
            problem = f"Moodle answered HTTP {response.status_code}"
            raise _Trouble(problem) from httpx.HTTPStatusError(
                problem, request=response.request, response=response
            )

        def on_retry(error: BaseException, attempt: int, wait: float) -> None:
            log.warning(
                "%s: %s; retrying in %.1fs (attempt %d of %d)",
                function,
                error,
                wait,
                attempt + 1,
                attempts,
            )

        try:
            return retry_call(
                once,
                self.retries,
                retry_on=lambda error: isinstance(error, _Trouble),
                on_retry=on_retry,
                attempts=attempts,
            )
        except _Trouble as trouble:
            if idempotent:
                advice = (
                    f"gave up after {attempts} attempts; check that the site is up "
                    "(maintenance mode?) and try again later"
                )
            else:
                advice = (
                    "not repeated because the call changes data: check in Moodle whether it "
                    "took effect before running the sync again (a new run does that for you)"
                )
            raise TransportError(
                f"{function}: {trouble}; {advice}", function=function, retryable=True
            ) from trouble.__cause__

    def _decode(self, function: str, response: httpx.Response) -> JSON:
        if response.status_code == 403 and not response.content.strip():
            raise RestDisabled(
                "restdisabled", function, "HTTP 403 with an empty body from server.php"
            )
        self._check_status(function, response)
        data = self._json(function, response, strict_type=True)
        if isinstance(data, dict) and ("exception" in data or "errorcode" in data):
            raise self._moodle_error(function, data)
        if function in DOUBLE_ENCODED and isinstance(data, str):
            try:
                inner: JSON = json.loads(data)
            except ValueError:
                raise UnexpectedResponse(
                    f"{function}: expected a string of JSON, got {self._snippet(data)}",
                    function=function,
                ) from None
            return inner
        return data

    def _decode_upload(self, response: httpx.Response, sent: list[str]) -> UploadResult:
        function = "upload"
        self._check_status(function, response)
        # upload.php labels its JSON text/plain (sometimes application/json): ignore it.
        data = self._json(function, response, strict_type=False)
        if isinstance(data, dict):
            errorcode = str(data.get("errorcode") or "uploadfailed")
            message = self._redact(str(data.get("error") or data.get("message") or errorcode))
            if errorcode == "invalidtoken":
                raise UploadInvalidToken(errorcode, message)
            raise UploadError(errorcode, message)
        if not isinstance(data, list):
            raise UnexpectedResponse(
                f"upload: expected a list of files, got {self._snippet(response.text)}",
                function=function,
            )
        if not data:
            raise UploadError("nofile", f"Moodle stored none of the files sent ({', '.join(sent)})")
        accepted: list[UploadedFile] = []
        rejected: list[tuple[str, str, str]] = []
        for entry in data:
            item = _object(entry, function)
            if "errortype" in item:
                rejected.append(
                    (
                        str(item.get("filename", "?")),
                        str(item["errortype"]),
                        self._redact(str(item.get("error", ""))),
                    )
                )
                continue
            accepted.append(
                UploadedFile(
                    filename=_str(item, "filename", function),
                    filepath=_str(item, "filepath", function),
                    filesize=_int(item, "filesize", function),
                    itemid=_int(item, "itemid", function),
                    contextid=_int(item, "contextid", function),
                    userid=_int(item, "userid", function),  # a string on the wire
                )
            )
        itemid = accepted[0].itemid if accepted else None
        if rejected:
            errorcode = rejected[0][1]
            refused = "; ".join(
                _refusal(name, kind, error, errorcode) for name, kind, error in rejected
            )
            raise UploadError(
                errorcode,
                f"Moodle refused {len(rejected)} of {len(data)} files: {refused}",
                itemid=itemid,
                rejected=tuple(rejected),
            )
        assert itemid is not None
        return UploadResult(itemid=itemid, files=tuple(accepted))

    def _check_status(self, function: str, response: httpx.Response) -> None:
        status = response.status_code
        if status == 200:
            return
        url = self._redact(str(response.request.url))
        if 300 <= status < 400:
            where = self._redact(response.headers.get("location", "?"))
            message = (
                f"{function}: Moodle redirected {url} to {where}; use the site's exact "
                "address (https? www?) as the Moodle URL"
            )
        elif status == 404:
            message = (
                f"{function}: no Moodle web service at {url} (HTTP 404); the Moodle URL "
                "should be the site's wwwroot, e.g. https://school.example.kz/moodle"
            )
        else:
            message = (
                f"{function}: HTTP {status} from {url}: {self._snippet(response.text)}; "
                "a proxy or firewall in front of Moodle may be blocking web services"
            )
        raise TransportError(message, function=function, retryable=False)

    def _json(self, function: str, response: httpx.Response, *, strict_type: bool) -> JSON:
        text = response.text
        body = text.strip()
        kind = response.headers.get("content-type", "(none)")
        if not body:
            raise UnexpectedResponse(
                f"{function}: Moodle answered with an empty body ({kind}); its PHP error "
                "log should say why",
                function=function,
            )
        if body.startswith("<") or (strict_type and "xml" in kind):
            if "<b>" in body and ("Warning" in body or "Notice" in body or "Deprecated" in body):
                advice = "PHP printed messages into the answer: turn off 'Display debug messages'"
            else:
                advice = (
                    "the client asked for JSON (moodlewsrestformat=json); a proxy may be "
                    "rewriting requests, or this is not Moodle's web service"
                )
            raise UnexpectedResponse(
                f"{function}: Moodle answered with XML/HTML ({kind}) instead of JSON: "
                f"{self._snippet(body)}; {advice}",
                function=function,
            )
        try:
            data: JSON = json.loads(body)
        except ValueError:
            raise UnexpectedResponse(
                f"{function}: Moodle's answer is not JSON ({kind}): {self._snippet(body)}",
                function=function,
            ) from None
        return data

    def _moodle_error(self, function: str, data: Mapping[str, JSON]) -> MoodleError:
        errorcode = str(data.get("errorcode") or "")
        exception = data.get("exception")
        exception_name = exception if isinstance(exception, str) else None
        message = self._redact(str(data.get("message") or errorcode or exception_name or "?"))
        debuginfo = data.get("debuginfo")
        cls = _ERROR_CLASSES.get(errorcode) or _EXCEPTION_CLASSES.get(exception_name or "")
        return (cls or MoodleError)(
            errorcode,
            function,
            message,
            exception=exception_name,
            debuginfo=self._redact(debuginfo) if isinstance(debuginfo, str) else None,
        )

    def _redact(self, text: str) -> str:
        return text.replace(self._token, "<token>")

    def _snippet(self, text: str, limit: int = 200) -> str:
        text = self._redact(" ".join(text.split()))
        return repr(text if len(text) <= limit else text[:limit] + "…")


class _Trouble(Exception):
    """Internal: an exchange that may go better a second time (network, timeout, 5xx);
    its message is the problem, its ``__cause__`` what httpx raised."""


# ---- reading answers --------------------------------------------------------------------

#: upload.php's per-file errors, for when Moodle sends a raw "[[langstring]]" instead.
_UPLOAD_REFUSALS = {
    "fileoversized": "larger than the site's maximum upload size",
    "filenameexist": "a file of that name is already in the draft area",
}


def _refusal(name: str, kind: str, error: str, errorcode: str) -> str:
    if not error or error.startswith("[["):  # a missing language string, e.g. [[maxbytes]]
        error = _UPLOAD_REFUSALS.get(kind, kind)
    return f"{name}: {error}" + ("" if kind == errorcode else f" [{kind}]")


def _shape_error(function: str, problem: str) -> UnexpectedResponse:
    advice = (
        "; is the local_sandyq plugin on the site up to date?"
        if function.startswith("local_sandyq_")
        else ""
    )
    return UnexpectedResponse(
        f"{function}: unexpected answer: {problem}{advice}", function=function
    )


def _object(value: JSON, function: str) -> dict[str, JSON]:
    if not isinstance(value, dict):
        raise _shape_error(function, f"expected an object, got {type(value).__name__}")
    return value


def _list(value: JSON, function: str) -> list[JSON]:
    if not isinstance(value, list):
        raise _shape_error(function, f"expected a list, got {type(value).__name__}")
    return value


def _single(value: JSON, function: str) -> JSON:
    items = _list(value, function)
    if len(items) != 1:
        raise _shape_error(function, f"expected one item, got {len(items)}")
    return items[0]


def _int(data: Mapping[str, JSON], key: str, function: str) -> int:
    value = data.get(key)
    # PHP is loose with types: upload.php sends userid as "2".
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _shape_error(function, f"expected an integer at {key!r}, got {value!r}")
    return value


def _str(data: Mapping[str, JSON], key: str, function: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _shape_error(function, f"expected a string at {key!r}, got {value!r}")
    return value


def _number(data: Mapping[str, JSON], key: str, function: str) -> float | None:
    """An optional number: absent means "none yet" (no learner has a grade)."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _shape_error(function, f"expected a number at {key!r}, got {value!r}")
    return float(value)


def _flag(
    data: Mapping[str, JSON], key: str, function: str, *, default: bool | None = None
) -> bool:
    """Moodle's booleans: ``true``/``false`` in some answers, 0/1 in others."""
    value = data.get(key)
    if value is None and default is not None:
        return default
    if isinstance(value, bool):
        return value
    if value in (0, 1, "0", "1"):
        return value in (1, "1")
    raise _shape_error(function, f"expected a boolean at {key!r}, got {value!r}")


def _require_course_fields(data: Mapping[str, JSON], idnumber: str, function: str) -> None:
    """Moodle found the course by idnumber but left fields out: the role lacks a capability.

    Without ``moodle/course:view`` it answers with the public summary only (no
    ``visible``); without ``moodle/course:update`` it hides the idnumber itself.
    """
    name = data.get("shortname") or data.get("id")
    if "visible" not in data:
        raise MissingCapability(
            "moodle/course:view",
            function,
            f"Moodle shows the sync's account only the public summary of course {name!s} "
            f"(idnumber {idnumber})",
        )
    if "idnumber" not in data:
        raise MissingCapability(
            "moodle/course:update",
            function,
            f"Moodle hides the idnumber of course {name!s} ({idnumber}) from the sync's account",
        )


def _category(data: Mapping[str, JSON], function: str) -> RemoteCategory:
    return RemoteCategory(
        id=_int(data, "id", function),
        name=_str(data, "name", function),
        idnumber=_str(data, "idnumber", function),
        parent=_int(data, "parent", function),
    )


def _course(data: Mapping[str, JSON], function: str) -> RemoteCourse:
    return RemoteCourse(
        id=_int(data, "id", function),
        shortname=_str(data, "shortname", function),
        fullname=_str(data, "fullname", function),
        idnumber=_str(data, "idnumber", function),
        categoryid=_int(data, "categoryid", function),
        visible=_flag(data, "visible", function),
        lang=_str(data, "lang", function),
    )


def _scorm(data: Mapping[str, JSON], function: str) -> RemoteScorm:
    return RemoteScorm(
        cmid=_int(data, "cmid", function),
        instanceid=_int(data, "instanceid", function),
        sha1hash=_str(data, "sha1hash", function),
        revision=_int(data, "revision", function),
    )
