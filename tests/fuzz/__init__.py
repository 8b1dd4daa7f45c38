"""Fuzz tests: the readers of strangers' files driven by generated inputs (hypothesis).

Every target must end in a result or in one of the project's own clear errors (a
``ScormError`` naming the file, saying what is wrong and how to fix it); any other
exception is a crash. How many inputs each target gets is a profile chosen by the
environment variable ``SANDYQ_FUZZ``, which the Makefile sets, never by hand:

- ``short`` (the default, ``make test``): 200 inputs per target, derandomized, so CI
  sees the same inputs on every run and stays quick;
- ``long`` (``make fuzz``): 100,000 inputs per target, random, the figure in
  ``docs/security.md``; a target (one reader) with several tests shares its budget
  between them, so each input family gets its part and the soak ends in hours, not days;
- a number (``make fuzz SANDYQ_FUZZ=10000``): that many inputs per target, for a shorter soak.

No example database is kept (``database=None``): the work tree stays clean, and a crash is
printed with its input, which becomes a unit test of the reader it broke.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

from scorm_builder.errors import ScormError

PROFILES = {"short": 200, "long": 100_000}
_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

for _name, _examples in PROFILES.items():
    settings.register_profile(
        f"sandyq-{_name}",
        max_examples=_examples,
        deadline=None,
        derandomize=_name == "short",
        database=None,
        suppress_health_check=_SLOW_IS_FINE,
        print_blob=True,
    )

PROFILE = os.environ.get("SANDYQ_FUZZ", "short")
if PROFILE in PROFILES:
    _PROFILE = settings.get_profile(f"sandyq-{PROFILE}")
    _PER_TARGET = PROFILE != "short"
elif PROFILE.isdigit() and int(PROFILE) > 0:
    # a one-off run of that many inputs per target (``make fuzz SANDYQ_FUZZ=10000``)
    _PROFILE = settings(settings.get_profile("sandyq-long"), max_examples=int(PROFILE))
    _PER_TARGET = True
else:
    raise RuntimeError(f"SANDYQ_FUZZ={PROFILE!r}: use one of {', '.join(PROFILES)} or a number")


def fuzz_settings(tests_in_target: int) -> settings:
    """The settings a target's fuzz tests wear (``@FUZZ`` above ``@given``).

    The long profiles count inputs per target, so a module of ``tests_in_target`` tests
    gives each its share; ``make test`` gives every test its 200 whatever the module.
    ``tests/fuzz/test_budget.py`` checks that the number matches the module.
    """
    if not _PER_TARGET:
        return _PROFILE
    return settings(_PROFILE, max_examples=-(-_PROFILE.max_examples // tests_in_target))


def assert_clear(error: ScormError, source: str) -> None:
    """A refusal a teacher can act on: it names the file, says what is wrong and a fix."""
    assert error.file == source, f"the error names {error.file!r}, not {source!r}: {error}"
    assert error.message.strip(), f"an error with no message: {error!r}"
    assert error.hint and error.hint.strip(), f"an error with no hint: {error}"
