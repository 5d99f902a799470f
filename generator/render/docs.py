"""The docs target: normalized spec -> a Markdown reference and a static HTML site.

One view model feeds both formats. Per resource a page: each method's title, Python
signature, HTTP line, description, parameters, return value, a sync and an async example
and an example response; then the page's domain types. Every documented value is a `Node`
(a parameter, a field, a union member, a return value) with its Python type, a one-line
summary of its shape as the vendor's reference writes it (`object { id, created_at, 10
more }`, `array of A { type } or B { type, file_search }`) and its description.

A type is expanded once, at its home, and linked everywhere else:

- a schema the document names (a component, a webhook payload) is a domain type with a
  section of its own, on the page of the resource that returns it most, else of the one
  resource that uses it, else on the shared types page;
- a request body's model is expanded as its method's parameters;
- any other (inline) schema is expanded where the walk first meets it.

`flatten` turns a list of nodes into rows (open, leaf, close) at any depth: the one tree
walk both formats lay out (templates/docs/ as Markdown, templates/docs_html/ as HTML).
Description text goes through `doctext.DocText`, the one home of the link and escaping
rules. Names are Python's: the SDK's type names, and fields as the wire spells them.
"""

from __future__ import annotations

import builtins
import json
import keyword
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import naming
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
    reachable,
    received_fields,
    sent_fields,
)
from ..spec.types import TypeExpr
from ..timings import timed
from .doctext import DocText, first_paragraph
from .environment import escape_invisible_json, render_target
from .examples import Synthesizer, ordered_fields, py_source
from .python_client import MethodView, PollView, resource_views
from .python_streams import manager_name
from .python_types import INPUT, OUTPUT, compute_sides, output_name, py_type

_SUMMARY_FIELDS = 3
_SUMMARY_VARIANTS = 3
_INLINE_VALUES = 8  # an enum with at most this many values lists them wherever it is used
_SHAPE_DEPTH = 3  # unnamed unions inside unions: summarized this deep, then by name
_ALIAS_HOPS = 8
_LINE = 88  # an example call longer than this puts one argument a line
_SHARED_PAGE_TYPES = 120  # domain types a shared page holds at most


@dataclass
class Node:
    """One documented value, with what it contains when its type is expanded here."""

    name: str = ""  # a field or parameter; "" for a union member or a return value
    type: str = ""  # its Python annotation
    link: str = ""  # the definition `type` names, when it is expanded elsewhere
    shape: str = ""  # one-line summary of a model or union: `object { a, b, 2 more }`
    description: str = ""
    required: bool | None = None  # None: not a field
    # constraints, default, deprecation: (label, value as JSON, or "" for a bare label)
    notes: list[tuple[str, str]] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # an enum's values, as JSON
    children: list[Node] = field(default_factory=list)  # fields, or union members
    anchors: list[str] = field(default_factory=list)  # ids of the types expanded here

    @property
    def ends_in_list(self) -> bool:
        """Whether the description ends with a list (a list after it must not join it)."""
        last = self.description.rstrip().rsplit("\n", 1)[-1].lstrip()
        return re.match(r"([-*+]|\d+[.)])\s", last) is not None


@dataclass(frozen=True)
class Row:
    """One step of the walk over a tree of nodes: `open` (a node with children, which
    follow one level deeper), `leaf`, or `close` (after an open node's children)."""

    kind: str
    node: Node
    depth: int


def flatten(nodes: list[Node]) -> list[Row]:
    """The rows of a tree of nodes, in document order (iterative: any depth)."""
    rows: list[Row] = []
    stack: list[tuple[Node, int, bool]] = [(n, 0, False) for n in reversed(nodes)]
    while stack:
        node, depth, closing = stack.pop()
        if closing:
            rows.append(Row("close", node, depth))
        elif node.children:
            rows.append(Row("open", node, depth))
            stack.append((node, depth, True))
            stack.extend((c, depth + 1, False) for c in reversed(node.children))
        else:
            rows.append(Row("leaf", node, depth))
    return rows


