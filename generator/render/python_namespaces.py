"""Where each type can be imported from besides `types`: a module per type, in a namespace
that follows the resource tree (`types/beta/threads/run.py`, `types.beta.threads.Run`).

The classes themselves are defined once, in `types/models.py` and `types/params.py`; the
namespace packages and type modules re-export them, so a name means one class wherever it
is imported from. The rule (that of the official OpenAI SDK's layout, for any API):

- A resource at `a.b.c` keeps its types in namespace `a.b` (its parent's path); top-level
  resources in `types` itself.
- A type named in the signatures of methods (parameters, body fields, results, page
  items, stream events) lives in the namespace of the resource whose methods name it most;
  a tie goes to the namespaces' common parent.
- Any other type lives in the deepest namespace shared by the types that refer to it, and
  one that nothing refers to in `types`.
- The overlay's `python.types` pins a type's namespace (a stream's events, say, that its
  resources share).

A type's module is its name in snake case (`AssistantCreateParams` ->
`assistant_create_params.py`, `AssistantToolParam` -> `assistant_tool_param.py`); the module
of a schema also holds its inline parts, and that of a union its members (the union's
`*Unknown` class only there), and both the types their fields name. Where a module would clash with a namespace package or the
definitions modules, or be too long a file name, the type is only in its namespace package
(and its owner's module).
"""

from __future__ import annotations

import keyword
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import naming
from ..spec.model import Definition, Method, Model, Spec, inner_types, sent_fields
from ..spec.types import TypeExpr
from .python_types import Sides, output_name, unknown_variant_name

# A file name longer than this may be refused by the file system (255 bytes); a type with
# so long a name is in its namespace package and its owner's module only.
_LONGEST_MODULE = 120
# Module names taken in types/ by the definitions themselves.
_RESERVED_MODULES = frozenset({"__init__", "models", "params"})


@dataclass
class TypeModule:
    module: str  # its path under types/, without .py: "beta/threads/run"
    owner: str  # the type it is named after (the others are its parts)
    models: list[str] = field(default_factory=list)  # what it re-exports from types.models
    params: list[str] = field(default_factory=list)  # ... and from types.params

    @property
    def up(self) -> str:
        """The relative import prefix that reaches types/ from this module."""
        return "." * (self.module.count("/") + 1)

    @property
    def names(self) -> list[str]:
        return self.models + self.params


@dataclass
class Namespace:
    module: str  # "beta/threads/__init__"
    path: str  # "beta.threads"
    models: list[str] = field(default_factory=list)
    params: list[str] = field(default_factory=list)

    @property
    def up(self) -> str:
        return "." * (self.path.count(".") + 2)

    @property
    def names(self) -> list[str]:
        return sorted(self.models + self.params)


def type_layout(
    spec: Spec,
    sides: Sides,
    models: list[str],
    params: list[str],
    placed_by_caller: dict[str, str],
) -> tuple[list[Namespace], list[TypeModule]]:
    """The namespace packages (besides types/ itself) and the per-type modules.
    `models` and `params` are the names types/models.py and types/params.py define;
    `placed_by_caller` the namespaces of those that are no definition of the spec (the
    TypedDicts of a method's arguments)."""
    homes = _homes(spec) | placed_by_caller
    by_python_name: dict[str, tuple[str, str]] = {}  # python name -> (definition, source)
    for name in sides.definitions:
        by_python_name[output_name(name)] = (name, "models")
        by_python_name[unknown_variant_name(output_name(name))] = (name, "models")
        if sides.renders_param(name):
            by_python_name[sides.param_name(name)] = (name, "params")
    namespaces: dict[str, Namespace] = {}
    placed: list[tuple[str, str, str]] = []  # (namespace, python name, source)
    for source, names in (("models", models), ("params", params)):
        for python_name in names:
            definition = by_python_name.get(python_name, (python_name, source))[0]
            home = homes.get(definition, "")
            if home:
                parts = home.split(".")
                for depth in range(1, len(parts) + 1):
                    path = ".".join(parts[:depth])
                    namespaces.setdefault(
                        path, Namespace(path.replace(".", "/") + "/__init__", path)
                    )
                getattr(namespaces[home], source).append(python_name)
            placed.append((home, python_name, source))
    taken = {(ns.rpartition(".")[0], ns.rpartition(".")[2]) for ns in namespaces}
    owner_of = _owners(spec, homes)
    modules: dict[tuple[str, str], TypeModule] = {}

    def add(home: str, owner: str, python_name: str, source: str) -> None:
        module = naming.snake(owner)
        key = (home, module)
        if (
            keyword.iskeyword(module)
            or module in _RESERVED_MODULES
            or key in taken
            or len(module) > _LONGEST_MODULE
        ):
            return
        if key not in modules:
            folder = home.replace(".", "/")
            modules[key] = TypeModule(f"{folder}/{module}" if folder else module, owner)
        names = getattr(modules[key], source)
        if python_name not in names:
            names.append(python_name)

    def side_name(definition: str, source: str) -> str:
        return output_name(definition) if source == "models" else sides.param_name(definition)

    for home, python_name, source in sorted(placed):
        definition, _ = by_python_name.get(python_name, (python_name, source))
        if python_name != unknown_variant_name(output_name(definition)):
            add(home, python_name, python_name, source)
        owner = owner_of.get(definition)
        if owner is not None or python_name == unknown_variant_name(output_name(definition)):
            owner = owner or definition
            add(homes.get(owner, ""), side_name(owner, source), python_name, source)
    exported = {"models": set(models), "params": set(params)}
    definitions = spec.definitions()
    for module in modules.values():
        _add_referenced(module, definitions, sides, by_python_name, exported)
    return sorted(namespaces.values(), key=lambda n: n.path), list(modules.values())


