"""The review's pure core stays pure: ``catalogue.workflow`` and ``catalogue.domain`` import
no database, no Flask and no model (read from their source, so nothing needs importing),
and ``catalogue.models`` still offers the domain's names to the rest of the tree."""

from __future__ import annotations

import ast
import enum
from pathlib import Path

import pytest

import catalogue.domain
import catalogue.models

CATALOGUE = Path(catalogue.domain.__file__).resolve().parent
PURE = ("workflow.py", "domain.py")
#: Whole packages (and their submodules) a pure module may not import.
FORBIDDEN = ("sqlalchemy", "flask", "werkzeug", "catalogue.models", "catalogue.db")


def imported_modules(source: str, package: str = "catalogue") -> set[str]:
    """Every module an ``import`` or ``from ... import`` names, relative ones resolved, and
    for ``from a import b`` also ``a.b`` (``from catalogue import models`` imports one)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def forbidden_in(modules: set[str]) -> list[str]:
    return sorted(
        module
        for module in modules
        for banned in FORBIDDEN
        if module == banned
        or module.startswith(f"{banned}.")
        or (banned == "flask" and module.startswith("flask_"))
    )


@pytest.mark.parametrize("name", PURE)
def test_the_pure_core_imports_no_database_flask_or_model(name: str) -> None:
    source = (CATALOGUE / name).read_text(encoding="utf-8")
    assert forbidden_in(imported_modules(source)) == [], f"catalogue/{name} is no longer pure"


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ("import sqlalchemy", ["sqlalchemy"]),
        ("from sqlalchemy.orm import Mapped", ["sqlalchemy.orm", "sqlalchemy.orm.Mapped"]),
        ("import flask_babel", ["flask_babel"]),
        ("from flask import current_app", ["flask", "flask.current_app"]),
        ("from catalogue.models import State", ["catalogue.models", "catalogue.models.State"]),
        ("from catalogue import models", ["catalogue.models"]),
        ("from . import models", ["catalogue.models"]),
        ("from .models import Role", ["catalogue.models", "catalogue.models.Role"]),
        ("from catalogue.domain import State\nfrom enum import StrEnum", []),
    ],
)
def test_the_import_check_sees_every_way_of_importing(source: str, caught: list[str]) -> None:
    assert forbidden_in(imported_modules(source)) == caught


def test_the_models_offer_every_name_of_the_domain() -> None:
    """The rest of the tree imports the enums, the rubric and ``utcnow`` from
    ``catalogue.models``: there they are the very objects of ``catalogue.domain``."""
    moved = [
        name
        for name, value in vars(catalogue.domain).items()
        if (isinstance(value, type) and issubclass(value, enum.Enum))
        or isinstance(value, tuple | frozenset)
    ]
    assert {"State", "Role", "TokenScope", "Recommendation", "GATES", "READ_ONLY_SCOPES"} <= set(
        moved
    )
    for name in [*moved, "utcnow"]:
        assert getattr(catalogue.models, name) is getattr(catalogue.domain, name), name
        assert name in catalogue.models.__all__, name
