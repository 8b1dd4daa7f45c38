"""Every blueprint of the app, one line each: ``create_app`` registers them in this order."""

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
    "catalogue.web.account:bp",
    "catalogue.web.public:bp",
    "catalogue.web.teacher:bp",
    "catalogue.web.council:bp",
    "catalogue.web.chair:bp",
    "catalogue.web.admin:bp",
    "catalogue.web.statistics:bp",
    "catalogue.web.jobs:bp",
    "catalogue.web.preview:bp",
)
