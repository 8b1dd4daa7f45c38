"""``GET /api/v1/openapi.json``: the OpenAPI 3.1 document, generated from the code.

Each ``/api/v1`` view says what it takes and answers with ``@documented``, naming the
pydantic models of ``catalogue.api.schemas`` and the error classes of ``catalogue.errors``
it may raise. ``document(app)`` walks the app's URL rules, so every route appears with its
methods and path parameters; the schemas are the models' own JSON Schemas and the error
responses are made from the error classes, so nothing here restates the code. Under
``TESTING`` the decorator also checks each JSON answer against its model: the whole test
suite then keeps the document true.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from flask import Blueprint, Flask, current_app, request
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import GenerateJsonSchema, models_json_schema
from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from catalogue.api import schemas
from catalogue.errors import CatalogueError

bp = Blueprint("api_openapi", __name__, url_prefix="/api/v1")

Json = dict[str, Any]
P = ParamSpec("P")
R = TypeVar("R")

REF = "#/components/schemas/{model}"
#: Security requirements: anyone (a token or session is read if given), a signed-in
#: caller (the document's default), a token only.
PUBLIC: Sequence[Mapping[str, list[str]]] = ({}, {"bearer": []}, {"cookie": []})
SIGNED_IN: Sequence[Mapping[str, list[str]]] = ({"bearer": []}, {"cookie": []})
TOKEN: Sequence[Mapping[str, list[str]]] = ({"bearer": []},)

ACCEPT_LANGUAGE: Json = {
    "name": "Accept-Language",
    "in": "header",
    "description": "the language of validator and error messages: kk (default), ru or en",
    "schema": {"type": "string", "example": "ru"},
}
#: Path parameters by name; their schema comes from the rule's converter.
PATH_PARAMETERS = {
    "uuid": "the resource's stable UUID",
    "number": "the version number (1, 2, ...)",
    "assignment_id": "the review assignment's id",
}
CONVERTERS: Mapping[str, Json] = {
    "uuid": {"type": "string", "format": "uuid"},
    "int": {"type": "integer", "minimum": 1},
}
_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")

#: Every error class of ``catalogue.errors``: the document's error responses.
ERRORS: tuple[type[CatalogueError], ...] = (
    CatalogueError,
    *(
        cls
        for cls in CatalogueError.__subclasses__()
        if cls.__module__ == CatalogueError.__module__
    ),
)


@dataclass(frozen=True)
class Reply:
    """An answer that is not just "OK" with a model: another description, media type or
    a schema of its own (a package download, this document)."""

    description: str = "OK"
    model: type[BaseModel] | None = None
    media_type: str = "application/json"
    schema: Json | None = None


@dataclass(frozen=True)
class Operation:
    """What ``@documented`` records on a view, for ``document`` to render."""

    summary: str
    operation_id: str
    responses: Mapping[int, Reply]
    description: str | None = None
    body: type[BaseModel] | None = None
    body_required: bool = True
    form: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    errors: tuple[type[CatalogueError], ...] = ()
    security: Sequence[Mapping[str, list[str]]] | None = None
    language: bool = False
    models: tuple[type[BaseModel], ...] = field(default=())


def documented(
    summary: str,
    *,
    operation_id: str,
    responses: Mapping[int, type[BaseModel] | Reply],
    description: str | None = None,
    body: type[BaseModel] | None = None,
    body_required: bool | None = None,
    form: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    errors: Iterable[type[CatalogueError]] = (),
    security: Sequence[Mapping[str, list[str]]] | None = None,
    language: bool = False,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Record the view's contract for the document, and check its answers when testing.

    Place it right under the route decorator. ``body_required`` defaults to false for a
    ``schemas.Body`` without required fields (an empty body is read as ``{}``)."""
    replies = {
        status: reply if isinstance(reply, Reply) else Reply(model=reply)
        for status, reply in responses.items()
    }
    if body_required is None:
        optional = isinstance(body, type) and issubclass(body, schemas.Body)
        body_required = not (optional and not _required_fields(body))
    models = tuple(m for m in (body, form, *(r.model for r in replies.values())) if m is not None)
    operation = Operation(
        summary=summary,
        operation_id=operation_id,
        responses=replies,
        description=description,
        body=body,
        body_required=body_required,
        form=form,
        query=query,
        errors=tuple(errors),
        security=security,
        language=language,
        models=models,
    )

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(view)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            result = view(*args, **kwargs)
            if current_app.testing:
                _check(operation, result)
            return result

        checked.__openapi__ = operation  # type: ignore[attr-defined]
        return checked

    return decorate


def _required_fields(model: type[BaseModel] | None) -> list[str]:
    return [] if model is None else [n for n, f in model.model_fields.items() if f.is_required()]


def _check(operation: Operation, result: object) -> None:
    """Fail loudly (in tests) when a view answers off its documented contract."""
    if isinstance(result, Response) and not result.is_json:
        return  # a file (a package download): nothing to validate
    response = current_app.make_response(result)  # type: ignore[arg-type]
    reply = operation.responses.get(response.status_code)
    where = f"{request.method} {request.path} answered {response.status_code}"
    if reply is None:
        raise AssertionError(f"{where}, which {operation.operation_id} does not document")
    if reply.model is None:
        return
    try:
        reply.model.model_validate_json(response.get_data(), strict=True)
    except ValidationError as error:
        raise AssertionError(f"{where} off its schema {reply.model.__name__}: {error}") from None


# ---- the document -------------------------------------------------------------------------


