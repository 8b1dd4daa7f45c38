"""The OAI-PMH response check the protocol tests rely on (``tests.support.oai``) can fail:
it accepts a well-formed answer and refuses broken ones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.support.oai import check_response

_GOOD = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
  <responseDate>{now}</responseDate>
  <request verb="Identify">http://localhost/oai</request>
  {body}
</OAI-PMH>"""


def _document(body: str, now: str | None = None) -> bytes:
    now = now or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return _GOOD.format(now=now, body=body).encode("utf-8")


def test_the_check_accepts_a_well_formed_response() -> None:
    check_response(_document("<Identify/>"))
    check_response(_document('<error code="badVerb">no such verb</error>'))


@pytest.mark.parametrize(
    "body, now",
    [
        ("<ListSets/>", None),  # not the verb that was asked
        ("<Identify/><Identify/>", None),  # two verb elements
        ('<error code="tooBad">?</error>', None),  # not an OAI-PMH error code
        ("", None),  # nothing after the request
        ("<Identify/>", "2024-09-02 08:00:00"),  # responseDate in the wrong format
    ],
)
def test_the_check_refuses_a_broken_response(body: str, now: str | None) -> None:
    with pytest.raises(AssertionError):
        check_response(_document(body, now))
