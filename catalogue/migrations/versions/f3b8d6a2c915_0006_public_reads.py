"""public reads: when each resource entered its state, the OAI datestamp's index, the
search index's generation

OAI-PMH dates its records from the last audit event into the record's state; reading the
log for every record of every page cost more than the rest of a ListRecords answer. The
column keeps that moment on the resource (``catalogue.models`` moves it with each new
event); existing rows are filled from the log here. An index on the datestamp itself (the
same expression as ``catalogue.oai.repository.DATESTAMP``, which must stay word for word
alike for the planners to use it) serves a page in datestamp order without a sort.

``search_generation`` is one row counting the search index's changes: what is kept of
public answers (``catalogue.public_cache``) and of facet counts is keyed by it.

Revision ID: f3b8d6a2c915
Revises: e7c2a5d91f04
Create Date: 2026-12-07 16:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f3b8d6a2c915"
down_revision = "e7c2a5d91f04"
branch_labels = None
depends_on = None


DATESTAMP = (
    "CASE WHEN state = 'published' THEN coalesce(state_entered_at, published_at)"
    " ELSE coalesce(state_entered_at, updated_at) END"
)


def upgrade():
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("state_entered_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.execute(
        "UPDATE resources SET state_entered_at = ("
        " SELECT max(audit_events.at) FROM audit_events"
        " WHERE audit_events.resource_id = resources.id"
        " AND audit_events.to_state = resources.state)"
    )
    op.create_index("ix_resources_oai_datestamp", "resources", [sa.text(f"({DATESTAMP})"), "id"])
    generation = op.create_table(
        "search_generation",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_generation")),
    )
    op.bulk_insert(generation, [{"id": 1, "generation": 0}])


def downgrade():
    op.drop_table("search_generation")
    op.drop_index("ix_resources_oai_datestamp", table_name="resources")
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_column("state_entered_at")
