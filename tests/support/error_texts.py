"""What an error code says to a caller in a given language (``catalogue.error_texts``)."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale

from catalogue.error_texts import error_text


def said(app: Flask, locale: str, code: str) -> str:
    """The text an answer in ``locale`` gives for ``code``."""
    with app.test_request_context(), force_locale(locale):
        return error_text(code)
