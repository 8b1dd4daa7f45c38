"""The fake site as a WSGI app: REST, upload.php and pluginfile.php, the controls tests use
(seeding, counters, faults) and ``create_fake_moodle``.
"""

from __future__ import annotations

import copy
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, g, request

from tests.support.fake_moodle import (  # noqa: F401 (importing them registers their functions)
    core_course,
    core_files,
    core_webservice,
    local_lmssyncpeer,
    local_sandyq,
    mod_scorm,
)
from tests.support.fake_moodle.core_course import module_by_cmid
from tests.support.fake_moodle.params import unflatten
from tests.support.fake_moodle.registry import FUNCTIONS, OTHER_MOODLE_FUNCTIONS, Call, WsFunction
from tests.support.fake_moodle.site import (
    DEFAULT_TOKEN,
    MOODLE_RELEASE,
    MOODLE_VERSION,
    USER_CONTEXT,
    USER_ID,
    Category,
    State,
    Track,
)
from tests.support.fake_moodle.wire import (
    MoodleException,
    NotImplementedByFake,
    invalid_parameter,
    missing_record,
    moodle_xml,
    php_json,
)

# ---- the app ----------------------------------------------------------------------------


@dataclass
class Hold:
    """A request kept waiting at the fake until the test lets it go (``hold_next``).

    ``arrived`` is set once the request has reached the fake (its whole body read), so a
    test can act at that moment, e.g. kill the client; ``release(serve=...)`` then lets the
    fake do the work, as Moodle's PHP goes on after its client has gone, or drop it, as
    when the connection broke first. ``done`` is set once the fake has finished with it.
    """

    arrived: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    serve: bool = True
    #: How long a request waits for ``release`` at most, so a forgotten hold ends.
    timeout: float = 300.0

    def release(self, *, serve: bool = True) -> None:
        self.serve = serve
        self.released.set()


@dataclass
class Fault:
    when: str  # "before" (instead of the work) or "after" (the work is done, the answer lost)
    status: int = 503
    body: str = ""
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0
    exception: BaseException | None = None
    hold: Hold | None = None


@dataclass(frozen=True)
class Account:
    """Whose token the fake's token is: by default the administrator the core transcripts
    were recorded with; the recordings of the sync use its own account (``sandyqsync``),
    which is no site administrator."""

    userid: int = USER_ID
    username: str = "admin"
    firstname: str = "Admin"
    lastname: str = "User"
    siteadmin: bool = True

    @property
    def fullname(self) -> str:
        return f"{self.firstname} {self.lastname}"


#: Moodle's DEBUG_NORMAL: from this level on, errors carry their ``debuginfo``.
DEBUG_NORMAL = 15
#: DEBUG_DEVELOPER, what the test site runs with.
DEBUG_DEVELOPER = 32767


@dataclass(frozen=True)
class Recorded:
    """One request as it arrived: the function ("upload" for upload.php) and its form."""

    function: str
    form: dict[str, str]
    files: tuple[tuple[str, str, bytes], ...] = ()


