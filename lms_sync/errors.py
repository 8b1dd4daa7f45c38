"""Typed errors of the Moodle sync.

The whole tree::

    SyncError                      root: catch this at the edge (the CLI) and nowhere else
    ├── TransportError             the exchange itself failed: network, timeout, HTTP 5xx,
    │   │                          a status we cannot use; ``retryable`` says whether the
    │   │                          same request may succeed later
    │   └── UnexpectedResponse     Moodle answered, but not with the JSON we need (XML,
    │                              HTML, plain text, an empty body, the wrong shape)
    ├── MoodleError                Moodle understood the request and refused it
    │   │                          (``errorcode``, ``function``, ``message``)
    │   ├── InvalidToken           ``invalidtoken``: the token is wrong, expired or revoked
    │   ├── NotInService           ``accessexception``: the function is not in the service
    │   ├── RestDisabled           HTTP 403 with an empty body: the REST protocol is off
    │   ├── MissingCapability      Moodle hid what the sync needs (a course's idnumber):
    │   │                          the role lacks the capability it names
    │   ├── IdNumberTaken          ``shortnametaken``, ``courseidnumbertaken``,
    │   │                          ``categoryidnumbertaken``, ``idnumbertaken``
    │   └── UploadError            ``webservice/upload.php`` refused a file or the request
    │       └── UploadInvalidToken   (also an InvalidToken) the upload's token is wrong
    └── CatalogueError             the Sandyq catalogue side (the sync engine subclasses it)

``fatal`` marks the errors after which no other call can succeed either (the token, the
protocol, the service): the sync stops at once instead of trying the next item, and the
client never retries them. Messages end with what to do next. No error ever holds the
token: the client redacts it from anything it quotes from a response.
"""

from __future__ import annotations

import re
from typing import ClassVar


class SyncError(Exception):
    """Root of every error the sync raises."""

    #: True when every later call would fail the same way, so the run must stop.
    fatal: ClassVar[bool] = False


class TransportError(SyncError):
    """The HTTP exchange failed before Moodle could give an answer we can read.

    ``retryable`` is True for failures that may go away on their own (connection errors,
    timeouts, HTTP 5xx). The client has already retried idempotent calls; for a write,
    the request may or may not have been carried out, so look before you repeat it.
    """

    def __init__(self, message: str, *, function: str | None = None, retryable: bool) -> None:
        self.function = function
        self.retryable = retryable
        super().__init__(message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r}, retryable={self.retryable})"


class UnexpectedResponse(TransportError):
    """Moodle answered, but the body is not the JSON this call needs."""

    def __init__(self, message: str, *, function: str | None = None) -> None:
        super().__init__(message, function=function, retryable=False)


#: Next steps for error codes that have no class of their own.
_HINTS = {
    "invalidparameter": (
        "Moodle rejected a parameter (missing, wrong type or unexpected); turn on "
        "debugging on the site to see which one in 'debuginfo'"
    ),
    "errorinvalidparam": "send a value Moodle accepts, or leave the optional field out",
    "invalidpackage": (
        "the SCORM package is broken: run `sandyq validate` on it and publish a fixed version"
    ),
    "unknowcategory": "the parent category does not exist: sync the category tree first",
    "errorcatcontextnotvalid": "the category does not exist: sync the category tree first",
    "invalidrecordunknown": "the object is gone from Moodle (deleted by hand?): re-plan the sync",
    "invalidcoursemodule": "the activity is gone from Moodle (deleted by hand?): re-plan the sync",
    "requireloginerror": (
        "the sync's account may not enter this course or activity: its role needs "
        "moodle/course:view, and moodle/course:viewhiddenactivities for a hidden activity "
        "(docs/moodle-sync.md, section 2); a suspended account fails the same way"
    ),
    "criteriaerror": (
        "the sync's account may not look categories up by idnumber: its role needs "
        "moodle/category:manage (docs/moodle-sync.md, section 2)"
    ),
    "storedfilecannotcreatefiledirs": (
        "Moodle could not write into its file pool (moodledata/filedir): check its "
        "permissions and free space; the next run tries again"
    ),
}


