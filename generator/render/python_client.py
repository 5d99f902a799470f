"""The client half of the Python target: resources and methods, as the templates need them.

Call-compatibility rules (those of the official `openai` package): the last path parameter
is positional, every other argument keyword-only; an argument left out is not sent
(NOT_GIVEN), while None is sent as null in a body (a query, header or cookie argument that
is None is not sent); list methods return cursor pages; methods with a streaming variant
get typed overloads on `stream`. Parameters with a serialization of their own (OpenAPI
`style`, `explode`, `allowReserved`) are passed to the runtime's `_params` as `Styled`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import naming, reserved
from ..spec.model import (
    EVENT_STREAM,
    PARAM_STYLES,
    Alias,
    Body,
    Method,
    Model,
    Param,
    Polling,
    Resource,
    Spec,
    Union_,
    is_json_media,
    media_base,
    sent_fields,
)
from ..spec.model import Field as SpecField
from ..spec.types import TypeExpr
from .python_auth import security_literal
from .python_types import (
    INPUT,
    OUTPUT,
    RenderError,
    Sides,
    mentions_file,
    output_name,
    py_literal,
    py_type,
)

# Names every method signature uses itself: an API parameter called so gets a trailing `_`.
_SIGNATURE_NAMES = reserved.PARAMS

_DEPRECATED = "This operation is deprecated in the API description."
_NUMERIC = ("integer", "number", "boolean")


@dataclass
class ParamView:
    py_name: str
    wire_name: str
    annotation: str  # with `| NotGiven` for optional ones
    default: str  # "" when required
    doc: str
    where: str  # path, query, header, cookie, body
    # How it is serialized (OpenAPI style and explode; allow_reserved in query only), and
    # whether that differs from its location's default, which the runtime applies unasked.
    style: str = ""
    explode: bool = False
    allow_reserved: bool = False
    styled: bool = False
    check_empty: bool = False  # a path parameter an empty value would drop from the URL
    styled_as: str = "Styled"  # the runtime's Styled, as the module spells it

    @property
    def value(self) -> str:
        """The expression a Request gets for this query, header or cookie parameter."""
        if not self.styled:
            return self.py_name
        reserved = ", allow_reserved=True" if self.allow_reserved else ""
        style = py_literal(self.style)
        return f"{self.styled_as}({self.py_name}, {style}, explode={self.explode}{reserved})"

    @property
    def path_value(self) -> str:
        """The expression that puts this path parameter into the path."""
        if not self.styled:
            return f"path_param({self.py_name})"
        name = f", name={py_literal(self.wire_name)}" if self.style == "matrix" else ""
        style = py_literal(self.style)
        return f"path_param({self.py_name}, {style}, explode={self.explode}{name})"


@dataclass
class MethodView:
    name: str
    http_method: str
    path: str  # an expression: f"/threads/{path_param(thread_id)}/runs"
    doc: str
    deprecated: str  # the deprecation message, "" if not deprecated
    positional: list[ParamView]
    keyword: list[ParamView]
    kind: str  # plain, page, stream
    returns: str  # the sync return annotation
    async_returns: str
    cast_to: str  # runtime expression of the parsed type ("None" for no body)
    page_type: str = ""
    item_type: str = ""
    cursor: tuple[str, str] = ("", "")
    event_type: str = ""
    stream_param: str = ""
    body_is_model: bool = True
    security: str = ""  # its own security requirement as a Python literal; "": the client's
    # The body's media type, when not JSON's; for multipart, the fields that may hold files,
    # and the parts' own content types and contentEncodings.
    content_type: str = ""
    files: list[str] = field(default_factory=list)
    part_types: dict[str, str] = field(default_factory=dict)
    part_encodings: dict[str, str] = field(default_factory=dict)
    accept: str = ""  # the Accept header, when not application/json
    # Keyword arguments of the runtime call: how the response is read (`kind="binary"`)
    # and how stream events are decoded (`decode="data"`).
    read_options: str = ""
    # `<poll_helper>`: call, then `<poll_target>.poll(*poll_args)` (expressions of `result`
    # and the arguments); `stream_helpers` stream the call into `handler` (a class name).
    poll_helper: str = ""
    poll_target: str = ""
    poll_args: list[str] = field(default_factory=list)
    stream_helpers: list[str] = field(default_factory=list)
    handler: str = ""

    @property
    def call_arguments(self) -> list[str]:
        """How a helper passes its arguments on to this method."""
        found = [p.py_name for p in self.positional]
        return found + [f"{p.py_name}={p.py_name}" for p in self.keyword]

    @property
    def helper_params(self) -> list[ParamView]:
        """A helper's parameters: all keyword-only, required ones first."""
        return sorted(self.positional + self.keyword, key=lambda p: p.default != "")

    @property
    def path_params(self) -> list[ParamView]:
        return [p for p in self.positional + self.keyword if p.where == "path"]

    def where(self, place: str) -> list[ParamView]:
        return [p for p in self.positional + self.keyword if p.where == place]


