"""The shape of an OpenAPI document, declared once and checked before anything reads it.

`OBJECTS` lists, for each OpenAPI object the importer reads, the shape of each field it
reads: a scalar (`string`, `boolean`, `number`, `integer`, `any`), another object by name,
`[X]` (a list of X), `{X}` (a mapping of names to X), or alternatives joined by `|`.
`check_shapes` walks the document from its root along this table (following `$ref`s into
the nodes they point to, each checked once) and raises, for the first node of the wrong
kind, one `InputError` naming its file and JSON pointer: `openapi.yaml: #/paths/~1pets/get/
responses/200: expected a mapping, got a string`. Keys the table does not list (extensions,
fields the SDK does not use) are not looked at. So the importers can read every node as
the table says it is, and a wrong shape never reaches them as a traceback.

The walk keeps its own stack: a legal document nested thousands of levels deep is checked
without recursion.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .documents import Documents, Location, escape_pointer

_SCALARS: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "boolean": (bool,),
    "number": (int, float),
    "integer": (int,),
}
# What an error calls a node of each Python type the loaders produce.
_NOUNS = {dict: "a mapping", list: "a list", str: "a string", bool: "true or false",
          int: "a number", float: "a number", type(None): "null"}  # fmt: skip

_VERBS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SERVER = {"url": "string", "description": "string", "variables": "{ServerVariable}"}
_PARAMETER_LIKE = {
    "description": "string",
    "required": "boolean",
    "deprecated": "boolean",
    "allowEmptyValue": "boolean",
    "style": "string",
    "explode": "boolean",
    "allowReserved": "boolean",
    "schema": "Schema",
    "examples": "{Example}",
    "content": "{MediaType}",
}
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_SINGLES = ("items", "not", "contains", "propertyNames", "if", "then", "else")
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_STRINGS = ("title", "description", "format", "pattern", "contentEncoding",
                   "contentMediaType", "$id", "$schema", "$comment")  # fmt: skip
_SCHEMA_BOOLEANS = ("nullable", "readOnly", "writeOnly", "deprecated", "uniqueItems")
_SCHEMA_INTEGERS = ("minLength", "maxLength", "minItems", "maxItems", "minProperties",
                    "maxProperties")  # fmt: skip

# Object name -> field -> shape. A `*` in front of a name: the object may be a Reference
# Object (`$ref`) instead. `Schema` is a mapping or (JSON Schema) true/false.
OBJECTS: dict[str, dict[str, str]] = {
    "OpenAPI": {
        "info": "Info",
        "servers": "[Server]",
        "paths": "{*PathItem}",
        "webhooks": "{*PathItem}",
        "components": "Components",
        "security": "[SecurityRequirement]",
        "tags": "[Tag]",
        "externalDocs": "ExternalDocs",
    },
    "Info": {
        "title": "string",
        "summary": "string",
        "description": "string",
        # Often written `version: 1.0`, which YAML reads as a number: taken as its text.
        "version": "string|number",
        "termsOfService": "string",
    },
    "Server": _SERVER,
    "ServerVariable": {"enum": "[string]", "default": "string", "description": "string"},
    "Components": {
        "schemas": "{*Schema}",
        "responses": "{*Response}",
        "parameters": "{*Parameter}",
        "examples": "{*Example}",
        "requestBodies": "{*RequestBody}",
        "headers": "{*Header}",
        "securitySchemes": "{*SecurityScheme}",
        "links": "{*Link}",
        "callbacks": "{*Callback}",
        "pathItems": "{*PathItem}",
    },
    "PathItem": {
        "summary": "string",
        "description": "string",
        **{verb: "Operation" for verb in _VERBS},
        "servers": "[Server]",
        "parameters": "[*Parameter]",
    },
    "Operation": {
        "tags": "[string]",
        "summary": "string",
        "description": "string",
        "externalDocs": "ExternalDocs",
        "operationId": "string",
        "parameters": "[*Parameter]",
        "requestBody": "*RequestBody",
        "responses": "{*Response}",
        "callbacks": "{*Callback}",
        "deprecated": "boolean",
        "security": "[SecurityRequirement]",
        "servers": "[Server]",
    },
    "Callback": {},  # a mapping of expressions to path items: checked by `_fields`
    "ExternalDocs": {"description": "string", "url": "string"},
    "Parameter": {"name": "string", "in": "string", **_PARAMETER_LIKE},
    "Header": _PARAMETER_LIKE,
    "RequestBody": {"description": "string", "content": "{MediaType}", "required": "boolean"},
    "MediaType": {"schema": "Schema", "examples": "{*Example}", "encoding": "{Encoding}"},
    "Encoding": {
        "contentType": "string",
        "headers": "{*Header}",
        "style": "string",
        "explode": "boolean",
        "allowReserved": "boolean",
    },
    "Response": {
        "description": "string",
        "headers": "{*Header}",
        "content": "{MediaType}",
        "links": "{*Link}",
    },
    "Example": {"summary": "string", "description": "string", "externalValue": "string"},
    "Link": {
        "operationRef": "string",
        "operationId": "string",
        "description": "string",
        "server": "Server",
    },
    "Tag": {"name": "string", "description": "string", "externalDocs": "ExternalDocs"},
    "SecurityRequirement": {},  # scheme name -> scopes: checked by `_fields`
    "SecurityScheme": {
        "type": "string",
        "description": "string",
        "name": "string",
        "in": "string",
        "scheme": "string",
        "bearerFormat": "string",
        "flows": "OAuthFlows",
        "openIdConnectUrl": "string",
    },
    "OAuthFlows": {
        flow: "OAuthFlow"
        for flow in ("implicit", "password", "clientCredentials", "authorizationCode")
    },
    "OAuthFlow": {
        "authorizationUrl": "string",
        "tokenUrl": "string",
        "refreshUrl": "string",
        "scopes": "{string}",
    },
    "Schema": {
        "type": "string|[string]",
        "additionalProperties": "Schema",
        "unevaluatedProperties": "Schema",
        "required": "[string]",
        "enum": "[any]",
        "discriminator": "Discriminator",
        "minimum": "number",
        "maximum": "number",
        "multipleOf": "number",
        "exclusiveMinimum": "boolean|number",  # 3.0 a flag, 3.1 a bound
        "exclusiveMaximum": "boolean|number",
        **{key: "[Schema]" for key in _SCHEMA_LISTS},
        **{key: "Schema" for key in _SCHEMA_SINGLES},
        **{key: "{Schema}" for key in _SCHEMA_MAPS},
        **{key: "string" for key in _SCHEMA_STRINGS},
        **{key: "boolean" for key in _SCHEMA_BOOLEANS},
        **{key: "integer" for key in _SCHEMA_INTEGERS},
    },
    "Discriminator": {"propertyName": "string", "mapping": "{string}"},
}
# Objects whose keys are names the document chooses, each with one shape.
_KEYED = {"Callback": "*PathItem", "SecurityRequirement": "[string]"}
# Objects any of whose places may hold a `$ref` (in a schema, beside other keywords).
_REFERABLE = frozenset({"Schema"})


@dataclass(frozen=True)
class _Shape:
    """One parsed shape: alternatives, each a scalar, an object, a list or a mapping."""

    kind: str  # "scalar", "object", "list", "map", "any"
    name: str = ""  # the scalar or object name
    item: _Shape | None = None  # of a list or mapping
    reference: bool = False  # a Reference Object may stand in its place
    alternatives: tuple[_Shape, ...] = ()


@functools.cache
def _parse(text: str) -> _Shape:
    if "|" in text and not text.startswith(("[", "{")):
        return _Shape("alternatives", alternatives=tuple(_parse(t) for t in text.split("|")))
    if text.startswith("[") and text.endswith("]"):
        return _Shape("list", item=_parse(text[1:-1]))
    if text.startswith("{") and text.endswith("}"):
        return _Shape("map", item=_parse(text[1:-1]))
    if text == "any":
        return _Shape("any")
    if text in _SCALARS:
        return _Shape("scalar", text)
    name = text.removeprefix("*")
    if name not in OBJECTS:
        raise KeyError(f"shapes.OBJECTS has no {name!r}")  # a typo in the table above
    return _Shape("object", name, reference=text.startswith("*") or name in _REFERABLE)


# Each object's fields, parsed (`OBJECTS` as the walks read it).
_FIELD_SHAPES = {
    name: {key: _parse(text) for key, text in fields.items()} for name, fields in OBJECTS.items()
}


def describe(shape: _Shape) -> str:
    """What an error says was expected: `a mapping`, `a string or a list`."""
    if shape.kind == "alternatives":
        return " or ".join(dict.fromkeys(describe(a) for a in shape.alternatives))
    if shape.kind == "list":
        return "a list"
    if shape.kind in ("map", "object"):
        return "a schema (a mapping or true/false)" if shape.name == "Schema" else "a mapping"
    if shape.kind == "scalar":
        return {"boolean": "true or false", "integer": "an integer"}.get(
            shape.name, f"a {shape.name}"
        )
    return "anything"


def noun(value: Any) -> str:
    return _NOUNS.get(type(value), type(value).__name__)


def check_shapes(docs: Documents, root: Any) -> None:
    """Raise an InputError for the first node of `root` (the root document, loaded) or of a
    document it refers to whose kind is not what the OpenAPI table says."""
    if _all_fit(docs, root):
        return
    _first_misfit(docs, root)


def _all_fit(docs: Documents, root: Any) -> bool:
    """Whether every node fits, in one tight loop that keeps no places (the OpenAI
    document's 125,000 nodes: 0.10 s with them, profiled, about a third of it here); a
    document with a misfit is walked again by `_first_misfit`, in order, to name it."""
    seen: set[tuple[Location, str]] = set()
    stack: list[tuple[Any, Path, _Shape]] = [(root, docs.root, _parse("OpenAPI"))]
    while stack:
        node, path, shape = stack.pop()
        if shape.kind == "alternatives":
            matching = next((a for a in shape.alternatives if _fits(node, a)), None)
            if matching is None:
                return False
            shape = matching
        if shape.kind == "any":
            continue
        if shape.reference and type(node) is dict and "$ref" in node:
            try:
                target = docs.target(node["$ref"], (path, ""))
            except InputError:
                return False
            if (target, shape.name) not in seen:
                seen.add((target, shape.name))
                stack.append((docs.node(target), target[0], shape))
            if shape.name != "Schema":
                continue
        if not _fits(node, shape):
            return False
        if shape.kind in ("list", "map"):
            item = shape.item
            assert item is not None
            for child in node if shape.kind == "list" else node.values():
                if item.kind != "scalar":
                    stack.append((child, path, item))
                elif not _fits(child, item):
                    return False
        elif shape.kind == "object" and type(node) is dict:
            keyed = _KEYED.get(shape.name)
            fields = _FIELD_SHAPES[shape.name]
            for key, child in node.items():
                if keyed:
                    if str(key).startswith("x-"):
                        continue
                    item = _parse(keyed)
                elif (found := fields.get(key)) is not None:
                    item = found
                else:
                    continue
                if item.kind != "scalar":
                    stack.append((child, path, item))
                elif not _fits(child, item):
                    return False
    return True


def _first_misfit(docs: Documents, root: Any) -> None:
    """Raise an InputError for the first misfit in document order, with its pointer."""
    stack: list[tuple[Any, Location, _Shape]] = [
        (root, (docs.root, ""), _Shape("object", "OpenAPI"))
    ]
    seen: set[tuple[Location, str]] = set()
    while stack:
        node, at, shape = stack.pop()
        stack.extend(reversed(list(_children(docs, node, at, shape, seen))))


def _children(
    docs: Documents, node: Any, at: Location, shape: _Shape, seen: set[tuple[Location, str]]
) -> Iterator[tuple[Any, Location, _Shape]]:
    if shape.kind == "alternatives":
        shape = _matching(docs, node, at, shape)
    if shape.kind == "any":
        return
    if shape.kind == "object" and shape.reference and isinstance(node, dict) and "$ref" in node:
        target = docs.target(node["$ref"], at)
        if (target, shape.name) not in seen:
            seen.add((target, shape.name))
            yield docs.node(target), target, shape
        if shape.name != "Schema":
            return  # a Reference Object: `summary` and `description` beside it are text
    if not _fits(node, shape):
        raise docs.error(at, f"expected {describe(shape)}, got {noun(node)}")
    if shape.kind == "list":
        assert shape.item is not None
        for index, item in enumerate(node):
            yield item, (at[0], f"{at[1]}/{index}"), shape.item
    elif shape.kind == "map":
        assert shape.item is not None
        for key, value in node.items():
            yield value, (at[0], f"{at[1]}/{escape_pointer(str(key))}"), shape.item
    elif shape.kind == "object" and isinstance(node, dict):
        yield from _fields(node, at, shape.name)


def _fields(
    node: dict[str, Any], at: Location, name: str
) -> Iterator[tuple[Any, Location, _Shape]]:
    keyed = _KEYED.get(name)
    fields = _FIELD_SHAPES[name]
    for key, value in node.items():
        shape = _parse(keyed) if keyed else fields.get(key)
        if shape is not None and not (keyed and str(key).startswith("x-")):
            yield value, (at[0], f"{at[1]}/{escape_pointer(str(key))}"), shape


def _fits(node: Any, shape: _Shape) -> bool:
    if shape.kind == "list":
        return isinstance(node, list)
    if shape.kind == "map":
        return isinstance(node, dict)
    if shape.kind == "object":
        return isinstance(node, dict) or (shape.name == "Schema" and isinstance(node, bool))
    if shape.kind == "scalar":
        if shape.name != "boolean" and isinstance(node, bool):
            return False  # a bool is an int to Python, never a number to OpenAPI
        return isinstance(node, _SCALARS[shape.name])
    return True


def _matching(docs: Documents, node: Any, at: Location, shape: _Shape) -> _Shape:
    for alternative in shape.alternatives:
        if _fits(node, alternative):
            return alternative
    raise docs.error(at, f"expected {describe(shape)}, got {noun(node)}")