def _add_referenced(
    module: TypeModule,
    definitions: Mapping[str, Definition],
    sides: Sides,
    by_python_name: dict[str, tuple[str, str]],
    exported: dict[str, set[str]],
) -> None:
    """Also re-export from a type module the types its own types' fields name, on the same
    side, as the official layout has them (`from ...threads.run import TruncationStrategy`)."""
    for source in ("models", "params"):
        names = getattr(module, source)
        for python_name in list(names):
            definition = definitions.get(by_python_name.get(python_name, ("", ""))[0])
            if definition is None:
                continue
            for ref in sorted({r for e in inner_types(definition) for r in e.refs()}):
                on_side = output_name(ref) if source == "models" else sides.param_name(ref)
                for candidate, side in ((on_side, source), (output_name(ref), "models")):
                    if candidate in exported[side]:
                        target = getattr(module, side)
                        if candidate not in target and candidate not in module.names:
                            target.append(candidate)
                        break


def _owners(spec: Spec, homes: dict[str, str]) -> dict[str, str]:
    """The type whose module also holds a type: the schema an inline type is part of, or
    the union a member belongs to (the one union, in the member's namespace)."""
    found = _parents(spec)
    unions: dict[str, list[str]] = {}
    for union in spec.unions:
        for variant in union.variants:
            if variant.kind == "ref":
                unions.setdefault(variant.name, []).append(union.name)
    for member, owners in unions.items():
        same = [u for u in owners if homes.get(u, "") == homes.get(member, "")]
        if member not in found and len(same) == 1:
            found[member] = same[0]
    return found


def _parents(spec: Spec) -> dict[str, str]:
    """Inline types (`#/components/schemas/X/properties/y`, named `XY`) by the component
    schema they are part of: they share its module, as a request's nested params do."""
    by_source = {d.source: d.name for d in spec.definitions().values() if d.source}
    found = {}
    for source, name in by_source.items():
        head, marker, rest = source.partition("/components/schemas/")
        top = f"{head}{marker}{rest.split('/', 1)[0]}"
        parent = by_source.get(top, name)
        # A part the overlay renamed (AssistantTool, not AssistantCreateParamsTool) is a
        # type of its own; one that keeps its derived name stays with its schema.
        if "/" in rest and parent != name and name.startswith(parent):
            found[name] = parent
    return found


def _homes(spec: Spec) -> dict[str, str]:
    """The namespace (dotted, "" for types/ itself) of each definition, by the rule above."""
    definitions = spec.definitions()
    votes: dict[str, Counter[str]] = {}
    for resource_path, method in spec.methods():
        namespace = resource_path.rpartition(".")[0]
        for name in _named_by(method, spec):
            votes.setdefault(name, Counter())[namespace] += 1
    homes: dict[str, str] = {}
    for name, counter in votes.items():
        best = max(counter.values())
        homes[name] = _common([ns for ns, n in counter.items() if n == best])
    homes.update({n: ns for n, ns in spec.api.type_modules.items() if n in definitions})
    # The rest: the namespace the referring types share, spreading out from the named ones.
    referrers: dict[str, set[str]] = {}
    for name, definition in definitions.items():
        for expr in inner_types(definition):
            for ref in expr.refs():
                referrers.setdefault(ref, set()).add(name)
    pending = [n for n in sorted(definitions) if n not in homes]
    while pending:
        progress = []
        for name in pending:
            known = [homes[r] for r in referrers.get(name, ()) if r in homes]
            if known:
                progress.append((name, _common(known)))
        if not progress:
            break
        for name, home in progress:
            homes[name] = home
        pending = [n for n in pending if n not in homes]
    return homes


def _named_by(method: Method, spec: Spec) -> set[str]:
    """The definitions a method's signature names: parameter and body-field types, the
    body, the result, page items and stream events."""
    exprs: list[TypeExpr] = [p.type for _, p in method.params()]
    if method.body is not None:
        exprs.append(method.body.type)
        model = spec.definitions().get(method.body.type.name)
        if isinstance(model, Model):
            exprs += [f.type for f in sent_fields(model)]
    if method.response is not None:
        exprs.append(method.response)
    if method.pagination is not None:
        exprs.append(method.pagination.item)
    if method.streaming is not None:
        exprs.append(method.streaming.event)
    return {name for expr in exprs for name in expr.refs()}


def _common(namespaces: list[str]) -> str:
    """The deepest namespace containing all of them."""
    split = [ns.split(".") if ns else [] for ns in namespaces]
    common: list[str] = []
    for parts in zip(*split):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return ".".join(common)