@dataclass
class PollView:
    """`poll(<id>, <other path params>)`: fetch with `retrieve` until `status_field` is
    one of `until`."""

    retrieve: MethodView
    params: list[ParamView]  # the retrieve's path parameters, the object's id first
    status_field: str
    until: list[str]
    interval_header: str
    interval_ms: int

    @property
    def call_arguments(self) -> list[str]:
        first, *others = self.params
        return [first.py_name] + [f"{p.py_name}={p.py_name}" for p in others]


@dataclass
class ResourceView:
    module: str  # beta_threads_runs
    dotted: str  # beta.threads.runs
    attr: str  # runs
    class_name: str  # Runs
    doc: str
    methods: list[MethodView] = field(default_factory=list)
    children: list[ResourceView] = field(default_factory=list)
    model_imports: list[str] = field(default_factory=list)
    param_imports: list[str] = field(default_factory=list)
    poll: PollView | None = None

    @property
    def handlers(self) -> list[str]:
        """The event handler classes its stream helpers use."""
        return sorted({m.handler for m in self.methods if m.stream_helpers})

    def annotations(self) -> list[str]:
        """Every type expression the module's code mentions."""
        found = []
        for m in self.methods:
            found += [p.annotation for p in m.positional + m.keyword]
            found += [m.returns, m.cast_to, m.page_type, m.item_type, m.event_type]
        return found


def resource_views(spec: Spec, sides: Sides) -> list[ResourceView]:
    """Every resource of the tree (parents before children), ready for the templates."""
    views: list[ResourceView] = []
    taken = {output_name(n) for n in sides.definitions} | {
        sides.param_name(n) for n in sides.definitions
    }
    clients = {spec.api.client, spec.api.async_client}
    # A resource class must not take the name of a type its module may import, of a name
    # the resource and client modules bind, of a keyword or of a builtin.
    modules = reserved.resource_module() | reserved.client_module()
    names = _class_names(spec, taken | modules | reserved.KEYWORDS | reserved.BUILTINS | clients)

    polls: dict[str, PollView] = {}
    methods: list[tuple[MethodView, str, Method]] = []
    handlers = {h.event: h.name for h in spec.event_handlers}

    def build(resource: Resource, path: tuple[str, ...]) -> ResourceView:
        dotted = path + (resource.name,)
        view = ResourceView(
            module="_".join(dotted),
            dotted=".".join(dotted),
            attr=resource.name,
            class_name=names[dotted],
            doc=resource.description or f"Operations on {'.'.join(dotted)}.",
            methods=[_method(m, spec, sides) for m in resource.methods],
        )
        for method, method_view in zip(resource.methods, view.methods):
            methods.append((method_view, ".".join(dotted), method))
            if method.stream_helpers and method.streaming:
                method_view.stream_helpers = list(method.stream_helpers)
                method_view.handler = handlers[method.streaming.event.name]
        if resource.polling is not None:
            polls[".".join(dotted)] = view.poll = _poll_view(resource.polling, view)
        views.append(view)
        view.children = [build(child, dotted) for child in resource.resources]
        return view

    for resource in spec.resources:
        build(resource, ())
    _poll_helpers(spec, methods, polls)
    return views


def _poll_view(polling: Polling, view: ResourceView) -> PollView:
    retrieve = next(m for m in view.methods if m.name == polling.retrieve)
    if not retrieve.path_params:
        raise RenderError(f"{view.attr}.{retrieve.name}: polling needs the object's id in its path")
    return PollView(
        retrieve,
        retrieve.path_params,  # the last path parameter (the object's id) comes first
        polling.status_field,
        list(polling.until),
        polling.interval_header,
        polling.interval_ms,
    )


