"""Every sentence the validator says, in Kazakh, Russian and English, keyed by rule id.

Findings carry a rule id and the values of its placeholders; this catalogue turns them
into a message and a hint in the reader's language at output time. Each rule has all
three languages with the same placeholders (a test checks it). Terms follow
``GLOSSARY.md``: пакет, манифест, файл, жол/строка, қате/ошибка, ескерту/предупреждение.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

from scorm_builder.validate.findings import Finding, Severity
from scorm_builder.vocabulary import LANGUAGES, Lang

__all__ = [
    "CATALOGUE",
    "LANGUAGES",
    "UI",
    "Lang",
    "Text",
    "default_language",
    "render",
    "severity_word",
]


class Text(NamedTuple):
    message: str
    hint: str


T = Text

CATALOGUE: dict[str, dict[Lang, Text]] = {
    "ZIP-NOT-ZIP": {
        "kk": T(
            "Бұл файл zip мұрағаты емес, сондықтан SCORM пакеті бола алмайды.",
            "Курсты SCORM пакеті (.zip) ретінде қайта экспорттап, файлдың толық жүктеліп "
            "алынғанын тексеріңіз.",
        ),
        "ru": T(
            "Этот файл не является zip-архивом и поэтому не может быть SCORM-пакетом.",
            "Экспортируйте курс заново как SCORM-пакет (.zip) и убедитесь, что файл скачался "
            "полностью.",
        ),
        "en": T(
            "This file is not a zip archive, so it cannot be a SCORM package.",
            "Export the course again as a SCORM package (.zip) and check that the download "
            "finished.",
        ),
    },
    "ZIP-NO-MANIFEST": {
        "kk": T(
            "Пакетте imsmanifest.xml файлы жоқ, сондықтан оны ешбір LMS аша алмайды.",
            "imsmanifest.xml файлын zip мұрағатының түбіріне, курс файлдарының қасына қойыңыз.",
        ),
        "ru": T(
            "В пакете нет файла imsmanifest.xml, поэтому ни одна LMS не сможет его открыть.",
            "Поместите imsmanifest.xml в корень zip-архива, рядом с файлами курса.",
        ),
        "en": T(
            "The package has no imsmanifest.xml, so no LMS can open it.",
            "Put imsmanifest.xml at the root of the zip, next to the course's files.",
        ),
    },
    "ZIP-MANIFEST-NESTED": {
        "kk": T(
            "imsmanifest.xml файлы zip мұрағатының түбірінде емес, «{folder}» қалтасының "
            "ішінде тұр.",
            "«{folder}» қалтасын ашып, ішіндегінің бәрін белгілеңіз де, қалтаның өзін емес, "
            "осы файлдарды zip мұрағатына салыңыз.",
        ),
        "ru": T(
            "Файл imsmanifest.xml лежит в папке «{folder}», а не в корне zip-архива.",
            "Откройте папку «{folder}», выделите всё её содержимое и заархивируйте именно "
            "эти файлы, а не саму папку.",
        ),
        "en": T(
            'imsmanifest.xml is inside the folder "{folder}" instead of at the root of the zip.',
            'Open the folder "{folder}", select everything inside it and zip those files, '
            "not the folder itself.",
        ),
    },
    "ZIP-MANIFEST-CASE": {
        "kk": T(
            "Манифест «{name}» деп аталған, ал оның аты дәл imsmanifest.xml болуы керек.",
            "«{name}» файлының атын imsmanifest.xml деп өзгертіңіз (тек кіші әріптермен).",
        ),
        "ru": T(
            "Манифест называется «{name}», а должен называться строго imsmanifest.xml.",
            "Переименуйте «{name}» в imsmanifest.xml (только строчными буквами).",
        ),
        "en": T(
            'The manifest is named "{name}"; it must be named exactly imsmanifest.xml.',
            'Rename "{name}" to imsmanifest.xml (all lower case).',
        ),
    },
    "ZIP-TRAVERSAL": {
        "kk": T(
            "Бұл элементтің аты «..» арқылы пакет қалтасынан тыс жерді көрсетеді; оны ашқан "
            "кезде сервердегі файлдар қайта жазылып кетуі мүмкін.",
            "Zip мұрағатын курс қалтасынан қайта жасаңыз, сонда барлық файл сол қалтаның "
            "ішінде қалады.",
        ),
        "ru": T(
            "Путь этого элемента выходит за пределы пакета через «..»; при распаковке он может "
            "перезаписать файлы на сервере.",
            "Соберите zip-архив заново из папки курса, чтобы все пути оставались внутри неё.",
        ),
        "en": T(
            'This entry\'s path climbs out of the package with ".."; unpacking it could '
            "overwrite files on the server.",
            "Rebuild the zip from the course folder so that every path stays inside it.",
        ),
    },
    "ZIP-ABSOLUTE": {
        "kk": T(
            "Бұл элементтің аты абсолют жол (/ таңбасынан немесе диск әрпінен басталады); оны "
            "ашқанда файл сервердің кез келген жеріне жазылуы мүмкін.",
            "Zip мұрағатын курс қалтасынан қайта жасаңыз, сонда барлық жол салыстырмалы болады.",
        ),
        "ru": T(
            "У этого элемента абсолютный путь (начинается с / или буквы диска); при распаковке "
            "файл может записаться в любое место на сервере.",
            "Соберите zip-архив заново из папки курса, чтобы все пути были относительными.",
        ),
        "en": T(
            "This entry has an absolute path (starting with / or a drive letter); unpacking it "
            "could write anywhere on the server.",
            "Rebuild the zip from the course folder so that every path is relative.",
        ),
    },
    "ZIP-BACKSLASH": {
        "kk": T(
            "Бұл элементтің атында кері қиғаш сызық (\\) бар; zip ішіндегі жолдарда тура "
            "қиғаш сызық (/) болуы керек.",
            "Zip мұрағатын басқа архиватормен (мысалы, 7-Zip) қайта жасаңыз: zip ішіндегі "
            "қалталар / таңбасымен бөлінуі керек.",
        ),
        "ru": T(
            "В имени этого элемента есть обратная косая черта (\\); в путях внутри zip-архива "
            "должна быть прямая косая черта (/).",
            "Создайте zip-архив заново другим архиватором (например, 7-Zip): папки внутри zip "
            "должны разделяться знаком /.",
        ),
        "en": T(
            "This entry's name uses backslashes (\\); paths inside a zip must use forward "
            "slashes (/).",
            "Create the zip again with another archiver (for example 7-Zip): folders inside a "
            "zip are separated by /.",
        ),
    },
    "ZIP-SYMLINK": {
        "kk": T(
            "Бұл элемент — символдық сілтеме; ол пакеттен тыс файлдарды көрсетуі мүмкін.",
            "Сілтеменің орнына нақты файлдың көшірмесін қойып, мұрағатты қайта жасаңыз.",
        ),
        "ru": T(
            "Этот элемент — символическая ссылка; она может указывать на файлы вне пакета.",
            "Замените ссылку копией настоящего файла и создайте архив заново.",
        ),
        "en": T(
            "This entry is a symbolic link; it could point at files outside the package.",
            "Replace the link with a copy of the real file and zip again.",
        ),
    },
    "ZIP-ENCRYPTED": {
        "kk": T(
            "Бұл элемент құпиясөзбен шифрланған; LMS оны аша алмайды.",
            "Zip мұрағатын құпиясөзсіз қайта жасаңыз.",
        ),
        "ru": T(
            "Этот элемент зашифрован паролем; LMS не сможет его открыть.",
            "Создайте zip-архив заново без пароля.",
        ),
        "en": T(
            "This entry is encrypted with a password; an LMS cannot open it.",
            "Create the zip again without a password.",
        ),
    },
    "ZIP-NAME-ENCODING": {
        "kk": T(
            "Файл атында латын емес әріптер бар, бірақ zip мұрағаты оны UTF-8 деп белгілемеген: "
            "LMS атын бұзып көрсетеді, оған апаратын сілтемелер істемей қалады.",
            "Файлдарға латын әріптерімен ат беріңіз (мысалы, nyuton-zandary.html) немесе "
            "атауларды UTF-8 түрінде жазатын бағдарламамен (7-Zip, Linux/macOS-тағы zip) "
            "мұрағаттаңыз.",
        ),
        "ru": T(
            "В имени файла есть нелатинские буквы, но zip-архив не помечает его как UTF-8: LMS "
            "покажет имя искажённым, и ссылки на файл перестанут работать.",
            "Дайте файлам латинские имена (например, nyuton-zandary.html) или создайте архив "
            "программой, которая записывает имена в UTF-8 (7-Zip, zip в Linux/macOS).",
        ),
        "en": T(
            "This file name has non-Latin letters, but the zip does not mark it as UTF-8: an "
            "LMS will show it garbled and links to the file will break.",
            "Give files Latin names (for example nyuton-zandary.html), or zip with a tool that "
            "writes UTF-8 names (7-Zip, zip on Linux or macOS).",
        ),
    },
    "ZIP-DUPLICATE": {
        "kk": T(
            "Бұл элемент zip мұрағатында бірнеше рет кездеседі; LMS қай көшірмесін ашатыны "
            "белгісіз.",
            "Әр файл бір-ақ рет болатындай етіп мұрағатты қайта жасаңыз.",
        ),
        "ru": T(
            "Этот элемент встречается в zip-архиве несколько раз; какую копию распакует LMS, "
            "заранее неизвестно.",
            "Соберите архив заново, чтобы каждый файл был в нём один раз.",
        ),
        "en": T(
            "The zip holds this entry more than once; which copy an LMS unpacks is a matter of "
            "chance.",
            "Rebuild the zip so that every file appears once.",
        ),
    },
    "ZIP-TOO-MANY": {
        "kk": T(
            "Zip мұрағатында {count} элемент бар, бұл рұқсат етілген {limit} шегінен көп.",
            "Курсқа керегі жоқ файлдарды алып тастаңыз; сабаққа әдетте бірнеше жүз файлдан "
            "артық қажет емес.",
        ),
        "ru": T(
            "В zip-архиве {count} элементов, это больше допустимых {limit}.",
            "Удалите файлы, которые курс не использует; уроку редко нужно больше нескольких "
            "сотен файлов.",
        ),
        "en": T(
            "The zip has {count} entries, more than the {limit} allowed.",
            "Remove files the course does not use; a lesson rarely needs more than a few hundred.",
        ),
    },
    "ZIP-TOO-LARGE": {
        "kk": T(
            "Ашылған күйде мұрағат {size} байт орын алар еді, бұл рұқсат етілген {limit} "
            "байттан көп; zip-бомбалар осылай көрінеді.",
            "Мұрағатты тексеріңіз: үлкен бейнелерді сығып, пайдаланылмайтын файлдарды алып "
            "тастаңыз.",
        ),
        "ru": T(
            "В распакованном виде архив занял бы {size} байт, больше допустимых {limit}; так "
            "выглядят zip-бомбы.",
            "Проверьте архив: сожмите большие видео и удалите неиспользуемые файлы.",
        ),
        "en": T(
            "Unpacked, the zip would take {size} bytes, more than the {limit} allowed; this is "
            "how zip bombs look.",
            "Check the archive: compress large videos and remove files the course does not use.",
        ),
    },
    "ZIP-RATIO": {
        "kk": T(
            "Бұл элемент ашылғанда {size} байт болады, бұл сығылған көлемінен {ratio} есе көп; "
            "мұндай сығу тек zip-бомбаларда болады.",
            "Бұл файлды алып тастаңыз немесе оны нақты мазмұнымен ауыстырыңыз.",
        ),
        "ru": T(
            "Этот элемент распаковывается в {size} байт, в {ratio} раз больше сжатого; так "
            "сжимаются только zip-бомбы.",
            "Удалите этот файл или замените его настоящим содержимым.",
        ),
        "en": T(
            "This entry unpacks to {size} bytes, {ratio} times its compressed size; only zip "
            "bombs compress this well.",
            "Remove this file or replace it with the real content it should have.",
        ),
    },
    "ZIP-UNREADABLE": {
        "kk": T(
            "Бұл элементті оқу мүмкін емес: {reason}.",
            "Zip мұрағатын кәдімгі архиватормен қайта жасаңыз.",
        ),
        "ru": T(
            "Этот элемент не удаётся прочитать: {reason}.",
            "Создайте zip-архив заново обычным архиватором.",
        ),
        "en": T(
            "This entry cannot be read: {reason}.",
            "Create the zip again with an ordinary archiver.",
        ),
    },
    "ZIP-ENTRY-TOO-LARGE": {
        "kk": T(
            "Бұл элемент ашылғанда {size} байт болады, бұл бір файлға рұқсат етілген {limit} "
            "байттан көп.",
            "Файлды кішірейтіңіз (бейнені сығыңыз) немесе оны бірнеше бөлікке бөліңіз.",
        ),
        "ru": T(
            "Этот элемент распаковывается в {size} байт, больше допустимых для одного файла "
            "{limit} байт.",
            "Уменьшите файл (сожмите видео) или разделите его на несколько частей.",
        ),
        "en": T(
            "This entry unpacks to {size} bytes, more than the {limit} allowed for one file.",
            "Make the file smaller (compress the video) or split it into several parts.",
        ),
    },
    "ZIP-SIZE-MISMATCH": {
        "kk": T(
            "Бұл элементтің тақырыбында {declared} байт деп жазылған, бірақ ол ашылғанда "
            "{size} байт болады; өлшемі туралы өтірік айтатын zip — zip-бомба.",
            "Zip мұрағатын курс қалтасынан кәдімгі архиватормен қайта жасаңыз.",
        ),
        "ru": T(
            "В заголовке этого элемента указано {declared} байт, а распаковывается он в "
            "{size} байт; zip, который лжёт о размерах, — это zip-бомба.",
            "Соберите zip-архив заново из папки курса обычным архиватором.",
        ),
        "en": T(
            "This entry's header declares {declared} bytes, but it unpacks to {size}; a zip "
            "that lies about its sizes is a zip bomb.",
            "Rebuild the zip from the course folder with an ordinary archiver.",
        ),
    },
    "ZIP-CRC": {
        "kk": T(
            "Бұл элементтің бақылау сомасы (CRC-32) оның байттарына сәйкес келмейді: мұрағат "
            "бүлінген немесе әдейі өзгертілген.",
            "Файлды қайта жүктеп алыңыз немесе zip мұрағатын қайта жасаңыз.",
        ),
        "ru": T(
            "Контрольная сумма (CRC-32) этого элемента не совпадает с его байтами: архив "
            "повреждён или намеренно изменён.",
            "Скачайте файл заново или создайте zip-архив повторно.",
        ),
        "en": T(
            "This entry's checksum (CRC-32) does not match its bytes: the zip is damaged or "
            "was tampered with.",
            "Download the file again or create the zip again.",
        ),
    },
    "ZIP-CASE-CLASH": {
        "kk": T(
            "Бұл элементтің аты «{other}» атынан тек әріп регистрімен ерекшеленеді; Windows "
            "пен macOS-та олар бір-бірін қайта жазып кетеді.",
            "Файлдардың бірінің атын өзгертіп, сілтемелерді соған сәйкес түзетіңіз.",
        ),
        "ru": T(
            "Имя этого элемента отличается от «{other}» только регистром букв; в Windows и "
            "macOS они перезапишут друг друга.",
            "Переименуйте один из файлов и исправьте ссылки на него.",
        ),
        "en": T(
            'This entry\'s name differs from "{other}" only in letter case; on Windows and '
            "macOS one overwrites the other.",
            "Rename one of the files and fix the links to it.",
        ),
    },
    "ZIP-FILE-FOLDER": {
        "kk": T(
            "«{folder}» элементі бар, сондықтан бұл атау әрі файл, әрі қалта болып шығады; "
            "мұндай мұрағатты ешбір жүйе толық аша алмайды.",
            "Файлдың немесе қалтаның атын өзгертіңіз.",
        ),
        "ru": T(
            "Есть элемент «{folder}», поэтому это имя оказывается и файлом, и папкой; такой "
            "архив не распаковать полностью ни в одной системе.",
            "Переименуйте файл или папку.",
        ),
        "en": T(
            'There is also an entry "{folder}", so this name is both a file and a folder; no '
            "system can unpack such a zip completely.",
            "Rename the file or the folder.",
        ),
    },
    "ZIP-NAME-TOO-LONG": {
        "kk": T(
            "Бұл элемент атының бір бөлігі {bytes} байт, ал файл жүйелері {limit} байттан "
            "ұзын атауды қабылдамайды.",
            "Файлға немесе қалтаға қысқарақ ат беріңіз.",
        ),
        "ru": T(
            "Часть имени этого элемента занимает {bytes} байт, а файловые системы не "
            "принимают имена длиннее {limit} байт.",
            "Дайте файлу или папке более короткое имя.",
        ),
        "en": T(
            "Part of this entry's name is {bytes} bytes long; file systems take no name "
            "longer than {limit} bytes.",
            "Give the file or folder a shorter name.",
        ),
    },
    "ZIP-CONTROL-CHAR": {
        "kk": T(
            "Бұл элементтің атында басқару таңбасы ({char}) бар, мысалы жаңа жол немесе ESC; "
            "мұндай атауды дұрыс ашу да, көрсету де мүмкін емес.",
            "Файлдың атын тек әріптер, сандар, сызықша мен астын сызу арқылы беріңіз.",
        ),
        "ru": T(
            "В имени этого элемента есть управляющий символ ({char}), например перевод строки "
            "или ESC; такое имя нельзя ни верно распаковать, ни показать.",
            "Назовите файл только буквами, цифрами, дефисом и подчёркиванием.",
        ),
        "en": T(
            "This entry's name holds a control character ({char}), such as a newline or ESC; "
            "such a name can be neither unpacked faithfully nor shown.",
            "Name the file with letters, digits, hyphens and underscores only.",
        ),
    },
    "ZIP-RESERVED-NAME": {
        "kk": T(
            '«{part}» атауын Windows жасай алмайды (құрылғы аты, : * ? " < > | таңбалары '
            "немесе соңындағы нүкте не бос орын); пакетті Windows-та ашқанда бұл файл жоғалады.",
            "Файлдың немесе қалтаның атын өзгертіңіз.",
        ),
        "ru": T(
            'Имя «{part}» нельзя создать в Windows (имя устройства, символы : * ? " < > | или '
            "точка либо пробел в конце); при распаковке в Windows этот файл пропадёт.",
            "Переименуйте файл или папку.",
        ),
        "en": T(
            'Windows cannot create the name "{part}" (a device name, one of : * ? " < > |, '
            "or a trailing dot or space); unpacked on Windows, this file is lost.",
            "Rename the file or the folder.",
        ),
    },
    "XML-DTD": {
        "kk": T(
            "Манифестте DOCTYPE (DTD) жарияланған; қауіпсіздік үшін DTD мен XML entity "
            "қабылданбайды.",
            "<!DOCTYPE ...> жолын өшіріңіз: SCORM манифестіне ол қажет емес.",
        ),
        "ru": T(
            "В манифесте объявлен DOCTYPE (DTD); из соображений безопасности DTD и XML-сущности "
            "не принимаются.",
            "Удалите строку <!DOCTYPE ...>: SCORM-манифесту она не нужна.",
        ),
        "en": T(
            "The manifest declares a DOCTYPE (DTD); for safety, DTDs and XML entities are not "
            "accepted.",
            "Delete the <!DOCTYPE ...> line; a SCORM manifest does not need one.",
        ),
    },
    "XML-ENCODING": {
        "kk": T(
            "Манифест UTF-8 кодтауында сақталмаған (жарияланған не анықталған кодтау: "
            "{encoding}); қазақ және орыс әріптері бұзылып көрінуі мүмкін.",
            'imsmanifest.xml файлын UTF-8 кодтауында сақтап, бірінші жолына encoding="UTF-8" '
            "деп жазыңыз.",
        ),
        "ru": T(
            "Манифест сохранён не в UTF-8 (объявленная или найденная кодировка: {encoding}); "
            "казахские и русские буквы могут исказиться.",
            'Сохраните imsmanifest.xml в UTF-8 и укажите encoding="UTF-8" в первой строке.',
        ),
        "en": T(
            "The manifest is not saved as UTF-8 (declared or detected encoding: {encoding}); "
            "Kazakh and Russian letters may come out garbled.",
            'Save imsmanifest.xml as UTF-8 and write encoding="UTF-8" in its first line.',
        ),
    },
    "XML-BOM": {
        "kk": T(
            "Манифест {bom} байт реті белгісінен (BOM) басталады, ал жариялауында "
            'encoding="{declared}" деп жазылған.',
            "imsmanifest.xml файлын UTF-8 кодтауында, BOM белгісінсіз сақтаңыз.",
        ),
        "ru": T(
            "Манифест начинается с метки порядка байтов (BOM) {bom}, а в объявлении указано "
            'encoding="{declared}".',
            "Сохраните imsmanifest.xml в UTF-8 без метки порядка байтов (BOM).",
        ),
        "en": T(
            "The manifest starts with a {bom} byte order mark (BOM), but its declaration says "
            'encoding="{declared}".',
            "Save imsmanifest.xml as UTF-8 without a byte order mark (BOM).",
        ),
    },
    "XML-MALFORMED": {
        "kk": T(
            "Манифест дұрыс құрылған XML емес: {reason}.",
            "imsmanifest.xml файлын XML редакторында ашып, осы жолдағы тегті түзетіңіз: әр "
            "тег жабылуы, әр атрибут мәні тырнақшада болуы керек.",
        ),
        "ru": T(
            "Манифест не является корректным XML: {reason}.",
            "Откройте imsmanifest.xml в редакторе XML и исправьте тег в этой строке: каждый "
            "тег должен быть закрыт, каждое значение атрибута — в кавычках.",
        ),
        "en": T(
            "The manifest is not well-formed XML: {reason}.",
            "Open imsmanifest.xml in an XML editor and fix the tag on this line: every tag "
            "closed, every attribute value in quotes.",
        ),
    },
    "VERSION-UNKNOWN": {
        "kk": T(
            "Бұл SCORM манифесі емес: түбірлік элементтің «{namespace}» аттар кеңістігі "
            "SCORM 1.2-ге де, SCORM 2004-ке де сәйкес келмейді.",
            'Түбірлік элемент <manifest xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"> '
            '(SCORM 1.2) немесе xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" (SCORM 2004) '
            "болуы керек.",
        ),
        "ru": T(
            "Это не SCORM-манифест: пространство имён корневого элемента «{namespace}» не "
            "относится ни к SCORM 1.2, ни к SCORM 2004.",
            'Корневой элемент должен быть <manifest xmlns="http://www.imsproject.org/xsd/'
            'imscp_rootv1p1p2"> (SCORM 1.2) или xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
            "(SCORM 2004).",
        ),
        "en": T(
            'This is not a SCORM manifest: the root element\'s namespace "{namespace}" belongs '
            "to neither SCORM 1.2 nor SCORM 2004.",
            'The root must be <manifest xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"> '
            '(SCORM 1.2) or xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" (SCORM 2004).',
        ),
    },
    "SCHEMAVERSION-MISSING": {
        "kk": T(
            "Манифестте <metadata><schemaversion> жоқ; сонда Moodle SCORM нұсқасын болжап "
            "анықтайды және қателесуі мүмкін.",
            "Манифестке <metadata><schema>ADL SCORM</schema><schemaversion>{expected}"
            "</schemaversion></metadata> қосыңыз.",
        ),
        "ru": T(
            "В манифесте нет <metadata><schemaversion>; тогда Moodle угадывает версию SCORM и "
            "может ошибиться.",
            "Добавьте в манифест <metadata><schema>ADL SCORM</schema><schemaversion>{expected}"
            "</schemaversion></metadata>.",
        ),
        "en": T(
            "The manifest has no <metadata><schemaversion>; Moodle then guesses the SCORM "
            "version and may guess wrong.",
            "Add <metadata><schema>ADL SCORM</schema><schemaversion>{expected}</schemaversion>"
            "</metadata> to the manifest.",
        ),
    },
    "SCHEMAVERSION-VARIANT": {
        "kk": T(
            "<schemaversion> мәні «{value}»; Moodle сияқты LMS жүйелері тек «{expected}» деген "
            "дәл жолды таниды.",
            "Дәл осылай жазыңыз: <schemaversion>{expected}</schemaversion> (бос орындары мен "
            "бас әріптері де дәл осындай болсын).",
        ),
        "ru": T(
            "В <schemaversion> указано «{value}»; LMS вроде Moodle распознают только точную "
            "строку «{expected}».",
            "Напишите ровно <schemaversion>{expected}</schemaversion> (с теми же пробелами и "
            "заглавными буквами).",
        ),
        "en": T(
            '<schemaversion> says "{value}"; LMSs such as Moodle only recognise the exact '
            'string "{expected}".',
            "Write exactly <schemaversion>{expected}</schemaversion> (same spaces, same capital "
            "letters).",
        ),
    },
    "SCHEMAVERSION-UNKNOWN": {
        "kk": T(
            "<schemaversion> мәні «{value}» SCORM нұсқасы емес; Moodle пакетті үнсіз басқа "
            "нұсқа ретінде ойнатады.",
            "1.2, 2004 3rd Edition немесе 2004 4th Edition мәндерінің бірін дәл жазыңыз; бұл "
            "манифест үшін, сірә, «{expected}».",
        ),
        "ru": T(
            "Значение <schemaversion> «{value}» не является версией SCORM; Moodle молча "
            "воспроизведёт пакет как другую версию.",
            "Укажите точно одно из значений: 1.2, 2004 3rd Edition или 2004 4th Edition; для "
            "этого манифеста, вероятно, «{expected}».",
        ),
        "en": T(
            '<schemaversion> "{value}" is not a SCORM version; Moodle will silently play the '
            "package as the wrong version.",
            "Write exactly one of 1.2, 2004 3rd Edition or 2004 4th Edition; for this manifest "
            'probably "{expected}".',
        ),
    },
    "SCHEMAVERSION-MISMATCH": {
        "kk": T(
            "<schemaversion> мәні «{value}» манифесттің аттар кеңістіктеріне сәйкес келмейді: "
            "олар «{expected}» нұсқасына тиесілі.",
            "<schemaversion>{expected}</schemaversion> деп жазыңыз немесе манифесті өзіңіз "
            "көздеген нұсқаның аттар кеңістіктерімен қайта жасаңыз.",
        ),
        "ru": T(
            "Значение <schemaversion> «{value}» не совпадает с пространствами имён манифеста: "
            "они относятся к «{expected}».",
            "Напишите <schemaversion>{expected}</schemaversion> или пересоберите манифест с "
            "пространствами имён нужной версии.",
        ),
        "en": T(
            '<schemaversion> "{value}" does not match the manifest\'s namespaces, which belong '
            'to "{expected}".',
            "Write <schemaversion>{expected}</schemaversion>, or rebuild the manifest with the "
            "namespaces of the version you meant.",
        ),
    },
    "XSD": {
        "kk": T(
            "Манифест SCORM схемасына (XSD) сәйкес келмейді: {reason}",
            "{path} элементін SCORM спецификациясымен салыстырыңыз: әдетте себебі — элемент "
            "не атрибут аты қате жазылған немесе ол дұрыс емес орында тұр.",
        ),
        "ru": T(
            "Манифест не соответствует схеме SCORM (XSD): {reason}",
            "Сравните элемент {path} со спецификацией SCORM: обычно причина в опечатке в имени "
            "элемента или атрибута либо в том, что он стоит не на своём месте.",
        ),
        "en": T(
            "The manifest does not follow the SCORM schema (XSD): {reason}",
            "Compare the element {path} with the SCORM specification: usually an element or "
            "attribute name is misspelt, or the element is in the wrong place.",
        ),
    },
    "ID-DUPLICATE": {
        "kk": T(
            "«{id}» идентификаторы {first_line}-жолда қолданылып қойған; идентификаторлар "
            "қайталанбауы керек.",
            "Бұл элементке басқа идентификатор беріп, оған сілтейтін identifierref мәндерін "
            "де түзетіңіз.",
        ),
        "ru": T(
            "Идентификатор «{id}» уже использован в строке {first_line}; идентификаторы "
            "должны быть уникальными.",
            "Дайте этому элементу другой идентификатор и исправьте ссылающиеся на него "
            "identifierref.",
        ),
        "en": T(
            'The identifier "{id}" is already used on line {first_line}; identifiers must be '
            "unique.",
            "Give this element another identifier and update every identifierref that points "
            "to it.",
        ),
    },
    "ORG-MISSING": {
        "kk": T(
            "Манифестте бірде-бір <organization> жоқ, сондықтан оқушылар ашатын сабақ көрмейді.",
            "<organizations> ішіне әр сабаққа арналған <item> элементтері бар <organization> "
            "қосыңыз.",
        ),
        "ru": T(
            "В манифесте нет ни одного <organization>, поэтому ученики не увидят ни одного урока.",
            "Добавьте в <organizations> элемент <organization> с <item> для каждого урока.",
        ),
        "en": T(
            "The manifest has no <organization>, so learners will see no lesson to open.",
            "Add an <organization> with an <item> for each lesson inside <organizations>.",
        ),
    },
    "ORG-DEFAULT-MISSING": {
        "kk": T(
            '<organizations default="{id}"> жоқ ұйымдастыруды (organization) көрсетіп тұр.',
            "default мәніне бар <organization> элементтерінің бірінің идентификаторын жазыңыз.",
        ),
        "ru": T(
            '<organizations default="{id}"> указывает на несуществующую организацию '
            "(organization).",
            "Укажите в default идентификатор одного из существующих элементов <organization>.",
        ),
        "en": T(
            '<organizations default="{id}"> names an organization that does not exist.',
            "Set default to the identifier of one of the <organization> elements.",
        ),
    },
    "REF-UNRESOLVED": {
        "kk": T(
            'identifierref="{ref}" манифесттегі ешбір <resource> элементін көрсетпейді.',
            'Жазылуын түзетіңіз немесе <resource identifier="{ref}"> қосыңыз.',
        ),
        "ru": T(
            'identifierref="{ref}" не указывает ни на один <resource> в манифесте.',
            'Исправьте опечатку или добавьте <resource identifier="{ref}">.',
        ),
        "en": T(
            'identifierref="{ref}" points to no <resource> in the manifest.',
            'Fix the spelling, or add a <resource identifier="{ref}">.',
        ),
    },
    "ITEM-NO-RESOURCE": {
        "kk": T(
            "«{id}» элементінде (item) ішкі элементтер де, identifierref де жоқ, сондықтан "
            "ашатын ештеңе жоқ.",
            'Осы сабақ көрсететін ресурсты атайтын identifierref="..." қосыңыз.',
        ),
        "ru": T(
            "У элемента (item) «{id}» нет ни вложенных элементов, ни identifierref, поэтому "
            "открывать нечего.",
            'Добавьте identifierref="..." с идентификатором ресурса, который показывает этот урок.',
        ),
        "en": T(
            'The item "{id}" has no sub-items and no identifierref, so there is nothing to open.',
            'Add identifierref="..." naming the resource this lesson shows.',
        ),
    },
    "SCORMTYPE-MISSING": {
        "kk": T(
            "Бұл <resource> элементінде {expected} атрибуты жоқ, сондықтан LMS оның SCO ма, "
            "әлде asset пе екенін ажырата алмайды.",
            'LMS-пен байланысатын беттерге {expected}="sco", қалғандарына {expected}="asset" '
            "деп жазыңыз.",
        ),
        "ru": T(
            "У этого <resource> нет атрибута {expected}, поэтому LMS не может понять, SCO это "
            "или asset.",
            'Добавьте {expected}="sco" страницам, которые общаются с LMS, и {expected}="asset" '
            "всем остальным.",
        ),
        "en": T(
            "This <resource> has no {expected} attribute, so the LMS cannot tell whether it is "
            "a SCO or an asset.",
            'Add {expected}="sco" to pages that talk to the LMS and {expected}="asset" to '
            "everything else.",
        ),
    },
    "SCORMTYPE-CASE": {
        "kk": T(
            "Атрибут «{found}» деп жазылған; SCORM-ның бұл нұсқасында ол дәл «{expected}» "
            "болуы керек.",
            "Атрибуттың атын {expected} деп өзгертіңіз (атрибут аттарында бас және кіші "
            "әріптер ажыратылады).",
        ),
        "ru": T(
            "Атрибут записан как «{found}»; в этой версии SCORM он должен называться точно "
            "«{expected}».",
            "Переименуйте атрибут в {expected} (в именах атрибутов заглавные и строчные буквы "
            "различаются).",
        ),
        "en": T(
            'The attribute is written "{found}"; in this SCORM version it must be exactly '
            '"{expected}".',
            "Rename the attribute to {expected} (attribute names are case-sensitive).",
        ),
    },
    "SCORMTYPE-VALUE": {
        "kk": T(
            "scormtype мәні «{value}» жарамсыз: мән дәл sco немесе asset болуы керек, кіші "
            "әріптермен.",
            "«{expected}» деп жазыңыз.",
        ),
        "ru": T(
            "Значение scormtype «{value}» недопустимо: должно быть ровно sco или asset, "
            "строчными буквами.",
            "Напишите «{expected}».",
        ),
        "en": T(
            'scormtype "{value}" is not allowed: the value must be exactly sco or asset, in '
            "lower case.",
            'Write "{expected}".',
        ),
    },
    "FILE-MISSING": {
        "kk": T(
            "Манифест «{path}» файлын атайды, бірақ пакетте мұндай файл жоқ.",
            "Файлды zip мұрағатына дәл осы жолмен қосыңыз немесе href мәнін түзетіңіз.",
        ),
        "ru": T(
            "Манифест ссылается на файл «{path}», но в пакете его нет.",
            "Добавьте файл в zip-архив именно по этому пути или исправьте href.",
        ),
        "en": T(
            'The manifest names the file "{path}", but the package does not contain it.',
            "Add the file to the zip at exactly this path, or fix the href.",
        ),
    },
    "FILE-CASE": {
        "kk": T(
            "Манифест «{path}» файлын атайды, ал пакетте «{real}» бар: әріптердің бас-кішілігі "
            "өзгеше, сондықтан LMS серверінде файл табылмайды.",
            "Манифестке «{real}» деп жазыңыз немесе файлдың атын «{path}» деп өзгертіңіз.",
        ),
        "ru": T(
            "Манифест ссылается на «{path}», а в пакете есть «{real}»: регистр букв "
            "различается, и на сервере LMS файл не найдётся.",
            "Напишите в манифесте «{real}» или переименуйте файл в «{path}».",
        ),
        "en": T(
            'The manifest names "{path}", but the package has "{real}": the case of the '
            "letters differs, and on the LMS server the file will not be found.",
            'Write "{real}" in the manifest, or rename the file to "{path}".',
        ),
    },
    "LAUNCH-NOT-HTML": {
        "kk": T(
            "SCO «{href}» файлын іске қосады, бірақ ол HTML бет емес; LMS-пен тек веб-бет "
            "байланыса алады.",
            "href мәніне сабақтың .html немесе .htm бетін жазыңыз, не бұл ресурсты asset деп "
            "белгілеңіз.",
        ),
        "ru": T(
            "SCO запускает «{href}», а это не HTML-страница; общаться с LMS может только "
            "веб-страница.",
            "Укажите в href страницу урока .html или .htm либо отметьте этот ресурс как asset.",
        ),
        "en": T(
            'The SCO launches "{href}", which is not an HTML page; only a web page can talk to '
            "the LMS.",
            "Point href at the lesson's .html or .htm page, or mark this resource as an asset.",
        ),
    },
    "METADATA-MISSING": {
        "kk": T(
            "adlcp:location «{path}» метадерек файлын атайды, бірақ пакетте ол жоқ.",
            "Метадерек файлын zip мұрағатына қосыңыз немесе <adlcp:location> элементін алып "
            "тастаңыз.",
        ),
        "ru": T(
            "adlcp:location ссылается на файл метаданных «{path}», но в пакете его нет.",
            "Добавьте файл метаданных в zip-архив или удалите элемент <adlcp:location>.",
        ),
        "en": T(
            'adlcp:location names the metadata file "{path}", but the package does not contain it.',
            "Add the metadata file to the zip, or remove the <adlcp:location> element.",
        ),
    },
    "MASTERYSCORE-RANGE": {
        "kk": T(
            "adlcp:masteryscore мәні «{value}» 0-ден 100-ге дейінгі сан емес.",
            "Өту балын 0 мен 100 аралығындағы санмен жазыңыз, мысалы 80.",
        ),
        "ru": T(
            "Значение adlcp:masteryscore «{value}» не является числом от 0 до 100.",
            "Укажите проходной балл числом от 0 до 100, например 80.",
        ),
        "en": T(
            'adlcp:masteryscore "{value}" is not a number from 0 to 100.',
            "Write the passing score as a number from 0 to 100, for example 80.",
        ),
    },
    "DATAFROMLMS-LENGTH": {
        "kk": T(
            "adlcp:datafromlms ұзындығы {length} таңба; SCORM 1.2 ең көбі {limit} таңбаға "
            "рұқсат етеді.",
            "Іске қосу деректерін {limit} таңбаға дейін қысқартыңыз.",
        ),
        "ru": T(
            "Длина adlcp:datafromlms — {length} символов; SCORM 1.2 допускает не больше {limit}.",
            "Сократите данные запуска до {limit} символов.",
        ),
        "en": T(
            "adlcp:datafromlms is {length} characters long; SCORM 1.2 allows at most {limit}.",
            "Shorten the launch data to {limit} characters or fewer.",
        ),
    },
    "MAXTIME-FORMAT": {
        "kk": T(
            "adlcp:maxtimeallowed мәні «{value}» HHHH:MM:SS пішімінде емес.",
            "Уақытты сағат:минут:секунд түрінде жазыңыз, мысалы 45 минут үшін 00:45:00.",
        ),
        "ru": T(
            "Значение adlcp:maxtimeallowed «{value}» не в формате HHHH:MM:SS.",
            "Запишите время как часы:минуты:секунды, например 00:45:00 для 45 минут.",
        ),
        "en": T(
            'adlcp:maxtimeallowed "{value}" is not in the HHHH:MM:SS format.',
            "Write the time as hours:minutes:seconds, for example 00:45:00 for 45 minutes.",
        ),
    },
    "TIMELIMITACTION-VALUE": {
        "kk": T(
            "adlcp:timelimitaction мәні «{value}» рұқсат етілген мәндердің бірі емес.",
            "Мына мәндердің бірін жазыңыз: exit,message / exit,no message / continue,message / "
            "continue,no message.",
        ),
        "ru": T(
            "Значение adlcp:timelimitaction «{value}» не входит в список допустимых.",
            "Укажите одно из значений: exit,message / exit,no message / continue,message / "
            "continue,no message.",
        ),
        "en": T(
            'adlcp:timelimitaction "{value}" is not one of the allowed values.',
            "Write one of: exit,message / exit,no message / continue,message / "
            "continue,no message.",
        ),
    },
    "PREREQUISITES-LENGTH": {
        "kk": T(
            "adlcp:prerequisites ұзындығы {length} таңба; SCORM 1.2 ең көбі {limit} таңбаға "
            "рұқсат етеді.",
            "Алдын ала талаптар өрнегін {limit} таңбаға дейін жеңілдетіңіз.",
        ),
        "ru": T(
            "Длина adlcp:prerequisites — {length} символов; SCORM 1.2 допускает не больше {limit}.",
            "Упростите выражение предварительных условий до {limit} символов.",
        ),
        "en": T(
            "adlcp:prerequisites is {length} characters long; SCORM 1.2 allows at most {limit}.",
            "Simplify the prerequisites expression to {limit} characters or fewer.",
        ),
    },
    "NS-PREFIX": {
        "kk": T(
            "{namespace} аттар кеңістігі «{found}» префиксімен жазылған; Moodle тек «{expected}» "
            "префиксін таниды және бұл элементтер мен атрибуттарды үнсіз елемейді.",
            'xmlns:{expected}="{namespace}" деп жариялап, бұл элементтер мен атрибуттарды '
            "{expected}: префиксімен жазыңыз.",
        ),
        "ru": T(
            "Пространство имён {namespace} записано с префиксом «{found}»; Moodle распознаёт "
            "только «{expected}» и молча пропустит эти элементы и атрибуты.",
            'Объявите xmlns:{expected}="{namespace}" и пишите эти элементы и атрибуты с '
            "префиксом {expected}:.",
        ),
        "en": T(
            'The namespace {namespace} is written with the prefix "{found}"; Moodle only '
            'recognises "{expected}" and silently ignores these elements and attributes.',
            'Declare xmlns:{expected}="{namespace}" and write these elements and attributes '
            "with the prefix {expected}:.",
        ),
    },
    "NS-UNKNOWN": {
        "kk": T(
            "«{prefix}» префиксі «{namespace}» аттар кеңістігіне байланған, ал SCORM-ның бұл "
            "нұсқасында ол «{expected}» болуы керек.",
            'xmlns:{prefix}="{expected}" деп жазыңыз.',
        ),
        "ru": T(
            "Префикс «{prefix}» связан с пространством имён «{namespace}», а в этой версии "
            "SCORM должен быть связан с «{expected}».",
            'Напишите xmlns:{prefix}="{expected}".',
        ),
        "en": T(
            'The prefix "{prefix}" is bound to "{namespace}", but in this SCORM version it must '
            'be bound to "{expected}".',
            'Write xmlns:{prefix}="{expected}".',
        ),
    },
    "XML-BASE": {
        "kk": T(
            "<{element}> элементіндегі xml:base атрибутын Moodle елемейді, сондықтан оның "
            "ішіндегі сілтемелер бұзылады.",
            "xml:base атрибутын тек <manifest>, <resources> немесе <resource> элементтерінде "
            "қолданыңыз, не href мәндеріне толық жолды жазыңыз.",
        ),
        "ru": T(
            "Moodle игнорирует xml:base на элементе <{element}>, поэтому ссылки внутри него "
            "перестанут работать.",
            "Используйте xml:base только на <manifest>, <resources> или <resource> либо "
            "пишите в href полные пути.",
        ),
        "en": T(
            "Moodle ignores xml:base on <{element}>, so the links inside it break.",
            "Use xml:base only on <manifest>, <resources> or <resource>, or write full paths "
            "in the href attributes.",
        ),
    },
    "OFFLINE-REMOTE": {
        "kk": T(
            "Бұл файл «{url}» ресурсын интернеттен жүктейді; байланыс болмаса, сабақ толық "
            "жұмыс істемейді.",
            "Ол файлды жүктеп алып, пакетке салыңыз да, оған салыстырмалы жолмен сілтеме жасаңыз.",
        ),
        "ru": T(
            "Этот файл загружает «{url}» из интернета; без подключения урок будет работать не "
            "полностью.",
            "Скачайте этот файл, положите его в пакет и ссылайтесь на него по относительному пути.",
        ),
        "en": T(
            'This file loads "{url}" from the internet; without a connection the lesson will '
            "not fully work.",
            "Download that file into the package and link to it with a relative path.",
        ),
    },
}

#: Words of the human output around the findings.
UI: dict[str, dict[Lang, str]] = {
    "error": {"kk": "қате", "ru": "ошибка", "en": "error"},
    "warning": {"kk": "ескерту", "ru": "предупреждение", "en": "warning"},
    "info": {"kk": "ақпарат", "ru": "сведения", "en": "info"},
    "hint": {"kk": "кеңес", "ru": "совет", "en": "hint"},
    "valid": {"kk": "жарамды", "ru": "корректен", "en": "valid"},
    "invalid": {"kk": "жарамсыз", "ru": "содержит ошибки", "en": "invalid"},
    "unknown": {"kk": "белгісіз", "ru": "не определена", "en": "unknown"},
    "header": {
        "kk": "{package}: SCORM {version}, {verdict}",
        "ru": "{package}: SCORM {version}, {verdict}",
        "en": "{package}: SCORM {version}, {verdict}",
    },
    "clean": {
        "kk": "  Ешқандай мәселе табылған жоқ.",
        "ru": "  Проблем не найдено.",
        "en": "  No problems found.",
    },
    "summary": {
        "kk": "Тексерілген пакет: {packages}; жарамды: {valid}, жарамсыз: {invalid}; "
        "қате: {errors}, ескерту: {warnings}.",
        "ru": "Проверено пакетов: {packages}; корректных: {valid}, с ошибками: {invalid}; "
        "ошибок: {errors}, предупреждений: {warnings}.",
        "en": "Packages checked: {packages}; valid: {valid}, invalid: {invalid}; "
        "errors: {errors}, warnings: {warnings}.",
    },
}


class _Values(dict[str, str | int]):
    """Leaves a placeholder visible rather than crashing when a value is missing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(finding: Finding, lang: Lang) -> Text:
    """The finding's message and hint in ``lang``."""
    text = CATALOGUE[finding.rule][lang]
    values = _Values(finding.params)
    return Text(text.message.format_map(values), text.hint.format_map(values))


def severity_word(severity: Severity, lang: Lang) -> str:
    return UI[severity.value][lang]


def default_language(environ: Mapping[str, str] | None = None) -> Lang:
    """The language from LC_ALL, LC_MESSAGES or LANG (first one set), else Kazakh."""
    env = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if value:
            for lang in LANGUAGES:
                if value.lower().startswith(lang):
                    return lang
            return "kk"
    return "kk"
