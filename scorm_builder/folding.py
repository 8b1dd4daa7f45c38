"""The search key of a word: what a Russian keyboard or a Latin transliteration makes of
it, in plain Latin letters. A pupil without a Kazakh keyboard types "козгалыс" or
"kozgalys" for "қозғалыс"; all three have the key ``kozgalys``. The catalogue's search
(``catalogue.search.text``) and the offline library's page (``lms_sync.offline``, which
writes ``FOLD_TABLE`` and ``DIGRAPHS`` for its script) fold alike. Standard library only.
"""

from __future__ import annotations

import re
import unicodedata

#: Cyrillic (Kazakh and Russian) to the key's Latin letters. A Kazakh letter meets the
#: Russian letter typed in its place (ә/а, ғ/г, қ/к, ң/н, ө/о, ұ ү/у, һ/х, і/и); ы stays
#: apart from и (both are on a Russian keyboard) and is ``y``, as in Kazakh Latin.
CYRILLIC = str.maketrans(
    {
        **dict.fromkeys("аә", "a"),
        "б": "b",
        "в": "v",
        **dict.fromkeys("гғ", "g"),
        "д": "d",
        **dict.fromkeys("еёэ", "e"),
        "ж": "zh",
        "з": "z",
        **dict.fromkeys("иій", "i"),
        **dict.fromkeys("кқ", "k"),
        "л": "l",
        "м": "m",
        **dict.fromkeys("нң", "n"),
        **dict.fromkeys("оө", "o"),
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        **dict.fromkeys("уұүў", "u"),
        "ф": "f",
        **dict.fromkeys("хһ", "h"),
        "ц": "ts",
        "ч": "ch",
        **dict.fromkeys("шщ", "sh"),
        **dict.fromkeys("ъь", ""),
        "ы": "y",
        "ю": "yu",
        "я": "ya",
    }
)
#: Latin letters of Kazakh Latin alphabets that are not a plain letter plus a mark.
LATIN = str.maketrans({"ş": "sh", "ç": "ch", "ı": "i", "q": "k", "j": "zh"})
#: Common spellings of one sound, to one: kh/h (х), gh/g (ғ), ng/n (ң), shch/sh (щ).
DIGRAPH_PATTERN = re.compile("shch|kh|gh|ng")
DIGRAPHS = {"shch": "sh", "kh": "h", "gh": "g", "ng": "n"}


#: Every character the key changes, to what it becomes (``str.maketrans`` keys are code
#: points): the two tables above in one, for a script that folds the same way.
FOLD_TABLE: dict[str, str] = {
    chr(point): str(value or "") for point, value in {**CYRILLIC, **LATIN}.items()
}


def fold(word: str) -> str:
    """A word's key: ``қозғалыс``, ``козгалыс``, ``kozgalys`` and ``qozğalys`` all give
    ``kozgalys``. Letters of other scripts are kept, without their marks."""
    latin = word.lower().translate(CYRILLIC).translate(LATIN)
    plain = "".join(
        char for char in unicodedata.normalize("NFKD", latin) if char.isalnum()
    )  # marks (and anything else a decomposition brings) go: a key is letters and digits
    return DIGRAPH_PATTERN.sub(lambda found: DIGRAPHS[found.group()], plain)
