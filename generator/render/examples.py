"""Example values synthesized from the normalized spec, the way the reference docs show them.

Strings are their field name ("name": "name"; inside arrays and maps, "string"), numbers 0,
booleans true, maps {"foo": ...}, enums and unions their first value or variant; a field's
own example wins, then its default (unless an empty list or map). Object keys come `id`
first, then required fields, then optional ones, each group alphabetical.
"""

from __future__ import annotations

from typing import Any

from ..spec.model import MISSING, Alias, Definition, Enum, Field, Model, Union_
from ..spec.types import TypeExpr

_MAX_DEPTH = 8


def example_value(expr: TypeExpr, definitions: dict[str, Definition], name: str = "string") -> Any:
    return _value(expr, definitions, name, ())


def _value(
    expr: TypeExpr, definitions: dict[str, Definition], name: str, trail: tuple[str, ...]
) -> Any:
    if expr.kind == "literal":
        return expr.value
    if expr.kind == "primitive":
        return {
            "string": name,
            "integer": 0,
            "number": 0,
            "boolean": True,
            "any": {},
            "file": "file",
        }[expr.name]
    if expr.kind == "list":
        assert expr.item is not None
        return [_value(expr.item, definitions, "string", trail)]
    if expr.kind == "map":
        assert expr.item is not None
        return {"foo": _value(expr.item, definitions, "string", trail)}
    definition = definitions[expr.name]
    if expr.name in trail or len(trail) > _MAX_DEPTH:
        return {}  # a recursive type: stop where it would repeat
    trail = trail + (expr.name,)
    if isinstance(definition, Model):
        return {f.name: _field_value(f, definitions, trail) for f in ordered_fields(definition)}
    if isinstance(definition, Enum):
        return definition.values[0]
    if isinstance(definition, Union_):
        return _value(definition.variants[0], definitions, name, trail)
    assert isinstance(definition, Alias)
    return _value(definition.type, definitions, name, trail)


def _field_value(f: Field, definitions: dict[str, Definition], trail: tuple[str, ...]) -> Any:
    if f.example is not MISSING:
        return f.example
    if f.default is not MISSING and f.default not in ([], {}, None):
        return f.default
    return _value(f.type, definitions, f.name, trail)


def ordered_fields(model: Model) -> list[Field]:
    """`id` first, then required fields, then optional ones, each group alphabetical."""
    return sorted(model.fields, key=lambda f: (f.name != "id", not f.required, f.name))
