"""Settings of ``sandyq sync moodle``, and the small local state it keeps between runs.

Each setting comes from, first found wins: the command-line option, its environment
variable (``SANDYQ_MOODLE_URL``, ``SANDYQ_MOODLE_TOKEN``, ``SANDYQ_CATALOGUE_URL``,
``SANDYQ_CATALOGUE_TOKEN``), the TOML file (``--config PATH``, by default
``~/.config/sandyq/sync.toml``), then the default. The file::

    [moodle]
    url = "https://moodle.school.kz"
    token = "…"                     # or leave it to SANDYQ_MOODLE_TOKEN

    [catalogue]
    url = "https://sandyq.edu.kz"
    token = "…"

    [sync]
    concurrency = 3                 # uploads at a time
    subjects = ["physics", "chemistry"]
    grades = [7, 8, 9]
    languages = ["kk", "ru"]
    state_dir = "~/.local/state/sandyq"
    timeout = 120                   # seconds to wait for one answer

    [mapping]                       # see lms_sync.mapping
    root_name = "Sandyq"
    names = "kk"
    [mapping.subject_names]
    robotics = "Робототехника және STEM"

Tokens never appear in ``repr``, logs or output.
"""

from __future__ import annotations

import json
import os
import threading
import tomllib
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lms_sync.mapping import Mapping, MappingError
from lms_sync.models import Filters
from lms_sync.retrying import Retries
from scorm_builder.vocabulary import GRADES

DEFAULT_CONCURRENCY = 3
DEFAULT_TIMEOUT = 120.0  # Moodle unzips and parses a package while it answers
STATE_FILE = "moodle-sync-sha1.json"


class ConfigError(Exception):
    """A setting is missing or wrong; the message names it and where to set it."""


@dataclass(frozen=True)
class SyncConfig:
    moodle_url: str
    moodle_token: str = field(repr=False)
    catalogue_url: str
    catalogue_token: str = field(repr=False)
    state_dir: Path
    filters: Filters = Filters()
    mapping: Mapping = Mapping()
    concurrency: int = DEFAULT_CONCURRENCY
    timeout: float = DEFAULT_TIMEOUT
    retries: Retries = Retries()

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(token for token in (self.moodle_token, self.catalogue_token) if token)


def default_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "sandyq" / "sync.toml"


def default_state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "sandyq"


def read_config_file(path: Path | None) -> dict[str, Any]:
    """The TOML file's tables; ``{}`` when the default file does not exist. A path given
    on purpose (``--config``) must exist."""
    chosen = path or default_config_path()
    if not chosen.exists():
        if path is not None:
            raise ConfigError(f"--config: {path} does not exist")
        return {}
    try:
        with chosen.open("rb") as stream:
            return tomllib.load(stream)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{chosen}: not valid TOML ({error})") from None
    except OSError as error:
        raise ConfigError(f"{chosen}: cannot be read ({error.strerror})") from None


def _table(data: MappingType[str, Any], name: str, origin: str) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{origin}: [{name}] must be a table")
    return table


def _pick(option: Any, table: MappingType[str, Any], key: str, default: Any = None) -> Any:
    return option if option not in (None, (), "") else table.get(key, default)


def _strings(value: Any, name: str) -> frozenset[str]:
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split() if part]
    if not isinstance(value, list | tuple | frozenset | set) or not all(
        isinstance(v, str) for v in value
    ):
        raise ConfigError(f"{name}: a list of words")
    return frozenset(value)


def _grades(value: Any) -> frozenset[int]:
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split() if part]
    problem = f"grades: whole numbers from {GRADES[0]} to {GRADES[-1]}"
    try:
        grades = frozenset(int(v) for v in value if not isinstance(v, bool | float))
    except (TypeError, ValueError):
        raise ConfigError(problem) from None
    if not grades <= set(GRADES):
        raise ConfigError(problem)
    return grades


def filters_from(
    subjects: tuple[str, ...] = (),
    grades: tuple[int | str, ...] = (),
    languages: tuple[str, ...] = (),
) -> Filters:
    """Filters from command-line words, checked as the settings file's are."""
    return Filters(
        subjects=_strings(list(subjects), "subjects"),
        grades=_grades(list(grades)),
        languages=_strings(list(languages), "languages"),
    )


def _url(value: Any, option: str, env: str) -> str:
    if not value:
        raise ConfigError(
            f"the {option.removeprefix('--').replace('-', ' ')} is not set: give {option}, "
            f"set {env}, or put it in the config file"
        )
    text = str(value).strip().rstrip("/")
    if not text.startswith(("http://", "https://")):
        raise ConfigError(f"{option}: an http:// or https:// address, not {text!r}")
    return text


def _token(value: Any, option: str, env: str) -> str:
    if not value or not str(value).strip():
        raise ConfigError(
            f"the {option.removeprefix('--').replace('-', ' ')} is not set: give {option}, "
            f"set {env} (safer: it stays out of the shell history), or put it in the "
            "config file"
        )
    return str(value).strip()


