"""Read a normalized spec from YAML and validate it.

Every problem is reported with its spec path (`models.Assistant.fields.id.type`), all
of them at once, so a reviewer fixes a hand edit or an importer bug in one pass.
"""

from __future__ import annotations

import builtins
import dataclasses
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from .. import naming
from ..errors import InputError
from ..importers.documents import parse_yaml
from ..timings import timed
from .model import (
    API_KEY_LOCATIONS,
    CONSTRAINT_KEYS,
    CONTENT_ENCODINGS,
    PARAM_STYLES,
    SECURITY_KINDS,
    TOKEN_ORIGINS,
    Alias,
    Api,
    Body,
    Definition,
    Encoding,
    Enum,
    EventHandler,
    Example,
    Field,
    Method,
    Model,
    Pagination,
    Param,
    Polling,
    Resource,
    Security,
    SecurityScheme,
    Snapshot,
    Spec,
    Streaming,
    Union_,
    body_kind,
    canonical_serialization,
    response_kind,
)
from .types import TypeExpr, TypeSyntaxError, parse_type

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")
_DEFINITION_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_MEMBER_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PATH_PARAM = re.compile(r"{([^{}]+)}")
# `type/subtype`, wildcards allowed, parameters after `;` (RFC 6838 names, loosely).
_MEDIA_TYPE = re.compile(r"^[\w.+*-]+/[\w.+*-]+\s*(;.*)?$")


class SpecError(Exception):
    """The spec cannot be represented; `problems` holds (spec path, message) pairs."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems
        lines = [
            f"{source}: {path}: {message}" if path else f"{source}: {message}"
            for path, message in problems
        ]
        super().__init__("\n".join(lines))


def load_spec(path: Path) -> Spec:
    """Load and validate spec.yaml; raise SpecError naming every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(str(path), [("", f"cannot read file: {exc.strerror or exc}")]) from None
    return parse_spec(text, str(path))


def parse_spec(text: str, source: str = "spec.yaml") -> Spec:
    with timed("load spec"):
        return _parse_spec(text, source)


def _parse_spec(text: str, source: str) -> Spec:
    try:  # libyaml, with the documents' checks (duplicate keys, alias bombs)
        data = parse_yaml(text, source)
    except InputError as exc:
        where, _, message = (
            exc.message.partition(": ")
            if exc.message.startswith("line ")
            else ("", "", exc.message)
        )
        raise SpecError(source, [(where, message)]) from None
    reader = _Reader()
    spec = reader.spec(data)
    if not reader.problems:
        _check_references(spec, reader)
    if reader.problems:
        raise SpecError(source, reader.problems)
    return spec


