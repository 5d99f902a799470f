"""The Python target: normalized spec -> the files of an installable SDK project.

This module decides everything about names, annotations and order; the templates in
templates/python/ only lay the decisions out. Output order is fixed: enums, then models
(sorted by name; their annotations are lazy), then unions and aliases in dependency order.
"""

from __future__ import annotations

import functools
import keyword
import re
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from typing import Any

from .. import __version__, naming, reserved
from ..spec.model import Alias, Enum, Field, Model, Spec, Union_, received_fields, sent_fields
from .environment import render_target
from .python_auth import auth_view
from .python_client import ResourceView, resource_views
from .python_namespaces import type_layout
from .python_streams import HandlerView, handler_views
from .python_tests import PRISM_VERSION, resource_tests
from .python_types import (
    INPUT,
    OUTPUT,
    RUNTIME_NAMES,
    RenderError,
    Sides,
    compute_sides,
    enum_type,
    has_unknown_variant,
    optional_type,
    output_name,
    py_literal,
    py_type,
    shape_members,
    unknown_variant_name,
)

# A version pip accepts (PEP 440, public versions); others become 0.0.0 in pyproject.toml.
_PEP440 = re.compile(
    r"^([1-9][0-9]*!)?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*((a|b|rc)(0|[1-9][0-9]*))?"
    r"(\.post(0|[1-9][0-9]*))?(\.dev(0|[1-9][0-9]*))?$"
)


def sdk_version(spec: Spec) -> str:
    """The version of the generated package: the overlay's, else the API's if pip accepts it."""
    version = spec.api.sdk_version or spec.api.version
    return version if _PEP440.match(version) else "0.0.0"


# What the package root exports besides the two clients (see __init__.py.j2).
_PACKAGE_EXPORTS = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAPIResponse",
    "AsyncCursorPage",
    "AsyncPaginator",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "BaseModel",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "NotGiven",
    "PermissionDeniedError",
    "RateLimitError",
    "Stream",
    "SyncCursorPage",
    "UnknownVariant",
    "UnprocessableEntityError",
    "__version__",
    "parse",
]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOML_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')

# Attributes of pydantic.BaseModel (and of our base) a field must not shadow.
_MODEL_RESERVED = reserved.MODEL_FIELDS


# What _exceptions.py exports besides the base error class (named after the client).
_EXCEPTIONS = [
    "REQUEST_ID_HEADER",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "MissingCredentialsError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "connection_error",
    "describe",
    "error_body",
    "status_error",
    "transport_errors",
]


def error_class_name(client: str) -> str:
    """The base of the SDK's errors: `<Client>Error` (`OpenAI` -> `OpenAIError`), or
    `<Client>BaseError` when that is the name of another error class (`API` -> `APIError`)."""
    name = f"{client}Error"
    return f"{client}BaseError" if name in _EXCEPTIONS else name


def _client_options(spec: Spec, context: dict[str, Any]) -> None:
    """The constructor options: credentials (one per security scheme), the overlay's other
    options (read from the environment, sent as headers), and base_url."""
    top = {view.attr for view in context["top_resources"]}
    auth = auth_view(spec, top | set(spec.api.option_headers))
    credentials = {o.name for o in auth.options}
    env = {k: v for k, v in spec.api.environment.items() if k not in credentials}
    base_url_env = env.pop("base_url", "")
    options = sorted((set(env) | set(spec.api.option_headers)) - credentials)
    context["auth"] = auth
    context["extra_options"] = [
        _Option(naming.python_identifier(o), env.get(o, ""), spec.api.option_headers.get(o, ""))
        for o in options
    ]
    context["base_url_env"] = base_url_env
    context["env_options"] = [(o.name, o.env) for o in auth.options if o.env]
    context["env_options"] += [(o.name, o.env) for o in context["extra_options"] if o.env]
    if base_url_env:
        context["env_options"].append(("base_url", base_url_env))


@dataclass(frozen=True)
class _Option:
    """A client constructor option besides credentials and base_url (e.g. organization)."""

    name: str
    env: str
    header: str


