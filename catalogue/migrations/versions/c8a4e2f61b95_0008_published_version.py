"""published version: the number of the version the public sees, kept while the next one
is under review

A published resource may get a new version from its authors; it goes to the council as a
revision while schools and the search go on with the published one. Until now the public
read the latest version of a resource in the published state; ``published_number`` names
the version instead, and the resource is public while it has one and was not taken down
(``catalogue.models.Resource.is_public``). Published and unpublished resources are filled
with their last frozen version: the one that was published.

The OAI datestamp (``catalogue.oai.repository.DATESTAMP``, word for word the index's
expression) dates a public resource under revision from its publication, not from the
review's steps, which change nothing a harvester sees.

Revision ID: c8a4e2f61b95
Revises: b5e1d7c3a820
Create Date: 2026-12-08 00:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c8a4e2f61b95"
down_revision = "b5e1d7c3a820"
branch_labels = None
depends_on = None


OLD_DATESTAMP = (
    "CASE WHEN state = 'published' THEN coalesce(state_entered_at, published_at)"
    " ELSE coalesce(state_entered_at, updated_at) END"
)
DATESTAMP = (
    "CASE WHEN state = 'published' THEN coalesce(state_entered_at, published_at)"
    " WHEN state = 'unpublished' THEN coalesce(state_entered_at, updated_at)"
    " ELSE published_at END"
)


def _datestamp_index(expression: str) -> None:
    op.create_index("ix_resources_oai_datestamp", "resources", [sa.text(f"({expression})"), "id"])


def upgrade():
    op.drop_index("ix_resources_oai_datestamp", table_name="resources")
    op.add_column("resources", sa.Column("published_number", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE resources SET published_number = ("
        " SELECT max(resource_versions.number) FROM resource_versions"
        " WHERE resource_versions.resource_id = resources.id"
        " AND resource_versions.frozen_at IS NOT NULL)"
        " WHERE state IN ('published', 'unpublished')"
    )
    _datestamp_index(DATESTAMP)


def downgrade():
    op.drop_index("ix_resources_oai_datestamp", table_name="resources")
    # ALTER TABLE ... DROP COLUMN, on SQLite too (3.35 and later): a batch copy of the table
    # would drop the old one, and with it, through ON DELETE CASCADE, the search documents
    op.drop_column("resources", "published_number")
    _datestamp_index(OLD_DATESTAMP)
