"""JSON Schema (OpenAPI 3.0 and 3.1 flavours) -> named definitions of the normalized spec.

What it folds: `nullable: true`, `type: [X, "null"]`, `oneOf`/`anyOf` with a null member,
`enum` with null; `allOf` merged into one object; one-value enums and `const` become
literals. What it names: every component by its (renamed) key; every inline object, enum
and union by its parent path (`Assistant` + `tool_resources` -> `AssistantToolResources`,
array items singular: `Assistant.tools[]` -> `AssistantTool`); inline union members that
carry a tag by the union name plus the tag (`RunStreamEvent` + `thread.run.created`).
Discriminators are inferred from a property every member pins to one distinct value.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from typing import Any

from .. import naming
from ..spec.model import Alias, Definition, Enum, Field, Model, Union_
from ..spec.types import TypeExpr, list_of, literal, map_of, primitive, ref
from .documents import Documents, Location, escape_pointer

_PRIMITIVE_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
}
_STRUCTURAL_KEYS = ("properties", "allOf", "items", "additionalProperties", "enum", "const")
_CONSTRAINTS = {
    "format": "format",
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusiveMinimum": "exclusive_minimum",
    "exclusiveMaximum": "exclusive_maximum",
    "multipleOf": "multiple_of",
    "minItems": "min_items",
    "maxItems": "max_items",
    "uniqueItems": "unique_items",
    "minProperties": "min_properties",
    "maxProperties": "max_properties",
}
_COMPONENT = re.compile(r"^/components/schemas/([^/]+)$")


def clean_text(text: Any) -> str:
    """Descriptions as reviewers want them: no trailing spaces, no outer blank lines."""
    if not isinstance(text, str):
        return ""
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


class SchemaImporter:
    """Turns schemas into `TypeExpr`s, collecting the named definitions they need."""

    def __init__(self, docs: Documents, rename: Callable[[str], str]):
        self.docs = docs
        self.rename = rename
        self.definitions: dict[str, Definition] = {}
        self._sources: dict[str, Location] = {}
        self._components: dict[Location, TypeExpr] = {}
        self._reserved: dict[str, str] = {}  # component name -> its JSON pointer

    # -- entry points -------------------------------------------------------------

    def type_of(self, schema: Any, at: Location, hint: str) -> TypeExpr:
        """The type of `schema` found at `at`; inline definitions are named from `hint`."""
        if schema is True or schema == {}:
            return primitive("any")
        if not isinstance(schema, dict):
            raise self.docs.error(at, f"expected a schema object, got {type(schema).__name__}")
        if "$ref" in schema:
            target = self.component(schema["$ref"], at)
            return target.with_nullable(target.nullable or schema.get("nullable") is True)
        inner, inner_at, nullable = self._strip_null(schema, at)
        if inner is not schema:
            expr = self.type_of(inner, inner_at, hint)
        else:
            expr = self._build(schema, at, hint)
        return expr.with_nullable(nullable or expr.nullable)

    def component(self, reference: Any, at: Location) -> TypeExpr:
        """The named type a `$ref` points to, defining it on first use."""
        target = self.docs.target(reference, at)
        if target in self._components:
            return self._components[target]
        hint = self._component_name(target)
        name = self.rename(hint)
        schema = self.docs.node(target)
        self.docs.resolve(schema, target)  # a chain of bare $refs must end in a schema
        self._components[target] = ref(name)  # a recursive schema meets this placeholder
        expr = self.type_of(schema, target, hint)
        if not (expr.kind == "ref" and expr.name == name):
            description = self.field_metadata(schema, target).get("description", "")
            self.define(Alias(name, expr, description, _deprecated(schema)), target)
            expr = ref(name)
        self._components[target] = expr
        return expr

    def field_metadata(self, schema: Any, at: Location) -> dict[str, Any]:
        """Description, default, example, constraints and deprecation of a property,
        looking through a nullable wrapper (`anyOf: [{...}, {type: null}]`) if needed."""
        if not isinstance(schema, dict):
            return {}
        layers = [schema]
        inner, _, _ = self._strip_null(schema, at)
        if inner is not schema and "$ref" not in inner:
            layers.append(inner)
        meta: dict[str, Any] = {"constraints": {}}
        for layer in reversed(layers):  # the outer layer wins
            if "description" in layer:
                meta["description"] = clean_text(layer["description"])
            if "default" in layer:
                meta["default"] = layer["default"]
            if "example" in layer:
                meta["example"] = layer["example"]
            elif isinstance(layer.get("examples"), list) and layer["examples"]:
                meta["example"] = layer["examples"][0]
            if layer.get("deprecated") is True:
                meta["deprecated"] = True
            meta["constraints"].update(_constraints(layer))
        return meta

    def define(self, definition: Definition, at: Location) -> None:
        """Register a named definition; two different ones under one name is an error."""
        existing = self.definitions.get(definition.name)
        if existing is not None:
            if _same(existing, definition):
                return
            first = self.docs.display(self._sources[definition.name])
            raise self.docs.error(
                at,
                f"two schemas normalize to the name {definition.name!r} (the other is {first}); "
                "add a rename in the config",
            )
        self.definitions[definition.name] = dataclasses.replace(definition, source=self._source(at))
        self._sources[definition.name] = at

    # -- folding ------------------------------------------------------------------

    def _strip_null(
        self, schema: dict[str, Any], at: Location
    ) -> tuple[dict[str, Any], Location, bool]:
        """Remove every way of saying "or null"; return the rest and whether null was allowed."""
        nullable = schema.get("nullable") is True
        kind = schema.get("type")
        if isinstance(kind, list):
            rest = [t for t in kind if t != "null"]
            if len(rest) != len(kind):
                nullable = True
                schema = {**schema, "type": rest[0] if len(rest) == 1 else rest}
                if not rest:
                    schema = {k: v for k, v in schema.items() if k != "type"}
        if isinstance(schema.get("enum"), list) and None in schema["enum"]:
            nullable = True
            schema = {**schema, "enum": [v for v in schema["enum"] if v is not None]}
        for key in ("anyOf", "oneOf"):
            members = schema.get(key)
            if not isinstance(members, list):
                continue
            rest = [(i, m) for i, m in enumerate(members) if not _is_null(m)]
            if len(rest) == len(members):
                continue
            nullable = True
            if len(rest) == 1 and not any(k in schema for k in _STRUCTURAL_KEYS):
                index, member = rest[0]
                return member, (at[0], f"{at[1]}/{key}/{index}"), True
            schema = {**schema, key: [m for _, m in rest]}
        return schema, at, nullable

    def _build(self, schema: dict[str, Any], at: Location, hint: str) -> TypeExpr:
        if "allOf" in schema:
            return self._all_of(schema, at, hint)
        for key in ("oneOf", "anyOf"):
            if key not in schema:
                continue
            members = schema[key]
            if (
                "properties" in schema
                and isinstance(members, list)
                and all(map(_is_annotation, members))
            ):
                # `oneOf: [{required: [a]}, {required: [b]}]` beside properties only says
                # which properties must come together: a rule for the server, not a shape.
                return self._build({k: v for k, v in schema.items() if k != key}, at, hint)
            return self._union(schema, key, at, hint)
        if "const" in schema:
            return self._literal(schema["const"], at)
        if "enum" in schema:
            return self._enum(schema, at, hint)
        kind = schema.get("type")
        if isinstance(kind, list):
            variants = [{**schema, "type": t} for t in kind]
            return self._union({**schema, "oneOf": variants}, "oneOf", at, hint)
        if (
            kind == "object"
            or "properties" in schema
            or (kind is None and "additionalProperties" in schema)
        ):
            return self._object(schema, at, hint)
        if kind == "array" or (kind is None and "items" in schema):
            items = schema.get("items", True)
            item_hint = naming.pascal(naming.singular(hint))
            return list_of(self.type_of(items, (at[0], f"{at[1]}/items"), item_hint))
        if kind == "string" and schema.get("format") == "binary":
            return primitive("file")
        if kind in _PRIMITIVE_TYPES:
            return primitive(_PRIMITIVE_TYPES[kind])
        if kind is None or kind == "null":
            return primitive("any", nullable=kind == "null")
        raise self.docs.error(at, f"unknown type {kind!r}")

    def _literal(self, value: Any, at: Location) -> TypeExpr:
        if isinstance(value, (list, dict)):
            raise self.docs.error(at, "a const or single enum value must be a scalar")
        return literal(value)

    def _enum(self, schema: dict[str, Any], at: Location, hint: str) -> TypeExpr:
        values = schema["enum"]
        if not isinstance(values, list) or not values:
            raise self.docs.error(at, "enum must be a non-empty list")
        if len(values) == 1:
            return self._literal(values[0], at)
        for value in values:
            if isinstance(value, (list, dict)):
                raise self.docs.error(at, f"enum value {value!r} is not a scalar")
        unique = list(dict.fromkeys(values))
        name = self._inline_name(hint, at)
        self.define(
            Enum(name, tuple(unique), clean_text(schema.get("description")), _deprecated(schema)),
            at,
        )
        return ref(name)

    def _object(self, schema: dict[str, Any], at: Location, hint: str) -> TypeExpr:
        name = self._inline_name(hint, at)
        properties = schema.get("properties") or {}
        extra_schema = schema.get("additionalProperties")
        if not isinstance(properties, dict):
            raise self.docs.error(at, "properties must be a mapping")
        if not properties:
            if extra_schema in (None, True, False):
                return map_of(primitive("any"))
            return map_of(
                self.type_of(extra_schema, (at[0], f"{at[1]}/additionalProperties"), name + "Value")
            )
        required = schema.get("required") or []
        if not isinstance(required, list):
            raise self.docs.error(at, "required must be a list of property names")
        fields = []
        for key, prop in properties.items():
            prop_at = (at[0], f"{at[1]}/properties/{escape_pointer(str(key))}")
            expr = self.type_of(prop, prop_at, name + naming.pascal(str(key)))
            fields.append(
                Field(str(key), expr, key in required, **self.field_metadata(prop, prop_at))
            )
        extra = None
        if isinstance(extra_schema, dict) and extra_schema:
            extra = self.type_of(
                extra_schema, (at[0], f"{at[1]}/additionalProperties"), name + "Value"
            )
        elif extra_schema is True or extra_schema == {}:
            extra = primitive("any")
        model = Model(
            name, tuple(fields), clean_text(schema.get("description")), extra, _deprecated(schema)
        )
        self.define(model, at)
        return ref(name)

    def _all_of(self, schema: dict[str, Any], at: Location, hint: str) -> TypeExpr:
        members = schema["allOf"]
        if not isinstance(members, list) or not members:
            raise self.docs.error(at, "allOf must be a non-empty list")
        own = {k: v for k, v in schema.items() if k != "allOf"}
        # `allOf: [{$ref: X}, {nullable: true}]` says "X or null": the second member
        # only annotates, it adds no structure.
        annotations = [m for m in members if _is_annotation(m)]
        real = [(i, m) for i, m in enumerate(members) if not _is_annotation(m)]
        nullable = any(m.get("nullable") is True for m in annotations)
        if len(real) == 1 and not any(k in own for k in _STRUCTURAL_KEYS + ("oneOf", "anyOf")):
            index, member = real[0]
            return self.type_of(member, (at[0], f"{at[1]}/allOf/{index}"), hint).with_nullable(
                nullable
            )
        merged = self._merge_objects(schema, at, set())
        return self._object(merged, at, hint)

    def _merge_objects(
        self, schema: dict[str, Any], at: Location, seen: set[Location]
    ) -> dict[str, Any]:
        """One object schema with the properties and required lists of every allOf member."""
        if at in seen:
            raise self.docs.error(at, "allOf includes itself")
        seen = seen | {at}
        properties: dict[str, Any] = {}
        required: list[str] = []
        merged: dict[str, Any] = {}
        for index, member in enumerate(schema.get("allOf", [])):
            member_at = (at[0], f"{at[1]}/allOf/{index}")
            member, member_at = self.docs.resolve(member, member_at)
            if not isinstance(member, dict):
                raise self.docs.error(member_at, "allOf members must be schemas")
            part = self._merge_objects(member, member_at, seen)
            properties.update(part.get("properties", {}))
            required.extend(part.get("required", []))
            merged.setdefault("description", part.get("description"))
        own = {k: v for k, v in schema.items() if k != "allOf"}
        properties.update(own.get("properties") or {})
        required.extend(own.get("required") or [])
        merged.update({k: v for k, v in own.items() if k not in ("properties", "required")})
        merged["properties"] = properties
        merged["required"] = list(dict.fromkeys(required))
        merged.setdefault("type", "object")
        return {k: v for k, v in merged.items() if v is not None}

    def _union(self, schema: dict[str, Any], key: str, at: Location, hint: str) -> TypeExpr:
        members = schema[key]
        if not isinstance(members, list) or not members:
            raise self.docs.error(at, f"{key} must be a non-empty list")
        if len(members) == 1 and not any(k in schema for k in _STRUCTURAL_KEYS):
            return self.type_of(members[0], (at[0], f"{at[1]}/{key}/0"), hint)
        name = self._inline_name(hint, at)
        tag_property = self._tag_property(members, at, key, schema)
        variants = []
        for index, member in enumerate(members):
            member_at = (at[0], f"{at[1]}/{key}/{index}")
            variants.append(
                self.type_of(member, member_at, self._variant_hint(member, name, tag_property))
            )
        variants = list(dict.fromkeys(variants))
        discriminator, mapping, variants = self._discriminate(variants, tag_property)
        description = clean_text(schema.get("description"))
        self.define(
            Union_(name, tuple(variants), discriminator, mapping, description, _deprecated(schema)),
            at,
        )
        return ref(name)

    # -- unions -------------------------------------------------------------------

    def _tag_property(
        self, members: list[Any], at: Location, key: str, schema: dict[str, Any]
    ) -> str:
        """The property every member object pins to one value, if there is one."""
        explicit = schema.get("discriminator")
        if isinstance(explicit, dict) and isinstance(explicit.get("propertyName"), str):
            return str(explicit["propertyName"])
        candidates = self._common_member_tags(members, (at[0], f"{at[1]}/{key}"), set())
        return candidates[0] if candidates else ""

    def _common_member_tags(
        self, members: list[Any], at: Location, seen: set[Location]
    ) -> list[str]:
        """Tag properties shared by all members; a member that is itself a union
        contributes the tags shared by its own members (stream-event families)."""
        candidates: list[str] | None = None
        for index, member in enumerate(members):
            resolved, member_at = self.docs.resolve(member, (at[0], f"{at[1]}/{index}"))
            nested_key = next(
                (k for k in ("oneOf", "anyOf") if isinstance(resolved, dict) and k in resolved), ""
            )
            if nested_key and member_at not in seen and isinstance(resolved[nested_key], list):
                nested_at = (member_at[0], f"{member_at[1]}/{nested_key}")
                tags = self._common_member_tags(resolved[nested_key], nested_at, seen | {member_at})
            else:
                tags = list(_tags(resolved))
            candidates = tags if candidates is None else [t for t in candidates if t in tags]
        return candidates or []

    def _variant_hint(self, member: Any, hint: str, tag_property: str) -> str:
        if not isinstance(member, dict) or "$ref" in member:
            return hint
        tag = _tags(member).get(tag_property) if tag_property else None
        if tag is not None:
            return hint + naming.pascal(str(tag))
        if isinstance(member.get("title"), str):
            return hint + naming.pascal(member["title"])
        properties = member.get("properties")
        if isinstance(properties, dict) and properties:
            return hint + naming.pascal(str(next(iter(properties))))
        kind = member.get("type")
        return hint + naming.pascal(kind if isinstance(kind, str) else "value")

    def _discriminate(
        self, variants: list[TypeExpr], tag_property: str
    ) -> tuple[str, dict[str, str], list[TypeExpr]]:
        """Flatten nested unions with the same tag, then find the property that tells
        every variant apart; without one, the union is told apart by shape."""
        flat: list[TypeExpr] = []
        for variant in variants:
            nested = (
                self.definitions.get(variant.name)
                if variant.kind == "ref" and not variant.nullable
                else None
            )
            if (
                isinstance(nested, Union_)
                and nested.discriminator
                and nested.discriminator == tag_property
            ):
                flat.extend(nested.variants)
            else:
                flat.append(variant)
        flat = list(dict.fromkeys(flat))
        models = []
        for variant in flat:
            model = (
                self.definitions.get(variant.name)
                if variant.kind == "ref" and not variant.nullable
                else None
            )
            if not isinstance(model, Model):
                return "", {}, variants
            models.append(model)
        for prop in [tag_property] if tag_property else _common_tags(models):
            mapping: dict[str, str] = {}
            for model in models:
                tag = next((f.type for f in model.fields if f.name == prop), None)
                if (
                    tag is None
                    or tag.kind != "literal"
                    or tag.nullable
                    or str(tag.value) in mapping
                ):
                    break
                mapping[str(tag.value)] = model.name
            else:
                return prop, mapping, flat
        return "", {}, variants

    # -- naming -------------------------------------------------------------------

    def reserve(self, components: Iterable[str]) -> None:
        """Keep these component names (keys under components/schemas) for the components:
        a schema defined in place will not take one."""
        for key in components:
            self._reserved[naming.pascal(key)] = f"/components/schemas/{escape_pointer(key)}"

    def _is_reserved_elsewhere(self, name: str, at: Location) -> bool:
        pointer = self._reserved.get(name)
        if pointer is None:
            return False
        inside = at[0] == self.docs.root and (at[1] == pointer or at[1].startswith(pointer + "/"))
        return not inside  # the component itself (or the schema it wraps) may use its name

    def _inline_name(self, hint: str, at: Location) -> str:
        """The name of a schema defined in place. A name from the overlay's renames is
        taken as given (two identical schemas renamed alike merge); a derived name that a
        component used by the API has gets `Item`, then `Inline`, added. Two different
        inline schemas that still meet on one name are an error naming both."""
        name = self.rename(hint)
        if name != hint:
            return name
        for candidate in (name, name + "Item", name + "Inline"):
            if not self._is_reserved_elsewhere(candidate, at):
                return candidate
        return name  # define() reports the clash with both locations

    def _component_name(self, target: Location) -> str:
        match = _COMPONENT.match(target[1])
        if match:
            return naming.pascal(match.group(1))
        segments = [
            s for s in target[1].split("/") if s and s not in _POINTER_KEYWORDS and not s.isdigit()
        ]
        return naming.pascal("_".join(segments[-2:]) if segments else target[0].stem)

    def _source(self, at: Location) -> str:
        path, pointer = at
        prefix = "" if path == self.docs.root else path.name
        return f"{prefix}#{pointer}"


_POINTER_KEYWORDS = {
    "components", "schemas", "properties", "items", "allOf", "oneOf", "anyOf",
    "additionalProperties", "definitions", "$defs",
}  # fmt: skip


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "null" or schema.get("enum") == [None]
    )


def _tags(schema: Any) -> dict[str, Any]:
    """Properties pinned to one value (`enum: [x]` or `const: x`), in property order."""
    found: dict[str, Any] = {}
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict):
        return found
    for name, prop in properties.items():
        if not isinstance(prop, dict):
            continue
        if "const" in prop and isinstance(prop["const"], (str, int, bool)):
            found[str(name)] = prop["const"]
        elif isinstance(prop.get("enum"), list) and len(prop["enum"]) == 1:
            value = prop["enum"][0]
            if isinstance(value, (str, int, bool)):
                found[str(name)] = value
    return found


def _common_tags(models: list[Model]) -> list[str]:
    names = [f.name for f in models[0].fields if f.type.kind == "literal"]
    return [n for n in names if all(any(f.name == n for f in m.fields) for m in models)]


def _constraints(schema: dict[str, Any]) -> dict[str, Any]:
    found = {}
    for key, name in _CONSTRAINTS.items():
        value = schema.get(key)
        if value is None:
            continue
        if key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            if value and bound in schema:  # OpenAPI 3.0 spelling: a flag on the bound
                found[name] = schema[bound]
            continue
        found[name] = value
    if "exclusive_minimum" in found and found.get("minimum") == found["exclusive_minimum"]:
        del found["minimum"]
    if "exclusive_maximum" in found and found.get("maximum") == found["exclusive_maximum"]:
        del found["maximum"]
    return found


def _deprecated(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("deprecated") is True


def _same(a: Definition, b: Definition) -> bool:
    return dataclasses.replace(a, source="") == dataclasses.replace(b, source="")


def _is_annotation(schema: Any) -> bool:
    """A schema that only describes (nullable, description, ...) and constrains nothing."""
    shape = _STRUCTURAL_KEYS + ("$ref", "type", "oneOf", "anyOf", "allOf", "not")
    return isinstance(schema, dict) and not any(k in schema for k in shape)
