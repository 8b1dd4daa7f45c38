"""Each fuzz module declares how many tests share its target's budget; the count must be
true, or a target would get more or fewer inputs than ``docs/security.md`` says."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.fuzz

MODULES = sorted(
    name
    for _, name, _ in pkgutil.iter_modules(tests.fuzz.__path__)
    if name.startswith("test_fuzz_")
)


def test_every_reader_of_strangers_files_has_a_fuzz_module() -> None:
    assert MODULES == [f"test_fuzz_{t}" for t in ("aiken", "docx", "gift", "manifest", "zip")]


@pytest.mark.parametrize("name", MODULES)
def test_a_module_declares_the_number_of_tests_sharing_its_budget(name: str) -> None:
    module = importlib.import_module(f"tests.fuzz.{name}")
    fuzz_tests = [
        value
        for key, value in vars(module).items()
        if key.startswith("test_") and getattr(value, "is_hypothesis_test", False)
    ]
    assert module.TESTS_IN_TARGET == len(fuzz_tests), (
        f"{name} has {len(fuzz_tests)} fuzz tests: TESTS_IN_TARGET = {len(fuzz_tests)}"
    )
