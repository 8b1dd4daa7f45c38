"""usage reports: what Moodle sites report of learners' use, and the results token scope

One row per (site, course on that site, resource, UTC day): counts and aggregates only,
never a learner's name or id.

The token scope needs no DDL: enums are stored as their values in a VARCHAR(32) without a
CHECK constraint (``native_enum=False``, see ``_enum`` in catalogue/models.py and 0001), so
"results" fits the existing ``api_tokens.scope`` column on SQLite and PostgreSQL alike. A
downgrade turns results tokens into revoked sync tokens, since the older code cannot read
the scope; an administrator then makes new sync tokens.

The unique constraint's index (site_url first) serves replacing a site's day; summaries
read by resource.

Revision ID: d1bb5497a398
Revises: a13691cccb74
Create Date: 2026-12-06 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d1bb5497a398"
down_revision = "a13691cccb74"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "usage_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_url", sa.String(length=500), nullable=False),
        sa.Column("site_name", sa.String(length=500), nullable=False),
        sa.Column("course_id", sa.BigInteger(), nullable=False),
        sa.Column("course_name", sa.String(length=500), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=True),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("learners", sa.Integer(), nullable=False),
        sa.Column("completed", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("score_mean", sa.Float(), nullable=True),
        sa.Column("score_median", sa.Float(), nullable=True),
        sa.Column("time_seconds", sa.BigInteger(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_usage_reports_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage_reports")),
        sa.UniqueConstraint(
            "site_url",
            "course_id",
            "resource_id",
            "period",
            name=op.f("uq_usage_reports_site_url"),
        ),
    )
    with op.batch_alter_table("usage_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_usage_reports_resource_id"), ["resource_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("usage_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_usage_reports_resource_id"))

    op.drop_table("usage_reports")
    op.execute(
        sa.text(
            "UPDATE api_tokens SET scope = 'sync', "
            "revoked_at = COALESCE(revoked_at, CURRENT_TIMESTAMP) WHERE scope = 'results'"
        )
    )