def _poll_helpers(
    spec: Spec, methods: list[tuple[MethodView, str, Method]], polls: dict[str, PollView]
) -> None:
    """What each `*_and_poll` helper polls with, and how it fills in `poll`'s arguments:
    the object's id from the result's `id`, each other path parameter from the helper's
    argument of that name, else from the result's field of that name (a run's `thread_id`)."""
    for view, path, method in methods:
        if not method.poll_helper:
            continue
        poll = polls[method.poll_with]
        if method.poll_with != path and not method.poll_with.startswith(path + "."):
            raise RenderError(
                f"{path}.{method.name}: polls with {method.poll_with}, which is not it or under it"
            )
        relative = method.poll_with[len(path) + 1 :]
        view.poll_target = ".".join(["self", *filter(None, relative.split("."))])
        view.poll_helper = method.poll_helper
        own = {p.py_name for p in view.positional + view.keyword}
        fields = _response_fields(spec, method.response)
        view.poll_args = []
        for index, param in enumerate(poll.params):
            if param.py_name in own and (index > 0 or "id" not in fields):
                view.poll_args.append(param.py_name)
            else:
                name = "id" if index == 0 else param.wire_name
                if name not in fields:
                    raise RenderError(
                        f"{path}.{method.name}: cannot poll: the result has no {name!r} field"
                    )
                view.poll_args.append(f"result.{naming.python_identifier(name)}")


def _response_fields(spec: Spec, response: TypeExpr | None) -> set[str]:
    model = spec.definitions().get(response.name) if response and response.kind == "ref" else None
    return {f.name for f in model.fields} if isinstance(model, Model) else set()


def _class_names(spec: Spec, taken: set[str]) -> dict[tuple[str, ...], str]:
    """`Runs` for beta.threads.runs; the full path (`BetaThreadsRuns`) where two would clash."""
    paths: list[tuple[str, ...]] = []

    def walk(resource: Resource, prefix: tuple[str, ...]) -> None:
        paths.append(prefix + (resource.name,))
        for child in resource.resources:
            walk(child, prefix + (resource.name,))

    for resource in spec.resources:
        walk(resource, ())
    short = [naming.pascal(p[-1]) for p in paths]
    names = {
        p: s if short.count(s) == 1 else naming.pascal("_".join(p)) for p, s in zip(paths, short)
    }
    # A resource class must not take the name of a type its module may import.
    return {p: f"{n}Resource" if n in taken else n for p, n in names.items()}


def _method(method: Method, spec: Spec, sides: Sides) -> MethodView:
    taken = set(_SIGNATURE_NAMES)
    path_params = [_param(p, "path", taken, sides) for p in method.path_params]
    positional = path_params[-1:]
    keyword = path_params[:-1]
    body_fields, body_is_model = _body_fields(method, spec)
    body_params = [_param(f, "body", taken, sides) for f in body_fields]
    if method.body is not None:
        _encode_fields(method.body, body_params)
    if method.body is not None and method.body.kind == "binary":
        optional = "" if method.body.required else f" | {sides.spell('NotGiven')}"
        body_params[0].annotation = sides.spell("FileContent") + optional
    keyword += body_params
    keyword += [_param(p, "query", taken, sides) for p in method.query_params]
    keyword += [_param(p, "header", taken, sides) for p in method.header_params]
    keyword += [_param(p, "cookie", taken, sides) for p in method.cookie_params]
    keyword.sort(key=lambda p: p.default != "")  # required keywords first, order otherwise kept
    reads = method.response_kind
    cast_to = _cast_to(method, sides)
    view = MethodView(
        name=method.name,
        http_method=method.http_method,
        path=_path_expression(method.path, path_params),
        doc=_method_doc(method, positional + keyword),
        deprecated=_DEPRECATED if method.deprecated else "",
        positional=positional,
        keyword=keyword,
        kind="plain",
        returns=cast_to,
        async_returns=cast_to,
        cast_to=cast_to,
        body_is_model=body_is_model,
        security=(
            security_literal(method.security)
            if method.security is not None and method.security != spec.api.security
            else ""
        ),
        accept=_accept(method),
        read_options=f"kind={py_literal(reads)}" if reads in ("text", "binary") else "",
    )
    if method.body is not None:
        _body_options(view, method, spec, sides)
    _returns(view, method, spec, sides)
    return view


