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
    Method    one HTTP operation: verb, path, parameters, body (and the media type it is
              sent as), response (and the media type it is read as), pagination scheme
              and streaming variant
    SecurityScheme  a credential the client sends (bearer, basic, API key); the API and
              each method name the schemes their requests need (`Security`)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
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

    def __reduce__(self) -> str:
        # The one instance, through pickle and copy too (a cached spec is pickled): `is
        # MISSING` is how an absent default is told from the others.
        return "MISSING"


MISSING: Any = Missing()

# The dataclasses below are the one declaration of spec.yaml's shape: `load.py` reads and
# checks each key by its field's type, `dump.py` writes them in declared order. A key is left
# out when MISSING, None with a None default, or empty ("", false, {}, ()); field metadata:
#   yaml   the key, when it differs from the field's name
#   keep   written even when empty (`required: false`, `security: []`)
#   omit   also left out when equal to the field's default
#   order  written after the fields of lower order (default 0), for a review-friendly file
KEEP = {"keep": True}


@dataclass(frozen=True)
class Field:
    name: str  # the name on the wire, exactly as the API spells it
    type: TypeExpr
    required: bool = False
    description: str = ""
    default: JSON = field(default=MISSING, metadata=KEEP)
    example: JSON = field(default=MISSING, metadata=KEEP)
    constraints: dict[str, JSON] = field(default_factory=dict)
    deprecated: bool = False
    read_only: bool = False  # only in responses: never sent (OpenAPI readOnly)
    write_only: bool = False  # only in requests: never returned (OpenAPI writeOnly)


@dataclass(frozen=True)
class Model:
    name: str
    fields: tuple[Field, ...] = field(metadata={"order": 2, "keep": True})
    description: str = ""
    # Type of properties beyond `fields` (from additionalProperties); None: not declared.
    extra: TypeExpr | None = field(default=None, metadata={"order": 1})
    deprecated: bool = False
    source: str = ""  # where in the input this came from (JSON pointer), for reviewers
    # Groups of field names of which a value holds exactly one (OpenAPI `oneOf` of
    # `required` lists beside the properties): a rule the server checks, not a shape; the
    # SDK does not enforce it, its examples and generated tests follow it (the first group).
    exclusive: FieldGroups = field(default=(), metadata={"order": 1})


@dataclass(frozen=True)
class Enum:
    name: str
    values: tuple[str | int | float | bool, ...] = field(metadata={"order": 1, "keep": True})
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
    variants: tuple[TypeExpr, ...] = field(metadata={"order": 2, "keep": True})
    discriminator: str = field(default="", metadata={"order": 1})
    mapping: dict[str, str] = field(default_factory=dict, metadata={"order": 2})
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


def reachable(roots: Iterable[TypeExpr], definitions: Mapping[str, Definition]) -> set[str]:
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
    explode: bool | None = field(default=None, metadata=KEEP)
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


# -- media types: how a request body is written and a response read ----------------------

# Request body kinds: JSON, a urlencoded form, multipart/form-data (files and fields), raw
# bytes, text. Response kinds: JSON, text, bytes, server-sent events, or no content.
BODY_KINDS = ("json", "form", "multipart", "binary", "text")
RESPONSE_KINDS = ("json", "text", "binary", "events")
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
EVENT_STREAM = "text/event-stream"
# Wildcards a document may name as a media type (`*/*`, `application/*`): JSON when the
# schema describes data, bytes or text when it says so.
_WILDCARDS = ("*/*", "application/*")


def media_base(content_type: str) -> str:
    """`type/subtype` of a media type, lower-cased, without parameters (`; charset=...`)."""
    return content_type.split(";", 1)[0].strip().lower()


def is_json_media(content_type: str) -> bool:
    """application/json, and vendor JSON types (`application/vnd.api+json`)."""
    base = media_base(content_type)
    return base == "application/json" or base.endswith("+json")


def is_wildcard_media(content_type: str) -> bool:
    return "*" in media_base(content_type)


def _is_primitive(expr: TypeExpr, name: str) -> bool:
    return expr.kind == "primitive" and expr.name == name and not expr.nullable


def body_kind(content_type: str, expr: TypeExpr) -> str:
    """How a request body of this media type and type is written (one of BODY_KINDS), ""
    when no encoding fits (an object as XML, say)."""
    base = media_base(content_type)
    if is_json_media(base):
        return "json"
    if base == FORM:
        return "form"
    if base == MULTIPART:
        return "multipart"
    if _is_primitive(expr, "file"):
        return "binary"
    if _is_primitive(expr, "string"):
        return "text"
    return "json" if base in _WILDCARDS else ""


