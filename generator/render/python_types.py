"""How normalized-spec types are spelled in the generated Python.

Two sides: the output side (pydantic models, what responses parse into) and the input
side (TypedDicts, what callers pass). A model reached from both sides is rendered twice:
`Assistant` (pydantic) and `AssistantParam` (TypedDict); a definition that mentions no
model is shared by both sides.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import reserved
from ..spec.model import Alias, Definition, Enum, Model, Spec, Union_, inner_types, reachable
from ..spec.types import TypeExpr
from .environment import escape_invisible_json

OUTPUT, INPUT = "output", "input"

# Names the generated modules import. A definition of the same name keeps its name; the
# module then imports the runtime one under a private alias (`BaseModel as _BaseModel`).
RUNTIME_NAMES = (
    "Annotated", "BaseModel", "Body", "Field", "FileContent", "FileTypes", "Headers",
    "Iterable", "Literal", "NotGiven", "OpenEnum", "Query", "Required", "Tag", "TypeAlias",
    "TypedDict", "UNKNOWN_TAG", "UnknownVariant", "choose_by_shape", "discriminate_by",
    "AsyncCursorPage", "AsyncPaginator", "AsyncStream", "Request", "Stream", "Styled",
    "SyncCursorPage",
)  # fmt: skip
# Builtins and keywords cannot be aliased away: a definition named so gets a trailing `_`.
BUILTIN_NAMES = reserved.DEFINITIONS

# The same on both sides, but for files (bytes out; in, what an upload accepts: bytes, a
# file, a path, or a (filename, content, content type) tuple); containers differ (`list`
# out, `Iterable` in).
_PRIMITIVES = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "any": "object",
    "file": "bytes",
}


class RenderError(Exception):
    """The spec is valid but cannot be rendered as Python (e.g. a name clash)."""


def py_literal(value: Any) -> str:
    """A Python literal for a JSON scalar (double-quoted strings, as black writes them)."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value)
    return escape_invisible_json(json.dumps(value, ensure_ascii=False))


@dataclass(frozen=True)
class Sides:
    """Which definitions each side needs, and the name each side calls them by."""

    output: frozenset[str]
    input: frozenset[str]
    model_free: frozenset[str]  # definitions that mention no model: shared by both sides
    definitions: Mapping[str, Definition]
    param_names: dict[str, str]  # input-side names of what both sides render

    def renders_pydantic(self, name: str) -> bool:
        return isinstance(self.definitions[name], Model) and name in self.output

    def renders_param(self, name: str) -> bool:
        return name in self.input and name not in self.model_free

    def spell(self, runtime_name: str) -> str:
        """How the generated modules refer to one of RUNTIME_NAMES."""
        return f"_{runtime_name}" if runtime_name in self.definitions else runtime_name

    def param_name(self, name: str) -> str:
        """The input-side name: `X` if nothing on the output side is called that, else
        `XParam` (or, if the API has a schema of that name, `XParams`, `XInput`)."""
        return self.param_names.get(name) or output_name(name)


def compute_sides(spec: Spec) -> Sides:
    definitions = spec.definitions()
    out_roots: list[TypeExpr] = []
    in_roots: list[TypeExpr] = []
    for _, method in spec.methods():
        out_roots += [t for t in (method.response,) if t is not None]
        if method.pagination:
            out_roots.append(method.pagination.item)
        if method.streaming:
            out_roots.append(method.streaming.event)
        in_roots += [p.type for _, p in method.params()]
        if method.body:
            in_roots.append(method.body.type)
    inputs = reachable(in_roots, definitions)
    # What no operation reaches (stream-event families, included schemas) is read, not sent.
    unreached = set(definitions) - reachable(out_roots, definitions) - inputs
    output = reachable(
        out_roots + [TypeExpr("ref", name=n) for n in sorted(unreached)], definitions
    )
    specific = _side_specific(definitions)
    model_free = frozenset(n for n in definitions if n not in specific)
    both = sorted(n for n in definitions if n in inputs and n in output and n not in model_free)
    taken = {output_name(n) for n in definitions}
    param_names = {}
    for name in both:
        candidate = next((name + s for s in _PARAM_SUFFIXES if name + s not in taken), "")
        if not candidate:
            raise RenderError(f"{name}: every input-side name ({name}Param, ...) is taken")
        taken.add(candidate)
        param_names[name] = candidate
    sides = Sides(frozenset(output), frozenset(inputs), model_free, definitions, param_names)
    _check_generated_names(sides)
    return sides


_PARAM_SUFFIXES = ("Param", "Params", "Input", "InputParam")