@dataclass
class FieldView:
    py_name: str
    wire_name: str
    annotation: str
    default: str  # "" when the field is required
    doc: str
    deprecated: bool = False  # reading it warns (pydantic's Field(deprecated=...))

    @property
    def needs_alias(self) -> bool:
        return self.py_name != self.wire_name

    @property
    def field_arguments(self) -> list[str]:
        """Arguments of `Field(...)` for a field that needs one (an alias, a deprecation)."""
        arguments = [f"default={self.default}"] if self.default else []
        if self.needs_alias:
            arguments.append(f"alias={py_literal(self.wire_name)}")
        if self.deprecated:
            arguments.append("deprecated=True")
        return arguments


@dataclass
class ClassView:
    name: str
    doc: str
    fields: list[FieldView] = field(default_factory=list)
    functional: bool = False  # TypedDict keys that are not identifiers need the call syntax


@dataclass
class AliasView:
    name: str
    doc: str
    annotation: str
    kind: str = "alias"


@dataclass
class UnionView:
    name: str
    doc: str
    # (annotation, tag) pairs: tagged by discriminator value, or (a shape union's models)
    # by class name; tag "" for a plain union
    variants: list[tuple[str, str]]
    discriminator: str = ""
    unknown: ClassView | None = None
    aliases: dict[str, str] = field(default_factory=dict)  # more values -> a variant's tag
    others: list[str] = field(default_factory=list)  # a shape union's members besides models

    @property
    def kind(self) -> str:
        if self.discriminator:
            return "tagged_union"
        return "shape_union" if self.unknown else "union"


def render_python(spec: Spec) -> dict[str, bytes]:
    """Every file of generated/<api>/python/, by relative path (not yet formatted)."""
    if not naming.is_dotted_name(spec.api.package):
        raise RenderError(f"api.package: {spec.api.package!r} is not a dotted Python name")
    sides = compute_sides(spec)
    title = " ".join((spec.api.title or spec.api.name).split())
    context = {
        "api": spec.api,
        "title": title,
        "package_version": sdk_version(spec),
        "package": spec.api.package,
        "project": spec.api.name,
        "distribution": distribution_name(spec.api.name, spec.api.package),
        "generator_version": __version__,
        "enums": [_enum(e, sides) for e in spec.enums],
        "models": [_model(m, sides) for m in spec.models if sides.renders_pydantic(m.name)],
        "output_aliases": _ordered(
            [
                d
                for d in _aliases_and_unions(spec)
                if d.name in sides.output or d.name in sides.model_free
            ],
            OUTPUT,
            sides,
        ),
        "params": [_typed_dict(m, sides) for m in spec.models if sides.renders_param(m.name)],
        "input_aliases": _ordered(
            [d for d in _aliases_and_unions(spec) if sides.renders_param(d.name)], INPUT, sides
        ),
        "exports": _exports(spec, sides),
    }
    resources = resource_views(spec, sides)
    for view in resources:
        used = _names_in(view.annotations())
        view.model_imports = sorted(used & set(context["exports"]["models"]), key=import_order)
        view.param_imports = sorted(used & set(context["exports"]["params"]), key=import_order)
    context["resources"] = resources
    method_params = _method_params(resources, sides, set(context["exports"]["all"]))
    context["params"] += [view for view, _ in method_params]
    _export_params(context["exports"], [view.name for view, _ in method_params])
    context["namespaces"], context["type_modules"] = type_layout(
        spec,
        sides,
        context["exports"]["models"],
        context["exports"]["params"],
        {view.name: namespace for view, namespace in method_params},
    )
    for namespace in context["namespaces"]:
        namespace.models.sort(key=import_order)
        namespace.params.sort(key=import_order)
    handlers = handler_views(spec, sides)
    context["handlers"] = handlers
    context["handler_imports"] = sorted(
        {n for h in handlers for n in h.type_names()} & set(context["exports"]["models"]),
        key=import_order,
    )
    context["handler_exports"] = sorted(_handler_names(handlers), key=_all_order)
    context["tested_resources"] = resource_tests(spec, resources, sides)
    context["prism_version"] = PRISM_VERSION
    error_class = error_class_name(spec.api.client)
    context["error_class"] = error_class
    context["exceptions_all"] = sorted([*_EXCEPTIONS, error_class], key=_all_order)
    context["package_exports"] = sorted(
        [*_PACKAGE_EXPORTS, error_class, spec.api.client, spec.api.async_client]
        + _handler_names(handlers),
        key=_all_order,
    )
    context["has_pagination"] = any(m.pagination for _, m in spec.methods())
    context["has_streaming"] = any(m.streaming for _, m in spec.methods())
    top = {r.name for r in spec.resources}
    context["top_resources"] = [v for v in resources if v.module in top]
    _client_options(spec, context)
    spelled = {name: sides.spell(name) for name in RUNTIME_NAMES}
    context["rt"] = spelled
    context["imp"] = {n: n if s == n else f"{n} as {s}" for n, s in spelled.items()}
    # The generated tests import the clients beside the types: a type named like a client
    # keeps its name, the client takes a private alias there.
    clients = sorted({spec.api.async_client, spec.api.client}, key=import_order)
    context["rt_clients"] = {c: f"_{c}" if c in sides.definitions else c for c in clients}
    context["imp_clients"] = ", ".join(
        c if context["rt_clients"][c] == c else f"{c} as _{c}" for c in clients
    )
    context["example_model"] = context["models"][0].name if context["models"] else ""
    context["param_imports"] = sorted(_shared_names_used_by_params(context), key=import_order)

    def place(path: str) -> str:
        # `acme.vendor.petstore` lives in src/acme/vendor/petstore/; the parents get no
        # __init__.py (namespace packages), so the folder drops into a user's own package.
        return path.replace("src/package/", f"src/{spec.api.package.replace('.', '/')}/")

    managers = {h.name: h.manager for h in handlers}
    filters = {
        "manager": managers.__getitem__,
        "pyliteral": py_literal,
        "parameter": parameter,
        "alias_target": alias_target,
        "toml_key": toml_key,
        "sort_all": lambda names: sorted(names, key=_all_order),
        "sort_import": lambda names: sorted(names, key=import_order),
    }
    files = render_target("python", context, place, filters=filters)
    if not handlers:  # the helpers module is there for event handlers only
        files = {path: text for path, text in files.items() if "/lib/" not in path}
    return files


