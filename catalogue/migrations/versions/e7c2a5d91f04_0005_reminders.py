"""reminders: when each overdue review and revision was last reminded of

A reminder goes out at most once per REVIEW_REMINDER_INTERVAL_HOURS for one assignment or
one awaited revision; these columns remember when the last one went. Both are nullable
(never reminded), so existing rows need no backfill; the audit log keeps every reminder.

Revision ID: e7c2a5d91f04
Revises: d1bb5497a398
Create Date: 2026-12-13 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e7c2a5d91f04"
down_revision = "d1bb5497a398"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("review_assignments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("last_reminded_at", sa.DateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("revision_reminded_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_column("revision_reminded_at")
    with op.batch_alter_table("review_assignments", schema=None) as batch_op:
        batch_op.drop_column("last_reminded_at")
