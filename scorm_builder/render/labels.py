"""The player's few words, in the course's language (glossary terms: сабақ, урок, lesson)."""

from __future__ import annotations

from scorm_builder.model import Language

LABELS: dict[Language, dict[str, str]] = {
    "kk": {
        "previous": "Алдыңғы",
        "next": "Келесі",
        "exit": "Шығу",
        "contents": "Мазмұны",
        "page_of": "{current}-бет, барлығы {total}",
        "completed": "Аяқталды",
        "previous_part": "Алдыңғы бөлім",
        "next_part": "Келесі бөлім",
        "skip_to_content": "Негізгі мазмұнға өту",
        "progress": "Орындалуы",
        "menu": "Мәзір",
        "session_ended": "Сеанс аяқталды. Бұл терезені жабуға болады.",
        "visited": "қаралды",
    },
    "ru": {
        "previous": "Назад",
        "next": "Далее",
        "exit": "Выход",
        "contents": "Содержание",
        "page_of": "Страница {current} из {total}",
        "completed": "Пройдено",
        "previous_part": "Предыдущая часть",
        "next_part": "Следующая часть",
        "skip_to_content": "Перейти к содержанию",
        "progress": "Прогресс",
        "menu": "Меню",
        "session_ended": "Сеанс завершён. Это окно можно закрыть.",
        "visited": "просмотрено",
    },
    "en": {
        "previous": "Previous",
        "next": "Next",
        "exit": "Exit",
        "contents": "Contents",
        "page_of": "Page {current} of {total}",
        "completed": "Completed",
        "previous_part": "Previous part",
        "next_part": "Next part",
        "skip_to_content": "Skip to content",
        "progress": "Progress",
        "menu": "Menu",
        "session_ended": "Session ended. You can close this window.",
        "visited": "visited",
    },
}
