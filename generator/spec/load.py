"""Read a normalized spec from YAML and validate it.

Every problem is reported with its spec path (`models.Assistant.fields.id.type`), all
of them at once, so a reviewer fixes a hand edit or an importer bug in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .. import naming
from ..errors import InputError
from ..importers.documents import parse_yaml
from .model import (
    API_KEY_LOCATIONS,
    CONSTRAINT_KEYS,
    CONTENT_ENCODINGS,
    MISSING,
    PARAM_STYLES,
    SECURITY_KINDS,
    TOKEN_ORIGINS,
    Alias,
    Api,
    Body,
    Definition,
    Encoding,
    Enum,
    Example,
    Field,
    Method,
    Model,
    Pagination,
    Param,
    Resource,
    Security,
    SecurityScheme,
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
    """Builds the dataclasses from plain data, noting problems instead of stopping."""

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

    def text(self, data: dict[str, Any], key: str, path: str) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            self.problem(_join(path, key), f"expected text, got {type(value).__name__}")
            return ""
        return value

    def flag(self, data: dict[str, Any], key: str, path: str, default: bool = False) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(_join(path, key), "expected true or false")
            return default
        return value

    def type(self, value: Any, path: str) -> TypeExpr:
        try:
            return parse_type(value)
        except TypeSyntaxError as exc:
            self.problem(path, str(exc))
            return parse_type("any")

    def name(self, name: str, path: str, pattern: re.Pattern[str] = _DEFINITION_NAME) -> None:
        if not pattern.match(name):
            self.problem(path, f"{name!r} is not a valid name (letters, digits, underscores)")

    # -- the document -----------------------------------------------------------

    def spec(self, data: Any) -> Spec:
        top = self.mapping(data, "", ("api", "models", "enums", "unions", "aliases", "resources"))
        if data is None or not top:
            self.problem("", "the spec is empty")
        if "api" not in top and top:
            self.problem("api", "missing")
        return Spec(
            api=self.api(top.get("api"), "api"),
            models=self.group(top.get("models"), "models", self.model),
            enums=self.group(top.get("enums"), "enums", self.enum),
            unions=self.group(top.get("unions"), "unions", self.union),
            aliases=self.group(top.get("aliases"), "aliases", self.alias),
            resources=tuple(
                self.resource(name, value, _join("resources", name))
                for name, value in self.mapping(top.get("resources"), "resources").items()
            ),
        )

    def group(self, data: Any, path: str, build: Callable[[str, Any, str], Any]) -> tuple[Any, ...]:
        items = []
        for name, value in self.mapping(data, path).items():
            item_path = _join(path, name)
            self.name(name, item_path)
            items.append(build(name, value, item_path))
        return tuple(items)

    def api(self, data: Any, path: str) -> Api:
        keys = (
            "name",
            "title",
            "version",
            "sdk_version",
            "description",
            "base_url",
            "package",
            "client",
            "async_client",
            "request_id_header",
            "docs_base_url",
        )
        maps = ("default_headers", "environment", "option_headers")
        d = self.mapping(data, path, keys + maps + ("security_schemes", "security"))
        texts = {key: self.text(d, key, path) for key in keys if key in d}
        if not texts.get("name") and data is not None:
            self.problem(_join(path, "name"), "missing")
        texts.setdefault("name", "")
        if "package" in texts and not naming.is_dotted_name(texts["package"]):
            self.problem(
                _join(path, "package"),
                f"{texts['package']!r} is not a dotted Python name"
                " (identifiers joined by dots, none a keyword)",
            )
        return Api(
            **texts,
            default_headers=self.string_map(
                d.get("default_headers"), _join(path, "default_headers")
            ),
            environment=self.string_map(d.get("environment"), _join(path, "environment")),
            option_headers=self.string_map(d.get("option_headers"), _join(path, "option_headers")),
            security_schemes=tuple(
                self.security_scheme(name, value, _join(path, "security_schemes", name))
                for name, value in self.mapping(
                    d.get("security_schemes"), _join(path, "security_schemes")
                ).items()
            ),
            security=self.security(d.get("security"), _join(path, "security")) or (),
        )

    def security_scheme(self, name: str, data: Any, path: str) -> SecurityScheme:
        allowed = ("kind", "in", "parameter", "origin", "description", "source")
        d = self.mapping(data, path, allowed)
        kind = self.text(d, "kind", path)
        if kind not in SECURITY_KINDS:
            self.problem(_join(path, "kind"), f"expected one of {', '.join(SECURITY_KINDS)}")
        location, parameter = self.text(d, "in", path), self.text(d, "parameter", path)
        if kind == "api_key" and location not in API_KEY_LOCATIONS:
            self.problem(_join(path, "in"), f"expected one of {', '.join(API_KEY_LOCATIONS)}")
        if kind == "api_key" and not parameter:
            self.problem(_join(path, "parameter"), "missing (the header, query or cookie name)")
        for key in ("in", "parameter"):
            if kind != "api_key" and key in d:
                self.problem(_join(path, key), "only an api_key scheme has this")
        origin = self.text(d, "origin", path)
        if origin and (kind != "bearer" or origin not in TOKEN_ORIGINS):
            self.problem(
                _join(path, "origin"), f"a bearer scheme's origin is one of {TOKEN_ORIGINS}"
            )
        return SecurityScheme(
            name=name,
            kind=kind,
            location=location,
            parameter=parameter,
            origin=origin,
            description=self.text(d, "description", path),
            source=self.text(d, "source", path),
        )

    def security(self, data: Any, path: str) -> Security | None:
        """A list of alternatives, each a list of scheme names; None when not given."""
        if data is None:
            return None
        if not isinstance(data, list):
            self.problem(path, "expected a list of alternatives (lists of scheme names)")
            return None
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

    def string_map(self, data: Any, path: str) -> dict[str, str]:
        d = self.mapping(data, path)
        for key, value in d.items():
            if not isinstance(value, str):
                self.problem(_join(path, key), "expected text")
        return {k: str(v) for k, v in d.items()}

    def value_fields(self, name: str, data: Any, path: str) -> dict[str, Any]:
        allowed = (
            "type",
            "required",
            "description",
            "default",
            "example",
            "constraints",
            "deprecated",
            "read_only",
            "write_only",
        )
        d = self.mapping(data, path, allowed)
        return self.common_value_fields(name, d, path)

    def common_value_fields(self, name: str, d: dict[str, Any], path: str) -> dict[str, Any]:
        if "type" not in d:
            self.problem(_join(path, "type"), "missing")
        constraints = self.mapping(
            d.get("constraints"), _join(path, "constraints"), CONSTRAINT_KEYS
        )
        return {
            "name": name,
            "type": self.type(d.get("type", "any"), _join(path, "type")),
            "required": self.flag(d, "required", path),
            "description": self.text(d, "description", path),
            "default": d.get("default", MISSING),
            "example": d.get("example", MISSING),
            "constraints": constraints,
            "deprecated": self.flag(d, "deprecated", path),
            **{key: True for key in ("read_only", "write_only") if self.flag(d, key, path)},
        }

    def param(self, name: str, data: Any, path: str, location: str) -> Param:
        """A parameter: a value, and how it is serialized in its location."""
        allowed = ("type", "required", "description", "default", "example", "constraints")
        allowed += ("deprecated", "style", "explode", "allow_reserved")
        d = self.mapping(data, path, allowed)
        style = self.text(d, "style", path)
        styles = PARAM_STYLES[location]
        if style and style not in styles:
            self.problem(
                _join(path, "style"),
                f"style {style!r} is not allowed in a {location} parameter"
                f" (allowed: {', '.join(styles)})",
            )
            style = ""
        explode = d.get("explode")
        if explode is not None and not isinstance(explode, bool):
            self.problem(_join(path, "explode"), "expected true or false")
            explode = None
        allow_reserved = self.flag(d, "allow_reserved", path)
        if allow_reserved and location != "query":
            self.problem(_join(path, "allow_reserved"), "only query parameters take allow_reserved")
        return Param(
            **self.common_value_fields(name, d, path),
            **canonical_serialization(location, style, explode),
            allow_reserved=allow_reserved and location == "query",
        )

    def model(self, name: str, data: Any, path: str) -> Model:
        d = self.mapping(data, path, ("description", "deprecated", "source", "extra", "fields"))
        fields = []
        for field_name, value in self.mapping(d.get("fields"), _join(path, "fields")).items():
            fields.append(
                Field(**self.value_fields(field_name, value, _join(path, "fields", field_name)))
            )
        extra = self.type(d["extra"], _join(path, "extra")) if "extra" in d else None
        return Model(
            name=name,
            fields=tuple(fields),
            description=self.text(d, "description", path),
            extra=extra,
            deprecated=self.flag(d, "deprecated", path),
            source=self.text(d, "source", path),
        )

    def enum(self, name: str, data: Any, path: str) -> Enum:
        d = self.mapping(data, path, ("description", "deprecated", "source", "values"))
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
        return Enum(
            name=name,
            values=tuple(values),
            description=self.text(d, "description", path),
            deprecated=self.flag(d, "deprecated", path),
            source=self.text(d, "source", path),
        )

    def union(self, name: str, data: Any, path: str) -> Union_:
        allowed = ("description", "deprecated", "source", "discriminator", "variants", "mapping")
        d = self.mapping(data, path, allowed)
        variants = d.get("variants")
        if not isinstance(variants, list) or not variants:
            self.problem(_join(path, "variants"), "expected a non-empty list of types")
            variants = []
        return Union_(
            name=name,
            variants=tuple(
                self.type(v, _join(path, "variants", str(i))) for i, v in enumerate(variants)
            ),
            discriminator=self.text(d, "discriminator", path),
            mapping=self.string_map(d.get("mapping"), _join(path, "mapping")),
            description=self.text(d, "description", path),
            deprecated=self.flag(d, "deprecated", path),
            source=self.text(d, "source", path),
        )

    def alias(self, name: str, data: Any, path: str) -> Alias:
        d = self.mapping(data, path, ("type", "description", "deprecated", "source"))
        if "type" not in d:
            self.problem(_join(path, "type"), "missing")
        return Alias(
            name=name,
            type=self.type(d.get("type", "any"), _join(path, "type")),
            description=self.text(d, "description", path),
            deprecated=self.flag(d, "deprecated", path),
            source=self.text(d, "source", path),
        )

    def resource(self, name: str, data: Any, path: str) -> Resource:
        self.name(name, path, _MEMBER_NAME)
        d = self.mapping(data, path, ("description", "methods", "resources"))
        methods = self.mapping(d.get("methods"), _join(path, "methods"))
        children = self.mapping(d.get("resources"), _join(path, "resources"))
        for duplicate in sorted(set(methods) & set(children)):
            self.problem(
                _join(path, "methods", duplicate), "a method and a sub-resource share this name"
            )
        return Resource(
            name=name,
            methods=tuple(self.method(k, v, _join(path, "methods", k)) for k, v in methods.items()),
            resources=tuple(
                self.resource(k, v, _join(path, "resources", k)) for k, v in children.items()
            ),
            description=self.text(d, "description", path),
        )

    def method(self, name: str, data: Any, path: str) -> Method:
        self.name(name, path, _MEMBER_NAME)
        allowed = (
            "http", "operation_id", "title", "summary", "description", "deprecated", "path_params",
            "query_params", "header_params", "cookie_params", "body", "response", "pagination",
            "streaming", "security", "request_example", "response_example", "response_content_type",
        )  # fmt: skip
        d = self.mapping(data, path, allowed)
        http = self.text(d, "http", path)
        verb, _, route = http.partition(" ")
        if verb not in HTTP_METHODS or not route.startswith("/"):
            self.problem(_join(path, "http"), f"expected '<VERB> /path', got {http!r}")
        params = {
            f"{location}_params": tuple(
                self.param(pname, pvalue, _join(path, f"{location}_params", pname), location)
                for pname, pvalue in self.mapping(
                    d.get(f"{location}_params"), _join(path, f"{location}_params")
                ).items()
            )
            for location in PARAM_STYLES
        }
        response = self.type(d["response"], _join(path, "response")) if "response" in d else None
        named_in_route = _PATH_PARAM.findall(route)
        declared = [p.name for p in params["path_params"]]
        if sorted(named_in_route) != sorted(declared):
            self.problem(
                _join(path, "path_params"),
                f"path {route!r} names {named_in_route} but path_params declares {declared}",
            )
        return Method(
            name=name,
            http_method=verb,
            path=route,
            operation_id=self.text(d, "operation_id", path),
            title=self.text(d, "title", path),
            summary=self.text(d, "summary", path),
            description=self.text(d, "description", path),
            path_params=params["path_params"],
            query_params=params["query_params"],
            header_params=params["header_params"],
            cookie_params=params["cookie_params"],
            body=self.body(d["body"], _join(path, "body")) if "body" in d else None,
            response=response,
            response_content_type=self.response_content_type(d, path, response),
            pagination=(
                self.pagination(d["pagination"], _join(path, "pagination"))
                if "pagination" in d
                else None
            ),
            streaming=(
                self.streaming(d["streaming"], _join(path, "streaming"))
                if "streaming" in d
                else None
            ),
            deprecated=self.flag(d, "deprecated", path),
            security=self.security(d.get("security"), _join(path, "security")),
            request_example=self.example(d.get("request_example"), _join(path, "request_example")),
            response_example=self.example(
                d.get("response_example"), _join(path, "response_example")
            ),
        )

    def example(self, data: Any, path: str) -> Example | None:
        """A JSON value and where the document shows it; None when absent."""
        if data is None:
            return None
        d = self.mapping(data, path, ("value", "source"))
        if "value" not in d:
            self.problem(_join(path, "value"), "missing")
        return Example(d.get("value"), self.text(d, "source", path))

    def response_content_type(self, d: dict[str, Any], path: str, response: TypeExpr | None) -> str:
        """The response's media type (application/json unless said), read as the type allows."""
        where = _join(path, "response_content_type")
        content_type = self.text(d, "response_content_type", path) or "application/json"
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
        d = self.mapping(data, path, ("type", "content_type", "required", "encoding"))
        content_type = self.text(d, "content_type", path) or "application/json"
        expr = self.type(d.get("type", "any"), _join(path, "type"))
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
        return Body(
            type=expr,
            content_type=content_type,
            required=self.flag(d, "required", path, default=True),
            encoding=encoding,
        )

    def encoding(self, data: Any, path: str, kind: str) -> Encoding:
        """How one form or multipart field is written: style/explode/allow_reserved in a form,
        content_type/content_encoding in multipart."""
        form_keys = ("style", "explode", "allow_reserved")
        part_keys = ("content_type", "content_encoding")
        d = self.mapping(data, path, form_keys + part_keys)
        for key in sorted(d):
            if (key in form_keys and kind == "multipart") or (key in part_keys and kind == "form"):
                self.problem(_join(path, key), f"not an encoding of a {kind} field")
        style = self.text(d, "style", path)
        if style and style not in PARAM_STYLES["query"]:
            self.problem(
                _join(path, "style"),
                f"style {style!r} is not a form style (allowed: {', '.join(PARAM_STYLES['query'])})",
            )
        explode = d.get("explode")
        if explode is not None and not isinstance(explode, bool):
            self.problem(_join(path, "explode"), "expected true or false")
            explode = None
        content_encoding = self.text(d, "content_encoding", path)
        if content_encoding and content_encoding not in CONTENT_ENCODINGS:
            self.problem(
                _join(path, "content_encoding"),
                f"expected one of {', '.join(CONTENT_ENCODINGS)}",
            )
        content_type = self.text(d, "content_type", path)
        if content_type and not all(_MEDIA_TYPE.match(t.strip()) for t in content_type.split(",")):
            self.problem(_join(path, "content_type"), f"{content_type!r} is not a media type")
        return Encoding(
            content_type=content_type,
            content_encoding=content_encoding,
            **canonical_serialization("query", style, explode),
            allow_reserved=self.flag(d, "allow_reserved", path),
        )

    def pagination(self, data: Any, path: str) -> Pagination:
        keys = ("scheme", "item", "cursor_param", "cursor_field", "items_field", "has_more_field")
        d = self.mapping(data, path, keys)
        if d.get("scheme") != "cursor":
            self.problem(_join(path, "scheme"), "only the 'cursor' scheme is supported")
        texts = {k: self.text(d, k, path) for k in keys[2:] if k in d}
        return Pagination(
            scheme="cursor", item=self.type(d.get("item", "any"), _join(path, "item")), **texts
        )

    def streaming(self, data: Any, path: str) -> Streaming:
        d = self.mapping(data, path, ("param", "event"))
        return Streaming(
            param=self.text(d, "param", path) or "stream",
            event=self.type(d.get("event", "any"), _join(path, "event")),
        )


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
    _check_security(spec, reader)
    _check_alias_cycles(spec, reader)


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


def _check_discriminator(
    union: Union_, definitions: dict[str, Definition], reader: _Reader, path: str
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


def _tag_values(expr: TypeExpr, definitions: dict[str, Definition]) -> list[str] | None:
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
