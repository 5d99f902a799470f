"""Where an operation goes in the client tree, and what its method is called, when the
overlay does not say: names a Python user would write (`client.pets.list`, not
`client.pets.list_pets`, nor `client.items.items_items_list`).

Rules, in order, all deterministic:
- The resource is the operation's first tag, else its first path segment that is not a
  prefix such as `api` or `v1`, in snake_case.
- The method is the operationId without the words that repeat the resource (`listPets` in
  `pets` -> `list`, `showPetById` -> `show_by_id`). An operation without an operationId is
  named by its shape: `list`/`create` on a collection, `retrieve`/`update`/`delete` on an
  item, else its verb and the path's words after the resource (`post_feed`).
- A name that is a Python keyword or a member of the client or of every resource
  (`request`, `with_raw_response`) gets a trailing underscore.
- Names that still collide within a resource fall back to the full operationId (or verb and
  whole path); any collision left gets `_2`, `_3`... in path and verb order. A valid
  document is never refused for its names.
"""

from __future__ import annotations

import keyword
import re
from collections import defaultdict
from dataclasses import dataclass

from .. import naming, reserved

_PREFIX_SEGMENT = re.compile(r"^(api|rest|v\d+([._]\d+)*)$", re.IGNORECASE)
_ITEM_VERBS = {"get": "retrieve", "put": "update", "patch": "update", "delete": "delete"}
_COLLECTION_VERBS = {"get": "list", "post": "create"}


@dataclass(frozen=True)
class Operation:
    """What placement needs to know of one operation."""

    key: str  # the importer's operation key (operationId, or one derived from verb and path)
    verb: str  # lower case
    path: str
    operation_id: str  # as the document gives it; empty when it gives none
    tags: tuple[str, ...]


# A resource named like a client member, or a method named like a resource member, would
# hide it: it gets a trailing underscore (`client.request_`), as keywords do.
CLIENT_MEMBERS = reserved.CLIENT | reserved.CLIENT_OPTIONS
RESOURCE_MEMBERS = reserved.RESOURCE


def resource_of(operation: Operation) -> str:
    if operation.tags:
        name = naming.snake(operation.tags[0])
    else:
        segments = _static_segments(operation.path)
        name = naming.snake(segments[0]) if segments else "root"
    return _identifier(name, CLIENT_MEMBERS)


def method_names(
    resource: str, operations: list[Operation], taken: frozenset[str] = frozenset()
) -> dict[str, str]:
    """A unique method name for each operation of one resource, by operation key, clear of
    the names in `taken` (methods the overlay already placed there)."""
    ordered = sorted(operations, key=lambda op: (op.path, op.verb, op.key))
    short = {op.key: _short_name(resource, op) for op in ordered}
    counts: defaultdict[str, int] = defaultdict(int)
    for name in [*short.values(), *taken]:
        counts[name] += 1
    chosen = {
        op.key: short[op.key] if counts[short[op.key]] == 1 else _full_name(op) for op in ordered
    }
    return _numbered(ordered, chosen, taken)


def _short_name(resource: str, op: Operation) -> str:
    if not op.operation_id:
        return _shape_name(resource, op)
    words = [w.lower() for w in naming.words(op.operation_id)]
    kept = [w for w in words if w not in _resource_words(resource)]
    return _identifier("_".join(kept)) if kept else _full_name(op)


def _full_name(op: Operation) -> str:
    if op.operation_id:
        return _identifier(naming.snake(op.operation_id))
    return _identifier(naming.snake(f"{op.verb} {' '.join(_static_segments(op.path))}"))


def _shape_name(resource: str, op: Operation) -> str:
    """`list`/`create` on a collection, `retrieve`/`update`/`delete` on an item, else the
    verb and the path's words after the resource."""
    segments = [s for s in op.path.strip("/").split("/") if s]
    words = [naming.snake(s) for s in _static_segments(op.path)]
    after = [w for w in words if w not in _resource_words(resource)]
    on_item = bool(segments) and segments[-1].startswith("{")
    table = _ITEM_VERBS if on_item else _COLLECTION_VERBS
    if not after and op.verb in table:
        return table[op.verb]
    return _identifier("_".join([op.verb, *after]))


def _resource_words(resource: str) -> set[str]:
    """The resource's words in both numbers: `pets` -> {pets, pet}; `pet` -> {pet, pets}."""
    found: set[str] = set()
    for word in resource.split("_"):
        found |= {word, naming.singular(word).removesuffix("_item"), word + "s"}
    return found


def _static_segments(path: str) -> list[str]:
    segments = [s for s in path.strip("/").split("/") if s and not s.startswith("{")]
    while len(segments) > 1 and _PREFIX_SEGMENT.match(segments[0]):
        segments = segments[1:]
    return segments


def _identifier(name: str, reserved: frozenset[str] = RESOURCE_MEMBERS) -> str:
    name = name or "call"
    if name[0].isdigit():
        name = "n_" + name  # as naming.snake spells a name that starts with a digit
    return name + "_" if keyword.iskeyword(name) or name in reserved else name


def _numbered(
    ordered: list[Operation], chosen: dict[str, str], taken: frozenset[str]
) -> dict[str, str]:
    used = set(taken)
    result: dict[str, str] = {}
    for op in ordered:
        name, number = chosen[op.key], 1
        while name in used:
            number += 1
            name = f"{chosen[op.key]}_{number}"
        used.add(name)
        result[op.key] = name
    return result