class MoodleError(SyncError):
    """Moodle refused a call, with an ``errorcode`` and a message (HTTP 200 on the wire)."""

    #: What to do about errors of this class; subclasses set it.
    hint: ClassVar[str | None] = None

    def __init__(
        self,
        errorcode: str,
        function: str,
        message: str,
        *,
        exception: str | None = None,
        debuginfo: str | None = None,
    ) -> None:
        self.errorcode = errorcode
        self.function = function
        self.message = message
        self.exception = exception
        self.debuginfo = debuginfo
        super().__init__(self._render())

    def next_step(self) -> str | None:
        """The hint for this error: the class's own, else one for the error code."""
        if self.hint is not None:
            return self.hint
        if self.errorcode == "nopermissions":
            return _missing_capability_hint(self.message)
        if self.errorcode == "invalidrecord" and "external_functions" in self.message:
            plugin = " local_sandyq" if self.function.startswith("local_sandyq_") else ""
            return (
                f"the function {self.function} does not exist on this site: install or "
                f"upgrade the{plugin} plugin (Site administration > Notifications)"
            )
        return _HINTS.get(self.errorcode)

    def _render(self) -> str:
        code = f" [{self.errorcode}]" if self.errorcode else ""
        text = f"{self.function}: {self.message}{code}"
        step = self.next_step()
        if step:
            text += f"\n  hint: {step}"
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.errorcode!r}, {self.function!r}, {self.message!r})"


def _missing_capability_hint(message: str) -> str:
    from lms_sync.moodle_role import SYNC_ROLE, capability_named

    capability = capability_named(message)
    if capability is None:
        return (
            "the sync's account lacks a capability: give its role every capability that "
            "docs/moodle-sync.md, section 2 lists"
        )
    return (
        f"the sync's account lacks the capability {capability}: allow it in the role "
        f"'{SYNC_ROLE.fullname}' (Site administration > Users > Permissions > Define roles; "
        "docs/moodle-sync.md, section 2)"
    )


class MissingCapability(MoodleError):
    """Moodle did not refuse, but hid what the sync needs: the role lacks ``capability``."""

    def __init__(self, capability: str, function: str, message: str) -> None:
        self.capability = capability
        super().__init__("nopermissions", function, message)

    def next_step(self) -> str:
        return _missing_capability_hint(f"({self.capability})")


class InvalidToken(MoodleError):
    fatal = True
    hint = (
        "the token is wrong, expired or revoked: create a new one for the Sandyq service "
        "(Site administration > Server > Web services > Manage tokens) and store it again"
    )


class NotInService(MoodleError):
    fatal = True

    def next_step(self) -> str:
        missing = re.search(r"missing capability: ([a-z]+/[a-z_]+:[a-z_]+)", self.debuginfo or "")
        if missing:
            return _missing_capability_hint(f"({missing.group(1)})")
        if self.function == "core_webservice_get_site_info":  # in every service: not that
            return (
                "Moodle refused the very first call: the sync's account lacks "
                "webservice/rest:use (docs/moodle-sync.md, section 2), or it is not an "
                "authorised user of the Sandyq service (External services > Authorised users)"
            )
        return (
            f"add the function {self.function} to the Sandyq service (Site administration > "
            "Server > Web services > External services > Functions), or reinstall the "
            "local_sandyq plugin, which defines the service with every function it needs"
        )


class RestDisabled(MoodleError):
    """HTTP 403 with an empty body from server.php; Moodle sends no errorcode, so the
    client sets ``errorcode="restdisabled"``."""

    fatal = True
    hint = (
        "enable the REST protocol (Site administration > Server > Web services > "
        "Manage protocols) and web services (Advanced features)"
    )


class IdNumberTaken(MoodleError):
    hint = (
        "something else in Moodle already uses this ID number or short name: look it up by "
        "idnumber and reuse it, or rename the one that was made by hand"
    )


class UploadError(MoodleError):
    """``webservice/upload.php`` refused the request or some of its files.

    ``itemid`` is the draft area the accepted files went to (None when nothing landed);
    ``rejected`` lists ``(filename, errortype, message)`` for each refused file.
    """

    def __init__(
        self,
        errorcode: str,
        message: str,
        *,
        itemid: int | None = None,
        rejected: tuple[tuple[str, str, str], ...] = (),
    ) -> None:
        self.itemid = itemid
        self.rejected = rejected
        super().__init__(errorcode, "upload", message)

    def next_step(self) -> str | None:
        if self.errorcode == "fileoversized":
            return (
                "the package is larger than the site allows: raise 'Maximum uploaded file "
                "size' (Site administration > Security > Site security settings) and PHP's "
                "upload_max_filesize/post_max_size"
            )
        if self.errorcode == "filenameexist":
            return "upload into a new draft area (itemid 0) instead of reusing one"
        if self.errorcode == "nofile":
            return (
                "Moodle received no file: PHP dropped it, usually because it exceeds "
                "post_max_size or upload_max_filesize in php.ini"
            )
        if self.errorcode == "missingparam":
            return "upload.php takes the token as 'token', not 'wstoken'"
        return super().next_step()


class UploadInvalidToken(UploadError, InvalidToken):
    """upload.php's own ``invalidtoken``: both an upload error and a fatal token error."""

    hint = InvalidToken.hint

    def next_step(self) -> str | None:
        return self.hint


class CatalogueError(SyncError):
    """The Sandyq catalogue could not give the sync what it needs."""
