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

from .model import MISSING, Example, Method, Spec
from .types import TypeExpr


def dump_spec(spec: Spec) -> str:
    return dump_data(spec_to_data(spec))


def dump_data(data: dict[str, Any]) -> str:
    """`data` as YAML, on libyaml's emitter when it writes what PyYAML's would."""
    alike = _LibYAMLDumper is not None and _libyaml_writes_alike(data)
    return yaml.dump(
        data,
        Dumper=_LibYAMLDumper if alike else _PyYAMLDumper,
        sort_keys=False,
        allow_unicode=True,
        width=_UNFOLDED,
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


# Lines are never folded: a long string stays on one line, and a changed sentence is a
# changed line. Unfolded, libyaml's emitter writes PyYAML's bytes 5x faster (the whole
# OpenAI spec: 1.25 -> 0.3 s) for the text a spec holds; folding, they part (libyaml breaks
# long quoted strings at other places). They part too on a few characters, which send the
# whole file to PyYAML's emitter (`_libyaml_writes_alike`): a spec.yaml never depends on
# whether the machine that wrote it had libyaml (tests/test_yaml_fast_paths.py).
_UNFOLDED = 2**30  # (libyaml's width is a C int)


class _SpecDumper:
    def ignore_aliases(self, data: Any) -> bool:
        return True  # never write &anchors: each value stands where it is used


class _PyYAMLDumper(_SpecDumper, yaml.SafeDumper):
    pass


_LibYAMLDumper: type[yaml.SafeDumper] | None = None
if hasattr(yaml, "CSafeDumper"):

    class _LibYAMLDumper(_SpecDumper, yaml.CSafeDumper):  # type: ignore[no-redef]
        pass


# Text both emitters write alike: printable characters from the Basic Multilingual Plane
# but U+2028/U+2029 and the BOM (libyaml escapes other planes' characters, and breaks
# lines at U+0085, U+2028 and U+2029, where PyYAML does not), no carriage return, and in
# a key no line feed either; an empty key they write differently too. (Spelled as what is
# left out: as the ranges kept, the class took 10 ms to compile, at every command's start.)
_PARTING = (
    r"\r\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff"
    r"\U00010000-\U0010ffff"
)
_ALIKE_KEY = re.compile(f"[^\\n{_PARTING}]+")
_ALIKE_TEXT = re.compile(f"[^{_PARTING}]*")


def _libyaml_writes_alike(data: Any) -> bool:
    if isinstance(data, str):
        return _ALIKE_TEXT.fullmatch(data) is not None
    if isinstance(data, dict):
        return all(
            (not isinstance(key, str) or _ALIKE_KEY.fullmatch(key)) and _libyaml_writes_alike(value)
            for key, value in data.items()
        )
    if isinstance(data, list):
        return all(_libyaml_writes_alike(item) for item in data)
    return True


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text.rstrip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_flow_list(dumper: yaml.SafeDumper, items: _FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=True)


for _dumper in (_PyYAMLDumper, _LibYAMLDumper):
    if _dumper is not None:
        _dumper.add_representer(str, _represent_str)
        _dumper.add_representer(_FlowList, _represent_flow_list)
