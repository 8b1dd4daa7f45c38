"""What each error code says to a person, in the interface languages: the one table the pages
and the JSON answers share.

A service raises ``CatalogueError(message, code=...)`` with an English message for the log
and the CLI; whoever answers a person (a page, or the API's ``message``) looks the code up
here and says it in the visitor's language (``flask_babel.get_locale()``, chosen by
``catalogue.i18n.select_locale``). Every code the catalogue can answer has an entry:
tests/catalogue/test_error_language.py collects them from the code and fails on a new one
without a text.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from flask_babel import lazy_gettext
from flask_babel.speaklater import LazyString

#: Said for a code with no entry (a bug the test catches) and for the server's own failure.
UNEXPECTED = lazy_gettext(
    "Something went wrong in the catalogue. Try again; if it happens again, tell the administrator."
)
_NOT_UNDERSTOOD = lazy_gettext(
    "The catalogue could not understand the request. Check what you sent and try again."
)
_SIGN_IN = lazy_gettext("Sign in first, or send a valid access token.")
_NOT_ALLOWED = lazy_gettext("You may not do this.")
_NOT_A_REVIEWER = lazy_gettext("The chosen person is not a council member.")
_JSON_OBJECT = lazy_gettext("Send the data as a JSON object (Content-Type: application/json).")
_INVALID = lazy_gettext("Some of what you sent is not acceptable. Correct it and try again.")
_TRY_LATER = lazy_gettext("The catalogue cannot do this right now. Try again in a few minutes.")
_NO_CONFLICT = lazy_gettext("Confirm that you have no conflict of interest.")
_CHOOSE_DECISION = lazy_gettext("Choose a decision.")

ERROR_TEXTS: Mapping[str, LazyString] = MappingProxyType(
    {
        # ---- the error classes' own codes (catalogue.errors) ----
        "bad_request": _NOT_UNDERSTOOD,
        "unauthenticated": _SIGN_IN,
        "forbidden": _NOT_ALLOWED,
        "not_found": lazy_gettext("There is nothing at this address. Check the link."),
        "conflict": lazy_gettext("Someone else changed this at the same time; reload the page."),
        "too_large": lazy_gettext("The file is too large."),
        "too_many_requests": lazy_gettext(
            "You have sent many packages in a short time. Wait a while, then send this one again."
        ),
        "invalid": _INVALID,
        "invalid_query": lazy_gettext(
            "A search setting is not acceptable. Change it and search again."
        ),
        # ---- signing in and tokens ----
        "bad_authorization": lazy_gettext(
            "Send the access token in the header Authorization: Bearer <token>."
        ),
        "invalid_token": lazy_gettext(
            "The access token is unknown or revoked. Ask an administrator for a new one."
        ),
        "read_only_token": lazy_gettext(
            "This token may only read. Changes need a signed-in user or an API token."
        ),
        "api_token_required": lazy_gettext(
            "This needs an API token. Ask an administrator to create one."
        ),
        "sync_token_required": lazy_gettext(
            "This needs a sync token. Ask an administrator to create one."
        ),
        "results_token_required": lazy_gettext(
            "This needs a sync token with results. Ask an administrator to create one."
        ),
        "role_required": lazy_gettext("You do not have the role this needs."),
        "not_allowed": _NOT_ALLOWED,
        # ---- people and tokens (the administrator's work) ----
        "email_invalid": lazy_gettext("Enter an e-mail address, like name@school.kz."),
        "email_taken": lazy_gettext("A user with this e-mail address already exists."),
        "email_missing": lazy_gettext("Give the co-author's e-mail address."),
        "password_too_short": lazy_gettext("The password is too short. Choose a longer one."),
        "unknown_role": lazy_gettext("Choose roles from the list."),
        "unknown_locale": lazy_gettext("Choose a language from the list."),
        "name_too_long": lazy_gettext("The name is too long."),
        "cannot_demote_self": lazy_gettext(
            "You cannot remove your own administrator role. Ask another administrator to do it."
        ),
        "cannot_deactivate_self": lazy_gettext(
            "You cannot deactivate your own account. Ask another administrator to do it."
        ),
        "unknown_scope": lazy_gettext("Choose what the token may do."),
        "token_name_too_long": lazy_gettext("The token's name is too long."),
        "user_inactive": lazy_gettext(
            "This account is deactivated. Reactivate it before giving it a token."
        ),
        "user_not_found": lazy_gettext("There is no such user."),
        "token_not_found": lazy_gettext("There is no such token."),
        "unknown_user": lazy_gettext("No user has this e-mail address."),
        # ---- resources, versions and packages ----
        "resource_not_found": lazy_gettext("The resource was not found."),
        "version_not_found": lazy_gettext("The resource has no such version."),
        "version_pending": lazy_gettext("A new version is already waiting to be resubmitted."),
        "version_frozen": lazy_gettext("This version was submitted for review and cannot change."),
        "not_owner": lazy_gettext("Only the resource's owner may do this."),
        "not_author": lazy_gettext("Only the resource's authors may do this."),
        "not_a_coauthor": lazy_gettext("This person is not a co-author."),
        "metadata_invalid": lazy_gettext("Some fields are not filled in correctly."),
        "metadata_incomplete": lazy_gettext(
            "Fill in the title, description, subject, grade, language and license first."
        ),
        "copyright_not_attested": lazy_gettext(
            "Confirm that you hold the rights to this material before submitting it."
        ),
        "package_missing": lazy_gettext("Attach the package: a ZIP file."),
        "package_invalid": lazy_gettext("The package did not pass validation; see the findings."),
        "package_file_missing": lazy_gettext(
            "The package file is missing from the catalogue's storage. Tell the administrator."
        ),
        "not_a_zip": lazy_gettext("The file is not a ZIP archive."),
        "bad_file_name": lazy_gettext(
            "A file name is not acceptable: use a plain name without folders, like lesson.docx."
        ),
        "bad_json": _JSON_OBJECT,
        "invalid_json": _JSON_OBJECT,
        "invalid_body": _JSON_OBJECT,
        # ---- package builds and checks running in the background ----
        "job_not_found": lazy_gettext(
            "This request was not found. It may be too old; send the files again."
        ),
        "unknown_job_kind": lazy_gettext("The catalogue cannot do this kind of work."),
        # ---- the review ----
        "unknown_action": lazy_gettext("There is no such step in the review."),
        "wrong_state": lazy_gettext("This cannot be done in the resource's current state."),
        "conflict_of_interest": lazy_gettext(
            "A conflict of interest: an author cannot review or decide on their own resource."
        ),
        "review_submitted": lazy_gettext("This review has already been submitted."),
        "not_your_assignment": lazy_gettext("This review is assigned to someone else."),
        "assignment_not_found": lazy_gettext("There is no such review assignment."),
        "unknown_reviewer": _NOT_A_REVIEWER,
        "not_a_reviewer": _NOT_A_REVIEWER,
        "unknown_decision": _CHOOSE_DECISION,
        "too_few_reviewers": lazy_gettext(
            "At least two council members must review this resource."
        ),
        "reviewer_ids_required": lazy_gettext("Choose at least one council member."),
        "review_incomplete": lazy_gettext("Answer every question of the rubric before submitting."),
        "reason_required": lazy_gettext("Give a reason."),
        "not_accepted": lazy_gettext("Accept the assignment first."),
        "review_not_started": lazy_gettext(
            "The review has not started yet: the chair is still assigning council members."
        ),
        "no_conflict_required": _NO_CONFLICT,
        "new_version_required": lazy_gettext("Upload a new version before resubmitting."),
        "invalid_review": lazy_gettext("The review is not filled in correctly."),
        "due_in_past": lazy_gettext("The due date must be in the future."),
        "already_assigned": lazy_gettext("This council member is already assigned."),
        "approve_with_failed_gate": lazy_gettext(
            "A review that fails a required criterion cannot recommend approval."
        ),
        "gate_failed": lazy_gettext("A reviewer found that a required criterion is not met."),
        "reviews_missing": lazy_gettext("Not every assigned reviewer has submitted a review yet."),
        # a review step's body off its model (catalogue.api.schemas.Body: invalid_<field>)
        "invalid_reason": lazy_gettext("The reason must be text."),
        "invalid_decision": _CHOOSE_DECISION,
        "invalid_response": lazy_gettext("The answer to the council must be text."),
        "invalid_same_reviewers": lazy_gettext(
            "Say whether the same council members review the new version: true or false."
        ),
        "invalid_reviewer_ids": lazy_gettext(
            "Give the council members as a list of their user ids."
        ),
        "invalid_due_at": lazy_gettext("Give the due date as a date, like 2026-12-31."),
        "invalid_no_conflict": _NO_CONFLICT,
        # ---- learners' use, reported by Moodle ----
        "usage_invalid": lazy_gettext(
            "Some entries of the usage report are not acceptable; the details name each one. "
            "Nothing was saved."
        ),
        "usage_conflict": lazy_gettext(
            "Another report for this site and day was saved at the same time. Send it again."
        ),
        # ---- an offline library's results file ----
        "offline_results_invalid": lazy_gettext(
            "The results file is not acceptable; the details name each problem. Nothing was "
            "counted."
        ),
        "offline_results_altered": lazy_gettext(
            "The file was changed after it was exported (its checksum does not match). Export "
            "it again from the library."
        ),
        "offline_results_already_taken": lazy_gettext(
            "This results file has been counted already. Each file is counted once."
        ),
        "offline_results_outdated": lazy_gettext(
            "A later export of this library from the same day has been counted already, and "
            "its numbers stand. Nothing was counted."
        ),
        "offline_results_unknown_resources": lazy_gettext(
            "The file has results of resources this catalogue has never published, so nothing "
            "was counted. Is it from a library of another catalogue?"
        ),
        "invalid_cursor": lazy_gettext(
            "This page link no longer works. Start again from the first page."
        ),
        # ---- what the app's error handlers answer themselves (catalogue/__init__.py) ----
        "csrf_failed": lazy_gettext(
            "The form has expired or was sent from another site. Go back, reload the page and "
            "try again."
        ),
        "unauthorized": _SIGN_IN,
        "method_not_allowed": lazy_gettext("This address does not take this kind of request."),
        "not_acceptable": lazy_gettext("The catalogue cannot answer in the format you asked for."),
        "request_timeout": lazy_gettext("The request took too long to arrive. Send it again."),
        "gone": lazy_gettext("This is no longer available."),
        "length_required": _NOT_UNDERSTOOD,
        "precondition_failed": lazy_gettext(
            "This has changed since you opened it. Reload it and try again."
        ),
        "precondition_required": _NOT_UNDERSTOOD,
        "request_uri_too_long": lazy_gettext("The address is too long. Shorten it and try again."),
        "unsupported_media_type": lazy_gettext("The catalogue does not take data in this format."),
        "requested_range_not_satisfiable": lazy_gettext(
            "The file has no such part. Download the whole file again."
        ),
        "expectation_failed": _NOT_UNDERSTOOD,
        "i'm_a_teapot": _NOT_UNDERSTOOD,
        "misdirected_request": _NOT_UNDERSTOOD,
        "unprocessable_entity": _INVALID,
        "locked": _TRY_LATER,
        "failed_dependency": _TRY_LATER,
        "request_header_fields_too_large": _NOT_UNDERSTOOD,
        "unavailable_for_legal_reasons": lazy_gettext("This is not available for legal reasons."),
        "internal_server_error": UNEXPECTED,
        "not_implemented": lazy_gettext("The catalogue cannot do this."),
        "bad_gateway": _TRY_LATER,
        "service_unavailable": _TRY_LATER,
        "gateway_timeout": _TRY_LATER,
        "http_version_not_supported": _NOT_UNDERSTOOD,
    }
)


def error_text(code: str) -> str:
    """What ``code`` says in the current locale (the request's language)."""
    return str(ERROR_TEXTS.get(code, UNEXPECTED))