class _Reader:
    """Builds the dataclasses from plain data, noting problems instead of stopping. The
    keys a record allows and how each is read come from its declaration in `model.py`;
    the methods below add what a type alone does not say (names, media types, styles)."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    # -- shapes -----------------------------------------------------------------

    def mapping(self, data: Any, path: str, allowed: Iterable[str] | None = None) -> dict[str, Any]:
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.problem(path, f"expected a mapping, got {type(data).__name__}")
            return {}
        for key in data:
            if not isinstance(key, str):
                self.problem(path, f"key {key!r} must be a string")
        if allowed is not None:
            for key in sorted(set(map(str, data)) - set(allowed)):
                self.problem(_join(path, key), "unknown key")
        return {str(k): v for k, v in data.items()}

    def record(
        self,
        cls: builtins.type[Any],
        d: dict[str, Any],
        path: str,
        *skip: str,
        only: Iterable[str] = (),
    ) -> dict[str, Any]:
        """The fields of `cls` that `d` gives (a scalar, a type, a text map, a requirement),
        each read and checked by its declared type; one without a default is empty ("",
        `any`) when absent, for the caller to report. Other fields are the caller's."""
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            read = _READERS.get(str(f.type))
            key = f.metadata.get("yaml", f.name)
            if f.name in skip or read is None or (only and f.name not in only):
                continue
            if key in d:
                values[f.name] = read(self, d[key], _join(path, key), f)
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                values[f.name] = read(self, "any" if "TypeExpr" in str(f.type) else "", path, f)
        return values

    def text(self, value: Any, path: str, _: Any = None) -> str:
        if not isinstance(value, str):
            self.problem(path, f"expected text, got {type(value).__name__}")
            return ""
        return value

    def flag(self, value: Any, path: str, f: dataclasses.Field[Any]) -> Any:
        if value is None and f.default is None:
            return None
        if not isinstance(value, bool):
            self.problem(path, "expected true or false")
            return f.default
        return value

    def type(self, value: Any, path: str, _: Any = None) -> TypeExpr:
        try:
            return parse_type(value)
        except TypeSyntaxError as exc:
            self.problem(path, str(exc))
            return parse_type("any")

    def name(self, name: str, path: str, pattern: re.Pattern[str] = _DEFINITION_NAME) -> None:
        if not pattern.match(name):
            self.problem(path, f"{name!r} is not a valid name (letters, digits, underscores)")

    def string_map(self, data: Any, path: str, _: Any = None) -> dict[str, str]:
        d = self.mapping(data, path)
        for key, value in d.items():
            if not isinstance(value, str):
                self.problem(_join(path, key), "expected text")
        return {k: str(v) for k, v in d.items()}

    def field_groups(self, data: Any, path: str, f: Any = None) -> tuple[tuple[str, ...], ...]:
        """A list of groups, each a list of field names."""
        if not isinstance(data, list) or not all(
            isinstance(group, list) and all(isinstance(n, str) for n in group) for group in data
        ):
            self.problem(path, "expected a list of groups (lists of field names)")
            return ()
        return tuple(tuple(group) for group in data)

    def security(self, data: Any, path: str, f: Any = None) -> Security | None:
        """A list of alternatives, each a list of scheme names; None when not given (and
        when invalid, () where the declaration has no None)."""
        empty = None if f is None or f.default is None else ()
        if data is None:
            return empty
        if not isinstance(data, list):
            self.problem(path, "expected a list of alternatives (lists of scheme names)")
            return empty
        alternatives = []
        for i, alternative in enumerate(data):
            if not isinstance(alternative, list) or not all(
                isinstance(n, str) for n in alternative
            ):
                self.problem(_join(path, str(i)), "expected a list of scheme names")
                continue
            if len(set(alternative)) != len(alternative):
                self.problem(_join(path, str(i)), "a scheme is named twice")
            alternatives.append(tuple(alternative))
        return tuple(alternatives)

    def named(self, data: Any, path: str, build: Callable[[str, Any, str], Any]) -> tuple[Any, ...]:
        """A mapping from names to records, built in order."""
        return tuple(
            build(name, value, _join(path, name))
            for name, value in self.mapping(data, path).items()
        )

    # -- the document -----------------------------------------------------------

    def spec(self, data: Any) -> Spec:
        top = self.mapping(data, "", _keys(Spec))
        if data is None or not top:
            self.problem("", "the spec is empty")
        if "api" not in top and top:
            self.problem("api", "missing")
        return Spec(
            api=self.api(top.get("api"), "api"),
            models=self.named(top.get("models"), "models", self.model),
            enums=self.named(top.get("enums"), "enums", self.enum),
            unions=self.named(top.get("unions"), "unions", self.union),
            aliases=self.named(top.get("aliases"), "aliases", self.alias),
            resources=self.named(top.get("resources"), "resources", self.resource),
            event_handlers=self.named(
                top.get("event_handlers"), "event_handlers", self.event_handler
            ),
        )

    def api(self, data: Any, path: str) -> Api:
        d = self.mapping(data, path, _keys(Api))
        values = self.record(Api, d, path)
        if not values["name"] and data is not None:
            self.problem(_join(path, "name"), "missing")
        if "package" in values and not naming.is_dotted_name(values["package"]):
            self.problem(
                _join(path, "package"),
                f"{values['package']!r} is not a dotted Python name"
                " (identifiers joined by dots, none a keyword)",
            )
        schemes = self.named(
            d.get("security_schemes"), _join(path, "security_schemes"), self.security_scheme
        )
        return Api(**values, security_schemes=schemes)

    def security_scheme(self, name: str, data: Any, path: str) -> SecurityScheme:
        d = self.mapping(data, path, _keys(SecurityScheme, "name"))
        values = self.record(SecurityScheme, d, path, "name")
        kind, location = values["kind"], values.get("location", "")
        if kind not in SECURITY_KINDS:
            self.problem(_join(path, "kind"), f"expected one of {', '.join(SECURITY_KINDS)}")
        if kind == "api_key" and location not in API_KEY_LOCATIONS:
            self.problem(_join(path, "in"), f"expected one of {', '.join(API_KEY_LOCATIONS)}")
        if kind == "api_key" and not values.get("parameter"):
            self.problem(_join(path, "parameter"), "missing (the header, query or cookie name)")
        for key in ("in", "parameter"):
            if kind != "api_key" and key in d:
                self.problem(_join(path, key), "only an api_key scheme has this")
        origin = values.get("origin", "")
        if origin and (kind != "bearer" or origin not in TOKEN_ORIGINS):
            self.problem(
                _join(path, "origin"), f"a bearer scheme's origin is one of {TOKEN_ORIGINS}"
            )
        return SecurityScheme(name=name, **values)

    def field(self, name: str, data: Any, path: str) -> Field:
        field: Field = self.value(Field, name, data, path, "")
        return field

    def value(
        self, cls: builtins.type[Field], name: str, data: Any, path: str, location: str
    ) -> Any:
        """A field or (with its `location`) a parameter, which is also serialized."""
        not_a_param = ("read_only", "write_only") if location else ()
        d = self.mapping(data, path, _keys(cls, "name", *not_a_param))
        if "type" not in d:
            self.problem(_join(path, "type"), "missing")
        constraints = self.mapping(
            d.get("constraints"), _join(path, "constraints"), CONSTRAINT_KEYS
        )
        serialization = self.serialization(d, path, location) if location else {}
        values = self.record(cls, d, path, "name", *serialization)
        return cls(name=name, constraints=constraints, **values, **serialization)

    def serialization(self, d: dict[str, Any], path: str, location: str) -> dict[str, Any]:
        """A parameter's style (allowed in its location), explode and allow_reserved."""
        style = self.record(Param, d, path, only=("style",)).get("style", "")
        styles = PARAM_STYLES[location]
        if style and style not in styles:
            self.problem(
                _join(path, "style"),
                f"style {style!r} is not allowed in a {location} parameter"
                f" (allowed: {', '.join(styles)})",
            )
            style = ""
        values = self.record(Param, d, path, only=("explode", "allow_reserved"))
        allow_reserved = values.get("allow_reserved", False)
        if allow_reserved and location != "query":
            self.problem(_join(path, "allow_reserved"), "only query parameters take allow_reserved")
        return {
            **canonical_serialization(location, style, values.get("explode")),
            "allow_reserved": allow_reserved and location == "query",
        }

    def model(self, name: str, data: Any, path: str) -> Model:
        self.name(name, path)
        d = self.mapping(data, path, _keys(Model, "name"))
        fields = self.named(d.get("fields"), _join(path, "fields"), self.field)
        return Model(name=name, fields=fields, **self.record(Model, d, path, "name"))

    def enum(self, name: str, data: Any, path: str) -> Enum:
        self.name(name, path)
        d = self.mapping(data, path, _keys(Enum, "name"))
        values = d.get("values")
        if not isinstance(values, list) or not values:
            self.problem(_join(path, "values"), "expected a non-empty list of values")
            values = []
        seen: set[Any] = set()
        for i, value in enumerate(values):
            if not isinstance(value, (str, int, float, bool)):
                self.problem(_join(path, "values", str(i)), "expected a string or number")
            elif (type(value), value) in seen:
                self.problem(_join(path, "values", str(i)), f"duplicate value {value!r}")
            else:
                seen.add((type(value), value))
        return Enum(name=name, values=tuple(values), **self.record(Enum, d, path, "name"))

    def union(self, name: str, data: Any, path: str) -> Union_:
        self.name(name, path)
        d = self.mapping(data, path, _keys(Union_, "name"))
        variants = d.get("variants")
        if not isinstance(variants, list) or not variants:
            self.problem(_join(path, "variants"), "expected a non-empty list of types")
            variants = []
        return Union_(
            name=name,
            variants=tuple(
                self.type(v, _join(path, "variants", str(i))) for i, v in enumerate(variants)
            ),
            **self.record(Union_, d, path, "name"),
        )

    def alias(self, name: str, data: Any, path: str) -> Alias:
        self.name(name, path)
        d = self.mapping(data, path, _keys(Alias, "name"))
        if "type" not in d:
            self.problem(_join(path, "type"), "missing")
        return Alias(name=name, **self.record(Alias, d, path, "name"))

    def resource(self, name: str, data: Any, path: str) -> Resource:
        self.name(name, path, _MEMBER_NAME)
        d = self.mapping(data, path, _keys(Resource, "name"))
        methods = self.mapping(d.get("methods"), _join(path, "methods"))
        children = self.mapping(d.get("resources"), _join(path, "resources"))
        for duplicate in sorted(set(methods) & set(children)):
            self.problem(
                _join(path, "methods", duplicate), "a method and a sub-resource share this name"
            )
        return Resource(
            name=name,
            methods=self.named(methods, _join(path, "methods"), self.method),
            resources=self.named(children, _join(path, "resources"), self.resource),
            polling=self.optional(d, path, "polling", self.polling),
            **self.record(Resource, d, path, "name"),
        )

    def method(self, name: str, data: Any, path: str) -> Method:
        self.name(name, path, _MEMBER_NAME)
        d = self.mapping(data, path, ("http", *_keys(Method, "name", "http_method", "path")))
        http = self.text(d.get("http", ""), _join(path, "http"))
        verb, _, route = http.partition(" ")
        if verb not in HTTP_METHODS or not route.startswith("/"):
            self.problem(_join(path, "http"), f"expected '<VERB> /path', got {http!r}")
        params: dict[str, Any] = {
            f"{location}_params": self.named(
                d.get(f"{location}_params"),
                _join(path, f"{location}_params"),
                functools.partial(self.value, Param, location=location),
            )
            for location in PARAM_STYLES
        }
        named_in_route = _PATH_PARAM.findall(route)
        declared = [p.name for p in params["path_params"]]
        if sorted(named_in_route) != sorted(declared):
            self.problem(
                _join(path, "path_params"),
                f"path {route!r} names {named_in_route} but path_params declares {declared}",
            )
        values = self.record(Method, d, path, "name", "http_method", "path")
        values.pop("response_content_type", None)
        response = values.get("response")
        return Method(
            name=name,
            http_method=verb,
            path=route,
            **params,
            **values,
            body=self.optional(d, path, "body", self.body),
            response_content_type=self.response_content_type(d, path, response),
            pagination=self.optional(d, path, "pagination", self.pagination),
            streaming=self.optional(d, path, "streaming", self.streaming),
            request_example=self.example(d.get("request_example"), _join(path, "request_example")),
            response_example=self.example(
                d.get("response_example"), _join(path, "response_example")
            ),
        )

    def optional(self, d: dict[str, Any], path: str, key: str, build: Callable[..., Any]) -> Any:
        return build(d[key], _join(path, key)) if key in d else None

    def example(self, data: Any, path: str) -> Example | None:
        """A JSON value and where the document shows it; None when absent."""
        if data is None:
            return None
        d = self.mapping(data, path, _keys(Example))
        if "value" not in d:
            self.problem(_join(path, "value"), "missing")
        return Example(d.get("value"), self.text(d.get("source", ""), _join(path, "source")))

    def response_content_type(self, d: dict[str, Any], path: str, response: TypeExpr | None) -> str:
        """The response's media type (application/json unless said), read as the type allows."""
        where = _join(path, "response_content_type")
        content_type = self.text(d.get("response_content_type", ""), where) or "application/json"
        if "response_content_type" in d and response is None:
            self.problem(where, "a method without a response has no response content type")
        elif not _MEDIA_TYPE.match(content_type):
            self.problem(where, f"{content_type!r} is not a media type (type/subtype)")
        elif not response_kind(content_type, response):
            self.problem(
                where,
                f"a {response} response cannot be read as {content_type}"
                " (JSON, text as string, bytes as file, or text/event-stream events)",
            )
        return content_type

    def body(self, data: Any, path: str) -> Body:
        d = self.mapping(data, path, _keys(Body))
        values = self.record(Body, d, path)
        content_type = values["content_type"] = values.get("content_type") or "application/json"
        expr = values["type"]
        kind = body_kind(content_type, expr)
        if not _MEDIA_TYPE.match(content_type):
            self.problem(
                _join(path, "content_type"), f"{content_type!r} is not a media type (type/subtype)"
            )
        elif not kind:
            self.problem(
                _join(path, "content_type"),
                f"a {expr} body cannot be sent as {content_type}"
                " (JSON, a form or multipart model, text as string, bytes as file)",
            )
        encoding = {
            name: self.encoding(value, _join(path, "encoding", name), kind)
            for name, value in self.mapping(d.get("encoding"), _join(path, "encoding")).items()
        }
        if encoding and kind not in ("form", "multipart"):
            self.problem(_join(path, "encoding"), "only a form or multipart body has encodings")
        return Body(**values, encoding=encoding)

    def encoding(self, data: Any, path: str, kind: str) -> Encoding:
        """How one form or multipart field is written: style/explode/allow_reserved in a form,
        content_type/content_encoding in multipart."""
        form_keys = ("style", "explode", "allow_reserved")
        part_keys = ("content_type", "content_encoding")
        d = self.mapping(data, path, _keys(Encoding))
        for key in sorted(d):
            if (key in form_keys and kind == "multipart") or (key in part_keys and kind == "form"):
                self.problem(_join(path, key), f"not an encoding of a {kind} field")
        values = self.record(Encoding, d, path)
        style = values.get("style", "")
        if style and style not in PARAM_STYLES["query"]:
            self.problem(
                _join(path, "style"),
                f"style {style!r} is not a form style (allowed: {', '.join(PARAM_STYLES['query'])})",
            )
        content_encoding = values.get("content_encoding", "")
        if content_encoding and content_encoding not in CONTENT_ENCODINGS:
            self.problem(
                _join(path, "content_encoding"),
                f"expected one of {', '.join(CONTENT_ENCODINGS)}",
            )
        content_type = values.get("content_type", "")
        if content_type and not all(_MEDIA_TYPE.match(t.strip()) for t in content_type.split(",")):
            self.problem(_join(path, "content_type"), f"{content_type!r} is not a media type")
        values.update(canonical_serialization("query", style, values.get("explode")))
        return Encoding(**values)

    def pagination(self, data: Any, path: str) -> Pagination:
        d = self.mapping(data, path, _keys(Pagination))
        if d.get("scheme") != "cursor":
            self.problem(_join(path, "scheme"), "only the 'cursor' scheme is supported")
        return Pagination(scheme="cursor", **self.record(Pagination, d, path, "scheme"))

    def polling(self, data: Any, path: str) -> Polling:
        d = self.mapping(data, path, _keys(Polling))
        values = self.record(Polling, d, path)
        for key in ("retrieve", "until"):
            if key not in d:
                self.problem(_join(path, key), "missing")
        return Polling(**values)

    def event_handler(self, name: str, data: Any, path: str) -> EventHandler:
        self.name(name, path)
        d = self.mapping(data, path, _keys(EventHandler, "name"))
        snapshots = self.named(d.get("snapshots"), _join(path, "snapshots"), self.snapshot)
        return EventHandler(name, snapshots=snapshots, **self.record(EventHandler, d, path, "name"))

    def snapshot(self, name: str, data: Any, path: str) -> Snapshot:
        self.name(name, path, _MEMBER_NAME)
        d = self.mapping(data, path, _keys(Snapshot, "name"))
        return Snapshot(name, **self.record(Snapshot, d, path, "name"))

    def strings(self, value: Any, path: str, _: Any = None) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(path, "expected a list of text")
            return ()
        return tuple(value)

    def integer(self, value: Any, path: str, f: Any = None) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.problem(path, "expected a whole number, 0 or more")
            return int(f.default) if f is not None else 0
        return value

    def streaming(self, data: Any, path: str) -> Streaming:
        d = self.mapping(data, path, _keys(Streaming))
        values = self.record(Streaming, d, path)
        values["param"] = values["param"] or "stream"
        return Streaming(**values)