@dataclass
class MethodDoc:
    title: str
    anchor: str
    signature: str
    http: str
    verb: str
    path: str
    description: str
    deprecated: bool
    params: list[Row]
    params_anchor: str  # the id of the request body's model when it is expanded here
    returns: list[Row]
    example: str  # sync Python
    example_async: str
    response: str  # an example response ("" when there is none to show)
    response_language: str  # json, or text (a text body, or one server-sent event)
    helpers: list[tuple[str, str]] = field(default_factory=list)  # (signature, what it does)


@dataclass
class TypeDoc:
    name: str
    anchor: str
    summary: str  # `Assistant = object { id, created_at, description, 10 more }`
    description: str
    rows: list[Row]
    values: list[str]  # an enum's values
    request_name: str  # the name request parameters use, when it differs
    deprecated: bool
    anchors: list[str]  # ids of inline types expanded here too (an alias's target)


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
    with timed("render docs"):
        return _render_docs(spec)


def _render_docs(spec: Spec) -> dict[str, bytes]:
    builder = _Builder(spec)
    pages = builder.pages()
    text = DocText(spec.api.docs_base_url)
    context = {
        "api": spec.api,
        "title": spec.api.title or spec.api.name,
        "pages": pages,
        "resource_pages": [p for p in pages if p.methods],
    }
    filters = {"md": text.markdown, "href": builder.href}
    files = render_target("docs", context, lambda path: path, filters=filters)
    with timed("render docs_html"):
        html = render_target(
            "docs_html",
            context,
            lambda path: f"html/{path}",
            {**filters, "markdown": text.html},
            autoescape=True,
        )
    return {**files, **html}


def build_pages(spec: Spec) -> list[PageDoc]:
    return _Builder(spec).pages()


# Schemas the document names: components, and the payloads of webhooks.
_TOP_LEVEL_SOURCE = re.compile(
    r"^#/components/schemas/[^/]+$|^#/webhooks/[^/]+/[a-z]+/requestBody/content/[^/]+/schema$"
)
# The one member of a component's anyOf / oneOf (a nullable or single-member wrapper).
_WRAPPED_SOURCE = re.compile(r"^(#/components/schemas/[^/]+)/(?:anyOf|oneOf)/\d+$")


def named_by_document(definitions: Mapping[str, Definition]) -> set[str]:
    """The definitions that stand for a schema the document names: a component, a webhook
    payload, or the member a component's wrapper was folded into (`ReasoningEffort`, from
    `anyOf: [{enum}, {type: null}]`). A spec written by hand, with no sources, names all."""
    sources = {d.source for d in definitions.values()}
    named = set()
    for name, definition in definitions.items():
        wrapped = _WRAPPED_SOURCE.match(definition.source)
        if (
            not definition.source
            or _TOP_LEVEL_SOURCE.match(definition.source)
            or (wrapped and wrapped.group(1) not in sources)
        ):
            named.add(name)
    return named