def _cast_to(method: Method, sides: Sides) -> str:
    """What the response is read into: a model, another type, str, bytes, or None."""
    reads = method.response_kind
    if reads in ("text", "binary"):
        return "str" if reads == "text" else "bytes"
    if method.response is None:
        return "None"
    if method.response.kind == "ref" and reads == "json":
        return output_name(method.response.name)
    return py_type(method.response, OUTPUT, sides)


def _returns(view: MethodView, method: Method, spec: Spec, sides: Sides) -> None:
    """A page, a stream of events, or (with the stream flag) either: the return types and
    the runtime call's options."""
    if method.pagination:
        item = py_type(method.pagination.item, OUTPUT, sides)
        view.kind = "page"
        view.page_type, view.item_type = view.cast_to, item
        view.cursor = (method.pagination.cursor_param, method.pagination.cursor_field)
        view.returns = f"{sides.spell('SyncCursorPage')}[{item}]"
        view.async_returns = f"{sides.spell('AsyncPaginator')}[{item}]"
    elif method.response_kind == "events":
        assert method.response is not None
        view.kind = "events"
        view.event_type = py_type(method.response, OUTPUT, sides)
        view.returns = f"{sides.spell('Stream')}[{view.event_type}]"
        view.async_returns = f"{sides.spell('AsyncStream')}[{view.event_type}]"
        view.read_options = _decode_option(method.response, spec)
    elif method.streaming:
        event = py_type(method.streaming.event, OUTPUT, sides)
        view.kind = "stream"
        view.event_type = event
        decode = _decode_option(method.streaming.event, spec)
        view.read_options = ", ".join(o for o in (view.read_options, decode) if o)
        stream = next(
            p for p in view.keyword if p.where == "body" and p.wire_name == method.streaming.param
        )
        view.stream_param = stream.py_name
        view.keyword.remove(stream)


def _accept(method: Method) -> str:
    """The Accept header a method sends when it reads something other than JSON (or a
    vendor JSON type): the media type it reads, `text/event-stream` for a stream."""
    reads = method.response_kind
    media = method.response_content_type
    if reads == "none" or (reads == "json" and not is_json_media(media)):
        return ""  # nothing to read, or JSON under a wildcard: application/json, the default
    if reads == "json" and media_base(media) == "application/json":
        return ""
    return EVENT_STREAM if reads == "events" else media


def _decode_option(event: TypeExpr, spec: Spec) -> str:
    """How a stream's events are decoded, when not as the runtime does by default (an
    `{event, data}` envelope when the server names the event, as the flagship's events
    are): the data alone as JSON, or as text."""
    if event.kind == "primitive" and event.name == "string":
        return 'decode="text"'
    definitions = spec.definitions()
    members: list[Model] = []
    stack, seen = [event], set()
    while stack:
        expr = stack.pop()
        definition = definitions.get(expr.name) if expr.kind == "ref" else None
        if isinstance(definition, Model):
            members.append(definition)
        elif isinstance(definition, (Union_, Alias)) and expr.name not in seen:
            seen.add(expr.name)
            stack.extend(
                definition.variants if isinstance(definition, Union_) else [definition.type]
            )
        else:
            return 'decode="data"'
    envelope = members and all({"event", "data"} <= {f.name for f in m.fields} for m in members)
    return "" if envelope else 'decode="data"'


def _encode_fields(body: Body, params: list[ParamView]) -> None:
    """Form fields with an encoding of their own are sent `Styled`, as query parameters."""
    if body.kind != "form":
        return
    for view in params:
        encoding = body.encoding.get(view.wire_name)
        if encoding is None or not (
            encoding.style or encoding.explode is not None or encoding.allow_reserved
        ):
            continue
        view.style = encoding.style or "form"
        view.explode = encoding.explode if encoding.explode is not None else view.style == "form"
        view.allow_reserved = encoding.allow_reserved
        view.styled = True


def _body_options(view: MethodView, method: Method, spec: Spec, sides: Sides) -> None:
    """How the body goes on the wire, when not as JSON: its media type, and for multipart
    the fields that may hold files and the parts' content types and encodings."""
    body = method.body
    assert body is not None
    if body.content_type != "application/json":
        view.content_type = body.content_type
    if body.kind != "multipart":
        return
    model = spec.definitions()[body.type.name]
    assert isinstance(model, Model)
    view.files = [f.name for f in sent_fields(model) if mentions_file(f.type, sides.definitions)]
    view.part_types = {n: e.content_type for n, e in body.encoding.items() if e.content_type}
    view.part_encodings = {
        n: e.content_encoding for n, e in body.encoding.items() if e.content_encoding
    }