def _handler_names(handlers: list[HandlerView]) -> list[str]:
    """What lib/streaming.py exports (and the package root with it): each handler and its
    stream manager, sync and async, and the type variables the helpers are generic in."""
    names = []
    for h in handlers:
        for prefix in ("", "Async"):
            names += [f"{prefix}{h.name}", f"{prefix}{h.name}T", f"{prefix}{h.manager}"]
    return names


def is_reexport_module(path: str) -> bool:
    """A type namespace or type module (types/**, besides the definitions and the types
    package itself): the templates write these in black's style already."""
    _, found, rest = path.partition("/types/")
    return bool(found) and rest.endswith(".py") and rest not in _DEFINITION_MODULES


_DEFINITION_MODULES = frozenset({"__init__.py", "models.py", "params.py"})


def distribution_name(api_name: str, package: str) -> str:
    """The name pip knows the generated project by. A top-level package keeps the API's name
    (`openai-assistants`); a package vendored at a dotted path is named after the whole path
    (`acme.vendor.petstore` -> `acme-vendor-petstore`, PEP 503's normal form), so copies of
    one API vendored at different paths install side by side instead of replacing each other."""
    if "." not in package:
        return api_name
    return re.sub(r"[-_.]+", "-", package).lower()


def toml_key(key: str) -> str:
    """A TOML key: bare when it may be (`openai_assistants`), else quoted, as a dotted bare key
    would mean nested tables. Keys here are dotted Python names: nothing to escape."""
    return key if _TOML_BARE_KEY.fullmatch(key) else f'"{key}"'


def alias_target(name: str, type_alias: str) -> str:
    """`Name: TypeAlias` for the left side of a type alias. A very long name goes without
    the annotation (an implicit alias to type checkers): black and ruff format a long
    annotated target differently, and black --check must pass."""
    return name if len(name) > 60 else f"{name}: {type_alias}"