# How a declared field type is read (see `_Reader.record`).
_READERS: dict[str, Callable[[_Reader, Any, str, Any], Any]] = {
    "str": _Reader.text,
    "bool": _Reader.flag,
    "bool | None": _Reader.flag,
    "TypeExpr": _Reader.type,
    "TypeExpr | None": _Reader.type,
    "dict[str, str]": _Reader.string_map,
    "JSON": lambda reader, value, path, f: value,
    "Security": _Reader.security,
    "FieldGroups": _Reader.field_groups,
    "Security | None": _Reader.security,
    "tuple[str, ...]": _Reader.strings,
    "int": _Reader.integer,
}


def _keys(cls: type, *leave_out: str) -> tuple[str, ...]:
    """The keys a record of `cls` may have in spec.yaml."""
    fields = dataclasses.fields(cls)
    return tuple(f.metadata.get("yaml", f.name) for f in fields if f.name not in leave_out)


def _join(*parts: str) -> str:
    return ".".join(p for p in parts if p)


def _check_references(spec: Spec, reader: _Reader) -> None:
    """Cross-definition rules: names unique, references resolve, unions well-formed."""
    definitions: dict[str, str] = {}
    for group, items in (
        ("models", spec.models),
        ("enums", spec.enums),
        ("unions", spec.unions),
        ("aliases", spec.aliases),
    ):
        for item in items:
            if item.name in definitions:
                reader.problem(
                    f"{group}.{item.name}", f"name already used in {definitions[item.name]}"
                )
            definitions[item.name] = group

    def check(expr: TypeExpr | None, path: str) -> None:
        if expr is None:
            return
        for name in expr.refs():
            if name not in definitions:
                reader.problem(path, f"unknown type {name!r}")

    models = {m.name: m for m in spec.models}
    for model in spec.models:
        for f in model.fields:
            check(f.type, f"models.{model.name}.fields.{f.name}.type")
        check(model.extra, f"models.{model.name}.extra")
    for alias in spec.aliases:
        check(alias.type, f"aliases.{alias.name}.type")
    named = spec.definitions()
    for union in spec.unions:
        path = f"unions.{union.name}"
        for i, variant in enumerate(union.variants):
            check(variant, f"{path}.variants.{i}")
        if union.discriminator:
            _check_discriminator(union, named, reader, path)
    for resource_path, method in spec.methods():
        path = f"resources.{resource_path}.methods.{method.name}"
        for location, p in method.params():
            check(p.type, f"{path}.{location}_params.{p.name}.type")
        check(method.body.type if method.body else None, f"{path}.body.type")
        check(method.response, f"{path}.response")
        check(method.pagination.item if method.pagination else None, f"{path}.pagination.item")
        if method.body:
            _check_body_fields(method.body, models, reader, f"{path}.body")
        if method.streaming and method.response_kind == "events":
            reader.problem(
                f"{path}.streaming", "the response is already a stream (text/event-stream)"
            )
        if method.streaming:
            check(method.streaming.event, f"{path}.streaming.event")
            body = models.get(method.body.type.name) if method.body else None
            if body is None or method.streaming.param not in {f.name for f in body.fields}:
                reader.problem(
                    f"{path}.streaming.param",
                    f"the request body has no field {method.streaming.param!r}",
                )
    _check_helpers(spec, reader, check)
    _check_security(spec, reader)
    _check_alias_cycles(spec, reader)