def response_kind(content_type: str, expr: TypeExpr | None) -> str:
    """How a response of this media type and type is read (one of RESPONSE_KINDS); "none"
    without a response type; "" when no reading fits."""
    if expr is None:
        return "none"
    base = media_base(content_type)
    if base == EVENT_STREAM:
        return "events"
    if expr.kind == "primitive" and expr.name == "file":
        return "binary"
    if is_json_media(base):
        return "json"
    if _is_primitive(expr, "string"):
        return "text"
    return "json" if base in _WILDCARDS else ""


@dataclass(frozen=True)
class Encoding:
    """How one field of a form or multipart body is written (OpenAPI's Encoding Object).
    In a form: `style`, `explode` and `allow_reserved`, as for a query parameter (the
    defaults: form, exploded). In multipart: the part's `content_type` (encoding.contentType,
    else the property's 3.1 contentMediaType) and `content_encoding` (3.1 contentEncoding:
    base64 or base64url, applied to a file's bytes)."""

    content_type: str = ""
    content_encoding: str = ""
    style: str = ""
    explode: bool | None = field(default=None, metadata={"keep": True, "order": 1})
    allow_reserved: bool = False


# The 3.1 `contentEncoding` values a multipart part may declare: the identity ones send the
# bytes as they are, the others encode them.
CONTENT_ENCODINGS = ("7bit", "8bit", "binary", "base64", "base64url")


@dataclass(frozen=True)
class Body:
    """A request body: its type, the media type it is sent as (the document's choice when
    it offers several: JSON, else the first), and per-field encodings (form, multipart)."""

    type: TypeExpr
    content_type: str = field(default="application/json", metadata=KEEP)
    required: bool = field(default=True, metadata=KEEP)
    encoding: dict[str, Encoding] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return body_kind(self.content_type, self.type)


@dataclass(frozen=True)
class Pagination:
    """A cursor scheme: pages carry `items_field` and `has_more_field`; the next page is
    requested with `cursor_param` set to the `cursor_field` of the last item."""

    scheme: str = field(metadata=KEEP)
    item: TypeExpr
    cursor_param: str = field(default="after", metadata=KEEP)
    cursor_field: str = field(default="id", metadata=KEEP)
    items_field: str = field(default="data", metadata=KEEP)
    has_more_field: str = field(default="has_more", metadata=KEEP)


# What an overlay may say about a cursor scheme (the Pagination fields with defaults).
CURSOR_OPTIONS = ("cursor_param", "cursor_field", "items_field", "has_more_field")


@dataclass(frozen=True)
class Streaming:
    """With `param` set true in the body, the response is server-sent `event` values."""

    param: str = field(metadata=KEEP)
    event: TypeExpr


@dataclass(frozen=True)
class Polling:
    """How a resource's object is waited for: `poll` fetches it with the resource's
    `retrieve` method until its `status_field` takes one of the `until` values, sleeping
    between fetches as long as the response's `interval_header` says (milliseconds), else
    `interval_ms`, unless the caller passes `poll_interval_ms`."""

    retrieve: str = field(metadata=KEEP)
    until: tuple[str, ...] = field(metadata=KEEP)
    status_field: str = field(default="status", metadata=KEEP)
    interval_header: str = ""
    interval_ms: int = field(default=1000, metadata=KEEP)


@dataclass(frozen=True)
class Snapshot:
    """An object a stream of events builds up (a run, a message), for an event handler.
    Events named in `events` carry the whole object (`created` ones start it, `done` ones
    end it); the `delta` event carries `{id, delta}`, merged into the object of that id
    (text appended, lists merged by their items' `index`). `parts` is the dotted path of a
    delta's list of indexed parts (a message's `content`); `part_hooks` names the hooks a
    part of a given `type` fires (`text` -> on_text_created/_delta/_done, given the part's
    `text` field), `*` for every part, given whole. `final` names the method returning the
    finished object(s); `many`: the stream holds several (a list)."""

    name: str
    model: str = field(metadata=KEEP)
    events: tuple[str, ...] = field(metadata=KEEP)
    created: tuple[str, ...] = ()
    done: tuple[str, ...] = ()
    delta: str = ""
    many: bool = False
    final: str = ""
    current: str = ""  # the property with the object being built (current_run)
    parts: str = ""
    part_hooks: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EventHandler:
    """A class a stream of `event` values is read with: hooks per event kind, the objects
    the events build up (`snapshots`), and `text_deltas` (`snapshot.part.field`: the text of
    each delta of such a part, e.g. `message.text.value`)."""

    name: str
    event: str = field(metadata=KEEP)
    snapshots: tuple[Snapshot, ...] = ()
    text_deltas: str = ""


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
    location: str = field(default="", metadata={"yaml": "in"})  # api_key only
    parameter: str = ""  # api_key only
    origin: str = ""  # bearer only: oauth2 or openIdConnect when the token comes from one
    description: str = ""
    source: str = ""


