"""search folding: the keys of the words (a Russian or Latin keyboard finds Kazakh
words), the subject's and grades' names, the text of the packages' pages

``search_documents`` gains ``names_text``, ``body_text``, ``folded_title``,
``folded_text`` and ``text_digest`` (of them all, so the indexer compares no texts);
``search_package_texts`` keeps each stored package's pages' text by its digest. The
full-text structures of migration 0002 are made again over the new columns: SQLite's FTS5
table ``search_fts`` (with its triggers, and ``search_fts_vocab`` for "did you mean"),
PostgreSQL's generated ``document`` and the new ``folded``.

Existing documents are filled here, with the same functions the indexer uses (they are
pure, and read only the columns this revision knows): names from the subject and the
grades mask, the pages' text from the stored package when the storage is at hand, and the
keys. When there were documents, the generation moves on, so nothing kept from before is
served.

Revision ID: b5e1d7c3a820
Revises: f3b8d6a2c915
Create Date: 2026-12-07 21:00:00

"""

import sqlalchemy as sa
from alembic import op

from catalogue.search.bodies import stored_text
from catalogue.search.documents import text_digest
from catalogue.search.labels import names_text
from catalogue.search.text import fold_text, normalize

# revision identifiers, used by Alembic.
revision = "b5e1d7c3a820"
down_revision = "f3b8d6a2c915"
branch_labels = None
depends_on = None

NEW_COLUMNS = ("names_text", "body_text", "folded_title", "folded_text", "text_digest")
OLD_FTS = ("title_text", "keywords_text", "description_text")
NEW_FTS = ("title_text", "keywords_text", "names_text", "description_text", "body_text",
           "folded_title", "folded_text")  # fmt: skip
GRADE_BITS = 31


def _triggers(columns):
    names = ", ".join(columns)
    new = ", ".join(f"new.{name}" for name in columns)
    old = ", ".join(f"old.{name}" for name in columns)
    return {
        "search_documents_fts_insert": f"""
            CREATE TRIGGER search_documents_fts_insert AFTER INSERT ON search_documents BEGIN
              INSERT INTO search_fts (rowid, {names}) VALUES (new.resource_id, {new});
            END""",
        "search_documents_fts_delete": f"""
            CREATE TRIGGER search_documents_fts_delete AFTER DELETE ON search_documents BEGIN
              INSERT INTO search_fts (search_fts, rowid, {names})
              VALUES ('delete', old.resource_id, {old});
            END""",
        "search_documents_fts_update": f"""
            CREATE TRIGGER search_documents_fts_update
            AFTER UPDATE OF {names} ON search_documents BEGIN
              INSERT INTO search_fts (search_fts, rowid, {names})
              VALUES ('delete', old.resource_id, {old});
              INSERT INTO search_fts (rowid, {names}) VALUES (new.resource_id, {new});
            END""",
    }


def _drop_sqlite_fts(columns):
    for name in _triggers(columns):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS search_fts_vocab")
    op.execute("DROP TABLE IF EXISTS search_fts")


def _create_sqlite_fts(columns):
    op.execute(
        f"""
        CREATE VIRTUAL TABLE search_fts USING fts5(
            {", ".join(columns)},
            content='search_documents', content_rowid='resource_id',
            tokenize='unicode61 remove_diacritics 0', prefix='2 3'
        )
        """
    )
    for statement in _triggers(columns).values():
        op.execute(statement)
    op.execute("INSERT INTO search_fts (search_fts) VALUES ('rebuild')")


def _grades(mask):
    return [grade for grade in range(GRADE_BITS) if mask & (1 << grade)]


def _fill():
    """The new columns of every existing document (and the pages' texts read)."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT d.resource_id, d.title_text, d.keywords_text, d.description_text,"
            " d.subject, d.grades_mask, v.package_sha256 FROM search_documents d"
            " JOIN resource_versions v ON v.id = d.version_id ORDER BY d.resource_id"
        )
    ).all()
    texts = {}
    for row in rows:
        if row.package_sha256 not in texts:
            texts[row.package_sha256] = stored_text(row.package_sha256)
    for sha, body in texts.items():
        if body is not None:
            connection.execute(
                sa.text("INSERT INTO search_package_texts VALUES (:sha, :body)"),
                {"sha": sha, "body": body},
            )
    for row in rows:
        names = names_text(row.subject, _grades(row.grades_mask))
        body = normalize(texts.get(row.package_sha256) or "")
        title = fold_text(row.title_text)
        rest = fold_text(" ".join((row.keywords_text, names, row.description_text, body)))
        as_written = (row.title_text, row.keywords_text, names, row.description_text, body)
        connection.execute(
            sa.text(
                "UPDATE search_documents SET names_text = :names, body_text = :body,"
                " folded_title = :title, folded_text = :rest, text_digest = :digest"
                " WHERE resource_id = :id"
            ),
            {
                "id": row.resource_id,
                "names": names,
                "body": body,
                "title": title,
                "rest": rest,
                "digest": text_digest((*as_written, title, rest)),
            },
        )
    if rows:
        _next_generation()


def _next_generation():
    """What any process kept of the index (facet counts, public answers) is stale now."""
    op.execute("UPDATE search_generation SET generation = generation + 1")


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _drop_sqlite_fts(OLD_FTS)
    elif dialect == "postgresql":
        op.execute("ALTER TABLE search_documents DROP COLUMN document")  # and its index
    for name in NEW_COLUMNS:
        kind = sa.String(length=64) if name == "text_digest" else sa.Text()
        op.add_column("search_documents", sa.Column(name, kind, nullable=False, server_default=""))
    op.create_table(
        "search_package_texts",
        sa.Column("package_sha256", sa.String(length=64), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("package_sha256", name=op.f("pk_search_package_texts")),
    )
    _fill()
    if dialect == "sqlite":
        _create_sqlite_fts(NEW_FTS)
        op.execute("CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, col)")
    elif dialect == "postgresql":
        op.execute(
            """
            ALTER TABLE search_documents ADD COLUMN document tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('simple'::regconfig, title_text), 'A')
                || setweight(to_tsvector('simple'::regconfig, keywords_text), 'B')
                || setweight(to_tsvector('simple'::regconfig, names_text), 'B')
                || setweight(to_tsvector('simple'::regconfig, description_text), 'C')
                || setweight(to_tsvector('simple'::regconfig, body_text), 'D')
            ) STORED
            """
        )
        op.execute(
            """
            ALTER TABLE search_documents ADD COLUMN folded tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('simple'::regconfig, folded_title), 'A')
                || setweight(to_tsvector('simple'::regconfig, folded_text), 'D')
            ) STORED
            """
        )
        op.execute(
            "CREATE INDEX ix_search_documents_document ON search_documents USING gin (document)"
        )
        op.execute("CREATE INDEX ix_search_documents_folded ON search_documents USING gin (folded)")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _drop_sqlite_fts(NEW_FTS)
    elif dialect == "postgresql":
        op.execute("ALTER TABLE search_documents DROP COLUMN folded")
        op.execute("ALTER TABLE search_documents DROP COLUMN document")
    op.drop_table("search_package_texts")
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        for name in NEW_COLUMNS:
            batch_op.drop_column(name)
    if dialect == "sqlite":
        _create_sqlite_fts(OLD_FTS)
    elif dialect == "postgresql":
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
    if op.get_bind().execute(sa.text("SELECT count(*) FROM search_documents")).scalar():
        _next_generation()