def _check_helpers(spec: Spec, reader: _Reader, check: Callable[[TypeExpr, str], None]) -> None:
    """Polling and stream helpers name what exists: the resource that polls and its
    retrieve method, an event handler for the method's events, the handlers' models."""
    resources = spec.resources_by_path()
    for dotted, resource in resources.items():
        polling = resource.polling
        if polling and polling.retrieve not in {m.name for m in resource.methods}:
            reader.problem(
                f"resources.{dotted}.polling.retrieve", f"no method {polling.retrieve!r} here"
            )
    handlers = {h.event: h for h in spec.event_handlers}
    for resource_path, method in spec.methods():
        path = f"resources.{resource_path}.methods.{method.name}"
        if method.poll_helper and not (
            method.poll_with in resources and resources[method.poll_with].polling
        ):
            reader.problem(f"{path}.poll_with", f"{method.poll_with!r} is no resource that polls")
        if method.stream_helpers and not (
            method.streaming and method.streaming.event.name in handlers
        ):
            reader.problem(
                f"{path}.stream_helpers", "the method streams no events an event handler reads"
            )
    for handler in spec.event_handlers:
        path = f"event_handlers.{handler.name}"
        check(TypeExpr("ref", handler.event), f"{path}.event")
        for snapshot in handler.snapshots:
            check(TypeExpr("ref", snapshot.model), f"{path}.snapshots.{snapshot.name}.model")