# A security requirement: alternatives in order of preference, each the names of the schemes
# used together. An empty alternative needs no credentials; no alternatives, no auth at all.
Security = tuple[tuple[str, ...], ...]
FieldGroups = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Example:
    """A JSON value the document (or the overlay) shows for a request body or a response,
    and where it says so (`file: #/pointer`), for the docs and for drift warnings."""

    value: JSON
    source: str = ""


@dataclass(frozen=True)
class Method:
    name: str
    http_method: str
    path: str
    operation_id: str = ""
    title: str = ""  # a heading for docs: "List assistants"
    summary: str = ""
    description: str = ""
    deprecated: bool = False
    path_params: tuple[Param, ...] = ()
    query_params: tuple[Param, ...] = ()
    header_params: tuple[Param, ...] = ()
    cookie_params: tuple[Param, ...] = ()
    body: Body | None = None
    response: TypeExpr | None = None
    # The media type the response is read as (see response_kind): JSON parsed into
    # `response`, text, bytes, or server-sent `response` events.
    response_content_type: str = field(default="application/json", metadata={"omit": True})
    pagination: Pagination | None = None
    streaming: Streaming | None = None
    # The operation's own security requirement; None: the API's (`Api.security`).
    # `security: []` is written: it says no credentials for this one.
    security: Security | None = field(default=None, metadata=KEEP)
    # The operation's own examples: a request body and a response (docs show them).
    request_example: Example | None = None
    response_example: Example | None = None
    # Helpers beside the method: `<poll_helper>` calls it, then waits on the result with
    # the `poll` of resource `poll_with` (dotted path); each of `stream_helpers` streams it
    # into an event handler.
    poll_helper: str = ""
    poll_with: str = ""
    stream_helpers: tuple[str, ...] = ()

    @property
    def response_kind(self) -> str:
        """How the response is read: json, text, binary, events, or none."""
        return response_kind(self.response_content_type, self.response)

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
    methods: tuple[Method, ...] = field(default=(), metadata={"order": 1})
    resources: tuple[Resource, ...] = field(default=(), metadata={"order": 1})
    description: str = ""
    polling: Polling | None = None


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
    docs_base_url: str = ""  # where site-relative links in descriptions lead (docs overlay)
    security_schemes: tuple[SecurityScheme, ...] = ()
    security: Security = ()  # the requirement of every method that states none
    # type name -> the dotted namespace of its module under types/, where the overlay says
    type_modules: dict[str, str] = field(default_factory=dict)
    # security scheme -> the client option holding its secret (a basic scheme: the prefix of
    # its `_username` / `_password` options), where the overlay names it
    credentials: dict[str, str] = field(default_factory=dict)

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
    event_handlers: tuple[EventHandler, ...] = ()

    def definitions(self) -> Mapping[str, Definition]:
        """Every model, enum, union and alias by name; built once (a render asks hundreds
        of times), so read-only."""
        return MappingProxyType(self._definitions)

    @cached_property
    def _definitions(self) -> dict[str, Definition]:  # (a dict: a Spec copies and pickles)
        found: dict[str, Definition] = {}
        for group in (self.models, self.enums, self.unions, self.aliases):
            for item in group:
                found[item.name] = item
        return found

    def resources_by_path(self) -> dict[str, Resource]:
        """Every resource by its dotted path, parents first."""
        found: dict[str, Resource] = {}
        stack = [(r, "") for r in reversed(self.resources)]
        while stack:
            resource, prefix = stack.pop()
            found[prefix + resource.name] = resource
            stack.extend((c, f"{prefix}{resource.name}.") for c in reversed(resource.resources))
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