class _Builder:
    """Builds the pages in walk order, deciding where each type is expanded (its home)."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.definitions = spec.definitions()
        self.sides = compute_sides(spec)
        self.examples = Synthesizer(spec)
        self.named = named_by_document(self.definitions)
        self.homes: dict[str, tuple[str, str]] = {}  # definition -> (page module, anchor)
        self.page = ""
        self._shapes: dict[tuple[str, bool, int], str] = {}
        self.placed: set[str] = set()  # request bodies whose parameters carry their id

    # -- pages and homes ------------------------------------------------------------------

    def pages(self) -> list[PageDoc]:
        views = [v for v in resource_views(self.spec, self.sides) if v.methods]
        by_module = _methods_by_module(self.spec)
        taken = {v.module for v in views}
        shared = "types" if not any(m.startswith("types") for m in taken) else "types_shared"
        sections = self._place_sections(views, by_module, shared)
        self._place_bodies(views, by_module)
        pages = []
        for view in views:
            self.page = view.module
            methods = by_module[view.module]
            access = "client." + ".".join(_resource_path(methods[0][0]))
            docs = [self.method(m, v, access) for (_, m), v in zip(methods, view.methods)]
            for doc, method_view in zip(docs, view.methods):
                doc.helpers = _helpers(method_view, view.poll, access)
            types = [self.type_doc(name) for name in sections.get(view.module, [])]
            pages.append(PageDoc(view.module, view.class_name, access, view.doc, docs, types))
        # The shared types, a page per `_SHARED_PAGE_TYPES` of them (in name order).
        names = sections.get(shared, [])
        chunks = [
            names[i : i + _SHARED_PAGE_TYPES] for i in range(0, len(names), _SHARED_PAGE_TYPES)
        ]
        modules = [shared] + [f"{shared}_{n}" for n in range(2, len(chunks) + 1)]
        for module, chunk in zip(modules, chunks):
            for name in chunk:
                self.homes[name] = (module, _anchor(name))
        chunks = chunks or [[]]
        for index, (module, chunk) in enumerate(zip(modules, chunks)):
            self.page = module
            types = [self.type_doc(name) for name in chunk]
            if index == len(chunks) - 1:
                # Whatever no walk reached (inline parts of nothing documented) is still shown.
                left = sorted(n for n in self.definitions if n not in self.homes)
                for name in left:
                    self.homes[name] = (module, _anchor(name))
                types += [self.type_doc(name) for name in left]
            if types:
                title = "Shared types"
                if len(chunks) > 1:
                    title += f" ({types[0].name[:1].upper()}–{types[-1].name[:1].upper()})"
                about = "Types several resources use, and schemas no method returns directly."
                access = f"{self.spec.api.package}.types"
                pages.append(PageDoc(module, title, access, about, [], types))
        return pages

    def _place_sections(
        self, views: list[Any], by_module: dict[str, list[tuple[str, Method]]], shared: str
    ) -> dict[str, list[str]]:
        """Page module -> the domain types with a section there, in order."""
        returned: dict[str, Counter[str]] = {}
        reached: dict[str, list[str]] = {}
        order: list[str] = []
        for view in views:
            roots = []
            for _, method in by_module[view.module]:
                for expr in _handed_back(method):
                    for name in expr.refs():
                        returned.setdefault(name, Counter())[view.module] += 1
                        order.append(name)
                roots += _roots(method)
            for name in sorted(reachable(roots, self.definitions)):
                reached.setdefault(name, []).append(view.module)
        bodies = {m.body.type.name for _, m in self.spec.methods() if _body_model(m, self)}
        pages: dict[str, list[str]] = {}
        named = sorted(self.named)
        first = {name: index for index, name in reversed(list(enumerate(order)))}
        for name in sorted(named, key=lambda n: (first.get(n, len(order)), n)):
            if name in bodies and name not in returned:
                continue  # expanded as its method's parameters
            counts = returned.get(name)
            if counts:
                most = max(counts.values())
                page = next(v.module for v in views if counts.get(v.module) == most)
            else:
                users = reached.get(name, [])
                page = users[0] if len(users) == 1 else shared
            pages.setdefault(page, []).append(name)
            self.homes[name] = (page, _anchor(name))
        return pages

    def _place_bodies(
        self, views: list[Any], by_module: dict[str, list[tuple[str, Method]]]
    ) -> None:
        """A request body's model lives at the parameters of the first method taking it."""
        for view in views:
            for _, method in by_module[view.module]:
                model = _body_model(method, self)
                if model is not None and model.name not in self.homes:
                    self.homes[model.name] = (view.module, _anchor(model.name))

    def href(self, name: str, page: str, suffix: str) -> str:
        """The link to definition `name` from page `page` (`#type-X` or `other.md#type-X`)."""
        module, anchor = self.homes.get(name, ("", ""))
        if not anchor:
            return ""
        return f"#{anchor}" if module == page else f"{module}{suffix}#{anchor}"

    def _claim(self, name: str) -> bool:
        """Whether `name` is expanded at the place being built (its first use, unless it has
        a home of its own)."""
        if name in self.homes:
            return False
        self.homes[name] = (self.page, _anchor(name))
        return True

    # -- values -----------------------------------------------------------------------------

    def describe(self, node: Node, expr: TypeExpr, side: str, hops: int = 0) -> None:
        """Fill in what `expr` says about a node: its shape, its enum values, its contents
        (if the type is expanded here) or a link to where it is. `hops` counts aliases
        followed to get here (a chain of aliases naming aliases is cut short)."""
        target = _unwrap(expr)
        if target.kind != "ref" or target.name not in self.definitions or hops > _ALIAS_HOPS:
            return
        definition = self.definitions[target.name]
        if not node.shape and self._structured(target.name):
            node.shape = self.shape(expr)
        if isinstance(definition, Enum) and len(definition.values) <= _INLINE_VALUES:
            node.values = _values(definition)
        expanded = self._claim(target.name)
        if not node.description:  # the type's own text: in full where it is expanded
            text = definition.description
            node.description = text if expanded else first_paragraph(text)
        if expanded:
            node.anchors.append(_anchor(target.name))
            self.contents(node, definition, side, hops)
        elif not node.link:
            node.link = target.name

    def contents(self, node: Node, definition: Definition, side: str, hops: int = 0) -> None:
        """The fields, members or values of a definition expanded at `node`."""
        if isinstance(definition, Model):
            node.children = [self.field(f, side, definition) for f in self._fields(definition)]
        elif isinstance(definition, Union_):
            node.children = [self.member(v, side) for v in definition.variants]
        elif isinstance(definition, Enum):
            node.values = _values(definition)
        else:
            self.describe(node, definition.type, side, hops + 1)

    def field(self, item: Field | Param, side: str, owner: Model | None = None) -> Node:
        node = Node(
            name=item.name,
            type=py_type(item.type, side, self.sides),
            description=item.description,
            required=item.required,
            notes=_notes(item),
        )
        if owner is not None and owner.name in self.sides.input and owner.name in self.sides.output:
            node.notes += [("read-only", "")] if item.read_only else []
            node.notes += [("write-only", "")] if item.write_only else []
        self.describe(node, item.type, side)
        return node

    def member(self, variant: TypeExpr, side: str) -> Node:
        node = Node(type=py_type(variant, side, self.sides))
        if variant.kind == "ref" and self._structured(variant.name):
            node.shape = self.shape(variant, top=True)
        self.describe(node, variant, side)
        return node

    def _fields(self, model: Model) -> list[Field]:
        """The fields a model's expansion lists: those of the sides it is used on."""
        sent = model.name in self.sides.input
        received = model.name in self.sides.output or not sent
        shown = {f.name for f in sent_fields(model)} if sent else set()
        shown |= {f.name for f in received_fields(model)} if received else set()
        return [f for f in ordered_fields(model) if f.name in shown]

    def _structured(self, name: str) -> bool:
        """Whether a definition is (an alias of) a model or union: what gets a shape."""
        definition = self.definitions[name]
        for _ in range(_ALIAS_HOPS):
            if not isinstance(definition, Alias):
                break
            target = _unwrap(definition.type)
            if target.kind != "ref":
                return False
            definition = self.definitions[target.name]
        return isinstance(definition, (Model, Union_))

    # -- shapes ------------------------------------------------------------------------------

    def shape(self, expr: TypeExpr, top: bool = False, depth: int = 0) -> str:
        """The one-line summary of a type, as the vendor's reference writes it."""
        if expr.kind == "list":
            assert expr.item is not None
            return "array of " + self.shape(expr.item, depth=depth)
        if expr.kind == "map":
            assert expr.item is not None
            return "map of " + self.shape(expr.item, depth=depth)
        if expr.kind == "literal":
            return json.dumps(expr.value, ensure_ascii=False)
        if expr.kind == "primitive":
            return py_type(expr.with_nullable(False), OUTPUT, self.sides)
        return self._named_shape(expr.name, top, depth)

    def _named_shape(self, name: str, top: bool, depth: int) -> str:
        key = (name, top, depth)
        if key not in self._shapes:
            self._shapes[key] = self._new_shape(name, top, depth)
        return self._shapes[key]

    def _new_shape(self, name: str, top: bool, depth: int) -> str:
        """A model is `object { ... }` where it is the type summarized (`top`) or a value's
        own type (depth 0), and where the document does not name it; else (a union member)
        `Name { ... }`. A union lists its members, and an enum its values, unless named and
        met inside another type."""
        definition = self.definitions[name]
        label = output_name(name)
        named = name in self.named
        if isinstance(definition, Model):  # a value's own model is an object, members named
            prefix = "object" if top or depth == 0 or not named else label
            return f"{prefix} {{ {_field_list(definition)} }}"
        if depth > _SHAPE_DEPTH or (named and depth > 0 and not top):
            return label
        if isinstance(definition, Union_):
            parts = [self.shape(v, depth=depth + 1) for v in definition.variants]
            return _joined(parts, _SUMMARY_VARIANTS)
        if isinstance(definition, Enum):
            return _joined(_values(definition), _SUMMARY_VARIANTS)
        return self.shape(definition.type, top, depth)

    # -- methods -----------------------------------------------------------------------------

    def method(self, method: Method, view: MethodView, access: str) -> MethodDoc:
        body = _body_model(method, self)
        params = [self.field(p, INPUT) for _, p in method.params()]
        params_anchor = ""
        if body is not None:
            params += [self.field(f, INPUT, body) for f in sent_fields(body)]
        # Arguments go by their Python names (`include[]` is `include`, `petId` is `pet_id`).
        python = {(p.where, p.wire_name): p.py_name for p in view.positional + view.keyword}
        places = [where for where, _ in method.params()] + ["body"] * (
            len(params) - len(method.params())
        )
        for node, where in zip(params, places):
            node.name = python.get((where, node.name), node.name)
        home = (self.page, _anchor(body.name)) if body is not None else None
        if body is not None and self.homes.get(body.name) == home and body.name not in self.placed:
            params_anchor = _anchor(body.name)  # the first method taking it holds the id
            self.placed.add(body.name)
        elif body is None and method.body is not None:
            params.append(self.field(Param("body", method.body.type, method.body.required), INPUT))
        returns_type = (
            view.returns if view.kind != "stream" else f"{view.returns} | Stream[{view.event_type}]"
        )
        positional = [p.py_name for p in view.positional]
        arguments = ", ".join(
            positional + (["**params"] if view.keyword or view.stream_param else [])
        )
        sync, async_ = self.examples_of(method, view, access)
        response, language = self.response(method)
        title = method.title or method.name
        return MethodDoc(
            title=title,
            anchor=f"{access.removeprefix('client.').replace('.', '-')}-{method.name}",
            signature=f"{access}.{method.name}({arguments}) -> {returns_type}",
            http=f"{method.http_method} {method.path}",
            verb=method.http_method,
            path=method.path,
            description="" if _same_words(method.description, title) else method.description,
            deprecated=method.deprecated,
            params=flatten(params),
            params_anchor=params_anchor,
            returns=flatten(self.returns(method, view)),
            example=sync,
            example_async=async_,
            response=response,
            response_language=language,
        )

    def returns(self, method: Method, view: MethodView) -> list[Node]:
        nodes = []
        if method.pagination:
            item = method.pagination.item
            page = self._returned(view.returns, item, "page of " + self.shape(item, depth=1))
            page.description = (
                f"A page of `{view.item_type}`; iterating it fetches the pages after it."
            )
            nodes.append(page)
        elif view.kind == "events" and method.response is not None:
            events = method.response
            stream = self._returned(
                view.returns, events, "stream of " + self.shape(events, top=True)
            )
            stream.description = (
                f"The server-sent events, each parsed. {stream.description}".strip()
            )
            nodes.append(stream)
        elif _reads(method) in ("text", "binary"):
            what = "as text" if _reads(method) == "text" else "as bytes"
            nodes.append(Node(type=view.returns, description=f"The response body, {what}."))
        elif method.response is not None:
            nodes.append(self._returned(view.returns, method.response))
        else:
            nodes.append(Node(type="None", description="Nothing: the response has no body."))
        if method.streaming:
            event = method.streaming.event
            stream = self._returned(
                f"Stream[{view.event_type}]", event, "stream of " + self.shape(event, top=True)
            )
            stream.description = (
                f"With `{method.streaming.param}=True`: the server-sent events, each parsed. "
                + stream.description
            ).strip()
            nodes.append(stream)
        return nodes

    def _returned(self, annotation: str, expr: TypeExpr, shape: str = "") -> Node:
        node = Node(type=annotation, shape=shape)
        target = _unwrap(expr)
        if not shape and target.kind == "ref" and self._structured(target.name):
            node.shape = self.shape(target, top=True)
        self.describe(node, expr, OUTPUT)
        if node.link:  # the full text is at the type's own section
            node.description = first_paragraph(node.description)
        return node

    def response(self, method: Method) -> tuple[str, str]:
        """An example response and its language: JSON; text (a text body, or one
        server-sent event); nothing for bytes and empty responses."""
        reads = _reads(method)
        if method.response is None or reads in ("binary", "none"):
            return "", ""
        if method.response_example is not None:
            value = method.response_example.value
        else:
            value = self.examples.value(method.response)
        if reads == "text" and isinstance(value, str):
            return value, "text"
        if reads == "events":
            return f"data: {json.dumps(value, ensure_ascii=False)}", "text"  # one event
        return escape_invisible_json(json.dumps(value, indent=2, ensure_ascii=False)), "json"

    # -- examples ----------------------------------------------------------------------------

    def examples_of(self, method: Method, view: MethodView, access: str) -> tuple[str, str]:
        """The method called from the sync client and from the async one."""
        arguments = self._arguments(method, view)
        call = f"{access}.{method.name}"
        api = self.spec.api
        result = self._result_name(method, view)
        item = self._item(method)
        sync_lines = [f"from {api.package} import {api.client}", "", f"client = {api.client}()"]
        async_body: list[str] = []
        if view.kind == "events":
            sync_lines += [
                f"for event in {_call(call, arguments, 0)}:",
                "    print(event)",
            ]
            async_body += [
                f"async for event in await {_call(call, arguments, 4)}:",
                "    print(event)",
            ]
        elif view.kind == "page":
            sync_lines += [
                f"page = {_call(call, arguments, 0)}",
                f"for {result} in page:",
                f"    print({item(result)})",
            ]
            async_body += [
                f"async for {result} in {_call(call, arguments, 4)}:",
                f"    print({item(result)})",
            ]
        elif result:
            sync_lines += [f"{result} = {_call(call, arguments, 0)}", f"print({item(result)})"]
            async_body += [
                f"{result} = await {_call(call, arguments, 4)}",
                f"print({item(result)})",
            ]
        else:
            sync_lines.append(_call(call, arguments, 0))
            async_body.append(f"await {_call(call, arguments, 4)}")
        if method.streaming:
            streamed = arguments + [f"{view.stream_param}=True"]
            tag = self._event_tag(method)
            sync_lines += [
                "",
                f"# With {view.stream_param}=True: the server-sent events, as they come",
                f"with {_call(call, streamed, 0)} as events:",
                "    for event in events:",
                f"        print(event{tag})",
            ]
            async_body += [
                "",
                f"async with await {_call(call, streamed, 4)} as events:",
                "    async for event in events:",
                f"        print(event{tag})",
            ]
        async_lines = [
            "import asyncio",
            "",
            f"from {api.package} import {api.async_client}",
            "",
            f"client = {api.async_client}()",
            "",
            "",
            "async def main() -> None:",
            *[f"    {line}" if line else "" for line in "\n".join(async_body).split("\n")],
            "",
            "",
            "asyncio.run(main())",
        ]
        return "\n".join(sync_lines), "\n".join(async_lines)

    def _arguments(self, method: Method, view: MethodView) -> list[str]:
        """Python source of the arguments an example passes: path parameters, every required
        one, and the body fields of the document's own request example."""
        given = method.request_example.value if method.request_example is not None else None
        given = given if isinstance(given, dict) else {}
        arguments = []
        for p in view.positional:
            arguments.append(py_source(self.examples.argument(method, p.where, p.wire_name)))
        for p in view.keyword:
            if p.where == "body" and p.wire_name in given:
                arguments.append(f"{p.py_name}={py_source(given[p.wire_name])}")
            elif not p.default:
                value = self.examples.argument(method, p.where, p.wire_name)
                arguments.append(f"{p.py_name}={py_source(value)}")
        return arguments

    def _result_name(self, method: Method, view: MethodView) -> str:
        """A variable for what the call returns: the returned type, in snake case."""
        expr = method.pagination.item if method.pagination else method.response
        if expr is None:
            return ""
        target = _unwrap(expr)
        name = naming.snake(target.name) if target.kind == "ref" else "result"
        if view.kind == "page" and target.kind != "ref":
            name = "item"
        elif view.kind != "page" and expr.kind == "list":  # a list of them: plural
            name = f"{name}_list" if name.endswith("s") else f"{name}s"
        taken = {"client", "page", "events", "event", "main", "asyncio"}
        if keyword.iskeyword(name) or name in taken or name in dir(builtins):
            return "result"
        return name

    def _item(self, method: Method) -> Any:
        """How the example prints a result: its `id` if it has one."""
        expr = method.pagination.item if method.pagination else method.response
        definition = self.definitions.get(expr.name) if expr and expr.kind == "ref" else None
        has_id = isinstance(definition, Model) and any(f.name == "id" for f in definition.fields)
        return (lambda name: f"{name}.id") if has_id else (lambda name: name)

    def _event_tag(self, method: Method) -> str:
        assert method.streaming is not None
        event = self.definitions.get(method.streaming.event.name)
        if isinstance(event, Union_) and event.discriminator.isidentifier():
            return f".{event.discriminator}"
        return ""

    # -- domain types ------------------------------------------------------------------------

    def type_doc(self, name: str) -> TypeDoc:
        definition = self.definitions[name]
        side = OUTPUT if name in self.sides.output or name not in self.sides.input else INPUT
        node = Node()
        self.contents(node, definition, side)
        label = output_name(name)
        request = self.sides.param_name(name) if self.sides.renders_param(name) else label
        return TypeDoc(
            name=label,
            anchor=_anchor(name),
            summary=f"{label} = {self.shape(TypeExpr('ref', name=name), top=True)}",
            description=definition.description,
            rows=flatten(node.children),
            values=node.values if isinstance(definition, Enum) else [],
            request_name=request if request != label else "",
            deprecated=definition.deprecated,
            anchors=node.anchors,
        )


