"""The OAI-PMH error conditions (spec section 3.6), one class per ``code``.

The protocol answers every error with HTTP 200 and an ``<error code="...">`` element; the
blueprint catches ``OaiError`` and writes it. ``badVerb`` and ``badArgument`` also change
the ``<request>`` element: it then carries no attributes (spec section 3.2).
"""

from __future__ import annotations


class OaiError(Exception):
    """An OAI-PMH error: ``code`` is the protocol's, ``message`` says what to fix."""

    code = "badArgument"
    #: The request itself is malformed, so its arguments are not echoed.
    echoes_arguments = True

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadVerb(OaiError):
    code = "badVerb"
    echoes_arguments = False


class BadArgument(OaiError):
    code = "badArgument"
    echoes_arguments = False


class BadResumptionToken(OaiError):
    code = "badResumptionToken"


class CannotDisseminateFormat(OaiError):
    code = "cannotDisseminateFormat"


class IdDoesNotExist(OaiError):
    code = "idDoesNotExist"


class NoRecordsMatch(OaiError):
    code = "noRecordsMatch"


class NoMetadataFormats(OaiError):
    """Never raised today: every item we expose is offered in every format."""

    code = "noMetadataFormats"
