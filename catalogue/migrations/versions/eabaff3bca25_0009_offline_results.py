"""offline results: where each usage report comes from, and the offline libraries' results
files the catalogue has counted

``usage_reports.source`` says who counted a row: "moodle" (every row there is until now,
the server default) or "offline", an offline library's results file counted in the same
shape (``site_url`` "offline:<library id>", ``course_id`` 0). ``offline_results_files``
keeps one row per file taken, its checksum unique, so the same file is never counted
twice; it holds no pupil, only when the file was exported and taken, by whom, and how
many entries it had.

A downgrade removes the offline rows with the table that explains them: the older code
would count each library as a Moodle site. The files can be taken again after an upgrade.

Revision ID: eabaff3bca25
Revises: c8a4e2f61b95
Create Date: 2026-12-08 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "eabaff3bca25"
down_revision = "c8a4e2f61b95"
branch_labels = None
depends_on = None


def upgrade():
    # ALTER TABLE ... ADD COLUMN with a default, on SQLite too: no batch copy of the table
    op.add_column(
        "usage_reports",
        sa.Column("source", sa.String(length=16), server_default="moodle", nullable=False),
    )
    op.create_table(
        "offline_results_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checksum", sa.String(length=71), nullable=False),
        sa.Column("library", sa.String(length=36), nullable=False),
        sa.Column("school", sa.String(length=500), nullable=False),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_by_id", sa.Integer(), nullable=True),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["taken_by_id"],
            ["users.id"],
            name=op.f("fk_offline_results_files_taken_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_results_files")),
        sa.UniqueConstraint("checksum", name=op.f("uq_offline_results_files_checksum")),
    )
    with op.batch_alter_table("offline_results_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_offline_results_files_library"), ["library"], unique=False
        )


def downgrade():
    with op.batch_alter_table("offline_results_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offline_results_files_library"))
    op.drop_table("offline_results_files")
    op.execute(sa.text("DELETE FROM usage_reports WHERE source = 'offline'"))
    # ALTER TABLE ... DROP COLUMN, on SQLite too (3.35 and later), as 0008 does
    op.drop_column("usage_reports", "source")
