"""Example values synthesized from the normalized spec, the way the reference docs show them.

Strings are their field name ("name": "name"; inside arrays and maps, "string"), numbers 0,
booleans true, maps {"foo": ...}, enums and unions their first value or variant; a field's
own example wins, then its default (unless an empty list or map). Object keys come `id`
first, then required fields, then optional ones, each group alphabetical.
"""

from __future__ import annotations

from typing import Any

from ..spec.model import (
    MISSING,
    Alias,
    Definition,
    Enum,
    Field,
    Model,
    Union_,
    received_fields,
    sent_fields,
)
from ..spec.types import TypeExpr

_MAX_DEPTH = 8


def example_value(
    expr: TypeExpr, definitions: dict[str, Definition], name: str = "string", sent: bool = False
) -> Any:
    """An example of a value received (write-only fields left out) or, with `sent`, of a
    value sent (read-only fields left out)."""
    return _value(expr, definitions, name, (), sent)


def _value(
    expr: TypeExpr,
    definitions: dict[str, Definition],
    name: str,
    trail: tuple[str, ...],
    sent: bool = False,
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
        return [_value(expr.item, definitions, "string", trail, sent)]
    if expr.kind == "map":
        assert expr.item is not None
        return {"foo": _value(expr.item, definitions, "string", trail, sent)}
    definition = definitions[expr.name]
    if expr.name in trail or len(trail) > _MAX_DEPTH:
        return {}  # a recursive type: stop where it would repeat
    trail = trail + (expr.name,)
    if isinstance(definition, Model):
        shown = sent_fields(definition) if sent else received_fields(definition)
        return {
            f.name: _field_value(f, definitions, trail, sent)
            for f in ordered_fields(definition)
            if f in shown
        }
    if isinstance(definition, Enum):
        return definition.values[0]
    if isinstance(definition, Union_):
        first = definition.variants[0]
        value = _value(first, definitions, name, trail, sent)
        tag = next((v for v, target in definition.mapping.items() if target == first.name), None)
        prop = definition.discriminator
        if tag is not None and isinstance(value, dict) and str(value.get(prop)) != tag:
            value[prop] = tag  # a member whose tag field is any string: the value selecting it
        return value
    assert isinstance(definition, Alias)
    return _value(definition.type, definitions, name, trail, sent)


def _field_value(
    f: Field, definitions: dict[str, Definition], trail: tuple[str, ...], sent: bool
) -> Any:
    if f.example is not MISSING:
        return f.example
    if f.default is not MISSING and f.default not in ([], {}, None):
        return f.default
    return _value(f.type, definitions, f.name, trail, sent)


def ordered_fields(model: Model) -> list[Field]:
    """`id` first, then required fields, then optional ones, each group alphabetical."""
    return sorted(model.fields, key=lambda f: (f.name != "id", not f.required, f.name))
