"""The review's messages to people, in their own language (kk, ru, en) with the glossary's
words (``/work/shared/GLOSSARY.md``): pure text, no I/O. ``compose`` fills one template.

A template's body may name ``{reason_line}`` and ``{extra}``: they vanish when empty, so a
message without a reason has no dangling "Reason:" line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from catalogue.models import State
from scorm_builder.vocabulary import DEFAULT_LANGUAGE, LANGUAGES

LOCALES: tuple[str, ...] = LANGUAGES
DEFAULT_LOCALE: str = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str


def locale_of(code: str | None) -> str:
    return code if code in LOCALES else DEFAULT_LOCALE


STATE_NAMES: dict[State, dict[str, str]] = {
    State.DRAFT: {"kk": "жоба", "ru": "черновик", "en": "draft"},
    State.SUBMITTED: {
        "kk": "сараптамаға жіберілді",
        "ru": "отправлено на экспертизу",
        "en": "submitted for review",
    },
    State.UNDER_REVIEW: {"kk": "сараптамада", "ru": "на экспертизе", "en": "under review"},
    State.REVISION_REQUESTED: {
        "kk": "пысықтауға қайтарылды",
        "ru": "возвращено на доработку",
        "en": "revision requested",
    },
    State.APPROVED: {"kk": "мақұлданды", "ru": "одобрено", "en": "approved"},
    State.REJECTED: {"kk": "қабылданбады", "ru": "отклонено", "en": "rejected"},
    State.PUBLISHED: {"kk": "жарияланды", "ru": "опубликовано", "en": "published"},
    State.UNPUBLISHED: {
        "kk": "жариялаудан алынды",
        "ru": "снято с публикации",
        "en": "unpublished",
    },
    State.WITHDRAWN: {"kk": "автор кері алды", "ru": "отозвано автором", "en": "withdrawn"},
}

_GREETING = {"kk": "Сәлеметсіз бе, {name}!", "ru": "Здравствуйте, {name}!", "en": "Hello {name},"}
_REASON = {"kk": "Себебі: {reason}", "ru": "Причина: {reason}", "en": "Reason: {reason}"}
_LINK = {"kk": "Сілтеме: {link}", "ru": "Ссылка: {link}", "en": "Link: {link}"}
_SIGNATURE = {
    "kk": "Sandyq — сандық білім беру ресурстарының каталогы",
    "ru": "Sandyq — каталог цифровых образовательных ресурсов",
    "en": "Sandyq — the catalogue of digital educational resources",
}

#: kind -> locale -> (subject, body)
TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "assigned": {
        "kk": (
            "Сарапшы ретінде тағайындалдыңыз: «{title}»",
            "Эксперттік кеңес төрағасы сізді «{title}» сандық білім беру ресурсының "
            "({version}-нұсқа) сарапшысы етіп тағайындады.\n{extra}\nМерзімі: {due}.\n"
            "Мүдделер қақтығысы жоқ екенін растап, тағайындауды қабылдаңыз немесе бас тартыңыз.",
        ),
        "ru": (
            "Вы назначены экспертом: «{title}»",
            "Председатель экспертного совета назначил вас экспертом цифрового "
            "образовательного ресурса «{title}» (версия {version}).\n{extra}\nСрок: {due}.\n"
            "Подтвердите отсутствие конфликта интересов и примите назначение или откажитесь.",
        ),
        "en": (
            "You are assigned as a reviewer: “{title}”",
            "The council chair assigned you to review the digital educational resource "
            "“{title}” (version {version}).\n{extra}\nDue: {due}.\n"
            "Declare that you have no conflict of interest and accept, or decline.",
        ),
    },
    "revised": {
        "kk": (
            "",
            "Автор ресурсты пысықтап, жаңа нұсқасын жіберді: алдыңғы сарапшы пікірлері мен "
            "өзгерістерді көресіз.",
        ),
        "ru": (
            "",
            "Автор доработал ресурс и отправил новую версию: вы увидите прежние рецензии "
            "и изменения.",
        ),
        "en": (
            "",
            "The author revised the resource and submitted a new version: you will see the "
            "earlier reviews and what changed.",
        ),
    },
    "state_changed": {
        "kk": (
            "«{title}»: {state}",
            "«{title}» сандық білім беру ресурсының ({version}-нұсқа) жаңа күйі: {state}.\n"
            "{reason_line}\n{extra}",
        ),
        "ru": (
            "«{title}»: {state}",
            "Новый статус цифрового образовательного ресурса «{title}» (версия {version}): "
            "{state}.\n{reason_line}\n{extra}",
        ),
        "en": (
            "“{title}”: {state}",
            "The digital educational resource “{title}” (version {version}) is now: {state}.\n"
            "{reason_line}\n{extra}",
        ),
    },
    "revision_due": {
        "kk": ("", "Пысықтау мерзімі: {due}. Жаңа нұсқаны жүктеп, сараптамаға қайта жіберіңіз."),
        "ru": (
            "",
            "Срок доработки: {due}. Загрузите новую версию и отправьте её на экспертизу повторно.",
        ),
        "en": ("", "Revise by {due}: upload a new version and submit it for review again."),
    },
    "all_reviews_in": {
        "kk": (
            "«{title}»: барлық сарапшы пікірлері түсті",
            "«{title}» ресурсының {version}-нұсқасы бойынша барлық сарапшы пікірлері түсті "
            "({count}). Кеңес төрағасының шешімі күтілуде.",
        ),
        "ru": (
            "«{title}»: все рецензии получены",
            "По ресурсу «{title}» (версия {version}) получены все заключения экспертов "
            "({count}). Ожидается решение председателя совета.",
        ),
        "en": (
            "“{title}”: every review is in",
            "Every review of “{title}” (version {version}) is in ({count}). "
            "The council chair's decision is awaited.",
        ),
    },
    "declined": {
        "kk": (
            "«{title}»: сарапшы тағайындаудан бас тартты",
            "{reviewer} «{title}» ресурсын ({version}-нұсқа) сараптаудан бас тартты.\n"
            "{reason_line}\nБасқа сарапшы тағайындаңыз.",
        ),
        "ru": (
            "«{title}»: эксперт отказался от назначения",
            "{reviewer}: отказ от экспертизы ресурса «{title}» (версия {version}).\n"
            "{reason_line}\nНазначьте другого эксперта.",
        ),
        "en": (
            "“{title}”: a reviewer declined",
            "{reviewer} declined to review “{title}” (version {version}).\n"
            "{reason_line}\nAssign another reviewer.",
        ),
    },
    "conflict_removed": {
        "kk": (
            "«{title}»: мүдделер қақтығысы",
            "{reviewer} енді «{title}» ресурсының авторы, сондықтан сарапшы ретіндегі "
            "тағайындауы алынып тасталды. Қажет болса, басқа сарапшы тағайындаңыз.",
        ),
        "ru": (
            "«{title}»: конфликт интересов",
            "{reviewer} теперь автор ресурса «{title}», поэтому назначение экспертом снято. "
            "При необходимости назначьте другого эксперта.",
        ),
        "en": (
            "“{title}”: conflict of interest",
            "{reviewer} is now an author of “{title}”, so their review assignment was "
            "removed. Assign another reviewer if needed.",
        ),
    },
    "review_overdue": {
        "kk": (
            "Еске салу: «{title}» бойынша сарапшы пікірінің мерзімі өтті",
            "«{title}» ресурсына ({version}-нұсқа) сарапшы пікірін беру мерзімі өтті: {due}.\n"
            "Сарапшы пікірін жіберіңіз немесе тағайындаудан бас тартыңыз.",
        ),
        "ru": (
            "Напоминание: истёк срок рецензии на «{title}»",
            "Срок заключения эксперта по ресурсу «{title}» (версия {version}) истёк: {due}.\n"
            "Отправьте рецензию или откажитесь от назначения.",
        ),
        "en": (
            "Reminder: your review of “{title}” is overdue",
            "Your review of “{title}” (version {version}) was due on {due}.\n"
            "Submit your review or decline the assignment.",
        ),
    },
    "revision_overdue": {
        "kk": (
            "Еске салу: «{title}» ресурсын пысықтау мерзімі өтті",
            "«{title}» ресурсын пысықтау мерзімі өтті: {due}.\n"
            "Жаңа нұсқаны жүктеп, сараптамаға қайта жіберіңіз.",
        ),
        "ru": (
            "Напоминание: истёк срок доработки «{title}»",
            "Срок доработки ресурса «{title}» истёк: {due}.\n"
            "Загрузите новую версию и отправьте её на экспертизу повторно.",
        ),
        "en": (
            "Reminder: the revision of “{title}” is overdue",
            "The revision of “{title}” was due on {due}.\n"
            "Upload a new version and submit it for review again.",
        ),
    },
}


def phrase(kind: str, locale: str, **fields: object) -> str:
    """A body-only template (``revised``, ``revision_due``) filled in, for ``extra``."""
    return TEMPLATES[kind][locale_of(locale)][1].format(**fields)


def compose(kind: str, locale: str, *, name: str, link: str, **fields: object) -> Letter:
    """The letter ``kind`` in ``locale``: greeting, body, link and signature."""
    locale = locale_of(locale)
    subject, body = TEMPLATES[kind][locale]
    reason = str(fields.pop("reason", "") or "").strip()
    values: Mapping[str, object] = {
        "extra": "",
        **fields,
        "reason_line": _REASON[locale].format(reason=reason) if reason else "",
    }
    lines = [line for line in body.format(**values).splitlines() if line.strip()]
    parts = [
        _GREETING[locale].format(name=name),
        "\n".join(lines),
        _LINK[locale].format(link=link),
        "-- \n" + _SIGNATURE[locale],
    ]
    return Letter(subject.format(**values), "\n\n".join(parts) + "\n")
