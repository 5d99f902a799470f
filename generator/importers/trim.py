"""The API's own OpenAPI document, trimmed to what the SDK covers.

The generated SDK's test suite runs against a mock server (Prism) that serves an OpenAPI
document; the normalized spec cannot be turned back into one, so the importer writes this
copy beside it (`spec/<api>/openapi.json`). It keeps the selected operations (with their
path items' shared fields), the components they reach through local `$ref`s, the security
schemes they name and the tags they use; everything else (other operations, webhooks,
unreached schemas) is left out. Nothing kept is rewritten, so a review reads it as the
upstream document.

The output is JSON in the document's own key order (deterministic, and diffs read like
the source). A `$ref` to another file is kept as written: the copy then needs that file
beside it, which the importer reports as a warning.
"""

from __future__ import annotations

import json
from typing import Any

# Top-level fields copied as they are (`paths`, `components`, `tags` and `security` are
# trimmed; `webhooks` and vendor extensions are not the API's request surface).
_KEPT = ("openapi", "info", "jsonSchemaDialect", "servers", "security", "externalDocs")
_PATH_ITEM_SHARED = ("$ref", "summary", "description", "servers", "parameters")
_COMPONENT = "#/components/"


def trimmed_document(root: dict[str, Any], operations: list[tuple[str, str]]) -> dict[str, Any]:
    """`root` keeping only `operations` ((path, lower-case verb) pairs) and what they use."""
    wanted: dict[str, set[str]] = {}
    for path, verb in operations:
        wanted.setdefault(path, set()).add(verb)
    paths: dict[str, Any] = {}
    for path, item in (root.get("paths") or {}).items():
        if str(path) not in wanted or not isinstance(item, dict):
            continue
        paths[path] = {
            key: value
            for key, value in item.items()
            if key in _PATH_ITEM_SHARED or key in wanted[str(path)]
        }
    document = {key: root[key] for key in _KEPT if key in root}
    document["paths"] = paths
    components = _components(root, paths, document.get("security"))
    if components:
        document["components"] = components
    used_tags = {
        tag
        for item in paths.values()
        for op in item.values()
        if isinstance(op, dict)
        for tag in op.get("tags") or []
        if isinstance(tag, str)
    }
    tags = [t for t in root.get("tags") or [] if isinstance(t, dict) and t.get("name") in used_tags]
    if tags:
        document["tags"] = tags
    return document


def external_refs(document: dict[str, Any]) -> list[str]:
    """The `$ref`s of the document that point into another file, in order, once each."""
    found: dict[str, None] = {}
    for node in _nodes(document):
        target = node.get("$ref")
        if isinstance(target, str) and not target.startswith("#"):
            found[target] = None
    return list(found)


def dump_document(document: dict[str, Any]) -> bytes:
    """The committed form: indented JSON, UTF-8, one trailing newline. YAML values JSON has
    no type for (a date) are written as their text."""
    text = json.dumps(document, indent=2, ensure_ascii=False, default=str)
    return (text + "\n").encode("utf-8")


def _components(root: dict[str, Any], paths: dict[str, Any], security: Any) -> dict[str, Any]:
    """The components (of every kind) that `paths` reach, transitively, in document order;
    and the security schemes named by `security` (the top-level requirement) or by an
    operation's own."""
    components = root.get("components")
    available: dict[str, Any] = components if isinstance(components, dict) else {}
    reached: set[tuple[str, str]] = set()
    schemes = _schemes(security)
    stack: list[Any] = [paths]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        target = node.get("$ref")
        if isinstance(target, str) and target.startswith(_COMPONENT):
            kind, _, rest = target[len(_COMPONENT) :].partition("/")
            name = _unescape(rest.split("/")[0])
            group = available.get(kind)
            if (kind, name) not in reached and isinstance(group, dict) and name in group:
                reached.add((kind, name))
                stack.append(group[name])
        schemes |= _schemes(node.get("security"))
        stack.extend(node.values())
    reached |= {("securitySchemes", name) for name in schemes}
    kept: dict[str, Any] = {}
    for kind, group in available.items():
        if isinstance(group, dict):
            entries = {k: v for k, v in group.items() if (kind, str(k)) in reached}
            if entries:
                kept[kind] = entries
    return kept


def _schemes(security: Any) -> set[str]:
    """The scheme names a security requirement (a list of alternatives) mentions."""
    if not isinstance(security, list):
        return set()
    return {
        str(name)
        for alternative in security
        if isinstance(alternative, dict)
        for name in alternative
    }


def _nodes(data: Any) -> list[dict[str, Any]]:
    found, stack = [], [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")
