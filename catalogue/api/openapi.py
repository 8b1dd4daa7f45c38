"""``GET /api/v1/openapi.json``: the OpenAPI 3.1 document of every ``/api/v1`` endpoint.

One readable dict, kept beside the code it describes; a test checks that every URL rule
the app registers under ``/api/v1`` (with each of its methods) appears here, so the
document cannot drift from the routes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint

from catalogue.domain import TIMESTAMP_PATTERN, timestamp
from scorm_builder.vocabulary import LICENCE_IDS

bp = Blueprint("api_openapi", __name__, url_prefix="/api/v1")

Json = dict[str, Any]


def _ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: Json, description: str = "OK") -> Json:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> Json:
    return {str(status): {"$ref": f"#/components/responses/{status}"} for status in statuses}


def _path(name: str, description: str, schema: Json | None = None) -> Json:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def _query(name: str, description: str, schema: Json, required: bool = False) -> Json:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


UUID = _path("uuid", "the resource's stable UUID", {"type": "string", "format": "uuid"})
NUMBER = _path("number", "the version number (1, 2, ...)", {"type": "integer", "minimum": 1})
ASSIGNMENT = _path("assignment_id", "the review assignment's id", {"type": "integer"})
ACCEPT_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "description": "the language of validator messages: kk (default), ru or en",
    "schema": {"type": "string", "example": "ru"},
}
PUBLIC: list[Json] = [{}, {"bearer": []}, {"cookie": []}]
STRING_LIST = {"type": "array", "items": {"type": "string"}}

#: Every moment the API writes, in one format (``catalogue.domain.timestamp``).
TIMESTAMP: Json = {
    "type": "string",
    "format": "date-time",
    "pattern": TIMESTAMP_PATTERN,
    "description": "UTC, with microseconds: YYYY-MM-DDTHH:MM:SS.ffffffZ",
    "examples": [timestamp(datetime(2026, 9, 1, 8, 30, tzinfo=UTC))],
}
TIMESTAMP_OR_NULL: Json = {**TIMESTAMP, "type": ["string", "null"]}


def _moments(*names: str, null: bool = False) -> Json:
    """An object described only by its moments."""
    kind = TIMESTAMP_OR_NULL if null else TIMESTAMP
    return {"type": "object", "properties": {name: kind for name in names}}


#: A moment the API reads: any ISO 8601 date and time (UTC when it has no offset).
MOMENT_IN: Json = {
    "type": "string",
    "format": "date-time",
    "description": "ISO 8601, e.g. as the API writes moments; without an offset, UTC",
    "examples": [timestamp(datetime(2026, 9, 1, 8, 30, tzinfo=UTC))],
}

METADATA_FIELDS: Json = {
    "title_kk": {"type": "string", "maxLength": 500},
    "title_ru": {"type": "string", "maxLength": 500},
    "title_en": {"type": "string", "maxLength": 500},
    "description_kk": {"type": "string"},
    "description_ru": {"type": "string"},
    "description_en": {"type": "string"},
    "language": {"type": "string", "enum": ["kk", "ru", "en"]},
    "subject": {"type": "string", "maxLength": 64, "examples": ["physics"]},
    "grades": {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 12}},
    "resource_type": {
        "type": "string",
        "enum": ["lesson", "test", "video_lecture", "course", "virtual_lab", "other"],
    },
    "keywords": STRING_LIST,
    "learning_minutes": {"type": ["integer", "null"], "minimum": 1, "maximum": 10000},
    "license": {
        "type": "string",
        "enum": list(LICENCE_IDS),
    },
    "rights_holder": {"type": "string", "maxLength": 300},
    "copyright_attested": {"type": "boolean"},
}

#: The multipart form of an upload: the package, and fields that override the prefill.
UPLOAD_FORM: Json = {
    "multipart/form-data": {
        "schema": {
            "type": "object",
            "required": ["package"],
            "properties": {
                "package": {"type": "string", "contentMediaType": "application/zip"},
                **{
                    name: {"type": "string", "description": "comma-separated"}
                    if name in ("grades", "keywords")
                    else {"type": "string"}
                    for name in METADATA_FIELDS
                },
                "coauthors": {"type": "string", "description": "e-mails, comma-separated"},
            },
        }
    }
}

SCHEMAS: Json = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "description": "stable, for programs"},
                    "message": {"type": "string", "description": "for people"},
                    "details": {
                        "description": "package_invalid and not_a_zip: {findings: [Finding]}; "
                        "metadata_invalid: {fields: {name: problem}}",
                    },
                },
            }
        },
    },
    "Finding": {
        "type": "object",
        "required": ["rule", "severity", "message"],
        "properties": {
            "rule": {"type": "string", "examples": ["ZIP-NO-MANIFEST"]},
            "severity": {"type": "string", "enum": ["error", "warning", "info"]},
            "entry": {"type": "string", "description": "the zip entry, if any"},
            "line": {"type": ["integer", "null"]},
            "message": {"type": "string", "description": "in the caller's language"},
            "hint": {"type": "string"},
        },
    },
    "Person": {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string"},
            "email": {"type": "string", "description": "only for those who work on it"},
        },
    },
    "Metadata": {
        "type": "object",
        "properties": {
            "title": {"type": "string", "description": "in the resource's language"},
            **METADATA_FIELDS,
            "accessibility": {
                "type": "array",
                "items": {"type": "string", "enum": ["captions", "alt_text"]},
            },
            "offline_ready": {"type": "boolean"},
            "scorm_version": {"type": "string", "examples": ["2004 4th Edition", "1.2"]},
        },
    },
    "MetadataChanges": {
        "type": "object",
        "description": "any of the author's fields; at least one title must remain",
        "additionalProperties": False,
        "properties": METADATA_FIELDS,
    },
    "Version": {
        "type": "object",
        "required": ["number", "frozen", "package", "validation", "metadata"],
        "properties": {
            "number": {"type": "integer"},
            "created_at": TIMESTAMP,
            "frozen": {"type": "boolean", "description": "submitted for review: immutable"},
            "frozen_at": TIMESTAMP_OR_NULL,
            "package": {
                "type": "object",
                "properties": {
                    "sha256": {"type": "string"},
                    "size": {"type": "integer"},
                    "name": {"type": "string"},
                    "url": {"type": "string"},
                },
            },
            "validation": {
                "type": "object",
                "properties": {
                    "valid": {"type": "boolean"},
                    "findings": {"type": "array", "items": _ref("Finding")},
                },
            },
            "metadata": _ref("Metadata"),
            "author_response": {"type": "string"},
        },
    },
    "Resource": {
        "type": "object",
        "required": ["uuid", "state", "owner", "latest_version"],
        "properties": {
            "uuid": {"type": "string", "format": "uuid"},
            "state": {
                "type": "string",
                "enum": [
                    "draft",
                    "submitted",
                    "under_review",
                    "revision_requested",
                    "approved",
                    "rejected",
                    "published",
                    "unpublished",
                    "withdrawn",
                ],
            },
            "owner": _ref("Person"),
            "coauthors": {"type": "array", "items": _ref("Person")},
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "submitted_at": TIMESTAMP_OR_NULL,
            "published_at": TIMESTAMP_OR_NULL,
            "revision_due_at": TIMESTAMP_OR_NULL,
            "downloads": {"type": "integer"},
            "versions": {"type": "array", "items": {"type": "integer"}},
            "latest_version": _ref("Version"),
            "links": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
    "Authors": {
        "type": "object",
        "properties": {
            "owner": _ref("Person"),
            "coauthors": {"type": "array", "items": _ref("Person")},
        },
    },
    "MyResource": {
        "type": "object",
        "properties": {
            "uuid": {"type": "string", "format": "uuid"},
            "title": {"type": "string"},
            "state": {"type": "string"},
            "role": {"type": "string", "enum": ["owner", "coauthor"]},
            "updated_at": TIMESTAMP,
            "revision_due_at": TIMESTAMP_OR_NULL,
            "downloads": {"type": "integer"},
            "latest_version": {"type": "object"},
            "feedback": {
                "type": "object",
                "properties": {
                    "reviews_submitted": {"type": "integer"},
                    "last_decision": {
                        "type": ["object", "null"],
                        "properties": {
                            "action": {"type": "string"},
                            "to_state": {"type": "string"},
                            "reason": {"type": "string"},
                            "at": TIMESTAMP,
                        },
                    },
                },
            },
        },
    },
    "MonthlyDownloads": {
        "type": "object",
        "properties": {
            "resource": {"type": "string", "format": "uuid"},
            "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
            "downloads": {"type": "integer"},
        },
    },
    "Stats": {
        "type": "object",
        "properties": {
            "resources": {
                "type": "object",
                "description": "counts; subject, grade and language of each latest version",
                "properties": {
                    "total": {"type": "integer"},
                    **{
                        key: {"type": "object", "additionalProperties": {"type": "integer"}}
                        for key in ("by_state", "by_subject", "by_grade", "by_language")
                    },
                },
            },
            "review_turnaround": {
                "type": "object",
                "description": "median days per stage, from the audit log",
                "additionalProperties": {
                    "type": "object",
                    "properties": {
                        "median_days": {"type": ["number", "null"]},
                        "count": {"type": "integer"},
                    },
                },
            },
            "downloads": {"type": "array", "items": _ref("MonthlyDownloads")},
        },
    },
    "SearchHit": {
        "type": "object",
        "properties": {
            "uuid": {"type": "string", "format": "uuid"},
            "version": {"type": "integer"},
            "title": {"type": "string"},
            "titles": {"type": "object", "additionalProperties": {"type": "string"}},
            "description": {"type": "string"},
            "language": {"type": "string"},
            "subject": {"type": "string"},
            "grades": {"type": "array", "items": {"type": "integer"}},
            "resource_type": {"type": "string"},
            "license": {"type": "string"},
            "keywords": STRING_LIST,
            "offline_ready": {"type": "boolean"},
            "size": {"type": "integer"},
            "scorm_version": {"type": "string"},
            "published_at": TIMESTAMP_OR_NULL,
            "downloads": {"type": "integer"},
            "download_url": {"type": "string"},
        },
    },
    "SearchResult": {
        "type": "object",
        "required": ["items", "total", "page"],
        "properties": {
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "sort": {"type": "string"},
            "fuzzy": {"type": "boolean", "description": "no exact match: similar words"},
            "items": {"type": "array", "items": _ref("SearchHit")},
            "facets": {
                "type": "object",
                "description": "subject, grade, language, type, license, offline, size",
                "additionalProperties": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "value": {},
                            "count": {"type": "integer"},
                            "size_min": {"type": "integer"},
                            "size_max": {"type": "integer"},
                        },
                    },
                },
            },
        },
    },
    "FeedEntry": {
        "type": "object",
        "properties": {
            "uuid": {"type": "string", "format": "uuid"},
            "version": {"type": "integer"},
            "title": {"type": "string"},
            "language": {"type": "string"},
            "subject": {"type": "string"},
            "grades": {"type": "array", "items": {"type": "integer"}},
            "sha256": {"type": "string"},
            "size": {"type": "integer"},
            "scorm_version": {"type": "string"},
            "download_url": {"type": "string"},
            "published_at": TIMESTAMP_OR_NULL,
            "state": {"type": "string", "enum": ["published", "unpublished"]},
            "changed_at": TIMESTAMP,
        },
    },
    "Feed": {
        "type": "object",
        "required": ["items", "next"],
        "properties": {
            "items": {"type": "array", "items": _ref("FeedEntry")},
            "next": {"type": ["string", "null"], "description": "the next page (null: last)"},
        },
    },
    "Transitioned": {
        "type": "object",
        "description": "a resource after a step of the review",
        "properties": {
            "uuid": {"type": "string", "format": "uuid"},
            "state": {"type": "string"},
            "version": {"type": "integer"},
            "reviews_anonymous": {"type": "boolean"},
            "submitted_at": TIMESTAMP_OR_NULL,
            "published_at": TIMESTAMP_OR_NULL,
            "revision_due_at": TIMESTAMP_OR_NULL,
        },
    },
    "Assignment": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "resource": {"type": "string", "format": "uuid"},
            "title": {"type": "string"},
            "resource_state": {"type": "string"},
            "version": {"type": "integer"},
            "reviewer": {"type": "object"},
            "state": {
                "type": "string",
                "enum": ["invited", "accepted", "declined", "submitted", "removed"],
            },
            "assigned_at": TIMESTAMP,
            "due_at": TIMESTAMP_OR_NULL,
            "overdue": {"type": "boolean"},
            "responded_at": TIMESTAMP_OR_NULL,
            "no_conflict_declared": {"type": "boolean"},
            "decline_reason": {"type": "string"},
        },
    },
    "Assignments": {
        "type": "object",
        "properties": {"assignments": {"type": "array", "items": _ref("Assignment")}},
    },
    "ReviewAnswers": {
        "type": "object",
        "additionalProperties": False,
        "description": "gates yes/no (a failed gate blocks approval), criteria 0-3 or null "
        "(not applicable); a draft may be partial, a submitted review may not",
        "properties": {
            "gates": {"type": "object", "additionalProperties": {"type": ["boolean", "null"]}},
            "scores": {
                "type": "object",
                "additionalProperties": {"type": ["integer", "null"], "minimum": 0, "maximum": 3},
            },
            "recommendation": {
                "type": ["string", "null"],
                "enum": ["approve", "minor_revision", "major_revision", "reject", None],
            },
            "comment_to_author": {"type": "string"},
            "comment_to_chair": {"type": "string"},
        },
    },
    "Review": {
        "type": "object",
        "properties": {
            "assignment_id": {"type": "integer"},
            "gates": {"type": "object"},
            "scores": {"type": "object"},
            "recommendation": {"type": ["string", "null"]},
            "comment_to_author": {"type": "string"},
            "comment_to_chair": {"type": "string"},
            "updated_at": TIMESTAMP,
            "submitted_at": TIMESTAMP_OR_NULL,
        },
    },
    "UsageReport": {
        "type": "object",
        "description": "a Moodle site's totals so far (cumulative, not since the last "
        "report) for each activity of a catalogue resource; counts and aggregates only, "
        "never a learner. Unknown fields are refused.",
        "additionalProperties": False,
        "required": ["site", "period", "activities"],
        "properties": {
            "site": {
                "type": "object",
                "additionalProperties": False,
                "required": ["url", "name"],
                "properties": {
                    "url": {
                        "type": "string",
                        "maxLength": 500,
                        "description": "http(s), no user, query or fragment; the site's "
                        "identity (scheme and host lower-cased, no trailing slash)",
                        "examples": ["https://moodle.school.kz"],
                    },
                    "name": {"type": "string", "maxLength": 500},
                },
            },
            "period": {
                "type": "string",
                "format": "date",
                "description": "the UTC day of the snapshot, YYYY-MM-DD, at most one day "
                "ahead; a second report of the same site and day replaces the first",
            },
            "activities": {
                "type": "array",
                "maxItems": 10000,
                "description": "one entry per course and resource",
                "items": _ref("UsageActivity"),
            },
        },
    },
    "UsageActivity": {
        "type": "object",
        "additionalProperties": False,
        "required": ["resource", "course", "learners", "completed", "passed", "attempts"],
        "properties": {
            "resource": {"type": "string", "format": "uuid"},
            "version": {"type": ["integer", "null"], "minimum": 1},
            "course": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "integer", "minimum": 1},
                    "name": {"type": "string", "maxLength": 500},
                },
            },
            "learners": {
                "type": "integer",
                "minimum": 0,
                "description": "learners who attempted",
            },
            "completed": {"type": "integer", "minimum": 0, "description": "<= learners"},
            "passed": {"type": "integer", "minimum": 0, "description": "<= learners"},
            "attempts": {"type": "integer", "minimum": 0},
            "score_mean": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
            "score_median": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
            "time_seconds": {
                "type": ["integer", "null"],
                "minimum": 0,
                "description": "time spent, summed over the learners",
            },
        },
    },
    "UsageStored": {
        "type": "object",
        "required": ["site", "period", "stored", "unknown_resources"],
        "properties": {
            "site": {
                "type": "object",
                "properties": {"url": {"type": "string"}, "name": {"type": "string"}},
            },
            "period": {"type": "string", "format": "date"},
            "stored": {"type": "integer", "description": "activities stored"},
            "unknown_resources": {
                "type": "array",
                "items": {"type": "string", "format": "uuid"},
                "description": "UUIDs the catalogue does not know; their entries were "
                "left out, the rest stored",
            },
        },
    },
}

RESPONSES: Json = {
    "401": {
        "description": "no or bad credentials",
        "content": {"application/json": {"schema": _ref("Error")}},
    },
    "403": {
        "description": "not allowed",
        "content": {"application/json": {"schema": _ref("Error")}},
    },
    "404": {
        "description": "no such thing, or not visible to the caller",
        "content": {"application/json": {"schema": _ref("Error")}},
    },
    "409": {
        "description": "not in this state, or changed meanwhile",
        "content": {"application/json": {"schema": _ref("Error")}},
    },
    "413": {
        "description": "the upload is too large",
        "content": {"application/json": {"schema": _ref("Error")}},
    },
    "422": {
        "description": "not acceptable (an invalid package, bad metadata)",
        "content": {"application/json": {"schema": _ref("Error")}},
    },
}

_PACKAGE_RESPONSES: Json = {
    "200": {
        "description": "the package (ETag is its SHA-256; Accept-Ranges: bytes)",
        "content": {
            "application/zip": {"schema": {"type": "string", "contentMediaType": "application/zip"}}
        },
    },
    "206": {"description": "the requested range (Content-Range)"},
    "304": {"description": "not modified (If-None-Match matched the ETag)"},
    **_errors(404),
}

_RESOURCE_PATHS: Json = {
    "/api/v1/resources": {
        "get": {
            "summary": "Search the published resources, with facets",
            "description": "Repeat subject, grade, language, type or licence to match any "
            "of the values. A bad parameter answers 422 invalid_query.",
            "operationId": "searchResources",
            "security": PUBLIC,
            "parameters": [
                _query("q", "words to find (Kazakh, Russian or English)", {"type": "string"}),
                _query("subject", "subject id", {"type": "string"}),
                _query("grade", "a grade, 0-12", {"type": "integer"}),
                _query("language", "kk, ru or en", METADATA_FIELDS["language"]),
                _query("type", "resource type", METADATA_FIELDS["resource_type"]),
                _query("license", "licence", METADATA_FIELDS["license"]),
                _query("offline", "offline-ready only", {"type": "boolean"}),
                _query("size_min", "package size at least (bytes)", {"type": "integer"}),
                _query("size_max", "package size at most (bytes)", {"type": "integer"}),
                _query(
                    "sort",
                    "order (relevance when q is given, else newest)",
                    {"type": "string", "enum": ["relevance", "newest", "downloads"]},
                ),
                _query("page", "page number, from 1", {"type": "integer", "minimum": 1}),
                _query("per_page", "results per page", {"type": "integer", "minimum": 1}),
            ],
            "responses": {"200": _json(_ref("SearchResult")), **_errors(422)},
        },
        "post": {
            "summary": "Submit a package: a new draft resource with version 1",
            "description": "Metadata is prefilled from the package's manifest; form fields "
            "override it. An invalid package is refused with the validator's findings in "
            "the caller's language and nothing is stored.",
            "operationId": "submitResource",
            "security": [{"bearer": []}, {"cookie": []}],
            "parameters": [ACCEPT_LANGUAGE],
            "requestBody": {"required": True, "content": UPLOAD_FORM},
            "responses": {
                "201": _json(_ref("Resource"), "created (Location names it)"),
                "400": {"description": "no 'package' file field"},
                **_errors(401, 403, 413, 422),
            },
        },
    },
    "/api/v1/resources/{uuid}": {
        "parameters": [UUID],
        "get": {
            "summary": "A resource: published for anyone; otherwise its authors, the chair, "
            "administrators and assigned reviewers",
            "operationId": "getResource",
            "security": PUBLIC,
            "parameters": [ACCEPT_LANGUAGE],
            "responses": {"200": _json(_ref("Resource")), **_errors(404)},
        },
        "patch": {
            "summary": "Edit the latest version's metadata (an author, while not frozen)",
            "operationId": "editResource",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("MetadataChanges")}},
            },
            "responses": {
                "200": _json(_ref("Resource")),
                "400": {"description": "the body is not a JSON object"},
                **_errors(401, 403, 404, 409, 422),
            },
        },
    },
    "/api/v1/resources/{uuid}/versions": {
        "parameters": [UUID],
        "get": {
            "summary": "The versions the caller may see (the public: the latest only)",
            "operationId": "listVersions",
            "security": PUBLIC,
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {"items": {"type": "array", "items": _ref("Version")}},
                    }
                ),
                **_errors(404),
            },
        },
        "post": {
            "summary": "Upload version n+1 when a revision is requested (an author)",
            "description": "Prefilled from the previous version, then the new manifest, then "
            "the form; unfrozen until the author resubmits.",
            "operationId": "uploadVersion",
            "parameters": [ACCEPT_LANGUAGE],
            "requestBody": {"required": True, "content": UPLOAD_FORM},
            "responses": {
                "201": _json(_ref("Version"), "created"),
                "400": {"description": "no 'package' file field"},
                **_errors(401, 403, 404, 409, 413, 422),
            },
        },
    },
    "/api/v1/resources/{uuid}/versions/{number}": {
        "parameters": [UUID, NUMBER],
        "get": {
            "summary": "One version",
            "operationId": "getVersion",
            "security": PUBLIC,
            "responses": {"200": _json(_ref("Version")), **_errors(404)},
        },
    },
    "/api/v1/resources/{uuid}/package": {
        "parameters": [UUID],
        "get": {
            "summary": "Download the latest version's package (counted when published)",
            "operationId": "downloadPackage",
            "security": PUBLIC,
            "responses": _PACKAGE_RESPONSES,
        },
    },
    "/api/v1/resources/{uuid}/versions/{number}/package": {
        "parameters": [UUID, NUMBER],
        "get": {
            "summary": "Download one version's package",
            "operationId": "downloadVersionPackage",
            "security": PUBLIC,
            "responses": _PACKAGE_RESPONSES,
        },
    },
    "/api/v1/resources/{uuid}/coauthors": {
        "parameters": [UUID],
        "post": {
            "summary": "Add a co-author by e-mail (the owner)",
            "operationId": "addCoauthor",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["email"],
                            "properties": {"email": {"type": "string", "format": "email"}},
                        }
                    }
                },
            },
            "responses": {"200": _json(_ref("Authors")), **_errors(401, 403, 404, 409, 422)},
        },
        "delete": {
            "summary": "Remove a co-author (the owner)",
            "operationId": "removeCoauthor",
            "parameters": [_query("email", "the co-author's e-mail", {"type": "string"}, True)],
            "responses": {"200": _json(_ref("Authors")), **_errors(401, 403, 404, 409, 422)},
        },
    },
    "/api/v1/me/resources": {
        "get": {
            "summary": "The caller's resources with their state and the council's feedback",
            "operationId": "myResources",
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {"items": {"type": "array", "items": _ref("MyResource")}},
                    }
                ),
                **_errors(401),
            },
        }
    },
    "/api/v1/published": {
        "get": {
            "summary": "The feed of published (and since unpublished) resources for LMS sync",
            "description": "Any signed-in caller or token, a sync token included.",
            "operationId": "publishedFeed",
            "security": [{"bearer": []}, {"cookie": []}],
            "parameters": [
                _query("since", "changes from this time on", MOMENT_IN),
                _query("cursor", "where the previous page ended (from next)", {"type": "string"}),
                _query(
                    "limit",
                    "page size, 1-500 (100)",
                    {"type": "integer", "minimum": 1, "maximum": 500},
                ),
            ],
            "responses": {"200": _json(_ref("Feed")), **_errors(401, 422)},
        }
    },
    "/api/v1/usage": {
        "put": {
            "summary": "Report learners' use of resources from a Moodle site (results token)",
            "description": "Only a results token (sandyq tokens create --scope results); any "
            "other caller gets 403 results_token_required. Replaces all of the site's "
            "entries for the period in one transaction, so sending again is harmless. A "
            "problem answers 422 usage_invalid naming each entry "
            "(details.fields, e.g. activities[3].completed: more than learners).",
            "operationId": "reportUsage",
            "security": [{"bearer": []}],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("UsageReport")}},
            },
            "responses": {
                "200": _json(_ref("UsageStored")),
                "400": {
                    "description": "the body is not JSON",
                    "content": {"application/json": {"schema": _ref("Error")}},
                },
                **_errors(401, 403, 409, 413, 422),
            },
        }
    },
}

_STATS_PATHS: Json = {
    "/api/v1/stats": {
        "get": {
            "summary": "Downloads per month, review turnaround, counts (chair, admin)",
            "operationId": "stats",
            "responses": {"200": _json(_ref("Stats")), **_errors(401, 403)},
        }
    },
    "/api/v1/stats/downloads": {
        "get": {
            "summary": "Downloads per month: of one resource (its authors too), or of all",
            "operationId": "downloadStats",
            "parameters": [
                _query("resource", "the resource's UUID", {"type": "string", "format": "uuid"})
            ],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "resource": {"type": "string", "format": "uuid"},
                            "total": {"type": "integer"},
                            "months": {"type": "array", "items": {"type": "object"}},
                            "items": {"type": "array", "items": _ref("MonthlyDownloads")},
                        },
                    }
                ),
                **_errors(401, 403, 404),
            },
        }
    },
    "/api/v1/openapi.json": {
        "get": {
            "summary": "This document",
            "operationId": "openapi",
            "security": PUBLIC,
            "responses": {"200": _json({"type": "object"})},
        }
    },
}


def _step(summary: str, operation: str, body: Json | None = None) -> Json:
    """A step of the review on one resource: POST, maybe with a JSON body."""
    step: Json = {
        "summary": summary,
        "operationId": operation,
        "responses": {"200": _json(_ref("Transitioned")), **_errors(401, 403, 404, 409, 422)},
    }
    if body is not None:
        step["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object", "properties": body}}},
        }
    return step


REASON = {"reason": {"type": "string"}}

#: The council's review (``catalogue.api.review``).
_REVIEW_PATHS: Json = {
    "/api/v1/resources/{uuid}/submit": {
        "parameters": [UUID],
        "post": _step("Submit a draft for review (an author)", "submitResourceForReview"),
    },
    "/api/v1/resources/{uuid}/return": {
        "parameters": [UUID],
        "post": _step("Return a submission to its author (the chair)", "returnToAuthor", REASON),
    },
    "/api/v1/resources/{uuid}/start-review": {
        "parameters": [UUID],
        "post": _step("Start the review, with at least 2 reviewers (the chair)", "startReview"),
    },
    "/api/v1/resources/{uuid}/decision": {
        "parameters": [UUID],
        "post": _step(
            "Decide after the reviews (the chair)",
            "decide",
            {
                "decision": {"type": "string", "enum": ["request_revision", "approve", "reject"]},
                **REASON,
            },
        ),
    },
    "/api/v1/resources/{uuid}/resubmit": {
        "parameters": [UUID],
        "post": _step(
            "Resubmit the uploaded revision with a response (an author)",
            "resubmit",
            {"response": {"type": "string"}, "same_reviewers": {"type": "boolean"}},
        ),
    },
    "/api/v1/resources/{uuid}/publish": {
        "parameters": [UUID],
        "post": _step("Publish an approved resource (the chair)", "publish"),
    },
    "/api/v1/resources/{uuid}/unpublish": {
        "parameters": [UUID],
        "post": _step("Take a resource down (the chair or an administrator)", "unpublish", REASON),
    },
    "/api/v1/resources/{uuid}/republish": {
        "parameters": [UUID],
        "post": _step("Publish an unpublished resource again (the chair)", "republish", REASON),
    },
    "/api/v1/resources/{uuid}/withdraw": {
        "parameters": [UUID],
        "post": _step("Withdraw a resource before it is decided (an author)", "withdraw", REASON),
    },
    "/api/v1/resources/{uuid}/audit": {
        "parameters": [UUID],
        "get": {
            "summary": "The resource's audit log",
            "operationId": "auditLog",
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {"events": {"type": "array", "items": _moments("at")}},
                    }
                ),
                **_errors(401, 403, 404),
            },
        },
    },
    "/api/v1/resources/{uuid}/assignments": {
        "parameters": [UUID],
        "get": {
            "summary": "The resource's review assignments (the chair)",
            "operationId": "listAssignments",
            "responses": {"200": _json(_ref("Assignments")), **_errors(401, 403, 404)},
        },
        "post": {
            "summary": "Assign reviewers (the chair); authors and co-authors cannot review",
            "operationId": "assignReviewers",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["reviewer_ids"],
                            "properties": {
                                "reviewer_ids": {"type": "array", "items": {"type": "integer"}},
                                "due_at": MOMENT_IN,
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": _json(_ref("Assignments"), "assigned"),
                **_errors(401, 403, 404, 409, 422),
            },
        },
    },
    "/api/v1/resources/{uuid}/reviews": {
        "parameters": [UUID],
        "get": {
            "summary": "The reviews the caller may read (authors: anonymous comments)",
            "operationId": "listReviews",
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "reviews": {
                                "type": "array",
                                "items": _moments("submitted_at", null=True),
                            }
                        },
                    }
                ),
                **_errors(401, 403, 404),
            },
        },
    },
    "/api/v1/assignments/{assignment_id}": {
        "parameters": [ASSIGNMENT],
        "delete": {
            "summary": "Remove a reviewer's assignment (the chair)",
            "operationId": "removeAssignment",
            "responses": {"200": _json(_ref("Assignment")), **_errors(401, 403, 404, 409)},
        },
    },
    "/api/v1/assignments/{assignment_id}/accept": {
        "parameters": [ASSIGNMENT],
        "post": {
            "summary": "Accept an invitation, declaring no conflict of interest (the reviewer)",
            "operationId": "acceptAssignment",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {"no_conflict": {"type": "boolean"}},
                        }
                    }
                },
            },
            "responses": {"200": _json(_ref("Assignment")), **_errors(401, 403, 404, 409, 422)},
        },
    },
    "/api/v1/assignments/{assignment_id}/decline": {
        "parameters": [ASSIGNMENT],
        "post": {
            "summary": "Decline an invitation, with a reason (the reviewer)",
            "operationId": "declineAssignment",
            "requestBody": {
                "content": {
                    "application/json": {"schema": {"type": "object", "properties": REASON}}
                }
            },
            "responses": {"200": _json(_ref("Assignment")), **_errors(401, 403, 404, 409, 422)},
        },
    },
    "/api/v1/assignments/{assignment_id}/review": {
        "parameters": [ASSIGNMENT],
        "get": {
            "summary": "The reviewer's work: the assignment, the draft review, what changed",
            "operationId": "getReview",
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "assignment": _ref("Assignment"),
                            "review": {"oneOf": [_ref("Review"), {"type": "null"}]},
                            "changes": {"type": ["object", "null"]},
                        },
                    }
                ),
                **_errors(401, 403, 404),
            },
        },
        "put": {
            "summary": "Save the review as a draft (the reviewer)",
            "operationId": "saveReview",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("ReviewAnswers")}},
            },
            "responses": {"200": _json(_ref("Review")), **_errors(401, 403, 404, 409, 422)},
        },
    },
    "/api/v1/assignments/{assignment_id}/review/submit": {
        "parameters": [ASSIGNMENT],
        "post": {
            "summary": "Submit the complete review (the reviewer)",
            "operationId": "submitReview",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("ReviewAnswers")}},
            },
            "responses": {"200": _json(_ref("Review")), **_errors(401, 403, 404, 409, 422)},
        },
    },
    "/api/v1/me/assignments": {
        "get": {
            "summary": "The caller's review assignments",
            "operationId": "myAssignments",
            "responses": {"200": _json(_ref("Assignments")), **_errors(401)},
        }
    },
    "/api/v1/review/overdue": {
        "get": {
            "summary": "Overdue reviews and revisions (the chair)",
            "operationId": "overdue",
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "assignments": {"type": "array", "items": _ref("Assignment")},
                            "revisions": {
                                "type": "array",
                                "items": _moments("revision_due_at", null=True),
                            },
                        },
                    }
                ),
                **_errors(401, 403),
            },
        }
    },
    "/api/v1/review/reminders": {
        "post": {
            "summary": "Send reminders for what is overdue (the chair)",
            "operationId": "sendReminders",
            "responses": {
                "200": _json({"type": "object", "properties": {"sent": {"type": "integer"}}}),
                **_errors(401, 403),
            },
        }
    },
}

DOCUMENT: Json = {
    "openapi": "3.1.0",
    "info": {
        "title": "Sandyq: the national catalogue of digital educational resources",
        "version": "1",
        "description": "Teachers submit SCORM packages, the expert council reviews them, "
        "published resources are searched, downloaded and harvested. Errors are "
        '{"error": {"code", "message", "details"}} with a stable code.',
    },
    "security": [{"bearer": []}, {"cookie": []}],
    "paths": {**_RESOURCE_PATHS, **_STATS_PATHS, **_REVIEW_PATHS},
    "components": {
        "securitySchemes": {
            "bearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "an api token acts as its user; a sync token only reads "
                "the published feed and downloads packages; a results token does what a "
                "sync token does and reports usage (PUT /api/v1/usage)",
            },
            "cookie": {"type": "apiKey", "in": "cookie", "name": "session"},
        },
        "schemas": SCHEMAS,
        "responses": RESPONSES,
    },
}


@bp.get("/openapi.json")
def openapi() -> Json:
    return DOCUMENT
