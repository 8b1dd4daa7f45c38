"""search: the index of published resources and the published feed's changes

SQLite: an FTS5 table (unicode61, diacritics kept, so Kazakh letters stay distinct and
fold case) over ``search_documents`` as external content, kept in step by triggers.
PostgreSQL: a generated ``tsvector`` ('simple' configuration: there is no Kazakh stemmer)
weighted titles A, keywords B, descriptions C, with a GIN index, and pg_trgm on titles
for typo tolerance.

No backfill: the catalogue had no published resources before this revision; run
``flask search rebuild`` to rebuild the index from the resources at any time.

Revision ID: 9a4f2c1e7b30
Revises: c3cc970f1b26
Create Date: 2026-11-22 12:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9a4f2c1e7b30"
down_revision = "c3cc970f1b26"
branch_labels = None
depends_on = None

FTS_TRIGGERS = {
    "search_documents_fts_insert": """
        CREATE TRIGGER search_documents_fts_insert AFTER INSERT ON search_documents BEGIN
          INSERT INTO search_fts (rowid, title_text, keywords_text, description_text)
          VALUES (new.resource_id, new.title_text, new.keywords_text, new.description_text);
        END""",
    "search_documents_fts_delete": """
        CREATE TRIGGER search_documents_fts_delete AFTER DELETE ON search_documents BEGIN
          INSERT INTO search_fts (search_fts, rowid, title_text, keywords_text, description_text)
          VALUES ('delete', old.resource_id, old.title_text, old.keywords_text,
                  old.description_text);
        END""",
    "search_documents_fts_update": """
        CREATE TRIGGER search_documents_fts_update
        AFTER UPDATE OF title_text, keywords_text, description_text ON search_documents BEGIN
          INSERT INTO search_fts (search_fts, rowid, title_text, keywords_text, description_text)
          VALUES ('delete', old.resource_id, old.title_text, old.keywords_text,
                  old.description_text);
          INSERT INTO search_fts (rowid, title_text, keywords_text, description_text)
          VALUES (new.resource_id, new.title_text, new.keywords_text, new.description_text);
        END""",
}


def upgrade():
    dialect = op.get_bind().dialect.name
    op.create_table(
        "search_documents",
        sa.Column("resource_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("title_text", sa.Text(), nullable=False),
        sa.Column("keywords_text", sa.Text(), nullable=False),
        sa.Column("description_text", sa.Text(), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("resource_type", sa.String(length=32), nullable=False),
        sa.Column("license", sa.String(length=32), nullable=False),
        sa.Column("offline_ready", sa.Boolean(), nullable=False),
        sa.Column("package_size", sa.BigInteger(), nullable=False),
        sa.Column("grades_mask", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("downloads", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_search_documents_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["resource_versions.id"],
            name=op.f("fk_search_documents_version_id_resource_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("resource_id", name=op.f("pk_search_documents")),
    )
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_search_documents_published_at", ["published_at", "resource_id"], unique=False
        )
        batch_op.create_index(
            "ix_search_documents_downloads",
            ["downloads", "published_at", "resource_id"],
            unique=False,
        )
        batch_op.create_index("ix_search_documents_subject", ["subject"], unique=False)

    op.create_table(
        "published_changes",
        sa.Column("resource_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_published_changes_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["resource_versions.id"],
            name=op.f("fk_published_changes_version_id_resource_versions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("resource_id", name=op.f("pk_published_changes")),
    )
    with op.batch_alter_table("published_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_published_changes_changed_at", ["changed_at", "resource_id"], unique=False
        )

    if dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            """
            ALTER TABLE search_documents ADD COLUMN document tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('simple'::regconfig, title_text), 'A')
                || setweight(to_tsvector('simple'::regconfig, keywords_text), 'B')
                || setweight(to_tsvector('simple'::regconfig, description_text), 'C')
            ) STORED
            """
        )
        op.execute(
            "CREATE INDEX ix_search_documents_document ON search_documents USING gin (document)"
        )
        op.execute(
            "CREATE INDEX ix_search_documents_title_trgm ON search_documents "
            "USING gin (title_text gin_trgm_ops)"
        )
    elif dialect == "sqlite":
        op.execute(
            """
            CREATE VIRTUAL TABLE search_fts USING fts5(
                title_text, keywords_text, description_text,
                content='search_documents', content_rowid='resource_id',
                tokenize='unicode61 remove_diacritics 0', prefix='2 3'
            )
            """
        )
        for statement in FTS_TRIGGERS.values():
            op.execute(statement)
    else:
        raise RuntimeError(f"the catalogue runs on SQLite or PostgreSQL, not {dialect}")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name in FTS_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    with op.batch_alter_table("published_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_published_changes_changed_at")
    op.drop_table("published_changes")
    op.drop_table("search_documents")
