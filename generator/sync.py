"""Compare two normalized specs by meaning, and report the changes (for `sdkgen sync`).

`compare(old, new)` walks both specs side by side: definitions by name, methods by dotted
resource path and method name. Each difference becomes an `Entry` of one kind:

    breaking   a caller of the old SDK, or the old SDK itself, can fail against the new API
    addition   something new, or a change every old caller survives
    docs       only what a reader sees: descriptions, titles, examples, defaults, deprecation

Whether a type change is compatible depends on the way the value travels. A value the client
sends (parameters, request bodies, and the definitions they reach) may widen: the server
still accepts whatever old callers send. A value the client receives (responses, stream
events, and the definitions they reach) may narrow: old callers still understand every
value. A definition that travels both ways must keep its exact type.

`to_markdown` and `to_json` render a `Changelog`; `next_version` applies its `bump`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .spec.model import (
    Alias,
    Body,
    Definition,
    Enum,
    Field,
    Method,
    Model,
    Pagination,
    Security,
    SecurityScheme,
    Spec,
    Streaming,
    Union_,
    reachable,
)
from .spec.types import TypeExpr

BREAKING = "breaking"
ADDITION = "addition"
DOCS = "docs"
KINDS = (BREAKING, ADDITION, DOCS)  # most severe first: the order of entries and of reports

EXIT_UNCHANGED = 0
EXIT_COMPATIBLE = 10  # additions, docs or stale overlay entries, nothing breaking
EXIT_BREAKING = 20

_BUMPS = {BREAKING: "major", ADDITION: "minor", DOCS: "patch"}

# The ways a value travels. A definition nothing reaches (one the overlay includes by name)
# is taken to travel both ways, the cautious reading.
SEND = "send"
RECEIVE = "receive"
_SENT = frozenset({SEND})
_RECEIVED = frozenset({RECEIVE})
_BOTH = frozenset({SEND, RECEIVE})


@dataclass(frozen=True)
class Entry:
    kind: str  # one of KINDS
    location: str  # `beta.threads.runs.create`, `Assistant.tools`, `ReasoningEffort`
    message: str  # one line

    def sort_key(self) -> tuple[int, str, str]:
        return KINDS.index(self.kind), self.location, self.message


@dataclass(frozen=True)
class Changelog:
    entries: tuple[Entry, ...] = ()
    overlay: list[str] = field(default_factory=list)  # overlay entries matching nothing

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]

    @property
    def exit_code(self) -> int:
        if self.of_kind(BREAKING):
            return EXIT_BREAKING
        return EXIT_COMPATIBLE if self.entries or self.overlay else EXIT_UNCHANGED

    @property
    def bump(self) -> str:
        """One of "major", "minor", "patch", or "" when the API did not change."""
        kinds = {e.kind for e in self.entries}
        return next((_BUMPS[kind] for kind in KINDS if kind in kinds), "")


def compare(old: Spec, new: Spec, overlay: Sequence[str] = ()) -> Changelog:
    """Every difference of meaning from `old` to `new`, sorted by kind, then location.
    `overlay`: the stale overlay entries noted while importing `new` (see import_openapi)."""
    diff = _Diff(old, new)
    diff.api()
    diff.definitions()
    diff.resources()
    diff.methods()
    return Changelog(tuple(sorted(diff.entries, key=Entry.sort_key)), list(overlay))


# -- the walk -------------------------------------------------------------------------

_KIND_NAMES: dict[type, str] = {Model: "model", Enum: "enum", Union_: "union", Alias: "alias"}

# Attributes only a reader sees, on whichever item has them. Defaults and constraints are
# here too: the generated client neither sends defaults nor checks constraints, it
# documents them (the server applies both, as it did before).
_DOC_ATTRIBUTES = ("title", "summary", "description", "example", "default", "constraints")
_SHOWN_VALUES = ("default", "constraints")  # short enough to show before and after

_PARAM_GROUPS = (
    ("path_params", "path parameter"),
    ("query_params", "query parameter"),
    ("header_params", "header parameter"),
    ("cookie_params", "cookie parameter"),
)


class _Diff:
    """Collects the entries; one method for each part of the spec."""

    def __init__(self, old: Spec, new: Spec):
        self.old = old
        self.new = new
        self.old_definitions = old.definitions()
        self.new_definitions = new.definitions()
        old_roles, new_roles = _roles(old), _roles(new)
        # A definition that travels one way in either version is held to that way's rule.
        self.roles = {
            name: old_roles.get(name, frozenset()) | new_roles.get(name, frozenset())
            for name in old_roles.keys() | new_roles.keys()
        }
        self.entries: list[Entry] = []

    def note(self, kind: str, location: str, message: str) -> None:
        self.entries.append(Entry(kind, location, message))

    def role(self, name: str) -> frozenset[str]:
        return self.roles.get(name) or _BOTH

    # -- the API as a whole -------------------------------------------------------

    def api(self) -> None:
        """Only what the document says; the rest of `api` comes from the overlay."""
        old, new = self.old.api, self.new.api
        self.docs("api", old, new)
        if old.version != new.version:
            self.note(DOCS, "api", f"version changed from {old.version} to {new.version}")
        if old.base_url != new.base_url:
            self.note(BREAKING, "api", f"base URL changed from {old.base_url} to {new.base_url}")
        self.schemes()

    def schemes(self) -> None:
        """Security schemes by name: one that changes how it sends its secret breaks callers."""
        old = {s.name: s for s in self.old.api.security_schemes}
        new = {s.name: s for s in self.new.api.security_schemes}
        for name in sorted(old.keys() - new.keys()):
            self.note(BREAKING, "api", f"security scheme {name} removed")
        for name in sorted(new.keys() - old.keys()):
            self.note(ADDITION, "api", f"new security scheme {name} ({_sends(new[name])})")
        for name in sorted(old.keys() & new.keys()):
            before, after = _sends(old[name]), _sends(new[name])
            if before != after:
                self.note(BREAKING, "api", f"security scheme {name} now {after}, was {before}")

    def resources(self) -> None:
        old, new = self.old.resources_by_path(), self.new.resources_by_path()
        for path in sorted(old.keys() & new.keys()):
            self.docs(path, old[path], new[path])

    # -- definitions --------------------------------------------------------------

    def definitions(self) -> None:
        old, new = self.old_definitions, self.new_definitions
        for name in sorted(old.keys() - new.keys()):
            self.note(BREAKING, name, f"{_KIND_NAMES[type(old[name])]} removed")
        for name in sorted(new.keys() - old.keys()):
            self.note(ADDITION, name, f"new {_KIND_NAMES[type(new[name])]}")
        for name in sorted(old.keys() & new.keys()):
            self.definition(old[name], new[name])

    def definition(self, old: Definition, new: Definition) -> None:
        if type(old) is not type(new):
            kinds = _KIND_NAMES[type(old)], _KIND_NAMES[type(new)]
            self.note(BREAKING, old.name, "changed from {} to {}".format(*kinds))
            return
        self.docs(old.name, old, new)
        if isinstance(old, Model) and isinstance(new, Model):
            self.members(old.name, old.fields, new.fields, self.role(old.name), "field")
            self.extra(old, new)
        elif isinstance(old, Enum) and isinstance(new, Enum):
            self.enum(old, new)
        elif isinstance(old, Union_) and isinstance(new, Union_):
            self.union(old, new)
        elif isinstance(old, Alias) and isinstance(new, Alias):
            self.type_change(old.name, old.type, new.type, self.role(old.name), "type")

    def extra(self, old: Model, new: Model) -> None:
        """Properties beyond the declared fields (additionalProperties)."""
        if old.extra is None and new.extra is not None:
            self.note(ADDITION, old.name, f"now allows extra properties of type {new.extra}")
        elif old.extra is not None and new.extra is None:
            self.note(BREAKING, old.name, "no longer allows extra properties")
        elif old.extra is not None and new.extra is not None:
            role = self.role(old.name)
            self.type_change(old.name, old.extra, new.extra, role, "type of extra properties")

    def enum(self, old: Enum, new: Enum) -> None:
        # Whichever way an enum travels, a removed value removes a member of the generated
        # enum that code may name; an added value is safe because generated enums accept
        # values they do not know.
        old_values, new_values = _json_set(old.values), _json_set(new.values)
        for value in sorted(old_values - new_values):
            self.note(BREAKING, old.name, f"value {value} removed")
        for value in sorted(new_values - old_values):
            self.note(ADDITION, old.name, f"new value {value}")

    def union(self, old: Union_, new: Union_) -> None:
        # As with enums: a removed member is a class code may name; a new one is safe
        # because generated unions let unknown variants through.
        old_members, new_members = {str(v) for v in old.variants}, {str(v) for v in new.variants}
        for member in sorted(old_members - new_members):
            self.note(BREAKING, old.name, f"member {member} removed")
        for member in sorted(new_members - old_members):
            self.note(ADDITION, old.name, f"new member {member}")
        if old.discriminator != new.discriminator:
            before, after = old.discriminator or "(none)", new.discriminator or "(none)"
            self.note(BREAKING, old.name, f"discriminator changed from {before} to {after}")
        else:
            self.mapping(old, new)

    def mapping(self, old: Union_, new: Union_) -> None:
        """Discriminator values of members in both versions (a new or removed member's
        value is reported with the member)."""
        kept = {v.name for v in old.variants} & {v.name for v in new.variants}
        for value in sorted(old.mapping.keys() | new.mapping.keys()):
            before, after = old.mapping.get(value), new.mapping.get(value)
            if before == after:
                continue
            if after is None and before in kept:
                self.note(BREAKING, old.name, f"discriminator value {value!r} removed")
            elif before is None and after in kept:
                self.note(ADDITION, old.name, f"discriminator value {value!r} now picks {after}")
            elif before is not None and after is not None:
                message = f"discriminator value {value!r} now picks {after}, not {before}"
                self.note(BREAKING, old.name, message)

    # -- fields and parameters ----------------------------------------------------

    def members(
        self,
        parent: str,
        old: Sequence[Field],
        new: Sequence[Field],
        role: frozenset[str],
        noun: str,
    ) -> None:
        """Fields of a model, or one group of a method's parameters, by name."""
        old_by_name, new_by_name = {f.name: f for f in old}, {f.name: f for f in new}
        for name in sorted(old_by_name.keys() | new_by_name.keys()):
            location = f"{parent}.{name}"
            before, after = old_by_name.get(name), new_by_name.get(name)
            if after is None:
                self.note(BREAKING, location, f"{noun} removed")
            elif before is None:
                self.added(location, after, role, noun)
            else:
                self.docs(location, before, after)
                self.requiredness(location, before.required, after.required, role, noun)
                self.type_change(location, before.type, after.type, role, "type")

    def added(self, location: str, item: Field, role: frozenset[str], noun: str) -> None:
        # A new required value breaks old callers only if they must now send it.
        which = "required" if item.required else "optional"
        kind = BREAKING if item.required and SEND in role else ADDITION
        self.note(kind, location, f"new {which} {noun}")

    def requiredness(
        self, location: str, old: bool, new: bool, role: frozenset[str], noun: str
    ) -> None:
        """Required-ness narrows like a type: a sent value may become optional, a received
        one may become always present."""
        if old == new:
            return
        if new:
            kind = BREAKING if SEND in role else ADDITION
            self.note(kind, location, f"{noun} is now required")
        else:
            kind = BREAKING if RECEIVE in role else ADDITION
            self.note(kind, location, f"{noun} is now optional")

    def type_change(
        self, location: str, old: TypeExpr, new: TypeExpr, role: frozenset[str], what: str
    ) -> None:
        if str(old) == str(new):
            return
        kind = ADDITION if self.compatible(old, new, role) else BREAKING
        self.note(kind, location, f"{what} changed from {old} to {new}")

    def compatible(self, old: TypeExpr, new: TypeExpr, role: frozenset[str]) -> bool:
        if role == _SENT:
            return _accepts(new, old, self.new_definitions, self.old_definitions)
        if role == _RECEIVED:
            return _accepts(old, new, self.old_definitions, self.new_definitions)
        return False

    def docs(self, location: str, old: object, new: object) -> None:
        for attribute in _DOC_ATTRIBUTES:
            if not hasattr(old, attribute):
                continue
            before, after = _json(getattr(old, attribute)), _json(getattr(new, attribute))
            if before != after:
                shown = f" from {before} to {after}" if attribute in _SHOWN_VALUES else ""
                self.note(DOCS, location, f"{attribute} changed{shown}")
        # Deprecation is docs only: every call that worked still works; the new SDK warns
        # and says so in its docs, and removal (breaking) would come in a later change.
        was, now = getattr(old, "deprecated", False), getattr(new, "deprecated", False)
        if was != now:
            self.note(DOCS, location, "now deprecated" if now else "no longer deprecated")

    # -- methods ------------------------------------------------------------------

    def methods(self) -> None:
        old = {f"{path}.{m.name}": m for path, m in self.old.methods()}
        new = {f"{path}.{m.name}": m for path, m in self.new.methods()}
        for location in sorted(old.keys() - new.keys()):
            self.note(BREAKING, location, "method removed")
        for location in sorted(new.keys() - old.keys()):
            self.note(ADDITION, location, "new method")
        for location in sorted(old.keys() & new.keys()):
            self.method(location, old[location], new[location])

    def method(self, location: str, old: Method, new: Method) -> None:
        self.docs(location, old, new)
        if old.operation_id != new.operation_id:
            message = f"operationId changed from {old.operation_id} to {new.operation_id}"
            self.note(DOCS, location, message)
        if (old.http_method, old.path) != (new.http_method, new.path):
            message = f"now {new.http_method} {new.path}, was {old.http_method} {old.path}"
            self.note(BREAKING, location, message)
        for group, noun in _PARAM_GROUPS:
            self.members(location, getattr(old, group), getattr(new, group), _SENT, noun)
        self.body(location, old.body, new.body)
        self.response(location, old.response, new.response)
        if old.response is not None and new.response is not None:
            before, after = old.response_content_type, new.response_content_type
            if before != after:
                self.note(BREAKING, location, f"response is now {after}, was {before}")
        self.streaming(location, old.streaming, new.streaming)
        self.pagination(location, old.pagination, new.pagination)
        self.security(location, self.old.security_of(old), self.new.security_of(new))

    def security(self, location: str, old: Security, new: Security) -> None:
        """Credentials that met the old requirement still meet the new one if the new one
        needs none, or keeps every old alternative (and the old one needed some: a caller
        who sent none before would now fail)."""
        if old == new:
            return
        needs_none = not new or () in new
        needed_some = bool(old) and () not in old
        kept = needs_none or (needed_some and set(old) <= set(new))
        message = f"credentials needed: {_requirement(new)}, was {_requirement(old)}"
        self.note(ADDITION if kept else BREAKING, location, message)

    def body(self, location: str, old: Body | None, new: Body | None) -> None:
        if new is None:
            if old is not None:
                self.note(BREAKING, location, "request body removed")
        elif old is None:
            kind, which = (BREAKING, "required") if new.required else (ADDITION, "optional")
            self.note(kind, location, f"new {which} request body")
        else:
            self.requiredness(location, old.required, new.required, _SENT, "request body")
            if old.content_type != new.content_type:
                before, after = old.content_type, new.content_type
                self.note(BREAKING, location, f"request body is now {after}, was {before}")
            for name in sorted(old.encoding.keys() | new.encoding.keys()):
                if old.encoding.get(name) != new.encoding.get(name):
                    message = f"request body field {name} is encoded differently"
                    self.note(BREAKING, location, message)
            self.type_change(location, old.type, new.type, _SENT, "request body type")

    def response(self, location: str, old: TypeExpr | None, new: TypeExpr | None) -> None:
        if new is None:
            if old is not None:
                self.note(BREAKING, location, f"no longer returns {old}")
        elif old is None:
            self.note(ADDITION, location, f"now returns {new}")
        else:
            self.type_change(location, old, new, _RECEIVED, "response type")

    def streaming(self, location: str, old: Streaming | None, new: Streaming | None) -> None:
        if new is None:
            if old is not None:
                self.note(BREAKING, location, "no longer streams")
        elif old is None:
            self.note(ADDITION, location, f"can now stream {new.event} events")
        else:
            if old.param != new.param:
                message = f"stream flag changed from {old.param} to {new.param}"
                self.note(BREAKING, location, message)
            self.type_change(location, old.event, new.event, _RECEIVED, "stream event type")

    def pagination(self, location: str, old: Pagination | None, new: Pagination | None) -> None:
        # Paging changes what the method returns (a page iterator or the raw response). The
        # item type is not compared here: it is the page model's items field, reported there.
        if old is None and new is None:
            return
        if old is None or new is None:
            self.note(BREAKING, location, "now paginated" if new else "no longer paginated")
        elif _cursor(old) != _cursor(new):
            self.note(BREAKING, location, "pagination scheme changed")


