"""The docs target: normalized spec -> a Markdown reference and a static HTML site.

This module builds one tree of documented values (parameters, fields, variants, enum values)
per method and type; templates/docs/ (Markdown) and templates/docs_html/ (HTML, autoescaped)
lay the same data out. Names are Python's: snake_case fields, the SDK's type names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from ..spec.model import (
    MISSING,
    Alias,
    Definition,
    Enum,
    Field,
    Method,
    Model,
    Param,
    Spec,
    Union_,
    received_fields,
    sent_fields,
)
from ..spec.types import TypeExpr
from .environment import render_target
from .examples import example_value, ordered_fields
from .python_client import MethodView, resource_views
from .python_types import INPUT, OUTPUT, Sides, compute_sides, output_name, py_type

_MAX_DEPTH = 14
_SUMMARY_FIELDS = 3
_SUMMARY_VARIANTS = 3


@dataclass
class Node:
    """One documented value, with what it contains."""

    name: str
    type: str
    description: str = ""
    required: bool = False
    notes: list[str] = field(default_factory=list)  # constraints, default, deprecation
    values: list[str] = field(default_factory=list)  # an enum's values, as JSON
    children: list[Node] = field(default_factory=list)  # an object's fields
    variants: list[Node] = field(default_factory=list)  # a union's members
    link: str = ""  # the name of a type documented in its own section

    @property
    def expandable(self) -> bool:
        return bool(self.children or self.variants or self.values)


@dataclass
class MethodDoc:
    title: str
    anchor: str
    signature: str
    http: str
    description: str
    deprecated: bool
    params: list[Node]
    returns: Node
    example: str
    response: str  # JSON text, "" when the method returns nothing


@dataclass
class TypeDoc:
    name: str
    anchor: str
    summary: str
    node: Node


@dataclass
class PageDoc:
    module: str  # file name without suffix
    title: str
    access: str  # client.beta.assistants
    description: str
    methods: list[MethodDoc]
    types: list[TypeDoc]


def render_docs(spec: Spec) -> dict[str, bytes]:
    """Every file of generated/<api>/docs/, by relative path."""
    pages = build_pages(spec)
    type_pages = {t.name: f"{page.module}.html#{t.anchor}" for page in pages for t in page.types}
    context = {
        "api": spec.api,
        "title": spec.api.title or spec.api.name,
        "pages": pages,
        "type_pages": type_pages,
    }
    files = render_target("docs", context, lambda path: path, filters={"json": _json})
    html = render_target(
        "docs_html",
        context,
        lambda path: f"html/{path}",
        {"markdown": _markdown()},
        autoescape=True,
    )
    return {**files, **html}


def build_pages(spec: Spec) -> list[PageDoc]:
    sides = compute_sides(spec)
    builder = _Builder(spec.definitions(), sides, spec.api.package, spec.api.client)
    views = resource_views(spec, sides)
    by_path = _methods_by_resource(spec)
    pages = []
    documented: set[str] = set()
    for view in views:
        spec_methods = by_path.get(view.module, [])
        if not spec_methods:
            continue
        access = "client." + ".".join(_resource_path(spec, view.module))
        docs = [builder.method(m, v, access) for m, v in zip(spec_methods, view.methods)]
        named = []
        for m in spec_methods:
            for expr in (m.response, m.pagination.item if m.pagination else None,
                         m.streaming.event if m.streaming else None):  # fmt: skip
                for name in expr.refs() if expr is not None else ():
                    if name not in documented:
                        documented.add(name)
                        named.append(name)
        types = [builder.type_doc(name) for name in named]
        pages.append(PageDoc(view.module, view.class_name, access, view.doc, docs, types))
    # Named schemas no method returns directly (event families, shared pieces) get a page too.
    rest = [
        name
        for name, definition in sorted(spec.definitions().items())
        if name not in documented and _documented_alone(definition.source)
    ]
    if rest:
        about = "Schemas of the API that no method returns directly: event families, shared parts."
        types = [builder.type_doc(name) for name in rest]
        pages.append(PageDoc("types", "Other types", f"{spec.api.package}.types", about, [], types))
    return pages


# Schemas documented on their own: components, and the payloads of webhooks.
_TOP_LEVEL_SOURCE = re.compile(
    r"^#/components/schemas/[^/]+$|^#/webhooks/[^/]+/[a-z]+/requestBody/content/[^/]+/schema$"
)


def _documented_alone(source: str) -> bool:
    return _TOP_LEVEL_SOURCE.match(source) is not None


def _methods_by_resource(spec: Spec) -> dict[str, list[Method]]:
    found: dict[str, list[Method]] = {}
    for path, method in spec.methods():
        found.setdefault(path.replace(".", "_"), []).append(method)
    return found


def _resource_path(spec: Spec, module: str) -> list[str]:
    """The attribute path of a resource (`beta`, `threads`, `runs`) from its module name."""
    for path, _ in spec.methods():
        if path.replace(".", "_") == module:
            return path.split(".")
    return module.split("_")


def _markdown() -> Callable[[str], Markup]:
    """Descriptions are CommonMark: render them as HTML, raw HTML in them escaped (they are
    data, not markup). Links relative to the API vendor's own site lead nowhere here: their
    text stays, without the link."""
    renderer = MarkdownIt("commonmark", {"html": False})
    dropped: list[bool] = []

    def link_open(self: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
        relative = str(tokens[index].attrGet("href") or "").startswith("/")
        dropped.append(relative)
        return "" if relative else str(self.renderToken(tokens, index, options, env))

    def link_close(self: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
        return "" if dropped.pop() else str(self.renderToken(tokens, index, options, env))

    renderer.add_render_rule("link_open", link_open)
    renderer.add_render_rule("link_close", link_close)
    return lambda text: Markup(renderer.render(text))


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


class _Builder:
    def __init__(self, definitions: dict[str, Definition], sides: Sides, package: str, client: str):
        self.definitions = definitions
        self.sides = sides
        self.package = package
        self.client = client

    # -- values -----------------------------------------------------------------------

    def node(self, name: str, expr: TypeExpr, side: str, trail: tuple[str, ...] = ()) -> Node:
        node = Node(name, py_type(expr, side, self.sides))
        refs = list(expr.refs())
        node.link = output_name(refs[0]) if refs else ""
        self._expand(node, expr, side, trail)
        return node

    def _expand(self, node: Node, expr: TypeExpr, side: str, trail: tuple[str, ...]) -> None:
        if expr.kind in ("list", "map"):
            assert expr.item is not None
            self._expand(node, expr.item, side, trail)
            return
        if expr.kind != "ref" or expr.name in trail or len(trail) >= _MAX_DEPTH:
            return
        definition = self.definitions[expr.name]
        trail = trail + (expr.name,)
        if isinstance(definition, Model):
            shown = sent_fields(definition) if side == INPUT else received_fields(definition)
            node.children = [
                self.field(f, side, trail) for f in ordered_fields(definition) if f in shown
            ]
        elif isinstance(definition, Enum):
            node.values = [json.dumps(v, ensure_ascii=False) for v in definition.values]
        elif isinstance(definition, Union_):
            for variant in definition.variants:
                member = Node(
                    py_type(variant, side, self.sides), py_type(variant, side, self.sides)
                )
                member.description = self._description(variant)
                member.link = output_name(variant.name) if variant.kind == "ref" else ""
                self._expand(member, variant, side, trail)
                node.variants.append(member)
        else:
            assert isinstance(definition, Alias)
            node.description = node.description or definition.description
            self._expand(node, definition.type, side, trail)

    def field(self, item: Field | Param, side: str, trail: tuple[str, ...] = ()) -> Node:
        node = self.node(item.name, item.type, side, trail)
        node.required = item.required
        node.description = item.description or self._description(item.type)
        node.notes = _notes(item)
        return node

    def _description(self, expr: TypeExpr) -> str:
        definition = self.definitions.get(expr.name) if expr.kind == "ref" else None
        return definition.description if definition is not None else ""

    # -- methods and types -------------------------------------------------------------

    def method(self, method: Method, view: MethodView, access: str) -> MethodDoc:
        params = [self.field(p, INPUT) for _, p in method.params()]
        body = (
            self.definitions.get(method.body.type.name)
            if method.body and method.body.type.kind == "ref"
            else None
        )
        if isinstance(body, Model):
            params += [self.field(f, INPUT) for f in sent_fields(body)]
        elif method.body is not None:
            params.append(self.field(Param("body", method.body.type, method.body.required), INPUT))
        returns_type = (
            view.returns if view.kind != "stream" else f"{view.returns} | Stream[{view.event_type}]"
        )
        returns = Node("", returns_type)
        if method.pagination:
            self._expand(returns, method.pagination.item, OUTPUT, ())
        elif method.response is not None:
            self._expand(returns, method.response, OUTPUT, ())
        if method.streaming:
            returns.variants.append(
                self.node(f"Stream[{view.event_type}]", method.streaming.event, OUTPUT)
            )
        positional = [p.py_name for p in view.positional]
        arguments = ", ".join(
            positional + (["**params"] if view.keyword or view.stream_param else [])
        )
        response = ""
        if method.response is not None:
            response = _json(example_value(method.response, self.definitions))
        return MethodDoc(
            title=method.title or method.name,
            anchor=f"{access.removeprefix('client.').replace('.', '-')}-{method.name}",
            signature=f"{access}.{method.name}({arguments}) -> {returns_type}",
            http=f"{method.http_method} {method.path}",
            description=method.description,
            deprecated=method.deprecated,
            params=params,
            returns=returns,
            example=self._example(method, view, access),
            response=response,
        )

    def _example(self, method: Method, view: MethodView, access: str) -> str:
        arguments = [_py_value(p.py_name) for p in view.positional]
        spec_params = {p.name: p for _, p in method.params()}
        body = (
            self.definitions.get(method.body.type.name)
            if method.body and method.body.type.kind == "ref"
            else None
        )
        fields = {f.name: f for f in body.fields} if isinstance(body, Model) else {}
        for p in view.keyword:
            if p.default:
                continue
            source = spec_params.get(p.wire_name) or fields.get(p.wire_name)
            value = (
                example_value(source.type, self.definitions, p.wire_name, sent=True)
                if source
                else p.wire_name
            )
            arguments.append(f"{p.py_name}={_py_value(value)}")
        result = {"page": "page", "stream": "run"}.get(view.kind, "result")
        call = f"{access}.{method.name}({', '.join(arguments)})"
        lines = [f"from {self.package} import {self.client}", "", f"client = {self.client}()"]
        lines.append(f"{result} = {call}")
        lines.append(
            f"for item in {result}:\n    print(item)" if view.kind == "page" else f"print({result})"
        )
        return "\n".join(lines)

    def type_doc(self, name: str) -> TypeDoc:
        definition = self.definitions[name]
        node = self.node(output_name(name), TypeExpr("ref", name=name), OUTPUT)
        node.description = definition.description
        return TypeDoc(output_name(name), f"type-{output_name(name)}", self.summary(name), node)

    def summary(self, name: str) -> str:
        """`Assistant = object { id, created_at, description, 10 more }`, unions joined by `or`."""
        return f"{output_name(name)} = {self._shape(TypeExpr('ref', name=name), top=True)}"

    def _shape(self, expr: TypeExpr, top: bool = False) -> str:
        if expr.kind != "ref":
            return py_type(expr, OUTPUT, self.sides)
        definition = self.definitions[expr.name]
        if isinstance(definition, Model):
            names = [f.name for f in ordered_fields(definition)]
            shown = names[:_SUMMARY_FIELDS] + (
                [f"{len(names) - _SUMMARY_FIELDS} more"] if len(names) > _SUMMARY_FIELDS else []
            )
            prefix = "object" if top else output_name(expr.name)
            return f"{prefix} {{ {', '.join(shown)} }}"
        if isinstance(definition, Union_) and top:
            parts = [self._shape(v) for v in definition.variants]
            extra = len(parts) - _SUMMARY_VARIANTS
            return " or ".join(parts[:_SUMMARY_VARIANTS]) + (
                f" or {extra} more" if extra > 0 else ""
            )
        if isinstance(definition, Enum) and top:
            return " or ".join(json.dumps(v, ensure_ascii=False) for v in definition.values)
        if isinstance(definition, Alias) and top:
            return py_type(definition.type, OUTPUT, self.sides)
        return output_name(expr.name)


def _notes(item: Field | Param) -> list[str]:
    notes = [
        f"{key.replace('_', ' ')} {json.dumps(value)}" for key, value in item.constraints.items()
    ]
    if item.default is not MISSING:
        notes.append(f"default {json.dumps(item.default)}")
    if item.deprecated:
        notes.append("deprecated")
    return notes


def _py_value(value: Any) -> str:
    """A JSON example value as Python source."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_py_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {_py_value(v)}" for k, v in value.items()) + "}"
    return repr(value)