def _check_body_fields(body: Body, models: dict[str, Model], reader: _Reader, path: str) -> None:
    """A form or multipart body is a model (its fields are the form's fields); each
    encoding names one of them."""
    if body.kind not in ("form", "multipart"):
        return
    model = models.get(body.type.name) if body.type.kind == "ref" else None
    if model is None or body.type.nullable:
        reader.problem(
            f"{path}.type", f"a {body.content_type} body is a model (its fields), not {body.type}"
        )
        return
    names = {f.name for f in model.fields}
    for name in body.encoding:
        if name not in names:
            reader.problem(f"{path}.encoding.{name}", f"{model.name} has no field {name!r}")


def _check_security(spec: Spec, reader: _Reader) -> None:
    """Every scheme a requirement names is declared under api.security_schemes."""
    declared = {s.name for s in spec.api.security_schemes}
    places = [("api.security", spec.api.security)]
    places += [
        (f"resources.{resource}.methods.{method.name}.security", method.security or ())
        for resource, method in spec.methods()
    ]
    for path, security in places:
        for i, alternative in enumerate(security):
            for name in alternative:
                if name not in declared:
                    reader.problem(
                        f"{path}.{i}",
                        f"unknown security scheme {name!r} (not in api.security_schemes)",
                    )
    for name in spec.api.credentials:
        if name not in declared:
            reader.problem(
                f"api.credentials.{name}",
                f"unknown security scheme {name!r} (not in api.security_schemes)",
            )


