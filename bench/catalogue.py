"""Catalogue search benchmark: 100,000 published resources, served by gunicorn.

``bench_catalogue(work)`` returns the markdown lines of a "## Catalogue search" section;
run alone (``python bench/catalogue.py``) it prints them, and with ``--write`` it puts the
section into docs/benchmarks.md. For each database (SQLite always; PostgreSQL when the
server of ``tools/postgres.sh`` answers, in a database of its own):

- load: bulk inserts of resources and versions with Kazakh, Russian and English titles,
  descriptions and keywords, then ``search.rebuild`` (the index and the feed);
- latency: p50/p95 of a fixed mix of searches (words, prefixes, filters, sorts, a typo)
  with ``requests``, one at a time, against gunicorn (2 workers);
- throughput: wrk (10 s, 8 connections) on one search and on ``/healthz`` of the same
  app in the same run; their ratio is what searching costs over the app's floor.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder comes first on the path and its name would hide the
# catalogue package: put the repository first instead.
sys.path[:] = [str(REPO)] + [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]

import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from bench.section import run_alone  # noqa: E402
from scorm_builder.vocabulary import GRADES, LANGUAGES, RESOURCE_TYPES, grade_name  # noqa: E402

RESOURCES = int(os.environ.get("SANDYQ_BENCH_RESOURCES", "100000"))
REQUESTS = 200
WRK_SECONDS = 10
WRK_CONNECTIONS = 8
POSTGRES_URL = os.environ.get(
    "SANDYQ_BENCH_POSTGRES_URL", "postgresql+psycopg://sandyq:sandyq@127.0.0.1:54329/sandyq"
)
BENCH_DATABASE = "sandyq_bench_catalogue"

# ---- realistic resources ------------------------------------------------------------------

#: subject (a key of the vocabulary's SUBJECTS) -> topics as (kk, ru, en) titles.
TOPICS: dict[str, list[tuple[str, str, str]]] = {
    "physics": [
        ("Ньютон заңдары", "Законы Ньютона", "Newton's laws"),
        ("Дененің қозғалысы", "Движение тела", "Motion of bodies"),
        ("Үдеу және жылдамдық", "Ускорение и скорость", "Acceleration and velocity"),
        ("Электр тогы", "Электрический ток", "Electric current"),
        ("Жарықтың сынуы", "Преломление света", "Refraction of light"),
        ("Қысым және күш", "Давление и сила", "Pressure and force"),
        ("Жылу құбылыстары", "Тепловые явления", "Thermal phenomena"),
    ],
    "mathematics": [
        ("Жай бөлшектер", "Обыкновенные дроби", "Common fractions"),
        ("Квадрат теңдеулер", "Квадратные уравнения", "Quadratic equations"),
        ("Үшбұрыштың ауданы", "Площадь треугольника", "Area of a triangle"),
        ("Ондық бөлшектер", "Десятичные дроби", "Decimal fractions"),
        ("Функция графигі", "График функции", "Graph of a function"),
        ("Пифагор теоремасы", "Теорема Пифагора", "Pythagorean theorem"),
    ],
    "chemistry": [
        ("Химиялық реакциялар", "Химические реакции", "Chemical reactions"),
        ("Периодтық жүйе", "Периодическая система", "Periodic table"),
        ("Қышқылдар мен негіздер", "Кислоты и основания", "Acids and bases"),
        ("Судың құрамы", "Состав воды", "Composition of water"),
    ],
    "biology": [
        ("Жасуша құрылысы", "Строение клетки", "Cell structure"),
        ("Өсімдіктердің фотосинтезі", "Фотосинтез растений", "Plant photosynthesis"),
        ("Адамның қан айналымы", "Кровообращение человека", "Human circulation"),
        ("Генетика негіздері", "Основы генетики", "Basics of genetics"),
    ],
    "history_kz": [
        ("Қазақ хандығының құрылуы", "Образование Казахского ханства", "The Kazakh Khanate"),
        ("Ұлы Жібек жолы", "Великий Шелковый путь", "The Great Silk Road"),
        ("Сақтар мен ғұндар", "Саки и гунны", "Saka and Huns"),
        ("Тәуелсіз Қазақстан", "Независимый Казахстан", "Independent Kazakhstan"),
    ],
    "geography": [
        ("Қазақстанның өзендері", "Реки Казахстана", "Rivers of Kazakhstan"),
        ("Климат белдеулері", "Климатические пояса", "Climate zones"),
        ("Жер бедері", "Рельеф Земли", "Landforms"),
    ],
    "kazakh": [
        ("Зат есім", "Имя существительное", "The noun"),
        ("Етістіктің шақтары", "Времена глагола", "Verb tenses"),
        ("Абай өлеңдері", "Стихи Абая", "Abai's poems"),
    ],
    "russian": [
        ("Правописание приставок", "Правописание приставок", "Prefix spelling"),
        ("Причастный оборот", "Причастный оборот", "Participial phrase"),
    ],
    "english": [
        ("Present Simple шағы", "Время Present Simple", "Present Simple tense"),
        ("Ағылшын тіліндегі сын есімдер", "Прилагательные", "Adjectives in English"),
        ("Менің отбасым", "Моя семья", "My family"),
    ],
    "informatics": [
        ("Алгоритмдер", "Алгоритмы", "Algorithms"),
        ("Python тілінде бағдарламалау", "Программирование на Python", "Programming in Python"),
        ("Компьютер желілері", "Компьютерные сети", "Computer networks"),
    ],
}
FORMS = [
    ("сабақ", "урок", "lesson"),
    ("тест", "тест", "test"),
    ("бейнедәріс", "видеолекция", "video lecture"),
    ("зертханалық жұмыс", "лабораторная работа", "lab work"),
    ("есептер жинағы", "сборник задач", "problem set"),
    ("қайталау", "повторение", "revision"),
]
SENTENCES = (
    [
        "Оқушылар тақырыпты мысалдар мен тапсырмалар арқылы меңгереді.",
        "Сабақта интерактивті жаттығулар мен бағалау сұрақтары бар.",
        "Мұғалімге арналған әдістемелік нұсқаулық қоса берілген.",
        "Материал офлайн режимде де жұмыс істейді.",
    ],
    [
        "Учащиеся осваивают тему через примеры и задания.",
        "В уроке есть интерактивные упражнения и вопросы для оценивания.",
        "Приложено методическое руководство для учителя.",
        "Материал работает и без подключения к интернету.",
    ],
    [
        "Students learn the topic through worked examples and tasks.",
        "The lesson has interactive exercises and assessment questions.",
        "A teacher's guide is included.",
        "The material also works offline.",
    ],
)
KEYWORDS = {
    "physics": ["күш", "масса", "үдеу", "сила", "энергия", "force", "motion", "инерция"],
    "mathematics": ["бөлшек", "теңдеу", "дробь", "уравнение", "fraction", "geometry"],
    "chemistry": ["реакция", "элемент", "молекула", "atom", "қышқыл"],
    "biology": ["жасуша", "клетка", "ген", "cell", "organism", "өсімдік"],
    "history_kz": ["хандық", "ханство", "тарих", "history", "Абылай"],
    "geography": ["өзен", "климат", "карта", "river", "map"],
    "kazakh": ["грамматика", "сөз", "Абай", "поэзия"],
    "russian": ["орфография", "грамматика", "синтаксис"],
    "english": ["grammar", "vocabulary", "reading", "грамматика"],
    "informatics": ["алгоритм", "Python", "программа", "network", "бағдарлама"],
}
TYPES = list(RESOURCE_TYPES)
#: The licences teachers choose most (ids of the vocabulary's LICENCES).
LICENSES = ["CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC0-1.0", "all-rights-reserved"]


Row = dict[str, Any]


def generate(count: int, owner_id: int, seed: int = 7) -> Iterator[tuple[Row, Row]]:
    """``count`` (resource, version) rows; version rows lack ``resource_id``."""
    rng = random.Random(seed)
    subjects = list(TOPICS)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for number in range(count):
        subject = rng.choice(subjects)
        topic = rng.choice(TOPICS[subject])
        form_index = rng.randrange(len(FORMS))
        form = FORMS[form_index]
        grade = rng.randint(GRADES[0], GRADES[-1])
        language = rng.choices(LANGUAGES, weights=(55, 35, 10))[0]
        part = rng.randint(1, 40)
        titles = [f"{topic[i]}: {form[i]} {part}" for i in range(3)]
        kept = [True, rng.random() < 0.6, rng.random() < 0.3]
        main = LANGUAGES.index(language)
        kept[main] = True
        descriptions = [
            " ".join(rng.sample(SENTENCES[i], 2)) + f" {grade_name(grade, 'kk')}." if i == 0 else ""
            for i in range(3)
        ]
        descriptions[main] = " ".join(rng.sample(SENTENCES[main], 3))
        size = int(rng.lognormvariate(16, 1.6))  # median ~9 MB, a long tail past 100 MB
        resource = {
            "uuid": f"00000000-0000-4000-8000-{number:012d}",
            "owner_id": owner_id,
            "state": "published",
            "reviews_anonymous": True,
            "created_at": start,
            "updated_at": start,
            "published_at": start + timedelta(minutes=number * 9 + rng.randint(0, 8)),
            "downloads": int(rng.paretovariate(1.2)) - 1,
            "published_number": 1,
            "lock_version": 1,
        }
        version = {
            "number": 1,
            "created_at": start,
            "created_by_id": owner_id,
            "frozen_at": start,
            "package_sha256": f"{number:064x}",
            "package_size": min(size, 2_000_000_000),
            "package_name": "package.zip",
            "validation": {},
            "title_kk": titles[0] if kept[0] else "",
            "title_ru": titles[1] if kept[1] else "",
            "title_en": titles[2] if kept[2] else "",
            "description_kk": descriptions[0],
            "description_ru": descriptions[1],
            "description_en": descriptions[2],
            "language": language,
            "subject": subject,
            "grades": sorted({grade, min(grade + rng.randint(0, 1), GRADES[-1])}),
            "resource_type": TYPES[min(form_index, len(TYPES) - 1)],
            "keywords": rng.sample(KEYWORDS[subject], 3),
            "license": rng.choice(LICENSES),
            "rights_holder": "",
            "copyright_attested": True,
            "accessibility": [],
            "offline_ready": rng.random() < 0.7,
            "scorm_version": rng.choice(["1.2", "2004 4th Edition"]),
            "author_response": "",
        }
        yield resource, version


def load(url: str, data_dir: Path, count: int) -> dict[str, float]:
    """A fresh migrated database holding ``count`` published resources, indexed."""
    from flask_migrate import upgrade

    from catalogue import create_app, search
    from catalogue.db import db
    from catalogue.models import Resource, ResourceVersion, User

    app = create_app({"DATABASE_URL": url, "DATA_DIR": str(data_dir), "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        session = db.session()
        owner = User(email="bench@example.kz", name="Bench")
        session.add(owner)
        session.commit()
        began = time.perf_counter()
        rows = generate(count, owner.id)
        resources = Resource.__table__
        versions = ResourceVersion.__table__
        while batch := [next(rows, None) for _ in range(5000)]:
            pairs = [pair for pair in batch if pair is not None]
            if not pairs:
                break
            with db.engine.begin() as connection:
                ids = (
                    connection.execute(
                        sa.insert(resources).returning(
                            resources.c.id, sort_by_parameter_order=True
                        ),
                        [resource for resource, _ in pairs],
                    )
                    .scalars()
                    .all()
                )
                connection.execute(
                    sa.insert(versions),
                    [
                        {**version, "resource_id": rid}
                        for rid, (_, version) in zip(ids, pairs, strict=True)
                    ],
                )
        loaded = time.perf_counter()
        indexed = search.rebuild(session)
        session.commit()
        done = time.perf_counter()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        db.engine.dispose()
    assert indexed == count, (indexed, count)
    return {"insert": loaded - began, "index": done - loaded}


# ---- serving and measuring --------------------------------------------------------------

QUERIES: list[dict[str, Any]] = [
    {"q": "қозғалыс"},
    {"q": "ньютон"},
    {"q": "үдеу"},
    {"q": "сил"},
    {"q": "дроби", "grade": 5},
    {"q": "fractions"},
    {"q": "жасуша құрылысы"},
    {"q": "python", "sort": "downloads"},
    {"q": "тест", "language": "ru", "type": "test"},
    {"q": "хандығы"},
    {"subject": "physics", "grade": 7},
    {"sort": "newest"},
    {"sort": "downloads", "offline": "true"},
    {"q": "теорема пифагора", "page": 2},
    {"q": "климат", "size_max": 10 * 1024 * 1024},
    {"q": "фотосинтз"},  # a typo: PostgreSQL falls back to title similarity
]
WRK_QUERY = {"q": "қозғалыс", "grade": 7}


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve(url: str, data_dir: Path, workers: int = 2, public_cache: str = "none") -> Server:
    """The catalogue under gunicorn. ``public_cache`` is ``SANDYQ_PUBLIC_CACHE``: "none" by
    default, so a search is measured, not a kept answer (catalogue.public_cache)."""
    port = free_port()
    environment = {
        **os.environ,
        "SANDYQ_DATABASE_URL": url,
        "SANDYQ_DATA_DIR": str(data_dir),
        "SANDYQ_SECRET_KEY": "bench",
        "SANDYQ_PUBLIC_CACHE": public_cache,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "catalogue:create_app()"],
        cwd=REPO, env=environment,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
                return Server(process, base)
        except requests.RequestException:
            pass
        time.sleep(0.2)
    process.terminate()
    process.wait(timeout=30)
    raise RuntimeError("gunicorn did not start")


def latencies(base: str) -> dict[str, float]:
    """p50/p95 of the query mix, repeated (facet counts kept from the first time) and
    each made new by a filter that changes nothing (``size_max`` above every package)."""
    with requests.Session() as http:
        for params in QUERIES:  # warm both workers
            http.get(f"{base}/api/v1/resources", params=params).raise_for_status()
        result: dict[str, float] = {}
        for label, fresh in (("", False), ("cold_", True)):
            timings = []
            for number in range(REQUESTS):
                params = dict(QUERIES[number % len(QUERIES)])
                if fresh:
                    params.setdefault("size_max", 2_000_000_000 + number)
                began = time.perf_counter()
                response = http.get(f"{base}/api/v1/resources", params=params)
                timings.append(time.perf_counter() - began)
                response.raise_for_status()
            cuts = statistics.quantiles(timings, n=100)
            result[f"{label}p50"], result[f"{label}p95"] = cuts[49] * 1000, cuts[94] * 1000
    return result


def wrk(url: str) -> float:
    wrk_bin = shutil.which("wrk") or "/usr/bin/wrk"
    result = subprocess.run(
        [wrk_bin, "-t", "2", "-c", str(WRK_CONNECTIONS), "-d", f"{WRK_SECONDS}s", url],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    found = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    if not found or "Non-2xx" in result.stdout:
        raise RuntimeError(f"wrk failed:\n{result.stdout}")
    return float(found.group(1))


def measure(url: str, data_dir: Path, progress: Callable[[str], None]) -> dict[str, float]:
    server = serve(url, data_dir)
    try:
        progress("catalogue: latency")
        result = latencies(server.base)
        progress("catalogue: wrk on a search and on /healthz")
        result["search_rps"] = wrk(f"{server.base}/api/v1/resources?{urlencode(WRK_QUERY)}")
        result["health_rps"] = wrk(f"{server.base}/healthz")
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)
    return result


def postgres_database(name: str = BENCH_DATABASE) -> str | None:
    """A fresh, empty benchmark database on the PostgreSQL server, if one answers."""
    base = sa.engine.make_url(POSTGRES_URL)
    try:
        admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(sa.text(f"CREATE DATABASE {name}"))
        admin.dispose()
    except sa.exc.OperationalError:
        return None
    return base.set(database=name).render_as_string(hide_password=False)


def bench_catalogue(work: Path, progress: Callable[[str], None] = lambda line: None) -> list[str]:
    """Markdown lines of the "## Catalogue search" section of docs/benchmarks.md."""
    work.mkdir(parents=True, exist_ok=True)
    databases = [("SQLite (FTS5)", f"sqlite:///{work / 'catalogue-bench.sqlite3'}")]
    postgres = postgres_database()
    if postgres is not None:
        databases.append(("PostgreSQL 'simple' + pg_trgm", postgres))
    rows: list[tuple[str, dict[str, float], dict[str, float]]] = []
    for label, url in databases:
        progress(f"catalogue: loading {RESOURCES} resources into {label}")
        data_dir = work / f"data-{len(rows)}"
        timing = load(url, data_dir, RESOURCES)
        rows.append((label, timing, measure(url, data_dir, progress)))
    lines = [
        "## Catalogue search",
        "",
        f"`bench/catalogue.py`: {RESOURCES:,} published resources with Kazakh, Russian and",
        "English titles, descriptions and keywords; the app under gunicorn (2 sync workers),",
        "with kept public answers off (`SANDYQ_PUBLIC_CACHE=none`): the search is measured.",
        f"Latency: {REQUESTS} searches one at a time over a fixed mix of {len(QUERIES)} (words,",
        "prefixes, filters, sorts, deep page, a typo), each with facet counts. Throughput:",
        f"wrk, {WRK_SECONDS} s, {WRK_CONNECTIONS} connections, on `/api/v1/resources?"
        f"{'&'.join(f'{k}={v}' for k, v in WRK_QUERY.items())}` and on `/healthz` of the",
        "same app in the same run.",
        "",
        "| database | bulk insert + index | p50 / p95 | first time: p50 / p95 "
        "| search req/s | /healthz req/s | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, timing, result in rows:
        lines.append(
            f"| {label} | {timing['insert']:.1f} s + {timing['index']:.1f} s | "
            f"{result['p50']:.1f} / {result['p95']:.1f} ms | "
            f"{result['cold_p50']:.1f} / {result['cold_p95']:.1f} ms | "
            f"{result['search_rps']:.0f} | {result['health_rps']:.0f} | "
            f"{result['search_rps'] / result['health_rps']:.2f} |"
        )
    lines += [
        "",
        "Facet counts are kept per worker, keyed by the search and the index's generation",
        '(`catalogue/search/engine.py`, `FacetCache`): "first time" makes every search new',
        "with a filter that changes nothing, so each one counts its facets again. The slow",
        "first-time searches are the broad ones (no words: counting over every resource).",
    ]
    if postgres is None:
        lines += ["", "PostgreSQL was not running (`tools/postgres.sh start`), so it is not here."]
    lines.append("")
    return lines


if __name__ == "__main__":
    raise SystemExit(run_alone(bench_catalogue, "catalogue"))