class _Generator(GenerateJsonSchema):
    """pydantic's JSON Schema, without a title on every property (noise in the document)."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def _tidy(node: Any) -> Any:
    """Drop ``"default": null``: pydantic writes it for fields that may be left out."""
    if isinstance(node, dict):
        return {k: _tidy(v) for k, v in node.items() if not (k == "default" and v is None)}
    if isinstance(node, list):
        return [_tidy(v) for v in node]
    return node


def _schemas(models: Iterable[type[BaseModel]]) -> tuple[dict[type[BaseModel], Json], Json]:
    unique = list(dict.fromkeys(models))
    refs, definitions = models_json_schema(
        [(model, "validation") for model in unique],
        ref_template=REF,
        schema_generator=_Generator,
    )
    by_model = {model: _tidy(refs[(model, "validation")]) for model in unique}
    return by_model, _tidy(definitions.get("$defs", {}))


def _error_response(cls: type[CatalogueError]) -> Json:
    text = " ".join((cls.__doc__ or cls.__name__).split("\n\n")[0].split())
    return {
        "description": f"{text} Code {cls.code}, or a more specific one.",
        "content": {"application/json": {"schema": {"$ref": REF.format(model="Error")}}},
    }


def _query_parameters(model: type[BaseModel]) -> list[Json]:
    schema = _tidy(model.model_json_schema(ref_template=REF, schema_generator=_Generator))
    required = set(schema.get("required", ()))
    parameters = []
    for name, prop in schema["properties"].items():
        parameter: Json = {"name": name, "in": "query", "required": name in required}
        if "description" in prop:
            parameter["description"] = prop.pop("description")
        parameters.append({**parameter, "schema": prop})
    return parameters


def _path_parameters(rule: Rule) -> list[Json]:
    return [
        {
            "name": match["name"],
            "in": "path",
            "required": True,
            "description": PATH_PARAMETERS.get(match["name"], match["name"]),
            "schema": dict(CONVERTERS.get(match["converter"] or "", {"type": "string"})),
        }
        for match in _ARGUMENT.finditer(rule.rule)
    ]


def _api_rules(app: Flask) -> Iterator[tuple[Rule, str, Operation | None]]:
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/api/v1/"):
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods or ()):
            if method not in ("HEAD", "OPTIONS"):
                yield rule, method.lower(), getattr(view, "__openapi__", None)


def _operation(rule: Rule, op: Operation, refs: Mapping[type[BaseModel], Json]) -> Json:
    rendered: Json = {"summary": op.summary, "operationId": op.operation_id}
    if op.description:
        rendered["description"] = op.description
    if op.security is not None:
        rendered["security"] = [dict(requirement) for requirement in op.security]
    parameters = _path_parameters(rule) + ([ACCEPT_LANGUAGE] if op.language else [])
    if op.query is not None:
        parameters += _query_parameters(op.query)
    if parameters:
        rendered["parameters"] = parameters
    if op.body is not None:
        rendered["requestBody"] = {
            "required": op.body_required,
            "content": {"application/json": {"schema": refs[op.body]}},
        }
    if op.form is not None:
        rendered["requestBody"] = {
            "required": True,
            "content": {"multipart/form-data": {"schema": refs[op.form]}},
        }
    responses: Json = {}
    for status, reply in sorted(op.responses.items()):
        answer: Json = {"description": reply.description}
        schema = refs[reply.model] if reply.model is not None else reply.schema
        if schema is not None:
            answer["content"] = {reply.media_type: {"schema": schema}}
        responses[str(status)] = answer
    for error in op.errors:
        responses.setdefault(
            str(error.status), {"$ref": f"#/components/responses/{error.__name__}"}
        )
    rendered["responses"] = responses
    return rendered


def document(app: Flask) -> Json:
    """The document of ``app``'s ``/api/v1`` routes (built once per app)."""
    cached = app.extensions.get("sandyq_openapi")
    if cached is not None:
        return dict(cached)
    found = [(rule, method, op) for rule, method, op in _api_rules(app) if op is not None]
    refs, definitions = _schemas(
        [schemas.Error, *(model for _, _, op in found for model in op.models)]
    )
    paths: Json = {}
    for rule, method, op in found:
        path = _ARGUMENT.sub(lambda match: "{" + match["name"] + "}", rule.rule)
        paths.setdefault(path, {})[method] = _operation(rule, op, refs)
    built: Json = {
        "openapi": "3.1.0",
        "info": {
            "title": "Sandyq: the national catalogue of digital educational resources",
            "version": "1",
            "description": "Teachers submit SCORM packages, the expert council reviews them, "
            "published resources are searched, downloaded and harvested. Errors are "
            '{"error": {"code", "message", "details"}} with a stable code; the message is '
            "in the caller's language (the locale cookie, else Accept-Language, else Kazakh), "
            "named by Content-Language.",
        },
        "security": [dict(requirement) for requirement in SIGNED_IN],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "an api token acts as its user; a sync token only reads "
                    "the published feed and downloads packages; a results token does what a "
                    "sync token does and reports usage (PUT /api/v1/usage, and offline "
                    "libraries' results: POST /api/v1/usage/offline)",
                },
                "cookie": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": definitions,
            "responses": {cls.__name__: _error_response(cls) for cls in ERRORS},
        },
    }
    app.extensions["sandyq_openapi"] = built
    return dict(built)


#: The author's metadata fields as the document describes them (what a PATCH may send).
METADATA_FIELDS: Json = _tidy(
    schemas.MetadataChanges.model_json_schema(ref_template=REF, schema_generator=_Generator)
)["properties"]


@bp.get("/openapi.json")
@documented(
    "This document",
    operation_id="openapi",
    security=PUBLIC,
    responses={200: Reply("the OpenAPI 3.1 document", schema={"type": "object"})},
)
def openapi() -> Json:
    return document(current_app._get_current_object())  # type: ignore[attr-defined]
