"""The interface languages: Kazakh by default, Russian and English one click away.

The locale is the visitor's own choice (a cookie, kept across sign-out) or else the best
match of ``Accept-Language`` by ``babel.negotiate_locale`` (which picks ``kk`` for
``kk-KZ``), or else Kazakh. Catalogs live in ``catalogue/translations``; the ``.po`` files
are the source, and ``init_app`` compiles a ``.mo`` beside each one that is missing or
older, so a fresh clone needs no build step.
"""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import date, datetime
from pathlib import Path

from babel import negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request
from flask_babel import Babel, format_date, format_datetime, format_decimal, get_locale

from scorm_builder.vocabulary import DEFAULT_LANGUAGE, ENDONYMS, LANGUAGES

#: The interface speaks the vocabulary's languages, Kazakh first.
LOCALES: tuple[str, ...] = LANGUAGES
DEFAULT_LOCALE: str = DEFAULT_LANGUAGE
LOCALE_COOKIE = "sandyq_locale"
#: What each language calls itself, for the switcher.
LANGUAGE_NAMES = ENDONYMS
TRANSLATIONS = Path(__file__).parent / "translations"

log = logging.getLogger(__name__)


def select_locale() -> str:
    chosen = request.cookies.get(LOCALE_COOKIE, "")
    if chosen in LOCALES:
        return chosen
    preferred = [value for value, _quality in request.accept_languages]
    return negotiate_locale(preferred, list(LOCALES), sep="-") or DEFAULT_LOCALE


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Almaty")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    compile_catalogs(TRANSLATIONS)
    Babel(app, locale_selector=select_locale)
    app.jinja_env.filters["dateformat"] = date_text
    app.jinja_env.filters["datetimeformat"] = datetime_text
    app.jinja_env.globals["number"] = format_decimal  # in the visitor's locale: 1 234


#: "medium" as people here write it: CLDR's Kazakh medium date ("2026 ж. 06 жел.") pads
#: the day and clips the month; and nobody needs the seconds of a review's due time.
MEDIUM_DATE = {"kk": "y 'ж'. d MMMM"}
MEDIUM_DATETIME = {
    "kk": "y 'ж'. d MMMM, HH:mm",
    "ru": "d MMM y 'г'., HH:mm",
    "en": "MMM d, y, h:mm a",
}


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LOCALE


def date_text(value: date | None, style: str = "medium") -> str:
    if value is None:
        return ""
    if style == "medium":
        style = MEDIUM_DATE.get(_language(), style)
    return str(format_date(value, style))


def datetime_text(value: datetime | None, style: str = "medium") -> str:
    if value is None:
        return ""
    if style == "medium":
        style = MEDIUM_DATETIME.get(_language(), style)
    return str(format_datetime(value, style))


def compile_catalogs(root: Path) -> None:
    """Write ``messages.mo`` for every ``messages.po`` that is newer than it."""
    for po_path in sorted(root.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            with po_path.open("rb") as source:
                catalog = read_po(source, locale=po_path.parent.parent.name)
            handle, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
            with os.fdopen(handle, "wb") as target:
                write_mo(target, catalog)
            os.replace(temporary, mo_path)
        except OSError as error:  # a read-only install keeps whatever .mo it shipped with
            log.warning("cannot compile %s: %s", po_path, error)
