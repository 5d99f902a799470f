"""Whether a JSON value fits a type of the normalized spec: the check of a document's own
examples against its schemas.

The generated SDK parses leniently (unknown fields kept, new enum values and unknown union
members passed through, drifted fields kept raw), so an example that departs from its schema
is still shown; what departs is reported, one `path: problem` line each, as strict mode
would reject it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .model import Alias, Definition, Enum, Model, Union_
from .types import TypeExpr

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


def drift(value: Any, expr: TypeExpr, definitions: Mapping[str, Definition]) -> list[str]:
    """Every place where `value` departs from `expr`, as `path: problem` (`$` is the value
    itself, `$.data[0].id` a part of it)."""
    checker = _Checker(definitions)
    checker.check(value, expr, "$")
    return checker.problems


def fits(value: Any, expr: TypeExpr, definitions: Mapping[str, Definition]) -> bool:
    return not drift(value, expr, definitions)


class _Checker:
    def __init__(self, definitions: Mapping[str, Definition]):
        self.definitions = definitions
        self.problems: list[str] = []
        # (definition, place) being checked: an alias or union naming itself adds nothing
        self.visiting: set[tuple[str, str]] = set()

    def check(self, value: Any, expr: TypeExpr, path: str) -> None:
        if value is None:
            if not accepts_null(expr, self.definitions):
                self.problems.append(f"{path}: null where {expr} is expected")
        elif expr.kind == "primitive":
            wanted = _JSON_TYPES.get(expr.name)
            if wanted and (
                not isinstance(value, wanted) or (isinstance(value, bool) and bool not in wanted)
            ):
                self.problems.append(f"{path}: {_show(value)} is not {_article(expr.name)}")
        elif expr.kind == "literal":
            if not _same(value, expr.value):
                self.problems.append(
                    f"{path}: {_show(value)} where {_show(expr.value)} is expected"
                )
        elif expr.kind in ("list", "map"):
            self._container(value, expr, path)
        elif expr.name in self.definitions and (expr.name, path) not in self.visiting:
            self.visiting.add((expr.name, path))
            self._definition(value, self.definitions[expr.name], path)
            self.visiting.discard((expr.name, path))

    def _container(self, value: Any, expr: TypeExpr, path: str) -> None:
        assert expr.item is not None
        if expr.kind == "list":
            if not isinstance(value, list):
                self.problems.append(f"{path}: {_show(value)} is not an array")
                return
            for index, item in enumerate(value):
                self.check(item, expr.item, f"{path}[{index}]")
        elif not isinstance(value, dict):
            self.problems.append(f"{path}: {_show(value)} is not an object")
        else:
            for key, item in value.items():
                self.check(item, expr.item, f"{path}.{key}")

    def _definition(self, value: Any, definition: Definition, path: str) -> None:
        if isinstance(definition, Alias):
            self.check(value, definition.type, path)
        elif isinstance(definition, Enum):
            if not any(_same(value, v) for v in definition.values):
                self.problems.append(
                    f"{path}: {_show(value)} is not one of {definition.name}'s values"
                )
        elif isinstance(definition, Model):
            self._model(value, definition, path)
        else:
            self._union(value, definition, path)

    def _model(self, value: Any, model: Model, path: str) -> None:
        if not isinstance(value, dict):
            self.problems.append(f"{path}: {_show(value)} is not an object ({model.name})")
            return
        fields = {f.name: f for f in model.fields}
        for f in model.fields:
            if f.required and f.name not in value and not (f.read_only or f.write_only):
                self.problems.append(
                    f"{path}: required field {f.name!r} of {model.name} is missing"
                )
        for key, item in value.items():
            known = fields.get(key)
            if known is not None:
                self.check(item, known.type, f"{path}.{key}")
            elif model.extra is not None:
                self.check(item, model.extra, f"{path}.{key}")
            else:
                self.problems.append(f"{path}: {model.name} has no field {key!r}")

    def _union(self, value: Any, union: Union_, path: str) -> None:
        if union.discriminator and isinstance(value, dict):
            tag = value.get(union.discriminator)
            target = union.mapping.get(str(tag)) if tag is not None else None
            member = next((v for v in union.variants if v.kind == "ref" and v.name == target), None)
            if member is None:
                self.problems.append(f"{path}: {_show(tag)} is not a known {union.name} member")
            else:
                self.check(value, member, path)
            return
        best: list[str] | None = None
        for variant in union.variants:
            trial = _Checker(self.definitions)
            trial.visiting = self.visiting
            trial.check(value, variant, path)
            if not trial.problems:
                return
            if best is None or len(trial.problems) < len(best):
                best = trial.problems
        if best and len(union.variants) > 1 and len(best) > 1:
            self.problems.append(f"{path}: {_show(value)} fits no member of {union.name}")
        elif best:
            self.problems.extend(best)


def accepts_null(expr: TypeExpr, definitions: Mapping[str, Definition], depth: int = 0) -> bool:
    """Whether null is a value of `expr` (nullable, or an alias or union that takes null)."""
    if expr.nullable or (expr.kind == "literal" and expr.value is None):
        return True
    if expr.kind == "primitive":
        return expr.name == "any"
    definition = definitions.get(expr.name) if expr.kind == "ref" else None
    if depth > 8 or definition is None:
        return False
    if isinstance(definition, Alias):
        return accepts_null(definition.type, definitions, depth + 1)
    if isinstance(definition, Union_):
        return any(accepts_null(v, definitions, depth + 1) for v in definition.variants)
    if isinstance(definition, Enum):
        return None in definition.values
    return False


def _same(value: Any, expected: Any) -> bool:
    """JSON equality: true is not 1."""
    return bool(value == expected and isinstance(value, bool) == isinstance(expected, bool))


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _article(name: str) -> str:
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"
