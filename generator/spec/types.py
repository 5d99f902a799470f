"""Type expressions of the normalized spec.

A field, parameter, alias or union variant has a type written as a short string that
reads well in a diff:

    string | integer | number | boolean | any | file      primitives
    Assistant                                              a named model, enum, union or alias
    list[T]   map[T]                                       arrays, string-keyed objects
    literal["assistant"]   literal[1]                      a single allowed JSON value
    T?                                                     T or null

The grammar is parsed into `TypeExpr`; `str(expr)` writes it back unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

PRIMITIVES = ("string", "integer", "number", "boolean", "any", "file")
Scalar = str | int | float | bool | None

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class TypeSyntaxError(ValueError):
    """A type string that does not follow the grammar above."""


@dataclass(frozen=True)
class TypeExpr:
    """One node of a parsed type: `kind` is primitive, ref, list, map or literal."""

    kind: str
    name: str = ""
    item: TypeExpr | None = None
    value: Scalar = None
    nullable: bool = False

    def __str__(self) -> str:
        if self.kind in ("primitive", "ref"):
            text = self.name
        elif self.kind == "list":
            text = f"list[{self.item}]"
        elif self.kind == "map":
            text = f"map[{self.item}]"
        else:
            text = f"literal[{json.dumps(self.value, ensure_ascii=False)}]"
        return text + ("?" if self.nullable else "")

    def with_nullable(self, nullable: bool = True) -> TypeExpr:
        return TypeExpr(self.kind, self.name, self.item, self.value, nullable)

    def refs(self) -> Iterator[str]:
        """Names of the definitions this type mentions."""
        if self.kind == "ref":
            yield self.name
        elif self.item is not None:
            yield from self.item.refs()


def primitive(name: str, nullable: bool = False) -> TypeExpr:
    return TypeExpr("primitive", name=name, nullable=nullable)


def ref(name: str, nullable: bool = False) -> TypeExpr:
    return TypeExpr("ref", name=name, nullable=nullable)


def list_of(item: TypeExpr, nullable: bool = False) -> TypeExpr:
    return TypeExpr("list", item=item, nullable=nullable)


def map_of(item: TypeExpr, nullable: bool = False) -> TypeExpr:
    return TypeExpr("map", item=item, nullable=nullable)


def literal(value: Scalar, nullable: bool = False) -> TypeExpr:
    return TypeExpr("literal", value=value, nullable=nullable)


def parse_type(text: str) -> TypeExpr:
    """Parse a type string; raise TypeSyntaxError saying what is wrong and where."""
    if not isinstance(text, str):
        raise TypeSyntaxError(f"expected a type string, got {type(text).__name__}")
    expr, end = _parse(text, 0)
    if end != len(text):
        raise TypeSyntaxError(f"unexpected {text[end:]!r} in type {text!r}")
    return expr


def _parse(text: str, pos: int) -> tuple[TypeExpr, int]:
    if text.startswith("literal[", pos):
        decoder = json.JSONDecoder()
        try:
            value, end = decoder.raw_decode(text, pos + len("literal["))
        except json.JSONDecodeError:
            raise TypeSyntaxError(f"literal value is not JSON in type {text!r}") from None
        if isinstance(value, (list, dict)):
            raise TypeSyntaxError(f"literal value must be a scalar in type {text!r}")
        expr = literal(value)
        end = _expect(text, end, "]")
    elif text.startswith(("list[", "map["), pos):
        kind = "list" if text.startswith("list[", pos) else "map"
        item, end = _parse(text, pos + len(kind) + 1)
        expr = TypeExpr(kind, item=item)
        end = _expect(text, end, "]")
    else:
        match = _NAME.match(text, pos)
        if not match:
            raise TypeSyntaxError(f"expected a type name at {text[pos:]!r} in type {text!r}")
        name = match.group()
        expr = primitive(name) if name in PRIMITIVES else ref(name)
        end = match.end()
    if text.startswith("?", end):
        return expr.with_nullable(), end + 1
    return expr, end


def _expect(text: str, pos: int, char: str) -> int:
    if not text.startswith(char, pos):
        raise TypeSyntaxError(f"expected {char!r} at position {pos} in type {text!r}")
    return pos + 1
