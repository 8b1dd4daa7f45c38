"""OAI-PMH 2.0 at ``/oai``: the catalogue's published resources for harvesters.

Published resources are records; unpublished ones (published once, then taken down) are
deleted records, kept for good. Formats ``oai_dc`` and ``lom`` (IEEE LOM), sets by subject
and by grade, stateless resumption tokens.

    views       the blueprint: GET/POST arguments in, XML out, errors as <error>
    protocol    verbs, their arguments and datestamps, as plain data (no Flask, no SQL)
    verbs       the six verbs, writing into the response
    repository  which resources are exposed, their datestamps and sets (the only SQL)
    tokens      resumption tokens: the query and the last (datestamp, id), signed
    sets        subject:<code> and grade:<n>, named in Kazakh
    formats     oai_dc and lom, one module each, from ``records.Description``
    envelope    the <OAI-PMH> document, headers, resumption tokens
"""

from __future__ import annotations

from catalogue.oai.views import bp

__all__ = ["bp"]