def parameter(name: str, annotation: str, default: str = "", indent: int = 8) -> str:
    """`name: annotation = default` as black writes it: a long union annotation goes in
    parentheses (ruff format keeps explicit ones, and does not add them itself)."""
    tail = f" = {default}" if default else ""
    text = f"{name}: {annotation}{tail}"
    if indent + len(text) + 1 > 88 and " | " in annotation:
        text = f"{name}: ({annotation}){tail}"
    return text


def _doc(description: str, deprecated: bool = False) -> str:
    if deprecated:
        return (description + "\n\nDeprecated." if description else "Deprecated.").strip()
    return description


def _enum(enum: Enum, sides: Sides) -> AliasView:
    # Values of mixed types as Python writes them, so `1` and `"1"` read apart.
    mixed = not all(isinstance(v, str) for v in enum.values)
    values = ", ".join(f"`{py_literal(v) if mixed else v}`" for v in enum.values)
    doc = _doc(enum.description, enum.deprecated) or f"One of {values}."
    return AliasView(output_name(enum.name), doc, enum_type(enum, sides.spell("Literal")))


def _field_names(fields: tuple[Field, ...], reserved: frozenset[str]) -> list[str]:
    """Python attribute names for the wire names: unique within the class, and never
    another field's wire name (input is read by name too, so one key must fill one field)."""
    taken = {f.name for f in fields}
    names = []
    for f in fields:
        name = naming.python_identifier(f.name, reserved)
        if name != f.name:
            while name in taken:
                name += "_"
        taken.add(name)
        names.append(name)
    return names


def _model(model: Model, sides: Sides) -> ClassView:
    view = ClassView(output_name(model.name), _doc(model.description, model.deprecated))
    fields = received_fields(model)
    annotations = [py_type(f.type, OUTPUT, sides) for f in fields]
    # A field named like something the class body mentions would hide it from later lines.
    reserved = _MODEL_RESERVED | {sides.spell("Field")} | _names_in(annotations)
    for f, py_name, annotation in zip(fields, _field_names(fields, reserved), annotations):
        optional = f.type.nullable or not f.required
        if optional:
            annotation = optional_type(annotation)
        default = "None" if optional else ""
        doc = _doc(f.description, f.deprecated)
        view.fields.append(FieldView(py_name, f.name, annotation, default, doc, f.deprecated))
    return view


def _names_in(annotations: list[str]) -> frozenset[str]:
    """The names an annotation refers to (not the words inside its string literals)."""
    code = [_STRING.sub("", text) for text in annotations]
    return frozenset(name for text in code for name in _IDENTIFIER.findall(text))


def _typed_dict(model: Model, sides: Sides) -> ClassView:
    name = sides.param_name(model.name)
    view = ClassView(name, _doc(model.description, model.deprecated))
    required = sides.spell("Required")
    fields = sent_fields(model)
    annotations: list[str] = []
    for f in fields:
        annotations.append(py_type(f.type, INPUT, sides))
    used = _names_in(annotations) | {required}
    # The class syntax needs identifier keys that hide nothing the annotations mention. The
    # call syntax evaluates its annotations at once: they are strings, as they may name
    # types defined further down; Required[...] stays outside, where runtime checks see it.
    view.functional = any(not _is_class_key(f.name) or f.name in used for f in fields)
    for f, annotation in zip(fields, annotations):
        if view.functional:
            annotation = py_literal(annotation)
        if f.required:
            annotation = f"{required}[{annotation}]"
        view.fields.append(
            FieldView(f.name, f.name, annotation, "", _doc(f.description, f.deprecated))
        )
    return view


