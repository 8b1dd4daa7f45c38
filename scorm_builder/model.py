"""The content model: what a course is, independent of where it came from or where it goes.

Readers (``scorm_builder.readers``) build these values from teachers' files; the renderer
and the SCORM writers (``scorm_builder.writers``) turn them into a package. Plain frozen
dataclasses with no I/O, so every stage can be tested with values alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from scorm_builder.vocabulary import DEFAULT_LANGUAGE, DEFAULT_LICENCE, LICENCE_IDS, Lang
from scorm_builder.vocabulary import LANGUAGES as LANGUAGES  # re-exported for the readers

#: A content language (``scorm_builder.vocabulary`` holds the languages and their names).
Language = Lang

ScormVersion = Literal["1.2", "2004"]
SCORM_VERSIONS: tuple[ScormVersion, ...] = ("1.2", "2004")
Edition = Literal[3, 4]
EDITIONS: tuple[Edition, ...] = (3, 4)

#: Licences a catalogue can publish: Creative Commons 4.0, public domain, or permission.
LICENSES: tuple[str, ...] = LICENCE_IDS


@dataclass(frozen=True)
class Metadata:
    """Descriptive metadata of a course; it becomes the manifest's LOM record."""

    identifier: str
    title: str
    description: str = ""
    language: Language = DEFAULT_LANGUAGE
    subject: str = ""
    grades: tuple[int, ...] = ()
    keywords: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    license: str = DEFAULT_LICENCE
    version: str = "1.0"


@dataclass(frozen=True)
class Asset:
    """A file a part needs (image, stylesheet, script, video), under its ASCII package path.

    Small files carry their ``data``; large media (a transcoded video) name a ``file`` on
    disk instead, which the zip writer streams.
    """

    path: str
    data: bytes = b""
    file: Path | None = None


@dataclass(frozen=True)
class Page:
    """One page of a lesson, as HTML.

    ``body`` and ``head`` are markup with every local reference already rewritten to the
    asset's package path, relative to ``path`` (the page's own place in the package).
    ``has_h1`` says the body already has its own top heading.
    """

    title: str
    path: str
    body: str
    head: str = ""
    has_h1: bool = False


@dataclass(frozen=True)
class LessonPart:
    """Pages to read in order: a Word lesson (a page per heading) or a teacher's HTML page."""

    title: str
    pages: tuple[Page, ...]
    assets: tuple[Asset, ...] = ()
    source: str = ""


# --- quizzes ------------------------------------------------------------------------------

QuestionKind = Literal[
    "multichoice", "truefalse", "shortanswer", "numerical", "matching", "essay", "description"
]  # fmt: skip


@dataclass(frozen=True)
class Answer:
    """An answer a question accepts or offers, with its share of the marks.

    ``fraction`` is from -1 to 1 (Moodle's percent weights / 100). Text is HTML. For
    ``numerical`` questions ``value`` with ``tolerance`` (or ``low``..``high``) is used.
    """

    text: str = ""
    fraction: float = 0.0
    feedback: str = ""
    value: float | None = None
    tolerance: float = 0.0
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class MatchPair:
    """One row of a matching question: a prompt (HTML) and the answer it matches (text)."""

    prompt: str
    answer: str


@dataclass(frozen=True)
class Question:
    """One question of a quiz; ``id`` is ASCII and stable (``q01``...) for interactions.

    ``multiple``: a multichoice question where several answers may be chosen. ``line`` is
    where the question starts in its source file, for messages.
    """

    id: str
    kind: QuestionKind
    text: str
    name: str = ""
    answers: tuple[Answer, ...] = ()
    pairs: tuple[MatchPair, ...] = ()
    multiple: bool = False
    general_feedback: str = ""
    category: str = ""
    points: float = 1.0
    line: int = 0

    @property
    def graded(self) -> bool:
        return self.kind not in ("essay", "description")


@dataclass(frozen=True)
class QuizPart:
    """A test: questions, and how the quiz player runs them.

    ``passing_score`` is a percentage; ``attempts`` 0 means unlimited; with ``shuffle``
    questions and choices are shuffled with ``seed``, the same for every learner.
    """

    title: str
    questions: tuple[Question, ...]
    passing_score: int = 60
    attempts: int = 0
    shuffle: bool = False
    seed: int = 1
    one_at_a_time: bool = False
    path: str = ""
    source: str = ""

    @property
    def graded(self) -> bool:
        return any(question.graded for question in self.questions)


# --- video lectures -------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """One caption: when it shows (seconds) and its text."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class CaptionTrack:
    """Captions in one language, shipped both as a WebVTT file and as script data."""

    language: str
    label: str
    cues: tuple[Cue, ...]
    asset: Asset


@dataclass(frozen=True)
class Chapter:
    start: float
    title: str


@dataclass(frozen=True)
class VideoPart:
    """A video lecture, transcoded for slow lines; completed once ``completion`` is watched."""

    title: str
    video: Asset
    duration: float
    width: int
    height: int
    poster: Asset | None = None
    captions: tuple[CaptionTrack, ...] = ()
    chapters: tuple[Chapter, ...] = ()
    completion: float = 0.9
    path: str = ""
    source: str = ""


Part = LessonPart | QuizPart | VideoPart


@dataclass(frozen=True)
class PackageOptions:
    """How to package: SCORM version, 2004 edition, and one SCO per part or one in all."""

    scorm: ScormVersion = "2004"
    edition: Edition = 4
    single_sco: bool = False


@dataclass(frozen=True)
class Contents:
    """What a teacher is told a package holds, before anything else about it."""

    pages: int
    questions: int
    scored_questions: int
    video_seconds: float


@dataclass(frozen=True)
class Course:
    """A course: metadata and its ordered parts."""

    metadata: Metadata
    parts: tuple[Part, ...]
    options: PackageOptions = field(default_factory=PackageOptions)

    @property
    def graded(self) -> bool:
        return any(isinstance(part, QuizPart) and part.graded for part in self.parts)

    @property
    def contents(self) -> Contents:
        lessons = [part for part in self.parts if isinstance(part, LessonPart)]
        questions = [q for part in self.parts if isinstance(part, QuizPart) for q in part.questions]
        videos = [part for part in self.parts if isinstance(part, VideoPart)]
        return Contents(
            pages=sum(len(part.pages) for part in lessons),
            questions=len(questions),
            scored_questions=sum(1 for question in questions if question.graded),
            video_seconds=sum(part.duration for part in videos),
        )
