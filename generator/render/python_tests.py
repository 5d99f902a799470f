"""The generated SDK's own test suite, as the templates in templates/python/tests/ need it.

Every method is called against a mock server serving the API's OpenAPI document (the
generated conftest starts Prism), sync and async: once with its required arguments only,
once with every argument, through `.with_raw_response` and `.with_streaming_response`,
and, for each path parameter an empty value would drop from the URL, with that value
empty (the SDK raises ValueError before sending anything). The argument values are the
reference docs' (examples.py), so the mock server's request validation checks what the
docs show too. Each result is checked against the method's declared return type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..spec.model import Alias, Definition, Method, Model, Spec, Union_
from ..spec.types import TypeExpr
from .examples import Synthesizer, chosen_fields, excluded_fields, py_source
from .python_client import MethodView, ParamView, ResourceView
from .python_types import Sides, mentions_file

# The mock server the generated tests run against (npm @stoplight/prism-cli), as the generated
# conftest tells users to install it; .ci/run installs the same version.
PRISM_VERSION = "5.16.0"
# What an upload argument gets: bytes, which every file parameter accepts.
_FILE_CONTENT = b"file contents"
_FILE_PLACEHOLDER = "<bytes>"  # what examples.py shows for a file


@dataclass
class PathCheck:
    param: str  # the parameter left empty
    arguments: list[str]  # the call's arguments, that one as ""


@dataclass
class MethodTests:
    name: str
    required: list[str]  # Python source of the arguments: required ones only
    full: list[str]  # every argument
    path_checks: list[PathCheck]
    returns: str  # the declared result type, sync ("None" for no content)
    async_returns: str
    kind: str  # plain, page, stream (a JSON call that can also stream), events
    skip: str = ""  # why the mock server cannot run the calls; "" when it can
    skip_full: str = ""  # why it cannot run the call with every argument
    stream_param: str = ""


@dataclass
class ResourceTests:
    module: str  # the test module's name, after the resource module's: beta_threads_runs
    access: str  # the resource on a client: beta.threads.runs
    class_name: str
    methods: list[MethodTests] = field(default_factory=list)
    model_imports: list[str] = field(default_factory=list)


def resource_tests(
    spec: Spec, views: list[ResourceView], sides: Sides, synthesizer: Synthesizer | None = None
) -> list[ResourceTests]:
    """One test module for each resource that has methods, in the resources' order."""
    synthesizer = synthesizer or Synthesizer(spec)
    by_path = {path.replace(".", "_"): path for path, _ in spec.methods()}
    methods: dict[str, list[Method]] = {}
    for path, method in spec.methods():
        methods.setdefault(path, []).append(method)
    found = []
    for view in views:
        path = by_path.get(view.module)
        if path is None:
            continue
        tests = ResourceTests(view.module, path, view.class_name, model_imports=view.model_imports)
        for method, method_view in zip(methods[path], view.methods):
            tests.methods.append(_method_tests(method, method_view, synthesizer, sides))
        found.append(tests)
    return found


def _method_tests(
    method: Method, view: MethodView, synthesizer: Synthesizer, sides: Sides
) -> MethodTests:
    values = {
        id(p): _argument(p, method, synthesizer, sides) for p in view.positional + view.keyword
    }
    # A body whose fields exclude each other (one group of them): the first group, always.
    body = synthesizer.body_model(method)
    chosen = chosen_fields(body) if body else set()
    left_out = excluded_fields(body) if body else set()
    every = [
        p
        for p in view.positional + view.keyword
        if not (p.where == "body" and p.wire_name in left_out)
    ]
    required = [p for p in every if not p.default or (p.where == "body" and p.wire_name in chosen)]
    checks = [
        PathCheck(p.py_name, _arguments(view, required, values, empty=p))
        for p in view.path_params
        if p.check_empty
    ]
    tests = MethodTests(
        name=view.name,
        required=_arguments(view, required, values),
        full=_arguments(view, every, values),
        path_checks=checks,
        returns=view.returns,
        async_returns=view.async_returns,
        kind=view.kind,
        stream_param=view.stream_param,
    )
    if view.kind == "page":
        tests.async_returns = f"{sides.spell('AsyncCursorPage')}[{view.item_type}]"
    definitions = sides.definitions
    tests.skip = _prism_cannot(method, definitions) or _prism_cannot_decode(
        method, required, definitions
    )
    tests.skip_full = tests.skip or _prism_cannot_decode(method, every, definitions)
    return tests


