"""Write a normalized spec as YAML that reads well in a review diff.

Definitions are sorted by name (their order means nothing); fields, parameters,
variants and methods keep their order (it does). Multi-line text is written as a
literal block so a changed sentence shows as a changed line. Which keys a record
has, how they are spelled and when they are left out comes from the dataclasses'
field metadata (see `model.py`).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import yaml
from yaml.emitter import ScalarAnalysis

from .model import MISSING, Example, Method, Spec
from .types import TypeExpr


def dump_spec(spec: Spec) -> str:
    return yaml.dump(
        spec_to_data(spec),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


def spec_to_data(spec: Spec) -> dict[str, Any]:
    data: dict[str, Any] = {"api": record(spec.api)}
    for key in ("models", "enums", "unions", "aliases"):
        items = sorted(getattr(spec, key), key=lambda d: d.name)
        data[key] = {item.name: record(item, named=True) for item in items}
    # keyed by name like the definitions: an API with no operations has `resources: {}`
    data["resources"] = _value(spec.resources, "") if spec.resources else {}
    if spec.event_handlers:
        data["event_handlers"] = _value(spec.event_handlers, "")
    return data


def record(item: Any, named: bool = False) -> dict[str, Any]:
    """A dataclass as a mapping, its fields in declared order (then by `order`), each
    under its `yaml` key; `named`: its name is the key it is written under, not a field."""
    data: dict[str, Any] = {}
    if isinstance(item, Method):
        data["http"] = f"{item.http_method} {item.path}"
    for f in sorted(dataclasses.fields(item), key=lambda f: f.metadata.get("order", 0)):
        value = getattr(item, f.name)
        if (named and f.name == "name") or f.name in _WRITTEN_AS_HTTP or _omitted(value, f):
            continue
        data[f.metadata.get("yaml", f.name)] = _value(value, str(f.type))
    return data


_WRITTEN_AS_HTTP = ("http_method", "path")


def _omitted(value: Any, f: dataclasses.Field[Any]) -> bool:
    """Leave out keys at their default so the file shows only what is said."""
    if value is MISSING or (value is None and f.default is None):
        return True
    if f.metadata.get("omit") and value == f.default:
        return True
    return not f.metadata.get("keep") and isinstance(value, (str, bool, dict, tuple)) and not value


def _value(value: Any, declared: str) -> Any:
    if isinstance(value, TypeExpr):
        return str(value)
    if declared.startswith(("Security", "FieldGroups")):  # one a line: `- [A]`, `- [B, C]`
        return [_FlowList(alternative) for alternative in value]
    if isinstance(value, Example):
        return ({"source": value.source} if value.source else {}) | {"value": value.value}
    if dataclasses.is_dataclass(value):
        return record(value)
    if isinstance(value, tuple):
        if value and dataclasses.is_dataclass(value[0]) and not isinstance(value[0], TypeExpr):
            return {item.name: record(item, named=True) for item in value}  # keyed by name
        return [_value(item, "") for item in value]
    if isinstance(value, dict) and declared != "JSON":
        return {key: _value(item, "") for key, item in value.items()}
    return value


class _FlowList(list[str]):
    """A list written inline (`[B, C]`)."""


# A scalar PyYAML's analysis finds fit for every style: it starts with a word character and
# holds no line break, no leading or trailing space, no character outside printable ASCII
# and none that is an indicator inside a scalar (`,?[]{}:#`).
_INNER = r"[^,?\[\]{}:#\x00-\x1f\x7f-\U0010ffff]"  # a space too, but not at the end
_PLAIN_SAFE = re.compile(rf"[A-Za-z0-9_](?:{_INNER}*(?! ){_INNER})?")
_SAFE_ANALYSIS = {
    "empty": False,
    "multiline": False,
    "allow_flow_plain": True,
    "allow_block_plain": True,
    "allow_single_quoted": True,
    "allow_double_quoted": True,
    "allow_block": True,
}


class _Dumper(yaml.SafeDumper):
    """PyYAML's dumper with two shortcuts giving the same bytes; libyaml's emitter
    (CSafeDumper) is 4x faster but folds long quoted strings elsewhere, so it would change
    every committed spec.yaml. The shortcuts halve the 1.9 s the whole OpenAI spec took to
    dump, most of it in the character-by-character scalar analysis and plain writer."""

    def ignore_aliases(self, data: Any) -> bool:
        return True  # never write &anchors: each value stands where it is used

    def analyze_scalar(self, scalar: str) -> ScalarAnalysis:
        if _PLAIN_SAFE.fullmatch(scalar):
            return ScalarAnalysis(scalar=scalar, **_SAFE_ANALYSIS)
        return super().analyze_scalar(scalar)

    def write_plain(self, text: str, split: bool = True) -> None:
        # PyYAML breaks a plain scalar only at a space the column passes the width at, and
        # never writes one holding a line break: a short or spaceless one goes out whole.
        fits = self.column + len(text) <= self.best_width
        if self.encoding or not text or not (fits or " " not in text or not split):
            super().write_plain(text, split)
            return
        if self.root_context:
            self.open_ended = True
        if not self.whitespace:
            text = " " + text
        self.whitespace = self.indention = False
        self.column += len(text)
        self.stream.write(text)


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text.rstrip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_flow_list(dumper: yaml.SafeDumper, items: _FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_FlowList, _represent_flow_list)