class FakeMoodle:
    """The fake site: a WSGI app plus the controls tests use. Build it with
    ``create_fake_moodle``."""

    def __init__(
        self,
        token: str,
        functions: Iterable[str] | None = None,
        *,
        account: Account | None = None,
        debug: int = 0,
    ) -> None:
        self.token = token
        self.account = account or Account()
        #: The site's ``$CFG->debug``; with DEBUG_NORMAL or more, errors carry debuginfo.
        self.debug = debug
        #: Capabilities taken from the account's role: the functions that need one answer
        #: ``nopermissions`` (tests/fixtures/moodle/recorded/11-nopermissions.json).
        self.denied: set[str] = set()
        #: The functions in the token's service; others answer ``accessexception``.
        self.functions: set[str] = set(FUNCTIONS if functions is None else functions)
        self.rest_enabled = True
        #: The site's maximum upload size in bytes (0: no limit).
        self.maxbytes = 0
        self.sitename = "Sandyq Fake Moodle"
        self.state = State()
        self.state.categories[1] = Category(id=1, name="Category 1", idnumber="", parent=0)
        self.calls: Counter[str] = Counter()
        self.requests: list[Recorded] = []
        self._faults: dict[str, deque[Fault]] = {}
        self._lock = threading.RLock()
        self.app = Flask("fake_moodle")
        self.app.config["PROPAGATE_EXCEPTIONS"] = True
        self.app.add_url_rule(
            "/webservice/rest/server.php", "rest", self._rest, methods=["GET", "POST"]
        )
        self.app.add_url_rule("/webservice/upload.php", "upload", self._upload, methods=["POST"])
        self.app.add_url_rule(
            "/webservice/pluginfile.php/<int:contextid>/mod_scorm/package/0/<path:filename>",
            "pluginfile",
            self._pluginfile,
        )

    def __call__(self, environ: Any, start_response: Any) -> Any:
        return self.app(environ, start_response)

    # ---- seeding (returns ids, like the web services) ----

    def add_category(self, name: str, idnumber: str = "", parent: int = 0) -> int:
        with self._lock:
            return self.state.add_category(name, idnumber, parent).id

    def add_course(
        self,
        fullname: str,
        shortname: str,
        categoryid: int = 1,
        idnumber: str = "",
        *,
        numsections: int = 4,
        lang: str = "",
    ) -> int:
        with self._lock:
            course = self.state.add_course(
                fullname, shortname, categoryid, idnumber, numsections=numsections, lang=lang
            )
            return course.id

    def add_draft(self, files: Mapping[str, bytes]) -> int:
        """A draft area holding these files; returns its itemid."""
        with self._lock:
            itemid = self.state.new_itemid()
            self.state.drafts[itemid] = []
            for name, content in files.items():
                self.state.add_draft_file(itemid, name, content)
            return itemid

    def add_scorm(
        self,
        courseid: int,
        section: int,
        name: str,
        package: bytes,
        *,
        idnumber: str = "",
        visible: bool = True,
        synced: bool = True,
        reference: str = "package.zip",
    ) -> int:
        """A SCORM activity as if made earlier (by local_sandyq when ``synced``); its cmid."""
        with self._lock:
            module = self.state.add_scorm(
                courseid,
                section,
                name,
                package,
                reference,
                idnumber=idnumber,
                visible=visible,
                synced=synced,
            )
            return module.id

    # ---- faults ----

    def fail_next(
        self,
        name: str,
        times: int = 1,
        *,
        status: int = 503,
        body: str = "",
        content_type: str = "text/html; charset=utf-8",
        exception: BaseException | None = None,
    ) -> None:
        """The next ``times`` requests for ``name`` get this answer (or raise ``exception``)
        instead of being served."""
        for _ in range(times):
            self._fault(name, Fault("before", status, body, content_type, exception=exception))

    def delay_next(self, name: str, seconds: float, times: int = 1) -> None:
        """The next ``times`` requests for ``name`` wait ``seconds``, then are served."""
        for _ in range(times):
            self._fault(name, Fault("before", status=0, delay=seconds))

    def hold_next(self, name: str) -> Hold:
        """The next request for ``name`` waits at the fake until the returned hold is
        released (served, or dropped with an empty 503)."""
        hold = Hold()
        self._fault(name, Fault("before", status=0, hold=hold))
        return hold

    def fail_after(
        self,
        name: str,
        *,
        times: int = 1,
        status: int = 500,
        exception: BaseException | None = None,
    ) -> None:
        """The next ``times`` requests for ``name`` are carried out, then the answer is
        replaced by ``status`` with an empty body (or ``exception`` is raised)."""
        for _ in range(times):
            self._fault(name, Fault("after", status, exception=exception))

    def _fault(self, name: str, fault: Fault) -> None:
        with self._lock:
            self._faults.setdefault(name, deque()).append(fault)

    def _take_fault(self, name: str, when: str) -> Fault | None:
        with self._lock:
            queue = self._faults.get(name)
            if queue and queue[0].when == when:
                return queue.popleft()
        return None

    # ---- learners (what the sync only reads, through local_sandyq_get_results) ----

    def enrol(self, courseid: int, username: str, role: str = "student") -> None:
        with self._lock:
            self.state.course_by(courseid)
            self.state.enrolments[(courseid, username)] = role

    def add_tracks(self, cmid: int, username: str, attempt: int, tracks: Mapping[str, str]) -> None:
        """A learner's SCO stores these elements in an attempt (mod_scorm_insert_scorm_tracks
        for the activity's first SCO)."""
        with self._lock:
            module = module_by_cmid(self.state, cmid)
            scorm = self.state.scorms[module.instance]
            sco = next(s for s in scorm.scoes if s.scormtype == "sco")
            for element, value in tracks.items():
                self.state.tracks = [
                    t
                    for t in self.state.tracks
                    if (t.cmid, t.username, t.attempt, t.scoid, t.element)
                    != (cmid, username, attempt, sco.id, element)
                ]
                self.state.tracks.append(Track(cmid, username, attempt, sco.id, element, value))

    def reset_counters(self) -> None:
        with self._lock:
            self.calls.clear()
            self.requests.clear()

    # ---- HTTP ----

    def _arrive(
        self, name: str, form: dict[str, str], files: tuple[tuple[str, str, bytes], ...] = ()
    ) -> Response | None:
        with self._lock:
            self.calls[name] += 1
            self.requests.append(Recorded(name, form, files))
        fault = self._take_fault(name, "before")
        if fault is None:
            return None
        if fault.hold is not None:
            return self._held(fault.hold)
        if fault.delay:
            time.sleep(fault.delay)
            return None
        if fault.exception is not None:
            raise fault.exception
        return Response(fault.body, fault.status, content_type=fault.content_type)

    @staticmethod
    def _held(hold: Hold) -> Response | None:
        hold.arrived.set()
        hold.released.wait(hold.timeout)
        if hold.serve and hold.released.is_set():
            g.sandyq_hold = hold  # _leave sets ``done`` once the work is done
            return None
        hold.done.set()
        return Response("", 503, content_type="text/html; charset=utf-8")

    def _leave(self, name: str, response: Response) -> Response:
        hold = g.pop("sandyq_hold", None)
        if hold is not None:
            hold.done.set()
        fault = self._take_fault(name, "after")
        if fault is None:
            return response
        if fault.exception is not None:
            raise fault.exception
        return Response("", fault.status, content_type="text/html; charset=utf-8")

    def _rest(self) -> Response:
        form = request.values.to_dict(flat=True)
        name = form.get("wsfunction", "")
        early = self._arrive(name, form)
        if early is not None:
            return early
        if not self.rest_enabled:
            return self._leave(name, Response("", 403, content_type="text/html; charset=utf-8"))
        as_json = form.get("moodlewsrestformat") == "json"
        try:
            with self._lock:
                result, function = self._dispatch(form)
            if as_json:
                body = php_json(result)
            else:
                if isinstance(result, dict):
                    result = result | {k: None for k in function.xml_nulls if k not in result}
                body = moodle_xml(result)
        except MoodleException as exc:
            body = exc.json(self.debug >= DEBUG_NORMAL) if as_json else exc.xml()
        except NotImplementedByFake as exc:
            return Response(
                f"not implemented by the fake Moodle: {exc}", 501, content_type="text/plain"
            )
        content_type = "application/json" if as_json else "application/xml; charset=utf-8"
        return self._leave(name, Response(body, 200, content_type=content_type))

    def _dispatch(self, form: dict[str, str]) -> tuple[Any, WsFunction]:
        if form.get("wstoken") != self.token:
            raise MoodleException(
                "moodle_exception", "invalidtoken", "Invalid token - token not found"
            )
        name = form.get("wsfunction")
        if not name:
            raise invalid_parameter()
        function = FUNCTIONS.get(name)
        if function is None and name not in OTHER_MOODLE_FUNCTIONS:
            raise missing_record("external_functions")
        if name not in self.functions:
            raise MoodleException(
                "webservice_access_exception", "accessexception", "Access control exception"
            )
        if function is None:
            raise NotImplementedByFake(name)
        raw = unflatten(
            {
                k: v
                for k, v in form.items()
                if k not in ("wstoken", "wsfunction", "moodlewsrestformat")
            }
        )
        call = Call(
            self.state,
            function.params.check(raw),
            request.url_root.rstrip("/"),
            frozenset(self.denied),
        )
        if name == "core_webservice_get_site_info":
            return self._site_info(call.root), function
        if not function.atomic:
            return function.run(call), function
        snapshot = copy.deepcopy(self.state)
        try:
            return function.run(call), function
        except MoodleException:
            self.state = snapshot
            raise

    def _site_info(self, root: str) -> dict[str, Any]:
        enabled = [FUNCTIONS[name] for name in FUNCTIONS if name in self.functions]
        return {
            "sitename": self.sitename,
            "username": self.account.username,
            "firstname": self.account.firstname,
            "lastname": self.account.lastname,
            "fullname": self.account.fullname,
            "lang": "en",
            "userid": self.account.userid,
            "siteurl": root,
            "userpictureurl": f"{root}/theme/image.php/boost/core/1795340636/u/f1",
            "functions": [{"name": f.name, "version": f.version} for f in enabled],
            "downloadfiles": 1,
            "uploadfiles": 1,
            "release": MOODLE_RELEASE,
            "version": MOODLE_VERSION,
            "mobilecssurl": "",
            "advancedfeatures": [
                {"name": name, "value": value}
                for name, value in (
                    ("usecomments", 1),
                    ("usetags", 1),
                    ("enablenotes", 1),
                    ("messaging", 1),
                    ("enableblogs", 1),
                    ("enablecompletion", 1),
                    ("enablebadges", 1),
                    ("messagingallusers", 0),
                    ("enablecustomreports", 1),
                    ("enableglobalsearch", 0),
                    ("mnet_dispatcher_mode", 0),
                )
            ],  # fmt: skip
            "usercanmanageownfiles": True,
            "userquota": 0,
            "usermaxuploadfilesize": self.maxbytes or -1,
            "userhomepage": 1,
            "userprivateaccesskey": "fake-private-access-key",
            "siteid": 1,
            "sitecalendartype": "gregorian",
            "usercalendartype": "gregorian",
            "userissiteadmin": self.account.siteadmin,
            "theme": "boost",
            "limitconcurrentlogins": 0,
        }

    def _upload(self) -> Response:
        form = request.form.to_dict(flat=True)
        files = tuple(
            (field_name, storage.filename or "", storage.read())
            for field_name, storage in request.files.items(multi=True)
        )
        early = self._arrive("upload", form, files)
        if early is not None:
            return early
        text_plain = "text/plain; charset=utf-8"
        if "token" not in form:
            body = self._upload_error("missingparam", "A required parameter (token) was missing")
            return self._leave("upload", Response(body, 200, content_type=text_plain))
        if form["token"] != self.token:
            body = self._upload_error(
                "invalidtoken",
                "Invalid token - token not found",
                "* line 81 of /webservice/lib.php: moodle_exception thrown\n"
                "* line 58 of /webservice/upload.php: call to webservice->authenticate_user()\n",
            )
            return self._leave("upload", Response(body, 200, content_type=text_plain))
        if not files:
            return self._leave(
                "upload", Response("[]", 200, content_type="application/json; charset=utf-8")
            )
        filepath = form.get("filepath", "/")
        with self._lock:
            itemid = int(form.get("itemid") or 0) or self.state.new_itemid()
            answer: list[dict[str, Any]] = []
            for _field, filename, content in files:
                existing = self.state.drafts.get(itemid, [])
                if self.maxbytes and len(content) > self.maxbytes:
                    answer.append(
                        {
                            "filename": filename,
                            "errortype": "fileoversized",
                            "error": "[[maxbytes]]",
                        }
                    )
                elif any(d.filename == filename and d.filepath == filepath for d in existing):
                    tmp = "".join(
                        self.state.random.choices(
                            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", k=6
                        )
                    )
                    answer.append(
                        {
                            "filename": filename,
                            "filepath": f"/tmp/php{tmp}",
                            "size": len(content),
                            "errortype": "filenameexist",
                            "error": f"File name already exists: {filename}",
                        }
                    )
                else:
                    self.state.add_draft_file(itemid, filename, content, filepath)
                    source = f's:6:"source";s:{len(filename.encode())}:"{filename}";'
                    answer.append(
                        {
                            "component": "user",
                            "contextid": USER_CONTEXT,
                            "userid": str(self.account.userid),
                            "filearea": "draft",
                            "filename": filename,
                            "filepath": filepath,
                            "itemid": itemid,
                            "license": "unknown",
                            "author": self.account.fullname,
                            "source": f'O:8:"stdClass":1:{{{source}}}',  # PHP serialize()
                            "filesize": len(content),
                        }
                    )
        return self._leave("upload", Response(php_json(answer), 200, content_type=text_plain))

    def _upload_error(self, errorcode: str, message: str, stacktrace: str = "") -> str:
        """upload.php's own error shape; with debugging on it fills in the stack trace,
        the error code as debuginfo and the site's address as the reproduction link."""
        debug = self.debug >= DEBUG_NORMAL and stacktrace
        return php_json(
            {
                "error": message,
                "errorcode": errorcode,
                "stacktrace": stacktrace if debug else None,
                "debuginfo": f"\nError code: {errorcode}" if debug else None,
                "reproductionlink": request.url_root if debug else None,
            }
        )

    def _pluginfile(self, contextid: int, filename: str) -> Response:
        early = self._arrive("pluginfile", request.args.to_dict(flat=True))
        if early is not None:
            return early
        if request.args.get("token") != self.token:
            body = self._upload_error("invalidtoken", "Invalid token - token not found")
            return Response(body, 200, content_type="application/json; charset=utf-8")
        with self._lock:
            for module in self.state.modules.values():
                if module.contextid == contextid and module.modname == "scorm":
                    scorm = self.state.scorms[module.instance]
                    if scorm.reference == filename:
                        return Response(scorm.package, 200, content_type="application/zip")
        return Response("", 404, content_type="text/html; charset=utf-8")


def create_fake_moodle(
    token: str = DEFAULT_TOKEN,
    *,
    functions: Iterable[str] | None = None,
    account: Account | None = None,
    debug: int = 0,
) -> FakeMoodle:
    """A fresh fake site. ``functions`` is the service's function list (default: every
    function the fake implements); the token is the only valid one, ``account``'s (by
    default the administrator's); ``debug`` is the site's debugging level."""
    return FakeMoodle(token, functions, account=account, debug=debug)
