"""Example values for the reference docs, synthesized from the normalized spec so that they
read like what the API sends and returns.

A method shows its own examples when the document has them (the importer puts them on the
method: `request_example`, `response_example`); everything else is synthesized here, and
learns from those examples first:

- a field's own `example`; then the value the document's examples show for the same field
  of the same model, then for a field of the same name elsewhere (so ids, model names and
  timestamps come out as the API writes them: `asst_abc123`); then its default (unless an
  empty list or map);
- else by type and name: a literal its value, an enum its first value, a union its first
  member (with the tag that selects it), ids `<thing>_abc123`, timestamps (`*_at`, unix-time
  formats) 1700000000, formatted strings (date-time, date, uri, email, uuid, ...) as such,
  numbers and lengths inside their bounds, other text a short phrase; never the field's own
  name as its value.

Object keys come `id` first, then required fields, then optional ones, each group
alphabetical (the order the vendor's reference shows). A recursive type stops where it
would repeat.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import naming
from ..spec.conform import fits
from ..spec.model import (
    MISSING,
    Alias,
    Definition,
    Enum,
    Field,
    Method,
    Model,
    Spec,
    Union_,
    received_fields,
    sent_fields,
)
from ..spec.types import TypeExpr
from .environment import escape_invisible_json

_MAX_DEPTH = 64  # a guard only: recursive types stop where they would repeat
TIMESTAMP = 1700000000  # 2023-11-14T22:13:20Z
# Strings by JSON Schema format.
_FORMATS = {
    "date-time": "2023-11-14T22:13:20Z",
    "date": "2023-11-14",
    "time": "22:13:20",
    "duration": "PT1H",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "iri": "https://example.com",
    "uri-reference": "https://example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "byte": "aGVsbG8=",
    "binary": "<bytes>",
    "password": "correct-horse-battery-staple",
    "regex": "^[a-z]+$",
    "json-pointer": "/a/b",
}
_ID_SUFFIX = re.compile(r"(^|_)(id|ids)$")


@dataclass
class Learned:
    """Values the document's own examples show, by (model, field) and by field name."""

    by_field: dict[tuple[str, str], Any] = field(default_factory=dict)
    by_name: dict[str, Any] = field(default_factory=dict)

    def value(self, model: str, item: Field, definitions: Mapping[str, Definition]) -> Any:
        for value in (self.by_field.get((model, item.name), MISSING), self._by_name(item.name)):
            if value is not MISSING and _allowed(value, item, definitions):
                return value
        return MISSING

    def _by_name(self, name: str) -> Any:
        return MISSING if name == "id" else self.by_name.get(name, MISSING)


def learn(spec: Spec) -> Learned:
    """What the examples of every method show for each field (scalars, lists of scalars)."""
    learned = Learned()
    definitions = spec.definitions()
    for _, method in spec.methods():
        pairs = (
            (method.response_example, method.response),
            (method.request_example, method.body.type if method.body else None),
        )
        for example, expr in pairs:
            if example is not None and expr is not None:
                _learn(example.value, expr, definitions, learned, 0)
    return learned


def _learn(
    value: Any, expr: TypeExpr, definitions: Mapping[str, Definition], learned: Learned, depth: int
) -> None:
    if depth > _MAX_DEPTH or value is None:
        return
    if expr.kind in ("list", "map"):
        assert expr.item is not None
        items = value if isinstance(value, list) else []
        items = list(value.values()) if isinstance(value, dict) else items
        for item in items[:3]:
            _learn(item, expr.item, definitions, learned, depth + 1)
        return
    definition = definitions.get(expr.name) if expr.kind == "ref" else None
    if isinstance(definition, Alias):
        _learn(value, definition.type, definitions, learned, depth + 1)
    elif isinstance(definition, Union_):
        member = next((v for v in definition.variants if fits(value, v, definitions)), None)
        if member is not None:
            _learn(value, member, definitions, learned, depth + 1)
    elif isinstance(definition, Model) and isinstance(value, dict):
        for item in definition.fields:
            found = value.get(item.name)
            if found is None or not fits(found, item.type, definitions):
                continue
            if _scalar_or_scalars(found):
                learned.by_field.setdefault((definition.name, item.name), found)
                learned.by_name.setdefault(item.name, found)
            _learn(found, item.type, definitions, learned, depth + 1)


def _scalar_or_scalars(value: Any) -> bool:
    if isinstance(value, list):
        return bool(value) and all(isinstance(v, (str, int, float, bool)) for v in value)
    return isinstance(value, (str, int, float, bool))