def _helpers(view: MethodView, poll: PollView | None, access: str) -> list[tuple[str, str]]:
    """The helpers built on a method (see the overlay's polling and stream helpers):
    (signature, what it does) pairs."""
    found = []
    if poll is not None and poll.retrieve is view:
        ids = ", ".join(p.py_name for p in poll.params)
        until = ", ".join(f"`{value}`" for value in poll.until)
        wait = (
            f"the server's `{poll.interval_header}` header, else " if poll.interval_header else ""
        )
        what = (
            f"Fetches it until its `{poll.status_field}` is one of {until}, waiting"
            f" `poll_interval_ms`, else {wait}{poll.interval_ms} ms between fetches."
        )
        found.append((f"{access}.poll({ids}, poll_interval_ms=...) -> {view.returns}", what))
    if view.poll_helper:
        signature = f"{access}.{view.poll_helper}(**params, poll_interval_ms=...) -> {view.returns}"
        what = f"Calls `{view.name}`, then waits for the result to settle (as `poll` does)."
        found.append((signature, what))
    for name in view.stream_helpers:
        returns = f"{manager_name(view.handler)}[{view.handler}]"
        what = (
            f"Streams `{view.name}` into an event handler (subclass `{view.handler}`):"
            " `with` it to read the events, then `get_final_*()`."
        )
        found.append((f"{access}.{name}(**params, event_handler=...) -> {returns}", what))
    return found


