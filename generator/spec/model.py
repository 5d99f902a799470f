"""The normalized spec: a small, explicit, language-neutral model of an API.

Importers produce it, renderers consume it; neither side ever sees raw OpenAPI.
Every definition has a stable explicit name, and every type is a `TypeExpr`
(see `types.py`). Serialized as YAML by `dump.py`, read back and validated by `load.py`.

Definitions:
    Model   an object with named, typed fields (required / optional / nullable)
    Enum    a closed list of scalar values (renderers keep them open to new values)
    Union   one of several types, discriminated by a property or told apart by shape
    Alias   a name for another type expression (a map, a list, a primitive)

API surface:
    Resource  a node of the client tree (`beta.threads.runs`) holding methods
    Method    one HTTP operation: verb, path, parameters, body, response,
              pagination scheme and streaming variant
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .types import TypeExpr

# Constraint keys a field or parameter may carry, in the order they are written.
CONSTRAINT_KEYS = (
    "format",
    "min_length",
    "max_length",
    "pattern",
    "minimum",
    "maximum",
    "exclusive_minimum",
    "exclusive_maximum",
    "multiple_of",
    "min_items",
    "max_items",
    "unique_items",
    "min_properties",
    "max_properties",
)

# A JSON value carried through unchanged (defaults, examples).
JSON = Any


class Missing:
    """Marks an absent default, distinct from a default of null."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = Missing()


@dataclass(frozen=True)
class Field:
    name: str  # the name on the wire, exactly as the API spells it
    type: TypeExpr
    required: bool = False
    description: str = ""
    default: JSON = MISSING
    example: JSON = MISSING
    constraints: dict[str, JSON] = field(default_factory=dict)
    deprecated: bool = False


@dataclass(frozen=True)
class Model:
    name: str
    fields: tuple[Field, ...]
    description: str = ""
    # Type of properties beyond `fields` (from additionalProperties); None: not declared.
    extra: TypeExpr | None = None
    deprecated: bool = False
    source: str = ""  # where in the input this came from (JSON pointer), for reviewers


@dataclass(frozen=True)
class Enum:
    name: str
    values: tuple[str | int | float | bool, ...]
    description: str = ""
    deprecated: bool = False
    source: str = ""


@dataclass(frozen=True)
class Union_:
    """One of `variants`. With `discriminator`, the property whose value picks the
    variant, and `mapping` from that value to a variant name."""

    name: str
    variants: tuple[TypeExpr, ...]
    discriminator: str = ""
    mapping: dict[str, str] = field(default_factory=dict)
    description: str = ""
    deprecated: bool = False
    source: str = ""


@dataclass(frozen=True)
class Alias:
    name: str
    type: TypeExpr
    description: str = ""
    deprecated: bool = False
    source: str = ""


Definition = Model | Enum | Union_ | Alias


def inner_types(definition: Definition) -> Iterator[TypeExpr]:
    """The type expressions a definition is made of (fields, extra, variants, target)."""
    if isinstance(definition, Model):
        yield from (f.type for f in definition.fields)
        if definition.extra is not None:
            yield definition.extra
    elif isinstance(definition, Union_):
        yield from definition.variants
    elif isinstance(definition, Alias):
        yield definition.type


def reachable(roots: Iterable[TypeExpr], definitions: dict[str, Definition]) -> set[str]:
    """Names of the definitions `roots` mention, directly or through other definitions."""
    seen: set[str] = set()
    stack = [name for root in roots for name in root.refs()]
    while stack:
        name = stack.pop()
        if name in seen or name not in definitions:
            continue
        seen.add(name)
        stack.extend(n for inner in inner_types(definitions[name]) for n in inner.refs())
    return seen


@dataclass(frozen=True)
class Param(Field):
    """A path, query or header parameter: described exactly like a field."""


@dataclass(frozen=True)
class Body:
    type: TypeExpr
    content_type: str = "application/json"
    required: bool = True


@dataclass(frozen=True)
class Pagination:
    """A cursor scheme: pages carry `items_field` and `has_more_field`; the next page is
    requested with `cursor_param` set to the `cursor_field` of the last item."""

    scheme: str
    item: TypeExpr
    cursor_param: str = "after"
    cursor_field: str = "id"
    items_field: str = "data"
    has_more_field: str = "has_more"


# What an overlay may say about a cursor scheme (the Pagination fields with defaults).
CURSOR_OPTIONS = ("cursor_param", "cursor_field", "items_field", "has_more_field")


@dataclass(frozen=True)
class Streaming:
    """With `param` set true in the body, the response is server-sent `event` values."""

    param: str
    event: TypeExpr


@dataclass(frozen=True)
class Method:
    name: str
    http_method: str
    path: str
    operation_id: str = ""
    title: str = ""  # a heading for docs: "List assistants"
    summary: str = ""
    description: str = ""
    path_params: tuple[Param, ...] = ()
    query_params: tuple[Param, ...] = ()
    header_params: tuple[Param, ...] = ()
    body: Body | None = None
    response: TypeExpr | None = None
    pagination: Pagination | None = None
    streaming: Streaming | None = None
    deprecated: bool = False


@dataclass(frozen=True)
class Resource:
    name: str
    methods: tuple[Method, ...] = ()
    resources: tuple[Resource, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Api:
    """Facts about the API as a whole, from the input plus the overlay."""

    name: str
    title: str = ""
    version: str = ""  # the API's own version (info.version)
    sdk_version: str = ""  # the SDK's version when the overlay sets one (sync bumps it)
    description: str = ""
    base_url: str = ""
    package: str = ""  # the Python package name of the SDK
    client: str = "Client"
    async_client: str = "AsyncClient"
    default_headers: dict[str, str] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)  # client option -> env var
    option_headers: dict[str, str] = field(default_factory=dict)  # client option -> header


@dataclass(frozen=True)
class Spec:
    api: Api
    models: tuple[Model, ...] = ()
    enums: tuple[Enum, ...] = ()
    unions: tuple[Union_, ...] = ()
    aliases: tuple[Alias, ...] = ()
    resources: tuple[Resource, ...] = ()

    def definitions(self) -> dict[str, Definition]:
        found: dict[str, Definition] = {}
        for group in (self.models, self.enums, self.unions, self.aliases):
            for item in group:
                found[item.name] = item
        return found

    def methods(self) -> list[tuple[str, Method]]:
        """Every method with the dotted path of its resource, in tree order."""
        found: list[tuple[str, Method]] = []

        def walk(resource: Resource, prefix: str) -> None:
            path = f"{prefix}{resource.name}"
            found.extend((path, method) for method in resource.methods)
            for child in resource.resources:
                walk(child, path + ".")

        for resource in self.resources:
            walk(resource, "")
        return found