def _check_discriminator(
    union: Union_, definitions: Mapping[str, Definition], reader: _Reader, path: str
) -> None:
    """Every variant a model with the tag field; each mapping value selects a variant whose
    tag field allows it (several values may select one variant); every variant selected."""
    allowed: dict[str, list[str] | None] = {}  # variant -> its tag values ([] any string)
    for i, variant in enumerate(union.variants):
        model = definitions.get(variant.name) if variant.kind == "ref" else None
        if not isinstance(model, Model) or variant.nullable:
            reader.problem(
                f"{path}.variants.{i}", "a discriminated union's variants must be models"
            )
            continue
        tag = next((f for f in model.fields if f.name == union.discriminator), None)
        if tag is None:
            reader.problem(
                f"{path}.variants.{i}",
                f"{model.name} has no field {union.discriminator!r} (declare it: a string,"
                " an enum or a literal)",
            )
            continue
        allowed[model.name] = _tag_values(tag.type, definitions)
        if allowed[model.name] is None:
            reader.problem(
                f"{path}.variants.{i}",
                f"{model.name}.{union.discriminator} is {tag.type}: a discriminator is a"
                " string, an enum or a literal",
            )
    variant_names = {v.name for v in union.variants if v.kind == "ref"}
    for value, target in union.mapping.items():
        values = allowed.get(target)
        if target not in variant_names:
            reader.problem(f"{path}.mapping.{value}", f"{target!r} is not one of the variants")
        elif values and value not in values:
            reader.problem(
                f"{path}.mapping.{value}",
                f"{target}.{union.discriminator} can only be {', '.join(map(repr, values))}",
            )
    for name in sorted(set(allowed) - set(union.mapping.values())):
        reader.problem(f"{path}.mapping", f"variant {name} has no discriminator value")