def _side_specific(definitions: Mapping[str, Definition]) -> set[str]:
    """The definitions spelled differently on each side: those that mention a model (a
    pydantic class out, a TypedDict in) or a file (bytes out, FileTypes in), directly or
    through other definitions. One walk back from those that do (a reachability walk per
    definition took 0.4 s of the whole OpenAI spec's render, profiled)."""
    referrers: dict[str, set[str]] = {}
    for name, definition in definitions.items():
        for expr in inner_types(definition):
            for ref in expr.refs():
                referrers.setdefault(ref, set()).add(name)
    stack = [
        name
        for name, definition in definitions.items()
        if isinstance(definition, Model) or any(_mentions_file(t) for t in inner_types(definition))
    ]
    found: set[str] = set()
    while stack:
        name = stack.pop()
        if name not in found:
            found.add(name)
            stack.extend(referrers.get(name, ()))
    return found


def _mentions_file(expr: TypeExpr) -> bool:
    if expr.kind == "primitive":
        return expr.name == "file"
    return expr.item is not None and _mentions_file(expr.item)


def mentions_file(expr: TypeExpr, definitions: Mapping[str, Definition]) -> bool:
    """Whether a value of this type may hold a file (directly, in a list, an alias or a
    union member; not inside a model)."""
    if _mentions_file(expr):
        return True
    stack = list(expr.refs())
    seen: set[str] = set()
    while stack:
        name = stack.pop()
        definition = definitions.get(name)
        if name in seen or definition is None or isinstance(definition, Model):
            continue
        seen.add(name)
        for inner in inner_types(definition):
            if _mentions_file(inner):
                return True
            stack.extend(inner.refs())
    return False


def _check_generated_names(sides: Sides) -> None:
    for name in sorted(sides.definitions):
        if (
            sides.renders_param(name)
            and sides.param_name(name) != name
            and sides.param_name(name) in sides.definitions
        ):
            raise RenderError(
                f"{name}: its input-side name {sides.param_name(name)!r} is taken by another definition"
            )
        union = sides.definitions[name]
        if (
            isinstance(union, Union_)
            and has_unknown_variant(union, sides)
            and unknown_variant_name(name) in sides.definitions
        ):
            raise RenderError(
                f"{name}: the name {unknown_variant_name(name)!r} of its fallback is taken"
            )


def output_name(name: str) -> str:
    """A definition's Python name: its own, unless that would hide a name the module uses."""
    return f"{name}_" if name in BUILTIN_NAMES else name


def unknown_variant_name(union: str) -> str:
    return f"{union}Unknown"


def shape_members(union: Union_, sides: Sides) -> list[TypeExpr]:
    """The variants of a union that are response models. Without a discriminator, two or
    more of them are told apart by shape at runtime (`choose_by_shape`)."""
    return [
        v
        for v in union.variants
        if v.kind == "ref" and not v.nullable and sides.renders_pydantic(v.name)
    ]


def has_unknown_variant(union: Union_, sides: Sides) -> bool:
    """Whether the response side renders an `*Unknown` fallback member for this union."""
    return bool(union.discriminator) or len(shape_members(union, sides)) >= 2


def py_type(expr: TypeExpr, side: str, sides: Sides) -> str:
    """The annotation for `expr` on one side, in Python 3.10 syntax (`list[T]`, `T | None`)."""
    if expr.kind == "primitive" and expr.name == "file" and side == INPUT:
        text = sides.spell("FileTypes")
    elif expr.kind == "primitive":
        text = _PRIMITIVES[expr.name]
    elif expr.kind == "ref" and _is_null_alias(sides.definitions.get(expr.name)):
        return "None"  # `X = None` cannot be used as `X | None`: None is spelled out
    elif expr.kind == "ref":
        text = output_name(expr.name) if side == OUTPUT else sides.param_name(expr.name)
    elif expr.kind == "list":
        assert expr.item is not None
        container = "list" if side == OUTPUT else sides.spell("Iterable")
        text = f"{container}[{py_type(expr.item, side, sides)}]"
    elif expr.kind == "map":
        assert expr.item is not None
        text = f"dict[str, {py_type(expr.item, side, sides)}]"
    elif expr.value is None:
        return "None"
    else:
        text = f"{sides.spell('Literal')}[{py_literal(expr.value)}]"
    return optional_type(text) if expr.nullable else text


def _is_null_alias(definition: Definition | None) -> bool:
    return (
        isinstance(definition, Alias)
        and definition.type.kind == "literal"
        and definition.type.value is None
    )


def optional_type(annotation: str) -> str:
    return (
        annotation
        if annotation.endswith(" | None") or annotation == "None"
        else f"{annotation} | None"
    )


def enum_type(enum: Enum, literal: str = "Literal") -> str:
    """A Literal of the values; floats (which Literal cannot hold) fall back to `float`."""
    others = [v for v in enum.values if not isinstance(v, float)]
    parts = [f"{literal}[" + ", ".join(py_literal(v) for v in others) + "]"] if others else []
    if len(others) < len(enum.values):
        parts.append("float")
    return " | ".join(parts)