def _path_expression(path: str, params: list[ParamView]) -> str:
    """The path as Python: a plain string, an f-string, or (when a parameter has a style,
    whose call takes string arguments an f-string could not hold before Python 3.12) a
    concatenation."""
    by_name = {"{" + p.wire_name + "}": p for p in params}
    parts = [part for part in re.split(r"({[^{}]+})", path) if part]
    if any(p.styled for p in params):
        return " + ".join(
            by_name[part].path_value if part in by_name else py_literal(part) for part in parts
        )

    def piece(part: str) -> str:
        if part in by_name:
            return "{" + by_name[part].path_value + "}"
        return part.replace("\\", "\\\\").replace('"', '\\"')

    text = "".join(piece(part) for part in parts)
    return f'f"{text}"' if params else f'"{text}"'


def _body_fields(method: Method, spec: Spec) -> tuple[list[SpecField], bool]:
    """The body's fields become keyword arguments; a body that is not an object is `body`."""
    if method.body is None:
        return [], True
    model = (
        spec.definitions().get(method.body.type.name) if method.body.type.kind == "ref" else None
    )
    if isinstance(model, Model) and not method.body.type.nullable:
        return list(sent_fields(model)), True
    return [SpecField("body", method.body.type, required=method.body.required)], False


def _param(item: Param | SpecField, where: str, taken: set[str], sides: Sides) -> ParamView:
    base = re.sub(r"\[\]$", "", item.name)
    # Python spelling for everything but body fields (whose names are the TypedDict keys):
    # `petId` is `pet_id`, the header `X-Request-Id` is `x_request_id`. The wire keeps its own.
    base = naming.snake(base) if where != "body" else base
    name = naming.python_identifier(base, frozenset(taken))
    while name in taken:
        name += "_"
    taken.add(name)
    annotation = py_type(item.type, INPUT, sides)
    required = item.required or where == "path"
    if where == "path":
        annotation = (
            "str" if item.type.kind == "primitive" and item.type.name == "string" else annotation
        )
    if not required:
        annotation = f"{annotation} | {sides.spell('NotGiven')}"
    doc = _param_doc(item, where, sides)
    view = ParamView(name, item.name, annotation, "" if required else "NOT_GIVEN", doc, where)
    view.styled_as = sides.spell("Styled")
    if isinstance(item, Param) and where in PARAM_STYLES:
        view.style, view.explode = item.serialization(where)
        view.allow_reserved = item.allow_reserved
        view.styled = bool(item.style or item.explode is not None or item.allow_reserved)
        numeric = item.type.kind == "primitive" and item.type.name in _NUMERIC
        # An empty simple-style value would leave an empty path segment (label and matrix
        # values keep their `.` or `;name` prefix); 0 and false are values like others.
        view.check_empty = where == "path" and view.style == "simple" and not numeric
    return view


def _param_doc(item: Param | SpecField, where: str, sides: Sides) -> str:
    """What the Args section says of a parameter: its own description, else that of the
    schema it refers to (`metadata: $ref Metadata` says nothing itself), else where it goes,
    so that every parameter is listed."""
    if item.description:
        return item.description
    definition = sides.definitions.get(item.type.name) if item.type.kind == "ref" else None
    if definition is not None and definition.description:
        return definition.description
    place = "request body field" if where == "body" else f"{where} parameter"
    return f"The `{item.name}` {place}."


def _method_doc(method: Method, params: list[ParamView]) -> str:
    lines = [method.summary or method.description or method.name.replace("_", " ").capitalize()]
    if method.description and method.description != method.summary:
        lines += ["", method.description]
    if method.deprecated:
        lines += ["", "Deprecated."]
    if params:
        lines += ["", "Args:"]
        for p in params:
            text = p.doc.replace("\n", "\n      ")
            lines.append(f"  {p.py_name}: {text}")
            lines.append("")
        lines += [
            "  extra_headers: Send extra headers",
            "",
            "  extra_query: Add additional query parameters to the request",
            "",
            "  extra_body: Add additional JSON properties to the request",
            "",
            "  timeout: Override the client-level default timeout for this request, in seconds",
        ]
    return "\n".join(lines).strip()
