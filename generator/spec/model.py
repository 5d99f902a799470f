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
    SecurityScheme  a credential the client sends (bearer, basic, API key); the API and
              each method name the schemes their requests need (`Security`)
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
    read_only: bool = False  # only in responses: never sent (OpenAPI readOnly)
    write_only: bool = False  # only in requests: never returned (OpenAPI writeOnly)


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
    variant, and `mapping` from that value to a variant name (several values may name one
    variant; each variant model declares the property). Without, the variants are told
    apart by shape."""

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


def sent_fields(model: Model) -> tuple[Field, ...]:
    """The fields a request may carry: read-only ones are left out."""
    return tuple(f for f in model.fields if not f.read_only)


def received_fields(model: Model) -> tuple[Field, ...]:
    """The fields a response may carry: write-only ones are left out."""
    return tuple(f for f in model.fields if not f.write_only)


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


# Where a parameter goes, and the OpenAPI styles each place allows (the first is the default).
PARAM_STYLES = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form",),
}


@dataclass(frozen=True)
class Param(Field):
    """A path, query, header or cookie parameter: described like a field, plus how it is
    serialized. `style` "" is its location's default (form in query and cookie, simple in
    path and header); `explode` None is its style's default (true for form, else false);
    `allow_reserved` (query only) sends RFC 3986 reserved characters unencoded."""

    style: str = ""
    explode: bool | None = None
    allow_reserved: bool = False

    def serialization(self, location: str) -> tuple[str, bool]:
        """(style, explode) with the defaults filled in, for a parameter in `location`."""
        style = self.style or PARAM_STYLES[location][0]
        return style, self.explode if self.explode is not None else style == "form"


def canonical_serialization(location: str, style: str, explode: bool | None) -> dict[str, Any]:
    """`style` and `explode` of a Param with defaults left unsaid ("" and None), so one
    serialization has one spelling whether or not the document wrote its defaults."""
    resolved = style or PARAM_STYLES[location][0]
    return {
        "style": "" if resolved == PARAM_STYLES[location][0] else resolved,
        "explode": None if explode is None or explode == (resolved == "form") else explode,
    }


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


# The kinds of credentials a client sends, and where an API key may go.
SECURITY_KINDS = ("bearer", "basic", "api_key")
API_KEY_LOCATIONS = ("header", "query", "cookie")
# Where a bearer token may come from besides a plain `http: bearer` scheme.
TOKEN_ORIGINS = ("oauth2", "openIdConnect")


@dataclass(frozen=True)
class SecurityScheme:
    """A way to prove who is calling. `bearer`: a token sent as `Authorization: Bearer`
    (also the access token of an OAuth 2 or OpenID Connect scheme, which `origin` names);
    `basic`: a username and password (`Authorization: Basic`); `api_key`: a key sent in the
    header, query parameter or cookie (`location`) called `parameter`."""

    name: str
    kind: str
    location: str = ""  # api_key only
    parameter: str = ""  # api_key only
    origin: str = ""  # bearer only: oauth2 or openIdConnect when the token comes from one
    description: str = ""
    source: str = ""


# A security requirement: alternatives in order of preference, each the names of the schemes
# used together. An empty alternative needs no credentials; no alternatives, no auth at all.
Security = tuple[tuple[str, ...], ...]


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
    cookie_params: tuple[Param, ...] = ()
    body: Body | None = None
    response: TypeExpr | None = None
    pagination: Pagination | None = None
    streaming: Streaming | None = None
    deprecated: bool = False
    # The operation's own security requirement; None: the API's (`Api.security`).
    security: Security | None = None

    def params(self) -> list[tuple[str, Param]]:
        """Every parameter with its location (path, query, header, cookie), in that order."""
        groups = (
            ("path", self.path_params),
            ("query", self.query_params),
            ("header", self.header_params),
            ("cookie", self.cookie_params),
        )
        return [(location, p) for location, params in groups for p in params]


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
    request_id_header: str = ""  # the response header carrying a request ID, if any
    security_schemes: tuple[SecurityScheme, ...] = ()
    security: Security = ()  # the requirement of every method that states none

    def scheme(self, name: str) -> SecurityScheme | None:
        return next((s for s in self.security_schemes if s.name == name), None)


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

    def security_of(self, method: Method) -> Security:
        """The security requirement a method's requests meet: its own, else the API's."""
        return self.api.security if method.security is None else method.security
