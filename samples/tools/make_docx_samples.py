"""Write the Word samples: a Kazakh physics lesson and a Russian fractions lesson.

    .venv/bin/python samples/tools/make_docx_samples.py

Both files are written with python-docx through `samples.tools.lesson_docx.LessonDocx`, which
adds the parts python-docx has no API for (alt text, footnotes, equations as OMML).
The pictures are drawn here with Pillow. Output is deterministic apart from Word's
zip timestamps.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from samples.tools.lesson_docx import (  # noqa: E402
    M_NS,
    OMML_FRACTION,
    OMML_ROOT,
    LessonDocx,
    photo_bytes,
    png_bytes,
)

NEWTON = REPO / "samples" / "physics-7-course" / "newton-lesson.docx"
FRACTIONS = REPO / "samples" / "singles" / "fractions-ru.docx"

#: 3/4 + 1/4 = 1
OMML_FRACTION_SUM = (
    f'<m:oMath xmlns:m="{M_NS}">'
    "<m:f><m:num><m:r><m:t>3</m:t></m:r></m:num><m:den><m:r><m:t>4</m:t></m:r></m:den></m:f>"
    "<m:r><m:t>+</m:t></m:r>"
    "<m:f><m:num><m:r><m:t>1</m:t></m:r></m:num><m:den><m:r><m:t>4</m:t></m:r></m:den></m:f>"
    "<m:r><m:t>=</m:t></m:r>"
    "<m:f><m:num><m:r><m:t>4</m:t></m:r></m:num><m:den><m:r><m:t>4</m:t></m:r></m:den></m:f>"
    "<m:r><m:t>=1</m:t></m:r></m:oMath>"
)


def newton_lesson() -> bytes:
    lesson = LessonDocx(core_title="Ньютонның екінші заңы")
    lesson.title("Ньютонның екінші заңы")

    lesson.heading("Күш және үдеу")
    lesson.paragraph(
        "Денеге ",
        ("күш", "b"),
        " әсер еткенде оның жылдамдығы өзгереді, яғни дене ",
        ("үдеумен", "i"),
        " қозғалады. Үдеу ",
        ("a", "i"),
        " әріпімен белгіленеді, өлшем бірлігі м/с",
        ("2", "sup"),
        ".",
    )
    lesson.paragraph(
        "Денеге бірнеше күш әсер етсе, олардың ",
        ("тең әсерлі күшін", "u"),
        " табамыз: F",
        ("1", "sub"),
        " және F",
        ("2", "sub"),
        " күштерінің қосындысы.",
    )
    lesson.picture(
        png_bytes(480, 300, "F -> a"),
        alt="Арбашаға оңға қарай F күші әсер етеді, арбаша сол бағытта a үдеумен қозғалады",
    )
    lesson.list_items(
        [
            (0, "Күш — денелердің өзара әсерінің өлшемі."),
            (1, "Күштің бағыты мен шамасы болады."),
            (1, "Өлшем бірлігі — ньютон (Н)."),
            (0, "Үдеу — жылдамдықтың өзгеру шапшаңдығы."),
        ]
    )
    lesson.footnote_paragraph(
        "Заңды алғаш рет Исаак Ньютон тұжырымдады",
        "И. Ньютон, «Натурал философияның математикалық бастамалары», 1687 ж.",
        ".",
    )

    lesson.heading("Екінші заңның формуласы")
    lesson.paragraph("Дененің үдеуі оған әсер ететін күшке тура, массасына кері пропорционал:")
    lesson.equation(OMML_FRACTION)
    lesson.paragraph("Осыдан F = m·a. Еркін түскен дененің жылдамдығы биіктікке байланысты:")
    lesson.equation(OMML_ROOT)
    lesson.table(
        [
            ["Шама", "Белгіленуі", "Өлшем бірлігі"],
            ["Күш", "F", "Н"],
            ["Масса", "m", "кг"],
            ["Үдеу", "a", "м/с²"],
        ],
        caption="1-кесте. Заңға кіретін шамалар",
        header_marked=True,
    )
    lesson.table(
        [
            ["Тәжірибе", "Масса, кг", "Үдеу, м/с²"],
            ["Бір күш (F = 2 Н)", "1", "2"],
            ["", "2", "1"],
        ],
        caption="2-кесте. Тәжірибе нәтижелері",
        merge_down=(0, 1, 2),
    )

    lesson.heading("Бекіту")
    lesson.paragraph("Сұрақтарға жауап беріңіз:")
    lesson.list_items(
        [
            (0, "Ньютонның екінші заңын тұжырымдаңыз."),
            (0, "Масса екі есе артса, үдеу қалай өзгереді?"),
            (0, "Күштің өлшем бірлігін атаңыз."),
        ],
        ordered=True,
    )
    lesson.picture(
        photo_bytes(2400, 1800),
        alt="Сыныптағы тәжірибе: жүк ілінген арбаша тақтайдың бойымен қозғалады",
        width=4,
    )
    lesson.link_paragraph(
        "Интерактивті модель: ",
        "PhET «Күштер және қозғалыс»",
        "https://phet.colorado.edu/kk/simulations/forces-and-motion-basics",
        ".",
    )
    return lesson.bytes()


def fractions_lesson() -> bytes:
    lesson = LessonDocx(core_title="Обыкновенные дроби")
    lesson.title("Обыкновенные дроби")
    lesson.heading("Что такое дробь")
    lesson.paragraph(
        "Дробь показывает, ",
        ("на сколько равных долей", "b"),
        " разделили целое и ",
        ("сколько таких долей", "i"),
        " взяли. Число над чертой — ",
        ("числитель", "u"),
        ", под чертой — знаменатель.",
    )
    lesson.list_items(
        [
            (0, "Правильная дробь: числитель меньше знаменателя."),
            (0, "Неправильная дробь: числитель больше или равен знаменателю."),
            (1, "Например, 5/4 и 7/7."),
        ]
    )
    lesson.heading("Сложение дробей с одинаковыми знаменателями")
    lesson.paragraph("Числители складываем, знаменатель оставляем прежним:")
    lesson.equation(OMML_FRACTION_SUM)
    lesson.table(
        [["Дробь", "Числитель", "Знаменатель"], ["3/4", "3", "4"], ["1/4", "1", "4"]],
        caption="Таблица 1. Части дроби",
    )
    return lesson.bytes()


def main() -> None:
    for path, data in ((NEWTON, newton_lesson()), (FRACTIONS, fractions_lesson())):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"{path.relative_to(REPO)}: {len(data) // 1024} KB")


if __name__ == "__main__":
    main()
