"""Moodle component core_webservice: site info (answered by the server, which knows the
service and the account).
"""

from __future__ import annotations

from typing import Any

from tests.support.fake_moodle.params import Many, Text, opt
from tests.support.fake_moodle.registry import Call, webservice


@webservice({"serviceshortnames": opt(Many(Text()), [])}, xml_nulls=("usersessionscount",))
def core_webservice_get_site_info(call: Call) -> Any:
    raise AssertionError("answered by FakeMoodle, which knows the service")  # pragma: no cover