# What Prism cannot do, found by running it (see PRISM_VERSION). Its request validator
# crashes the whole server (not just the request) on an operation that declares a
# parameter of these shapes, whether or not the request sends it; it reads a form or
# multipart field as a string (one array item, a JSON part) and fails validation; and it
# has no serializer for binary bodies nor a stream for server-sent events. A method that
# meets one of these is skipped, saying which.
_CRASHING_PLACES = ("path", "header", "cookie")
_DELIMITED = ("spaceDelimited", "pipeDelimited")


def _prism_cannot(method: Method, definitions: Mapping[str, Definition]) -> str:
    if method.response_kind == "events":
        return "Prism cannot stream server-sent events"
    if method.response_kind == "binary":
        return "Prism cannot serve a binary response body"
    for where, param in method.params():
        shape = _shape(param.type, definitions)
        style = param.serialization(where)[0]
        if (where in _CRASHING_PLACES and shape != "scalar") or (
            where == "query" and shape == "object" and style in _DELIMITED
        ):
            return (
                f"Prism {PRISM_VERSION} crashes on an operation with {a_or_an(shape)}"
                f" {where} parameter ({param.name}, style {style})"
            )
    return ""


def _prism_cannot_decode(
    method: Method, params: list[ParamView], definitions: Mapping[str, Definition]
) -> str:
    if method.body is None or method.body.kind not in ("form", "multipart"):
        return ""
    body = definitions.get(method.body.type.name) if method.body.type.kind == "ref" else None
    fields = {f.name: f for f in body.fields} if isinstance(body, Model) else {}
    # A field with an encoding of its own is decoded (and fails) even when not sent.
    sent = {p.wire_name for p in params if p.where == "body"} | set(method.body.encoding)
    for name in [f for f in fields if f in sent]:
        item = fields[name]
        if _shape(item.type, definitions) != "scalar":
            return (
                f"Prism {PRISM_VERSION} reads {a_or_an(_shape(item.type, definitions))}"
                f" field of a {method.body.kind} body as text ({item.name})"
            )
    return ""


def a_or_an(shape: str) -> str:
    return f"an {shape}" if shape[0] in "aeiou" else f"a {shape}"


def _shape(expr: TypeExpr, definitions: Mapping[str, Definition], depth: int = 0) -> str:
    """array, object, or scalar (a union: its least scalar member)."""
    if expr.kind == "list":
        return "array"
    if expr.kind == "map" or (expr.kind == "primitive" and expr.name == "any"):
        return "object"
    definition = definitions.get(expr.name) if expr.kind == "ref" else None
    if isinstance(definition, Model):
        return "object"
    if isinstance(definition, Alias) and depth < 32:
        return _shape(definition.type, definitions, depth + 1)
    if isinstance(definition, Union_) and depth < 32:
        shapes = {_shape(v, definitions, depth + 1) for v in definition.variants}
        return "object" if "object" in shapes else "array" if "array" in shapes else "scalar"
    return "scalar"


def _argument(p: ParamView, method: Method, synthesizer: Synthesizer, sides: Sides) -> str:
    value = synthesizer.argument(method, p.where, p.wire_name)
    if _takes_file(p, method, sides):
        return _with_files(value)
    return py_source(value)


def _takes_file(p: ParamView, method: Method, sides: Sides) -> bool:
    if p.where != "body" or method.body is None:
        return False
    if method.body.kind == "binary":
        return True
    body = sides.definitions.get(method.body.type.name) if method.body.type.kind == "ref" else None
    fields = getattr(body, "fields", ())
    item = next((f for f in fields if f.name == p.wire_name), None)
    expr: TypeExpr = item.type if item is not None else method.body.type
    return mentions_file(expr, sides.definitions)


def _with_files(value: Any) -> str:
    """Python source of a value whose file placeholders become bytes."""
    if value == _FILE_PLACEHOLDER:
        return repr(_FILE_CONTENT)
    if isinstance(value, list):
        return "[" + ", ".join(_with_files(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_source(k)}: {_with_files(v)}" for k, v in value.items()) + "}"
    return py_source(value)


def _arguments(
    view: MethodView,
    params: list[ParamView],
    values: dict[int, str],
    empty: ParamView | None = None,
) -> list[str]:
    """`value` for the positional parameter, `name=value` for the others, in signature order."""
    found = []
    for p in params:
        value = '""' if p is empty else values[id(p)]
        positional = any(p is q for q in view.positional)
        found.append(value if positional else f"{p.py_name}={value}")
    return found