def _method_params(
    resources: list[ResourceView], sides: Sides, taken: set[str]
) -> list[tuple[ClassView, str]]:
    """A TypedDict of the keyword arguments of each method that takes query parameters and
    no body (`AssistantListParams`: after, before, limit, order), as the official OpenAI SDK
    has for any API, with the namespace its resource's types live in. A name a type of the
    document already has is left to the type."""
    found = []
    not_given = f" | {sides.spell('NotGiven')}"
    required = sides.spell("Required")
    for resource in resources:
        for method in resource.methods:
            params = [p for p in method.keyword if p.where in ("path", "query")]
            if method.where("body") or not method.where("query"):
                continue
            singular = naming.singular(resource.attr).removesuffix("_item")
            name = naming.pascal(singular) + naming.pascal(method.name) + "Params"
            if name in taken:
                continue
            taken.add(name)
            view = ClassView(name, f"The arguments of `{resource.dotted}.{method.name}`.")
            used = _names_in([p.annotation for p in params]) | {required}
            view.functional = any(not _is_class_key(p.py_name) or p.py_name in used for p in params)
            for p in params:
                annotation = p.annotation.removesuffix(not_given)
                if view.functional:
                    annotation = py_literal(annotation)
                if not p.default:
                    annotation = f"{required}[{annotation}]"
                view.fields.append(FieldView(p.py_name, p.py_name, annotation, "", p.doc))
            found.append((view, resource.dotted.rpartition(".")[0]))
    return found


def _export_params(exports: dict[str, list[str]], names: list[str]) -> None:
    exports["params"] = sorted(exports["params"] + names, key=import_order)
    exports["params_all"] = sorted(exports["params_all"] + names, key=_all_order)
    exports["all"] = sorted(exports["all"] + names, key=_all_order)