# -- which way definitions travel ----------------------------------------------------


def _roles(spec: Spec) -> dict[str, frozenset[str]]:
    """For each definition the methods reach: sent by the client, received, or both."""
    sent: list[TypeExpr] = []
    received: list[TypeExpr] = []
    for _, method in spec.methods():
        sent += [p.type for group, _ in _PARAM_GROUPS for p in getattr(method, group)]
        sent += [method.body.type] if method.body else []
        received += [method.response] if method.response else []
        received += [method.streaming.event] if method.streaming else []
    definitions = spec.definitions()
    roles: dict[str, frozenset[str]] = {}
    for role, roots in ((SEND, sent), (RECEIVE, received)):
        for name in reachable(roots, definitions):
            roles[name] = roles.get(name, frozenset()) | {role}
    return roles


# -- type compatibility --------------------------------------------------------------


def _accepts(
    wide: TypeExpr,
    narrow: TypeExpr,
    wide_definitions: Mapping[str, Definition],
    narrow_definitions: Mapping[str, Definition],
) -> bool:
    """Whether every value of `narrow` is a value of `wide`; names resolve in the spec each
    type comes from. The spec loader rejects unions and aliases that refer to themselves
    without passing through a model, so the walk through them ends."""

    def accepts(w: TypeExpr, n: TypeExpr) -> bool:
        return _accepts(w, n, wide_definitions, narrow_definitions)

    if str(wide) == str(narrow) or (wide.kind == "primitive" and wide.name == "any"):
        return True
    if narrow.nullable:
        return wide.nullable and accepts(wide, narrow.with_nullable(False))
    narrow_target = narrow_definitions.get(narrow.name) if narrow.kind == "ref" else None
    if isinstance(narrow_target, Union_):
        return all(accepts(wide, variant) for variant in narrow_target.variants)
    if isinstance(narrow_target, Alias):
        return accepts(wide, narrow_target.type)
    wide = wide.with_nullable(False)  # `narrow` holds no null from here on
    wide_target = wide_definitions.get(wide.name) if wide.kind == "ref" else None
    if isinstance(wide_target, Union_):
        return any(accepts(variant, narrow) for variant in wide_target.variants)
    if isinstance(wide_target, Alias):
        return accepts(wide_target.type, narrow)
    if isinstance(wide_target, Enum):
        return _enum_accepts(wide_target, narrow, narrow_target)
    if wide.kind == "primitive":
        return _primitive_accepts(wide.name, narrow, narrow_target)
    if wide.kind in ("list", "map") and narrow.kind == wide.kind:
        assert wide.item is not None and narrow.item is not None
        return accepts(wide.item, narrow.item)
    return str(wide) == str(narrow)