def _allowed(value: Any, item: Field, definitions: Mapping[str, Definition]) -> bool:
    """Whether a learned value suits this field: its type and its constraints."""
    if not fits(value, item.type, definitions):
        return False
    c = item.constraints
    if isinstance(value, str):
        pattern = c.get("pattern")
        if pattern and not _matches(pattern, value):
            return False
        return c.get("min_length", 0) <= len(value) <= c.get("max_length", len(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return c.get("minimum", value) <= value <= c.get("maximum", value)
    return True


def _matches(pattern: str, value: str) -> bool:
    try:
        return re.search(pattern, value) is not None
    except re.error:
        return True


class Synthesizer:
    """Example values of a spec's types, learned from its own examples where it has them."""

    def __init__(self, spec: Spec, learned: Learned | None = None):
        self.definitions = spec.definitions()
        self.learned = learned if learned is not None else learn(spec)
        self.has_more = {
            (m.response.name, m.pagination.has_more_field)
            for _, m in spec.methods()
            if m.pagination and m.response is not None and m.response.kind == "ref"
        }

    def value(self, expr: TypeExpr, name: str = "", sent: bool = False, owner: str = "") -> Any:
        """An example of a value received (write-only fields left out) or, with `sent`, of
        one sent (read-only fields left out); `name` is the field or parameter it is for,
        `owner` the model holding it."""
        return self._value(expr, name, owner, (), sent)

    def argument(self, method: Method, where: str, name: str) -> Any:
        """An example value for one argument of a method call: a parameter (`where` is its
        location), a field of its body, or the whole body when that is not an object (the
        document's own request example first)."""
        for place, param in method.params():
            if place == where and param.name == name:
                return self.field_value("", param, sent=True)
        body = self.body_model(method)
        item = next((f for f in body.fields if f.name == name), None) if body else None
        if item is not None and body is not None:
            return self.field_value(body.name, item, sent=True)
        if method.body is not None and where == "body":
            if method.request_example is not None:
                return method.request_example.value
            return self.value(method.body.type, "body", sent=True)
        return self.value(TypeExpr("primitive", name="string"), name)

    def body_model(self, method: Method) -> Model | None:
        """The model whose fields are the method's keyword arguments, if its body is one."""
        if method.body is None or method.body.type.kind != "ref" or method.body.type.nullable:
            return None
        model = self.definitions.get(method.body.type.name)
        return model if isinstance(model, Model) else None

    def field_value(
        self, owner: str, item: Field, sent: bool = False, trail: tuple[str, ...] = ()
    ) -> Any:
        if item.example is not MISSING:
            return item.example
        learned = self.learned.value(owner, item, self.definitions)
        if learned is not MISSING:
            return learned
        if (owner, item.name) in self.has_more:
            return False  # one page shown: no more after it
        if item.default is not MISSING and item.default not in ([], {}, None):
            return item.default
        return self._value(item.type, item.name, owner, trail, sent, item.constraints)

    def _value(
        self,
        expr: TypeExpr,
        name: str,
        owner: str,
        trail: tuple[str, ...],
        sent: bool,
        constraints: dict[str, Any] | None = None,
    ) -> Any:
        constraints = constraints or {}
        if expr.kind == "literal":
            return expr.value
        if expr.kind == "primitive":
            return _primitive(expr.name, name, owner, constraints, self.learned)
        if expr.kind == "list":
            assert expr.item is not None
            item_name = name.removesuffix("s")
            count = max(1, int(constraints.get("min_items", 1) or 1))
            return [self._value(expr.item, item_name, owner, trail, sent) for _ in range(count)]
        if expr.kind == "map":
            assert expr.item is not None
            return {"key": self._value(expr.item, "value", owner, trail, sent)}
        definition = self.definitions[expr.name]
        if expr.name in trail or len(trail) > _MAX_DEPTH:
            return {} if isinstance(definition, Model) else None
        trail = trail + (expr.name,)
        if isinstance(definition, Model):
            shown = sent_fields(definition) if sent else received_fields(definition)
            left_out = excluded_fields(definition)
            return {
                f.name: self.field_value(definition.name, f, sent, trail)
                for f in ordered_fields(definition)
                if f in shown and f.name not in left_out
            }
        if isinstance(definition, Enum):
            return definition.values[0]
        if isinstance(definition, Union_):
            return self._union(definition, name, owner, trail, sent)
        assert isinstance(definition, Alias)
        return self._value(definition.type, name, owner, trail, sent, constraints)

    def _union(
        self, union: Union_, name: str, owner: str, trail: tuple[str, ...], sent: bool
    ) -> Any:
        # The first member that is not null, and not the type being expanded again.
        usable = [
            v
            for v in union.variants
            if not (v.kind == "literal" and v.value is None) and v.name not in trail
        ]
        first = usable[0] if usable else union.variants[0]
        value = self._value(first, name, owner, trail, sent)
        tag = next((v for v, target in union.mapping.items() if target == first.name), None)
        prop = union.discriminator
        if tag is not None and isinstance(value, dict) and str(value.get(prop)) != tag:
            value[prop] = tag  # a member whose tag field is any string: the value selecting it
        return value


def _primitive(
    kind: str, name: str, owner: str, constraints: dict[str, Any], learned: Learned
) -> Any:
    if kind == "boolean":
        return True
    if kind == "any":
        return {}
    if kind == "file":
        return "<bytes>"
    if kind in ("integer", "number"):
        return _number(kind, name, constraints)
    return _string(name, owner, constraints, learned)


def _number(kind: str, name: str, constraints: dict[str, Any]) -> int | float:
    fmt = str(constraints.get("format", ""))
    if kind == "integer" and (name.endswith("_at") or "time" in fmt):
        return TIMESTAMP
    low = constraints.get("minimum", constraints.get("exclusive_minimum"))
    high = constraints.get("maximum", constraints.get("exclusive_maximum"))
    value: int | float = 1 if kind == "integer" else 0.5
    if low is not None and value <= low:
        value = low + (1 if "exclusive_minimum" in constraints else 0)
    if high is not None and value >= high:
        value = high - (1 if "exclusive_maximum" in constraints else 0)
    step = constraints.get("multiple_of")
    if step and kind == "integer":
        value = int(step) * max(1, round(value / step))
    return int(value) if kind == "integer" else value


def _string(name: str, owner: str, constraints: dict[str, Any], learned: Learned) -> str:
    fmt = str(constraints.get("format", ""))
    words = naming.snake(name) if name else ""
    if fmt in _FORMATS:
        text = _FORMATS[fmt]
    elif words.endswith("_at") or words in ("timestamp", "date", "datetime"):
        text = _FORMATS["date-time"]
    elif _ID_SUFFIX.search(words) or words == "cursor":
        text = _identifier(words, owner, learned)
    elif words.endswith(("url", "uri", "href", "link", "website")):
        text = "https://example.com"
    elif "email" in words:
        text = _FORMATS["email"]
    elif words.endswith("phone"):
        text = "+1-555-0100"
    else:
        text = _phrase(words, owner)
    return _fit_length(text, constraints)


def _identifier(words: str, owner: str, learned: Learned) -> str:
    """`<thing>_abc123`, shaped like ids the document shows for that thing if it has any."""
    stem = _ID_SUFFIX.sub("", words)
    if not stem:  # a model's own `id`: named after the model (`run_step` -> `step`)
        stem = naming.snake(owner).split("_")[-1] if owner else "item"
        for key in (f"{naming.snake(owner)}_id", f"{stem}_id"):
            known = learned.by_name.get(key)
            if isinstance(known, str):
                return known
    return f"{stem}_abc123"


def _phrase(words: str, owner: str) -> str:
    """Text for a free-text field: a short phrase, never the field's name alone."""
    if words in ("name", "title", "display_name"):
        thing = naming.snake(owner).replace("_", " ") if owner else "item"
        return f"My {thing.split()[-1] if len(thing) > 24 else thing}"
    if words in ("description", "summary", "instructions", "text", "content", "message"):
        return "Hello, world!" if words in ("text", "content", "message") else "An example."
    if not words:
        return "example"
    return f"example {words.replace('_', ' ')}"


def _fit_length(text: str, constraints: dict[str, Any]) -> str:
    low = int(constraints.get("min_length", 0) or 0)
    high = constraints.get("max_length")
    if len(text) < low:
        text = text + "x" * (low - len(text))
    if high is not None and len(text) > int(high):
        text = text[: int(high)]
    return text


def excluded_fields(model: Model) -> set[str]:
    """Fields an example leaves out, as the model's groups of exclusive fields take the
    first group: those named only by the other groups."""
    if not model.exclusive:
        return set()
    others = {name for group in model.exclusive[1:] for name in group}
    return others - set(model.exclusive[0])


def chosen_fields(model: Model) -> set[str]:
    """Fields an example needs even if optional: the first group of exclusive fields."""
    return set(model.exclusive[0]) if model.exclusive else set()


def ordered_fields(model: Model) -> list[Field]:
    """`id` first, then required fields, then optional ones, each group alphabetical."""
    return sorted(model.fields, key=lambda f: (f.name != "id", not f.required, f.name))


def py_source(value: Any) -> str:
    """A JSON example value as Python source."""
    if isinstance(value, str):
        return escape_invisible_json(json.dumps(value, ensure_ascii=False))
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_source(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_source(k)}: {py_source(v)}" for k, v in value.items()) + "}"
    return repr(value)