def _is_class_key(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def _aliases_and_unions(spec: Spec) -> list[Alias | Union_]:
    return [*spec.aliases, *spec.unions]


def _ordered(items: list[Alias | Union_], side: str, sides: Sides) -> list[AliasView | UnionView]:
    """Aliases and unions are evaluated at import: each must follow what it names."""
    by_name = {d.name: d for d in items}
    graph: dict[str, set[str]] = {}
    for d in items:
        children = d.variants if isinstance(d, Union_) else (d.type,)
        graph[d.name] = {n for c in children for n in c.refs() if n in by_name and n != d.name}
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        raise RenderError(
            f"aliases refer to each other in a cycle: {' -> '.join(exc.args[1])}"
        ) from None
    depth: dict[str, int] = {}

    def depth_of(name: str) -> int:
        if name not in depth:
            depth[name] = 1 + max((depth_of(c) for c in graph[name]), default=0)
        return depth[name]

    # By depth, then name: stable whatever order the spec lists them in.
    names = sorted(by_name, key=lambda n: (depth_of(n), n))
    return [_alias_view(by_name[n], side, sides) for n in names]


def _alias_view(item: Alias | Union_, side: str, sides: Sides) -> AliasView | UnionView:
    name = output_name(item.name) if side == OUTPUT else sides.param_name(item.name)
    doc = _doc(item.description, item.deprecated)
    if isinstance(item, Alias):
        return AliasView(name, doc, py_type(item.type, side, sides))
    if side == INPUT or not has_unknown_variant(item, sides):
        plain = _union_members([py_type(v, side, sides) for v in item.variants], sides)
        return UnionView(name, doc, [(annotation, "") for annotation in plain])
    # The class body annotates with `str` and `object`: fields must not hide those names.
    reserved = _MODEL_RESERVED | {"str", "object", sides.spell("Field")}
    fields, aliases, others = [], {}, []
    if item.discriminator:
        tags: dict[str, str] = {}  # variant -> its first value; the others are aliases
        for value, target in item.mapping.items():
            if tags.setdefault(target, value) != value:
                aliases[value] = tags[target]
        variants = [(py_type(v, side, sides), tags[v.name]) for v in item.variants]
        tag_field = naming.python_identifier(item.discriminator, reserved)
        fields.append(FieldView(tag_field, item.discriminator, "str", "", ""))
        reserved |= {tag_field}
    else:  # told apart by shape; the class name is the tag
        members = shape_members(item, sides)
        variants = [(py_type(v, side, sides), output_name(v.name)) for v in members]
        others = _union_members(
            [py_type(v, side, sides) for v in item.variants if v not in members], sides
        )
    # Fields every known member has (an event's `data`) are readable on an unknown one too.
    for shared in _shared_fields(item, sides):
        py_name = naming.python_identifier(shared, reserved)
        fields.append(FieldView(py_name, shared, "object", "None", ""))
    unknown = ClassView(
        unknown_variant_name(name),
        f"A member of {item.name} that this SDK does not know; the raw data is kept.",
        fields,
    )
    return UnionView(name, doc, variants, item.discriminator, unknown, aliases, others)


def _union_members(annotations: list[str], sides: Sides) -> list[str]:
    """Members as linters want them (PYI016, PYI030): each once, the literals in one
    `Literal[...]`, and `None` once, last, when any member is nullable."""
    literal = sides.spell("Literal") + "["
    nullable = any(a == "None" or a.endswith(" | None") for a in annotations)
    bare = [a.removesuffix(" | None") for a in annotations if a != "None"]
    values = [a[len(literal) : -1] for a in bare if a.startswith(literal)]
    merged: list[str] = []
    for annotation in bare:
        if annotation.startswith(literal):
            annotation = literal + ", ".join(dict.fromkeys(values)) + "]"
        if annotation not in merged:
            merged.append(annotation)
    return merged + ["None"] * nullable


def _shared_fields(union: Union_, sides: Sides) -> list[str]:
    """Field names (besides the tag) that every member model of a union declares."""
    members = [sides.definitions[v.name] for v in shape_members(union, sides)]
    names = [[f.name for f in received_fields(m)] for m in members if isinstance(m, Model)]
    if not names:
        return []
    return [n for n in names[0] if n != union.discriminator and all(n in other for other in names)]


def _exports(spec: Spec, sides: Sides) -> dict[str, list[str]]:
    models = [output_name(e.name) for e in spec.enums]
    models += [output_name(m.name) for m in spec.models if sides.renders_pydantic(m.name)]
    params = []
    for d in _aliases_and_unions(spec):
        if d.name in sides.output or d.name in sides.model_free:
            models.append(output_name(d.name))
            if isinstance(d, Union_) and has_unknown_variant(d, sides):
                models.append(unknown_variant_name(output_name(d.name)))
        if sides.renders_param(d.name):
            params.append(sides.param_name(d.name))
    params += [sides.param_name(m.name) for m in spec.models if sides.renders_param(m.name)]
    return {
        "models": sorted(models, key=import_order),
        "params": sorted(params, key=import_order),
        "models_all": sorted(models, key=_all_order),
        "params_all": sorted(params, key=_all_order),
        "all": sorted(models + params, key=_all_order),
    }


_DIGITS = re.compile(r"(\d+)")


def _kind_rank(name: str) -> int:
    """ruff's and isort's groups: CONSTANTS (two characters or more), Classes, the rest."""
    return 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2


@functools.cache  # the same few hundred names are sorted over and over
def import_order(name: str) -> tuple[int, tuple[str | int, ...], str]:
    """ruff's isort order for imported names: CONSTANTS, Classes, rest; case-insensitive,
    digits compared as numbers (`IgmaN1st` before `IgmaN123`, found by the property test)."""
    return (_kind_rank(name), _natural(name.lower()), name)


def _natural(text: str) -> tuple[str | int, ...]:
    return tuple(int(p) if p.isdigit() else p for p in _DIGITS.split(text))


@functools.cache
def _all_order(name: str) -> tuple[int, tuple[str | int, ...]]:
    """ruff's (RUF022) order for `__all__`: the same groups, case-sensitive, digits compared
    as numbers (`Item2` before `Item10`)."""
    return (_kind_rank(name), _natural(name))


def _shared_names_used_by_params(context: dict[str, Any]) -> set[str]:
    """Names params.py takes from models.py: enums and model-free aliases it mentions."""
    shared = set(context["exports"]["models"])
    text = " ".join(f.annotation for view in context["params"] for f in view.fields)
    text += " " + " ".join(  # the separator keeps the last field's name whole
        a.annotation if isinstance(a, AliasView) else " ".join(v for v, _ in a.variants)
        for a in context["input_aliases"]
    )
    used = set(_IDENTIFIER.findall(text))
    return used & shared
