"""``GET|POST /oai``: the OAI-PMH 2.0 endpoint.

The arguments come from the query (GET) or the urlencoded form (POST, spec section 3.1.1).
Every answer, errors included, is HTTP 200 with ``text/xml; charset=utf-8``.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from catalogue import public_cache
from catalogue.db import db
from catalogue.models import utcnow
from catalogue.oai.envelope import add_error, envelope, serialize
from catalogue.oai.errors import OaiError
from catalogue.oai.protocol import OaiRequest, parse_request
from catalogue.oai.repository import Repository
from catalogue.oai.settings import OaiSettings
from catalogue.oai.verbs import VERBS, Context

bp = Blueprint("oai", __name__)

CONTENT_TYPE = "text/xml; charset=utf-8"


@bp.route("/oai", methods=["GET", "POST"])
@public_cache.cached
def endpoint() -> Response:
    settings = OaiSettings.from_config(current_app.config, request.url_root)
    arguments = request.form if request.method == "POST" else request.args
    now = utcnow()
    parsed: OaiRequest | None = None
    try:
        parsed = parse_request(arguments.items(multi=True))
        root = envelope(now, settings.base_url, {"verb": parsed.verb, **parsed.arguments})
        context = Context(settings, Repository(db.session(), settings))
        VERBS[parsed.verb](parsed, context, root)
    except OaiError as error:
        echoed = None
        if parsed is not None and error.echoes_arguments:
            echoed = {"verb": parsed.verb, **parsed.arguments}
        root = envelope(now, settings.base_url, echoed)
        add_error(root, error)
    return Response(serialize(root), status=200, content_type=CONTENT_TYPE)
