"""The expert council's review, enforced on the server; callers import it all from here.

One module per concern: ``transitions`` (the resource's moves through the review: submit,
return, start, decide, resubmit, publish, unpublish, republish, withdraw), ``assignments``
(inviting reviewers, their answers, conflicts of interest), ``reviews`` (the rubric filled
in, drafts, submission, who sees which review), ``rubric`` (a review's answers checked),
``deadlines`` (overdue reviews and revisions, reminders), ``audit`` (who may read the audit
log, and what they see of it), ``messages`` (letters and phrases in kk/ru/en) and ``base``
(what they all share: loading rows, the state machine's facts, letters sent on commit).
The audit log itself is written by ``catalogue.services.audit`` alone.
"""

from __future__ import annotations

from catalogue.services.review.assignments import (
    accept_assignment,
    assign_reviewers,
    check_conflicts,
    decline_assignment,
    list_assignments,
    my_assignments,
    remove_assignment,
)
from catalogue.services.review.audit import AuditEntry, audit_log
from catalogue.services.review.deadlines import Overdue, overdue, send_reminders
from catalogue.services.review.reviews import (
    ReviewView,
    ReviewWork,
    VersionChanges,
    review_work,
    save_review_draft,
    submit_review,
    version_changes,
    visible_reviews,
)
from catalogue.services.review.transitions import (
    DECISIONS,
    decide_review,
    publish,
    republish,
    resubmit,
    return_to_author,
    start_review,
    submit,
    unpublish,
    withdraw,
)

__all__ = [
    "AuditEntry",
    "DECISIONS",
    "Overdue",
    "ReviewView",
    "ReviewWork",
    "VersionChanges",
    "accept_assignment",
    "assign_reviewers",
    "audit_log",
    "check_conflicts",
    "decide_review",
    "decline_assignment",
    "list_assignments",
    "my_assignments",
    "overdue",
    "publish",
    "remove_assignment",
    "republish",
    "resubmit",
    "return_to_author",
    "review_work",
    "save_review_draft",
    "send_reminders",
    "start_review",
    "submit",
    "submit_review",
    "unpublish",
    "version_changes",
    "visible_reviews",
    "withdraw",
]
