"""Write a normalized spec as YAML that reads well in a review diff.

Definitions are sorted by name (their order means nothing); fields, parameters,
variants and methods keep their order (it does). Multi-line text is written as a
literal block so a changed sentence shows as a changed line.
"""

from __future__ import annotations

from typing import Any

import yaml

from .model import (
    MISSING,
    Alias,
    Api,
    Encoding,
    Enum,
    Field,
    Method,
    Model,
    Param,
    Resource,
    Security,
    SecurityScheme,
    Spec,
    Union_,
)


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
    data: dict[str, Any] = {"api": _api(spec.api)}
    groups = (
        ("models", spec.models, _model),
        ("enums", spec.enums, _enum),
        ("unions", spec.unions, _union),
        ("aliases", spec.aliases, _alias),
    )
    for key, items, convert in groups:
        data[key] = {item.name: convert(item) for item in sorted(items, key=lambda d: d.name)}
    data["resources"] = {r.name: _resource(r) for r in spec.resources}
    return data


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out keys at their default so the file shows only what is said."""
    return {
        k: v for k, v in data.items() if v not in ("", False, None, {}, [], ()) and v is not MISSING
    }


def _api(api: Api) -> dict[str, Any]:
    return _drop_empty(
        {
            "name": api.name,
            "title": api.title,
            "version": api.version,
            "sdk_version": api.sdk_version,
            "description": api.description,
            "base_url": api.base_url,
            "package": api.package,
            "client": api.client,
            "async_client": api.async_client,
            "default_headers": dict(api.default_headers),
            "environment": dict(api.environment),
            "option_headers": dict(api.option_headers),
            "request_id_header": api.request_id_header,
            "docs_base_url": api.docs_base_url,
            "security_schemes": {s.name: _security_scheme(s) for s in api.security_schemes},
            "security": _security(api.security),
        }
    )


def _security_scheme(scheme: SecurityScheme) -> dict[str, Any]:
    return _drop_empty(
        {
            "kind": scheme.kind,
            "in": scheme.location,
            "parameter": scheme.parameter,
            "origin": scheme.origin,
            "description": scheme.description,
            "source": scheme.source,
        }
    )


def _security(security: Security) -> list[list[str]]:
    """Alternatives one a line: `- [A]`, `- [B, C]`."""
    return [_FlowList(alternative) for alternative in security]


def _value_fields(item: Field | Param) -> dict[str, Any]:
    data: dict[str, Any] = {"type": str(item.type), "required": item.required}
    data["description"] = item.description
    data = _drop_empty(data)
    if item.default is not MISSING:
        data["default"] = item.default
    if item.example is not MISSING:
        data["example"] = item.example
    if item.constraints:
        data["constraints"] = dict(item.constraints)
    if item.deprecated:
        data["deprecated"] = True
    for key in ("read_only", "write_only"):
        if getattr(item, key):
            data[key] = True
    if isinstance(item, Param):
        if item.style:
            data["style"] = item.style
        if item.explode is not None:
            data["explode"] = item.explode
        if item.allow_reserved:
            data["allow_reserved"] = True
    return data


def _model(model: Model) -> dict[str, Any]:
    data = _drop_empty(
        {
            "description": model.description,
            "deprecated": model.deprecated,
            "source": model.source,
            "extra": str(model.extra) if model.extra is not None else None,
        }
    )
    data["fields"] = {f.name: _value_fields(f) for f in model.fields}
    return data


def _enum(enum: Enum) -> dict[str, Any]:
    data = _drop_empty(
        {"description": enum.description, "deprecated": enum.deprecated, "source": enum.source}
    )
    data["values"] = list(enum.values)
    return data


def _union(union: Union_) -> dict[str, Any]:
    data = _drop_empty(
        {
            "description": union.description,
            "deprecated": union.deprecated,
            "source": union.source,
            "discriminator": union.discriminator,
        }
    )
    data["variants"] = [str(v) for v in union.variants]
    if union.mapping:
        data["mapping"] = dict(union.mapping)
    return data


def _alias(alias: Alias) -> dict[str, Any]:
    data = {"type": str(alias.type)}
    data.update(
        _drop_empty(
            {
                "description": alias.description,
                "deprecated": alias.deprecated,
                "source": alias.source,
            }
        )
    )
    return data


def _resource(resource: Resource) -> dict[str, Any]:
    data = _drop_empty({"description": resource.description})
    if resource.methods:
        data["methods"] = {m.name: _method(m) for m in resource.methods}
    if resource.resources:
        data["resources"] = {r.name: _resource(r) for r in resource.resources}
    return data


def _method(method: Method) -> dict[str, Any]:
    data: dict[str, Any] = {"http": f"{method.http_method} {method.path}"}
    data.update(
        _drop_empty(
            {
                "operation_id": method.operation_id,
                "title": method.title,
                "summary": method.summary,
                "description": method.description,
                "deprecated": method.deprecated,
            }
        )
    )
    for location, param in method.params():
        data.setdefault(f"{location}_params", {})[param.name] = _value_fields(param)
    if method.body is not None:
        data["body"] = {
            "type": str(method.body.type),
            "content_type": method.body.content_type,
            "required": method.body.required,
        }
        if method.body.encoding:
            data["body"]["encoding"] = {
                name: _encoding(encoding) for name, encoding in method.body.encoding.items()
            }
    if method.response is not None:
        data["response"] = str(method.response)
        if method.response_content_type != "application/json":
            data["response_content_type"] = method.response_content_type
    if method.pagination is not None:
        p = method.pagination
        data["pagination"] = {
            "scheme": p.scheme,
            "item": str(p.item),
            "cursor_param": p.cursor_param,
            "cursor_field": p.cursor_field,
            "items_field": p.items_field,
            "has_more_field": p.has_more_field,
        }
    if method.streaming is not None:
        data["streaming"] = {"param": method.streaming.param, "event": str(method.streaming.event)}
    if method.security is not None:  # `security: []` says: no credentials for this one
        data["security"] = _security(method.security)
    for key in ("request_example", "response_example"):
        example = getattr(method, key)
        if example is not None:
            data[key] = _drop_empty({"source": example.source}) | {"value": example.value}
    return data


def _encoding(encoding: Encoding) -> dict[str, Any]:
    data = _drop_empty(
        {
            "content_type": encoding.content_type,
            "content_encoding": encoding.content_encoding,
            "style": encoding.style,
            "allow_reserved": encoding.allow_reserved,
        }
    )
    if encoding.explode is not None:
        data["explode"] = encoding.explode
    return data


class _FlowList(list[str]):
    """A list written inline (`[B, C]`)."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # never write &anchors: each value stands where it is used


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text.rstrip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_flow_list(dumper: yaml.SafeDumper, items: _FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_FlowList, _represent_flow_list)