def _reads(method: Method) -> str:
    """How the response is read: json, text, binary, events or none."""
    return str(getattr(method, "response_kind", "json" if method.response else "none"))


def _same_words(text: str, other: str) -> bool:
    """Whether a description only repeats a title (`List all pets.` under `List all pets`)."""
    return naming.words(text.lower()) == naming.words(other.lower())


def _anchor(name: str) -> str:
    return f"type-{output_name(name)}"


def _unwrap(expr: TypeExpr) -> TypeExpr:
    """The type inside lists and maps."""
    while expr.kind in ("list", "map") and expr.item is not None:
        expr = expr.item
    return expr


def _values(enum: Enum) -> list[str]:
    return [json.dumps(v, ensure_ascii=False) for v in enum.values]


def _field_list(model: Model) -> str:
    names = [f.name for f in ordered_fields(model)]
    if len(names) > _SUMMARY_FIELDS:
        names = names[:_SUMMARY_FIELDS] + [f"{len(names) - _SUMMARY_FIELDS} more"]
    return ", ".join(names)


def _joined(parts: list[str], limit: int) -> str:
    extra = len(parts) - limit
    return " or ".join(parts[:limit]) + (f" or {extra} more" if extra > 0 else "")


def _handed_back(method: Method) -> list[TypeExpr]:
    """What a method hands back: its response, page items, stream events."""
    found = [method.response] if method.response is not None else []
    found += [method.pagination.item] if method.pagination else []
    found += [method.streaming.event] if method.streaming else []
    return found


