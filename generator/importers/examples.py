"""The examples an operation carries, for the reference docs: a request body and a response.

Where they come from, first found wins:

- the overlay's `docs.examples` (JSON files the flagship pins from the vendor's reference);
- the media type's `example`, or the first of its `examples` (Example Objects, `$ref`s
  followed; `externalValue` is not fetched);
- the media type's schema's own `example` (or the first of its 3.1 `examples`);
- for a response, a vendor extension that holds one as JSON text (OpenAI's
  `x-oaiMeta.examples[].response`; trailing commas forgiven, other text skipped).

Each is checked against the operation's type (`spec/conform.py`); one that drifts from
its schema is still shown (the SDK parses leniently) and named in a warning.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..spec.conform import drift
from ..spec.model import Example, Method, Spec
from ..spec.types import TypeExpr
from .documents import Documents, Location, escape_pointer

_MAX_PROBLEMS = 3


def operation_examples(
    op: dict[str, Any], at: Location, docs: Documents, pinned: dict[str, Path], config: Path
) -> dict[str, Example | None]:
    """`request_example` and `response_example` of one operation (keyword arguments of
    Method). `pinned` holds the overlay's files for it; `config` is the overlay's path."""
    operation = str(op.get("operationId", ""))
    found: dict[str, Example | None] = {}
    for kind in ("request", "response"):
        where = f"{config.name}: docs.examples.{operation}.{kind}"
        example = _pinned(pinned.get(kind), where, config.parent)
        if example is None and kind == "request":
            example = _media_example(op.get("requestBody"), (at[0], f"{at[1]}/requestBody"), docs)
        if example is None and kind == "response":
            example = _response_example(op, at, docs)
        found[f"{kind}_example"] = example
    return found


def example_warnings(spec: Spec) -> list[str]:
    """One line per example that departs from its schema, naming where it is and how."""
    definitions = spec.definitions()
    warnings = []
    for _, method in spec.methods():
        for example, expr in _checked(method):
            problems = drift(example.value, expr, definitions)
            if problems:
                shown = "; ".join(problems[:_MAX_PROBLEMS])
                more = len(problems) - _MAX_PROBLEMS
                tail = f" (and {more} more)" if more > 0 else ""
                warnings.append(
                    f"{example.source}: the example drifts from its schema ({expr}): "
                    f"{shown}{tail}; shown as given"
                )
    return warnings


def _checked(method: Method) -> list[tuple[Example, TypeExpr]]:
    pairs = []
    if method.request_example is not None and method.body is not None:
        pairs.append((method.request_example, method.body.type))
    if method.response_example is not None and method.response is not None:
        pairs.append((method.response_example, method.response))
    return pairs


def _pinned(path: Path | None, where: str, folder: Path) -> Example | None:
    """An example file the overlay names (its source says where, wherever the repo is)."""
    if path is None:
        return None
    try:
        shown = path.relative_to(folder.resolve()).as_posix()
    except ValueError:
        shown = path.name
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(where, f"cannot read {shown}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise InputError(where, f"{shown} is not JSON: {exc}") from None
    return Example(value, f"{where} ({shown})")


def _response_example(op: dict[str, Any], at: Location, docs: Documents) -> Example | None:
    responses = op.get("responses")
    if isinstance(responses, dict):
        for code in sorted(str(c) for c in responses):
            if code.startswith("2"):
                raw = responses.get(code, responses.get(int(code) if code.isdigit() else code))
                found = _media_example(raw, (at[0], f"{at[1]}/responses/{code}"), docs)
                if found is not None:
                    return found
    return _vendor_example(op, at, docs)


def _media_example(raw: Any, at: Location, docs: Documents) -> Example | None:
    """The example of the JSON content of a request body or response object."""
    try:
        node, at = docs.resolve(raw, at)
    except InputError:
        return None  # a broken $ref is reported where the importer reads the same object
    content = node.get("content") if isinstance(node, dict) else None
    if not isinstance(content, dict):
        return None
    media_type = next((m for m in content if _is_json(m)), None)
    media = content.get(media_type) if media_type else None
    if not isinstance(media, dict):
        return None
    media_at = (at[0], f"{at[1]}/content/{escape_pointer(str(media_type))}")
    found = _own_example(media, media_at, docs)
    if found is None and "schema" in media:
        try:
            schema, schema_at = docs.resolve(
                media["schema"], (media_at[0], f"{media_at[1]}/schema")
            )
        except InputError:
            return None
        if isinstance(schema, dict):
            found = _own_example(schema, schema_at, docs)
    return found


def _own_example(node: dict[str, Any], at: Location, docs: Documents) -> Example | None:
    """`example`, else the first usable entry of `examples` (a map of Example Objects, or
    a schema's list of values)."""
    if "example" in node:
        return _example(node["example"], (at[0], f"{at[1]}/example"), docs)
    examples = node.get("examples")
    if isinstance(examples, list):
        for index, value in enumerate(examples):
            found = _example(value, (at[0], f"{at[1]}/examples/{index}"), docs)
            if found is not None:
                return found
    if isinstance(examples, dict):
        for name, entry in examples.items():
            entry_at = (at[0], f"{at[1]}/examples/{escape_pointer(str(name))}")
            try:
                entry, entry_at = docs.resolve(entry, entry_at)
            except InputError:
                continue
            if isinstance(entry, dict) and "value" in entry:
                found = _example(entry["value"], (entry_at[0], f"{entry_at[1]}/value"), docs)
                if found is not None:
                    return found
    return None


def _example(value: Any, at: Location, docs: Documents) -> Example | None:
    plain = _plain_json(value)
    return None if plain is _NOT_JSON else Example(plain, docs.display(at))


# Vendor extensions holding examples as JSON text: (extension, list of examples, field).
_VENDOR_EXAMPLES = (("x-oaiMeta", "examples", "response"),)


def _vendor_example(op: dict[str, Any], at: Location, docs: Documents) -> Example | None:
    for extension, key, field in _VENDOR_EXAMPLES:
        meta = op.get(extension)
        entries = meta.get(key) if isinstance(meta, dict) else None
        listed = entries if isinstance(entries, list) else [entries]
        for index, entry in enumerate(listed):
            text = entry.get(field) if isinstance(entry, dict) else None
            value = _parse_json_text(text) if isinstance(text, str) else _NOT_JSON
            if value is not _NOT_JSON:
                place = f"{extension}/{key}" + (f"/{index}" if isinstance(entries, list) else "")
                return Example(value, docs.display((at[0], f"{at[1]}/{place}/{field}")))
    return None


_NOT_JSON = object()
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def _parse_json_text(text: str) -> Any:
    """JSON text as written in documentation (a trailing comma forgiven); _NOT_JSON if it
    is something else (an SSE transcript, a placeholder, elided parts)."""
    for candidate in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    return _NOT_JSON


def _plain_json(value: Any) -> Any:
    """A YAML value as JSON (dates as ISO text); _NOT_JSON if it holds anything else."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return _NOT_JSON
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, list):
        items = [_plain_json(v) for v in value]
        return _NOT_JSON if any(v is _NOT_JSON for v in items) else items
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        pairs = {k: _plain_json(v) for k, v in value.items()}
        return _NOT_JSON if any(v is _NOT_JSON for v in pairs.values()) else pairs
    return _NOT_JSON


def _is_json(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")