def resolve(
    *,
    config_path: Path | None = None,
    moodle_url: str | None = None,
    moodle_token: str | None = None,
    catalogue_url: str | None = None,
    catalogue_token: str | None = None,
    subjects: tuple[str, ...] = (),
    grades: tuple[int | str, ...] = (),
    languages: tuple[str, ...] = (),
    concurrency: int | None = None,
    state_dir: Path | None = None,
) -> SyncConfig:
    """The settings: options (environment variables arrive as options) over the file
    over defaults. ``ConfigError`` names what is missing or wrong."""
    data = read_config_file(config_path)
    origin = str(config_path or default_config_path())
    moodle = _table(data, "moodle", origin)
    catalogue = _table(data, "catalogue", origin)
    sync = _table(data, "sync", origin)
    try:
        mapping = Mapping.from_config(_table(data, "mapping", origin))
    except MappingError as error:
        raise ConfigError(f"{origin}: {error}") from None
    except TypeError as error:
        raise ConfigError(f"{origin}: [mapping]: {error}") from None

    chosen_concurrency = _pick(concurrency, sync, "concurrency", DEFAULT_CONCURRENCY)
    if not isinstance(chosen_concurrency, int) or not 1 <= chosen_concurrency <= 32:
        raise ConfigError("concurrency: a whole number from 1 to 32")
    timeout = sync.get("timeout", DEFAULT_TIMEOUT)
    if not isinstance(timeout, int | float) or timeout <= 0:
        raise ConfigError("timeout: seconds, more than 0")
    folder = _pick(state_dir, sync, "state_dir") or default_state_dir()
    return SyncConfig(
        moodle_url=_url(_pick(moodle_url, moodle, "url"), "--moodle-url", "SANDYQ_MOODLE_URL"),
        moodle_token=_token(
            _pick(moodle_token, moodle, "token"), "--moodle-token", "SANDYQ_MOODLE_TOKEN"
        ),
        catalogue_url=_url(
            _pick(catalogue_url, catalogue, "url"), "--catalogue-url", "SANDYQ_CATALOGUE_URL"
        ),
        catalogue_token=_token(
            _pick(catalogue_token, catalogue, "token"),
            "--catalogue-token",
            "SANDYQ_CATALOGUE_TOKEN",
        ),
        state_dir=Path(folder).expanduser(),
        filters=Filters(
            subjects=_strings(_pick(subjects, sync, "subjects", []), "subjects"),
            grades=_grades(_pick(grades, sync, "grades", [])),
            languages=_strings(_pick(languages, sync, "languages", []), "languages"),
        ),
        mapping=mapping,
        concurrency=chosen_concurrency,
        timeout=float(timeout),
    )


@dataclass(frozen=True)
class CatalogueSettings:
    """Where the catalogue is and the token to read it with: all the offline library needs."""

    url: str
    token: str = field(repr=False)
    timeout: float = DEFAULT_TIMEOUT


def resolve_catalogue(
    *,
    config_path: Path | None = None,
    catalogue_url: str | None = None,
    catalogue_token: str | None = None,
) -> CatalogueSettings:
    """The catalogue's settings as ``resolve`` finds them (options, environment, the
    ``[catalogue]`` table of the same file), without the Moodle ones."""
    data = read_config_file(config_path)
    origin = str(config_path or default_config_path())
    catalogue = _table(data, "catalogue", origin)
    timeout = _table(data, "sync", origin).get("timeout", DEFAULT_TIMEOUT)
    if not isinstance(timeout, int | float) or timeout <= 0:
        raise ConfigError("timeout: seconds, more than 0")
    return CatalogueSettings(
        url=_url(_pick(catalogue_url, catalogue, "url"), "--catalogue-url", "SANDYQ_CATALOGUE_URL"),
        token=_token(
            _pick(catalogue_token, catalogue, "token"),
            "--catalogue-token",
            "SANDYQ_CATALOGUE_TOKEN",
        ),
        timeout=float(timeout),
    )


class PackageSha1s:
    """The local state file: ``"<uuid>:<sha256>" -> sha1`` of every package seen.

    The feed gives a package's sha256, Moodle keeps its sha1: knowing both for a package
    lets a run with no change compare without downloading anything. Losing the file costs
    downloads (to compare), never a wrong upload. Written atomically after each new
    entry, so a run killed halfway keeps what it learnt. Thread-safe.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / STATE_FILE
        self._lock = threading.Lock()
        self._known: dict[str, str] = {}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            loaded = {}
        except (OSError, ValueError):
            loaded = {}  # a damaged file only costs downloads
        packages = loaded.get("packages", {}) if isinstance(loaded, dict) else {}
        if isinstance(packages, dict):
            self._known = {
                str(k): str(v) for k, v in packages.items() if isinstance(v, str) and len(v) == 40
            }

    def snapshot(self) -> dict[str, str]:
        with self._lock:
            return dict(self._known)

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._known.get(key)

    def remember(self, key: str, sha1: str) -> None:
        with self._lock:
            if self._known.get(key) == sha1:
                return
            self._known[key] = sha1
            self._write()

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        body = {"version": 1, "packages": dict(sorted(self._known.items()))}
        temporary.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, self.path)
