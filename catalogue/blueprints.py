"""Every blueprint of the app, one line each: ``create_app`` registers them in this order.

Each line names the module that makes the blueprint and holds its views; the teacher's
views span several modules, so its line names the package that imports them all.
"""

from __future__ import annotations

BLUEPRINTS: tuple[str, ...] = (
    "catalogue.health:bp",
    "catalogue.oai:bp",
    "catalogue.api.resources:bp",
    "catalogue.api.review:bp",
    "catalogue.api.stats:bp",
    "catalogue.api.openapi:bp",
    "catalogue.api.search:bp",
    "catalogue.api.published:bp",
    "catalogue.api.usage:bp",
    "catalogue.web.common.account:bp",
    "catalogue.web.public.views:bp",
    "catalogue.web.teacher:bp",
    "catalogue.web.council.views:bp",
    "catalogue.web.chair.views:bp",
    "catalogue.web.admin.views:bp",
    "catalogue.web.chair.statistics:bp",
    "catalogue.web.common.jobs:bp",
    "catalogue.web.common.preview:bp",
)
