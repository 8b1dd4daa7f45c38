"""Web-service parameters as ``external_api::validate_parameters`` checks them: PHP's
bracket form unflattened, then each value checked against its declared type.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from tests.support.fake_moodle.wire import invalid_parameter

# ---- parameters -------------------------------------------------------------------------

_ABSENT: Any = object()
_INT = re.compile(r"-?(0|[1-9][0-9]*)")


def unflatten(form: Mapping[str, str]) -> dict[str, Any]:
    """PHP's reading of ``courses[0][shortname]=x`` into nested dicts (keys stay strings)."""
    tree: dict[str, Any] = {}
    for name, value in form.items():
        match = re.fullmatch(r"([^\[\]]+)((?:\[[^\[\]]*\])*)", name)
        if not match:
            continue
        keys = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        node = tree
        for key in keys[:-1]:
            child = node.get(key)
            if not isinstance(child, dict):
                child = node[key] = {}
            node = child
        node[keys[-1]] = value
    return tree


class Spec:
    """One declared parameter (``external_value`` and friends)."""

    def __init__(self, *, required: bool = True, default: Any = _ABSENT) -> None:
        self.required = required
        self.default = default

    def check(self, raw: Any) -> Any:
        raise NotImplementedError


class Int(Spec):
    """PARAM_INT: Moodle cleans the value and rejects it if cleaning changed it."""

    def check(self, raw: Any) -> int:
        if isinstance(raw, str) and _INT.fullmatch(raw):
            return int(raw)
        raise invalid_parameter()


class Text(Spec):
    def check(self, raw: Any) -> str:
        if isinstance(raw, str):
            return raw
        raise invalid_parameter()


class Bool(Spec):
    """PARAM_BOOL: only "0" and "1" survive the clean-and-compare."""

    def check(self, raw: Any) -> bool:
        if raw in ("0", "1"):
            return bool(raw == "1")
        raise invalid_parameter()


class Many(Spec):
    def __init__(self, item: Spec, *, required: bool = True, default: Any = _ABSENT) -> None:
        super().__init__(required=required, default=default)
        self.item = item

    def check(self, raw: Any) -> list[Any]:
        if not isinstance(raw, dict):
            raise invalid_parameter()
        return [self.item.check(value) for value in raw.values()]


class Struct(Spec):
    def __init__(
        self, fields: Mapping[str, Spec], *, required: bool = True, default: Any = _ABSENT
    ) -> None:
        super().__init__(required=required, default=default)
        self.fields = dict(fields)

    def check(self, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, dict) or set(raw) - set(self.fields):
            raise invalid_parameter()  # Moodle also refuses unexpected keys
        clean: dict[str, Any] = {}
        for name, spec in self.fields.items():
            if name in raw:
                clean[name] = spec.check(raw[name])
            elif spec.required:
                raise invalid_parameter()
            elif spec.default is not _ABSENT:
                clean[name] = copy.deepcopy(spec.default)
        return clean


def opt(spec: Spec, default: Any = _ABSENT) -> Spec:
    """A copy of the parameter, optional (with a default when one is given)."""
    spec = copy.copy(spec)
    spec.required = False
    spec.default = default
    return spec
