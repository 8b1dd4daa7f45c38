"""A fake Moodle 4.4 that speaks the wire format recorded in ``tests/fixtures/moodle/``.

The only test double of the sync. ``create_fake_moodle(token=...)`` returns a
``FakeMoodle``: a WSGI app (``httpx.WSGITransport(app=fake)``, or serve it on loopback
with werkzeug) with an in-memory site behind it.

What it serves:

- ``POST /webservice/rest/server.php``: the core functions the sync and the transcripts
  use, the recording site's test plugin ``local_lmssyncpeer_*`` and our plugin's
  ``local_sandyq_*`` (see ``FUNCTIONS``). Errors come with HTTP 200 as Moodle sends them:
  ``invalidtoken``, ``invalidrecord`` for an unknown function, ``accessexception`` for a
  function outside the service (``fake.functions``), ``invalidparameter`` for missing,
  mistyped or unexpected parameters (checked against each function's declared
  parameters, as ``external_api::validate_parameters`` does). Without
  ``moodlewsrestformat=json`` the answer is Moodle's XML. ``fake.rest_enabled = False``
  gives HTTP 403 with an empty body.
- ``POST /webservice/upload.php``: draft areas, with upload.php's own answer shapes.
- ``GET /webservice/pluginfile.php/<contextid>/mod_scorm/package/0/<file>?token=``.

Controls for tests:

- seeding: ``add_category``, ``add_course``, ``add_draft``, ``add_scorm``; the state is
  ``fake.state`` (plain dataclasses) for assertions;
- ``fake.calls["local_sandyq_create_scorm"]`` counts requests per function as they
  arrive (``"upload"`` for upload.php), ``fake.requests`` keeps each form;
- faults: ``fail_next(name, times, status=503)`` answers before doing anything,
  ``delay_next(name, seconds, times)`` stalls then serves (a client timeout over real
  HTTP), ``fail_after(name, exception=..., status=...)`` does the work and then loses the
  answer; ``hold_next(name)`` keeps the next request waiting until the test releases it
  (served or dropped), its ``arrived`` event marking the moment it reached the fake. An
  ``exception`` (e.g. ``httpx.ReadTimeout``) is raised out of the app: through
  ``WSGITransport`` the client sees it as a network failure; a real server turns it into
  HTTP 500.

Anything the fake does not implement answers HTTP 501 naming it, so a test never passes
on behaviour Moodle does not have.

One module per Moodle component, as Moodle itself is split, so the fake of a function is
found where Moodle keeps the real one: ``core_webservice``, ``core_course``, ``mod_scorm``,
``core_files``, ``local_sandyq`` (our plugin) and ``local_lmssyncpeer`` (the recording
site's test plugin). Under them: ``site`` (the state), ``packages`` (SCORM zips),
``params`` (parameter checks), ``wire`` (JSON, XML and error bodies), ``registry`` (the
function table); ``server`` is the WSGI app and its test controls.
"""

from tests.support.fake_moodle.packages import make_scorm_zip, read_package
from tests.support.fake_moodle.registry import FUNCTIONS
from tests.support.fake_moodle.server import (
    DEBUG_DEVELOPER,
    DEBUG_NORMAL,
    Account,
    FakeMoodle,
    Hold,
    Recorded,
    create_fake_moodle,
)
from tests.support.fake_moodle.site import DEFAULT_TOKEN, MOODLE_RELEASE, MOODLE_VERSION, State
from tests.support.fake_moodle.wire import MoodleException, moodle_xml, php_json

__all__ = [
    "DEBUG_DEVELOPER",
    "DEBUG_NORMAL",
    "DEFAULT_TOKEN",
    "FUNCTIONS",
    "MOODLE_RELEASE",
    "MOODLE_VERSION",
    "Account",
    "FakeMoodle",
    "Hold",
    "MoodleException",
    "Recorded",
    "State",
    "create_fake_moodle",
    "make_scorm_zip",
    "moodle_xml",
    "php_json",
    "read_package",
]