def _roots(method: Method) -> list[TypeExpr]:
    roots = _handed_back(method) + [p.type for _, p in method.params()]
    return roots + ([method.body.type] if method.body else [])


def _body_model(method: Method, builder: _Builder) -> Model | None:
    """The model whose fields are the method's keyword arguments, if its body is one."""
    return builder.examples.body_model(method)


def _methods_by_module(spec: Spec) -> dict[str, list[tuple[str, Method]]]:
    found: dict[str, list[tuple[str, Method]]] = {}
    for path, method in spec.methods():
        found.setdefault(path.replace(".", "_"), []).append((path, method))
    return found


def _resource_path(path: str) -> list[str]:
    return path.split(".")


def _notes(item: Field | Param) -> list[tuple[str, str]]:
    notes = [(key.replace("_", " "), json.dumps(value)) for key, value in item.constraints.items()]
    if item.default is not MISSING:
        notes.append(("default", json.dumps(item.default)))
    if item.deprecated:
        notes.append(("deprecated", ""))
    return notes


def _call(function: str, arguments: list[str], indent: int) -> str:
    """`f(a, b=1)`, or one argument a line when that is too long."""
    line = f"{function}({', '.join(arguments)})"
    if len(line) + indent <= _LINE or not arguments:
        return line
    pad = " " * (indent + 4)
    inner = "".join(f"\n{pad}{argument}," for argument in arguments)
    return f"{function}({inner}\n{' ' * indent})"