def _tag_values(expr: TypeExpr, definitions: Mapping[str, Definition]) -> list[str] | None:
    """The values a tag field of this type allows: [] for any string, None if not a string."""
    for _ in range(8):  # through aliases
        if expr.kind == "primitive" and expr.name in ("string", "any"):
            return []
        if expr.kind == "literal":
            return None if expr.value is None else [str(expr.value)]
        definition = definitions.get(expr.name) if expr.kind == "ref" else None
        if isinstance(definition, Enum):
            return [str(v) for v in definition.values]
        if not isinstance(definition, Alias):
            return None
        expr = definition.type
    return None


def _check_alias_cycles(spec: Spec, reader: _Reader) -> None:
    """A cycle that never passes through a model has no finite value: reject it."""
    edges: dict[str, list[str]] = {}
    for alias in spec.aliases:
        edges[alias.name] = list(alias.type.refs())
    for union in spec.unions:
        edges[union.name] = [n for v in union.variants for n in v.refs()]

    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == 2 or name not in edges:
            return
        if state.get(name) == 1:
            start = trail.index(name)
            cycle = " -> ".join(trail[start:] + [name])
            group = "aliases" if any(a.name == name for a in spec.aliases) else "unions"
            reader.problem(
                f"{group}.{name}", f"refers to itself without passing through a model: {cycle}"
            )
            return
        state[name] = 1
        for target in edges[name]:
            visit(target, trail + [name])
        state[name] = 2

    for name in sorted(edges):
        visit(name, [])