def _primitive_accepts(name: str, narrow: TypeExpr, target: Definition | None) -> bool:
    """Whether the primitive `name` holds every value of `narrow` (which is not null)."""
    if narrow.kind == "primitive":
        return name == narrow.name or (name == "number" and narrow.name == "integer")
    if narrow.kind == "literal":
        return _holds(name, narrow.value)
    if isinstance(target, Enum):
        return all(_holds(name, value) for value in target.values)
    return False


def _enum_accepts(wide: Enum, narrow: TypeExpr, target: Definition | None) -> bool:
    """Whether the enum `wide` holds every value of `narrow`: one of its values as a
    literal, or an enum whose values it all has."""
    values = _json_set(wide.values)
    if narrow.kind == "literal":
        return _json(narrow.value) in values
    return isinstance(target, Enum) and _json_set(target.values) <= values


def _holds(name: str, value: Any) -> bool:
    """Whether a JSON scalar is a value of the primitive type `name`."""
    if isinstance(value, bool):
        return name == "boolean"
    if isinstance(value, int):
        return name in ("integer", "number")
    if isinstance(value, float):
        return name == "number"
    return isinstance(value, str) and name == "string"


# -- small helpers -------------------------------------------------------------------


def _json(value: Any) -> str:
    """A value as canonical JSON, so that 1, 1.0 and true differ and key order does not."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)


def _sends(scheme: SecurityScheme) -> str:
    """How a scheme sends its secret, in words: `api_key in query parameter key`."""
    if scheme.kind == "api_key":
        return f"api_key in {scheme.location} {scheme.parameter}"
    return scheme.kind


def _requirement(security: Security) -> str:
    """`A or (B and C)`; `none` when nothing is needed."""
    if not security:
        return "none"
    return " or ".join(
        "none" if not alt else alt[0] if len(alt) == 1 else f"({' and '.join(alt)})"
        for alt in security
    )


def _json_set(values: Iterable[Any]) -> set[str]:
    return {_json(v) for v in values}


def _cursor(pagination: Pagination) -> tuple[str, ...]:
    """What a cursor scheme asks of the API, without the item type."""
    p = pagination
    return p.scheme, p.cursor_param, p.cursor_field, p.items_field, p.has_more_field


# -- reports -------------------------------------------------------------------------

_HEADINGS = {BREAKING: "Breaking changes", ADDITION: "Additions", DOCS: "Documentation"}
_OVERLAY_HEADING = "Overlay entries that no longer match anything"


def to_markdown(changelog: Changelog, title: str) -> str:
    """A Markdown section: `## title`, then one `###` list for each non-empty kind."""
    lines = [f"## {title}", ""]
    for kind in KINDS:
        entries = changelog.of_kind(kind)
        if entries:
            lines += [f"### {_HEADINGS[kind]}", ""]
            lines += [_bullet(e.location, e.message) for e in entries] + [""]
    if changelog.overlay:
        lines += [f"### {_OVERLAY_HEADING}", ""]
        lines += [_bullet(*_split_overlay_note(note)) for note in changelog.overlay] + [""]
    if len(lines) == 2:
        lines += ["No changes.", ""]
    return "\n".join(lines)


def to_json(changelog: Changelog) -> str:
    data = {
        "bump": changelog.bump,
        "exit_code": changelog.exit_code,
        "entries": [
            {"kind": e.kind, "location": e.location, "message": e.message}
            for e in changelog.entries
        ],
        "overlay": list(changelog.overlay),
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _bullet(location: str, message: str) -> str:
    return f"- `{location}`: {message}"


def _split_overlay_note(note: str) -> tuple[str, str]:
    """`resources.x.create.operation: no operation ...` -> its overlay path and message."""
    path, _, message = note.partition(": ")
    return (path, message) if message else ("overlay", note)


# -- versions ------------------------------------------------------------------------

_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


def next_version(version: str, bump: str) -> str:
    """`version` (MAJOR.MINOR.PATCH) after a `bump` of "major", "minor", "patch" or "".

    Before 1.0.0 a breaking change bumps the minor number, as is conventional for 0.x;
    additions then bump the minor number too, and docs the patch number. A version that is
    not MAJOR.MINOR.PATCH (pre-release tags included) raises ValueError: the caller should
    pick the next version by hand rather than get a guess."""
    match = _VERSION.fullmatch(version)
    if not match:
        raise ValueError(f"version {version!r} is not MAJOR.MINOR.PATCH, such as 2.3.0")
    major, minor, patch = (int(part) for part in match.groups())
    if bump == "major" and major == 0:
        bump = "minor"
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    if bump == "":
        return version
    raise ValueError(f"bump {bump!r} is not one of major, minor, patch or ''")
