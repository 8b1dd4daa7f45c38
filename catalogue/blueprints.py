"""Every blueprint of the app, one line each: ``create_app`` registers them in this order."""

from __future__ import annotations

BLUEPRINTS: tuple[str, ...] = ("catalogue.health:bp",)
