"""JSON Schema (OpenAPI 3.0 and 3.1 flavours) -> named definitions of the normalized spec.

What it folds: `nullable: true`, `type: [X, "null"]`, `oneOf`/`anyOf` with a null member,
`enum` with null; `allOf` merged into one object; one-value enums and `const` become
literals. What it names: every component by its (renamed) key; every inline object, enum
and union by its parent path (`Assistant` + `tool_resources` -> `AssistantToolResources`,
array items singular: `Assistant.tools[]` -> `AssistantTool`); inline union members that
carry a tag by the union name plus the tag (`RunStreamEvent` + `thread.run.created`).
Discriminators are inferred from a property every member pins to one distinct value. An
explicit `discriminator` is honored as written: its mapping (values to `$ref`s or schema
names; several values may select one member), else the values a member pins, else the
member's schema name (OpenAPI's implicit mapping); a member that does not declare the
property gets it as a string field. A component with a discriminator that other components
extend with `allOf` (the inheritance pattern) becomes the union of those.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .. import naming
from ..errors import InputError
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
        # Per document: a component -> the components whose allOf names it (built on demand).
        self._extended_by: dict[Path, dict[Location, list[Location]]] = {}
        # Unions that met a member still being defined (recursion): discriminated once the
        # outermost component is done. (name, variants, tag property, explicit discriminator)
        self._unsettled: list[tuple[str, list[TypeExpr], str, _Declared | None]] = []
        self._building = 0  # components being defined, outermost first
        self.warnings: list[str] = []  # `file: #/pointer: message`, in the order met
        self._names: dict[str, str] | None = None  # see _component_names
        self._claims: dict[str, Location] = {}  # name -> the component that has it
        self._named_at: dict[Location, tuple[str, str]] = {}  # component -> (hint, name)

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
        return self._component_at(self.docs.target(reference, at))

    def _component_at(self, target: Location) -> TypeExpr:
        if target in self._components:
            return self._components[target]
        hint = self._component_name(target)
        name = self._claim(self.rename(hint), target)
        self._named_at[target] = (hint, name)
        schema = self.docs.node(target)
        self.docs.resolve(schema, target)  # a chain of bare $refs must end in a schema
        self._components[target] = ref(name)  # a recursive schema meets this placeholder
        self._building += 1
        expr = self.type_of(schema, target, hint)
        self._building -= 1
        if not (expr.kind == "ref" and expr.name == name):
            description = self.field_metadata(schema, target).get("description", "")
            name = self.define(Alias(name, expr, description, _deprecated(schema)), target)
            expr = ref(name)
        self._components[target] = expr
        if not self._building:
            self._settle()
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
            for key, flag in (("readOnly", "read_only"), ("writeOnly", "write_only")):
                if layer.get(key) is True:
                    meta[flag] = True
            meta["constraints"].update(_constraints(layer))
        return meta

    def define(self, definition: Definition, at: Location) -> str:
        """Register a named definition and return its name. The same definition met twice
        is one; a different one that meets a taken name gets the first free numbered name
        (`Name2`, `Name3`, ...), in the order the import meets them (document order)."""
        name = definition.name
        existing = self.definitions.get(name)
        if existing is not None and _same(existing, definition):
            return name
        if existing is not None:
            name = next(
                candidate
                for candidate in (f"{definition.name}{n}" for n in itertools.count(2))
                if candidate not in self.definitions and self._free(candidate, at)
            )
            definition = dataclasses.replace(definition, name=name)
        self.definitions[name] = dataclasses.replace(definition, source=self._source(at))
        self._sources[name] = at
        return name

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
        enum = schema.get("enum")
        if isinstance(enum, list) and None in enum and any(v is not None for v in enum):
            nullable = True  # `enum: [null]` alone stays: it is the null literal
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
        self._warn_unsupported(schema, at)
        if self._is_base(schema, at):
            return self._subtypes(schema, at, hint)
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
                built = self._build({k: v for k, v in schema.items() if k != key}, at, hint)
                if key == "oneOf":
                    self._exclusive(built, members)
                return built
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

    def _warn_unsupported(self, schema: dict[str, Any], at: Location) -> None:
        """JSON Schema keywords the generated SDK cannot express are named, not dropped
        silently: the type is generated without them."""
        for key in sorted(_UNSUPPORTED_KEYWORDS.intersection(schema)):
            where = self.docs.display((at[0], f"{at[1]}/{escape_pointer(key)}"))
            self.warnings.append(f"{where}: `{key}` is not supported; the type ignores it")

    def _literal(self, value: Any, at: Location) -> TypeExpr:
        if isinstance(value, (list, dict)):
            raise self.docs.error(at, "a const or single enum value must be a scalar")
        return literal(value)

    def _enum(self, schema: dict[str, Any], at: Location, hint: str) -> TypeExpr:
        values = schema["enum"]
        if not isinstance(values, list) or not values:
            raise self.docs.error(at, "enum must be a non-empty list")
        if len(values) == 1 and not self._names_constant(hint):
            return self._literal(values[0], at)
        for value in values:
            if isinstance(value, (list, dict)):
                raise self.docs.error(at, f"enum value {value!r} is not a scalar")
        # By type and value: 1, 1.0 and true are three values here, one key to a dict.
        unique = list({(type(v), v): v for v in values}.values())
        name = self._inline_name(hint, at)
        enum = Enum(name, tuple(unique), clean_text(schema.get("description")), _deprecated(schema))
        return ref(self.define(enum, at))

    def _exclusive(self, built: TypeExpr, members: list[Any]) -> None:
        """Record on the model just built which groups of its fields exclude each other."""
        model = self.definitions.get(built.name) if built.kind == "ref" else None
        groups = tuple(
            tuple(str(n) for n in m.get("required") or [] if isinstance(n, str)) for m in members
        )
        if isinstance(model, Model) and all(groups):
            self.definitions[model.name] = dataclasses.replace(model, exclusive=groups)

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
        return ref(self.define(model, at))

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
            member_at = (at[0], f"{at[1]}/allOf/{index}")
            if not self._is_base(*self.docs.resolve(member, member_at)):
                return self.type_of(member, member_at, hint).with_nullable(nullable)
            # `allOf: [{$ref: Pet}]` with Pet a discriminated base: a subtype, not Pet itself
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
        targets: dict[Location, str] = {}  # where a `$ref` member points -> its variant name
        for index, member in enumerate(members):
            member_at = (at[0], f"{at[1]}/{key}/{index}")
            variant_hint = self._variant_hint(member, name, tag_property)
            variant = self.type_of(member, member_at, variant_hint)
            variants.append(variant)
            if isinstance(member, dict) and "$ref" in member and variant.kind == "ref":
                targets[self.docs.target(member["$ref"], member_at)] = variant.name
                targets[self.docs.resolve(member, member_at)[1]] = variant.name
        declared = self._declared(schema, at, targets)
        return self._define_union(name, variants, tag_property, declared, schema, at)

    # -- unions -------------------------------------------------------------------

    def _define_union(
        self,
        name: str,
        variants: list[TypeExpr],
        tag_property: str,
        declared: _Declared | None,
        schema: dict[str, Any],
        at: Location,
    ) -> TypeExpr:
        variants = list(dict.fromkeys(variants))
        discriminator, mapping, members = self._discriminate(variants, tag_property, declared)
        description = clean_text(schema.get("description"))
        name = self.define(
            Union_(name, tuple(members), discriminator, mapping, description, _deprecated(schema)),
            at,
        )
        if (
            not discriminator
            and (tag_property or declared)
            and any(v.kind == "ref" and v.name not in self.definitions for v in variants)
        ):
            self._unsettled.append((name, variants, tag_property, declared))
        return ref(name)

    def _settle(self) -> None:
        """Discriminate the unions that met a member still being defined, now it is."""
        unsettled, self._unsettled = self._unsettled, []
        for name, variants, tag_property, declared in unsettled:
            discriminator, mapping, members = self._discriminate(variants, tag_property, declared)
            union = self.definitions[name]
            if discriminator and isinstance(union, Union_):
                self.definitions[name] = dataclasses.replace(
                    union, variants=tuple(members), discriminator=discriminator, mapping=mapping
                )

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
        self, variants: list[TypeExpr], tag_property: str, declared: _Declared | None = None
    ) -> tuple[str, dict[str, str], list[TypeExpr]]:
        """Flatten nested unions with the same tag, then find the property that tells
        every variant apart; without one, the union is told apart by shape."""
        flat: list[TypeExpr] = []
        nested_mapping: dict[str, str] = {}
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
                nested_mapping.update(nested.mapping)
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
        if declared is not None:
            values = {**nested_mapping, **declared.values}
            found = self._declared_mapping(models, tag_property, declared, values)
            return (tag_property, found, flat) if found else ("", {}, variants)
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

    # -- explicit discriminators ----------------------------------------------------

    def _declared(
        self, schema: dict[str, Any], at: Location, targets: dict[Location, str]
    ) -> _Declared | None:
        """What an explicit `discriminator` says about the members in `targets` (where each
        `$ref` member points -> its variant name); None when the schema has none."""
        if not _discriminator_property(schema):
            return None
        values = {}
        for value, target in self._mapping_targets(schema, at):
            if target in targets:  # a schema outside the union selects nothing in it
                values[value] = targets[target]
        implicit: dict[str, str] = {}
        for target, name in targets.items():
            match = _COMPONENT.match(target[1])
            if match:
                implicit.setdefault(name, _unescape(match.group(1)))
        return _Declared(values, implicit, (at[0], f"{at[1]}/discriminator"))

    def _mapping_targets(self, schema: dict[str, Any], at: Location) -> list[tuple[str, Location]]:
        """The discriminator's mapping: (value, location of the schema it selects) pairs."""
        mapping_at = (at[0], f"{at[1]}/discriminator/mapping")
        mapping = schema["discriminator"].get("mapping") or {}
        if not isinstance(mapping, dict):
            raise self.docs.error(mapping_at, "expected a mapping of values to schemas")
        found = []
        for value, reference in mapping.items():
            value_at = (at[0], f"{mapping_at[1]}/{escape_pointer(str(value))}")
            if not isinstance(reference, str) or not reference:
                raise self.docs.error(value_at, "expected a schema name or a $ref")
            if not _is_reference(reference):
                reference = "#/components/schemas/" + escape_pointer(reference)
            found.append((str(value), self.docs.target(reference, value_at)))
        return found

    def _declared_mapping(
        self, models: list[Model], prop: str, declared: _Declared, values: dict[str, str]
    ) -> dict[str, str]:
        """Value -> member: the document's mapping (`values`), then each member's pinned
        values, then for a member still without one its schema name. Empty (told apart by
        shape) when a member has no value, its property cannot hold one, or two members
        pin one value."""
        names = {m.name for m in models}
        mapping = {value: name for value, name in values.items() if name in names}
        explicit = set(mapping.values())
        pins = {m.name: self._tag_values(m, prop) for m in models}
        for model in models:
            pinned = pins[model.name]
            if pinned is None:
                return {}
            implicit = declared.implicit.get(model.name, "")
            found = pinned or ([] if model.name in explicit else [implicit])
            if not all(found):
                return {}  # an inline member with no value
            for value in found:
                other = mapping.setdefault(str(value), model.name)
                if other != model.name and model.name not in explicit:
                    return {}
        for value, name in values.items():
            pinned = pins.get(name)
            if pinned and value not in pinned:
                raise self.docs.error(
                    (declared.at[0], f"{declared.at[1]}/mapping/{escape_pointer(value)}"),
                    f"{value!r} selects {name}, whose {prop!r} can only be "
                    + ", ".join(map(repr, pinned)),
                )
        for model in models:
            self._declare_tag(model.name, prop)
        return mapping

    def _tag_values(self, model: Model, prop: str) -> list[str] | None:
        """The values `model` allows for its tag property: [] for any string (or when it
        does not declare it), None when the property is no string."""
        tag = next((f.type for f in model.fields if f.name == prop), None)
        for _ in range(8):  # through aliases
            if tag is None or (tag.kind == "primitive" and tag.name in ("string", "any")):
                return []
            if tag.kind == "literal":
                return None if tag.value is None else [str(tag.value)]
            definition = self.definitions.get(tag.name) if tag.kind == "ref" else None
            if isinstance(definition, Enum):
                return [str(v) for v in definition.values]
            if not isinstance(definition, Alias):
                return None
            tag = definition.type
        return None

    def _declare_tag(self, name: str, prop: str) -> None:
        """A member that does not declare the discriminator property still carries it on
        the wire: it gets an optional string field of that name."""
        model = self.definitions[name]
        if isinstance(model, Model) and all(f.name != prop for f in model.fields):
            tag = Field(prop, primitive("string"))
            self.definitions[name] = dataclasses.replace(model, fields=(*model.fields, tag))

    # -- inheritance (allOf) ------------------------------------------------------

    def _is_base(self, schema: Any, at: Location) -> bool:
        """A component with a discriminator (and no oneOf/anyOf) that other components
        extend with allOf, or that names others in its mapping."""
        return (
            isinstance(schema, dict)
            and bool(_discriminator_property(schema))
            and "oneOf" not in schema
            and "anyOf" not in schema
            and _COMPONENT.match(at[1]) is not None
            and any(target != at for target in self._subtype_locations(schema, at))
        )

    def _subtype_locations(self, schema: dict[str, Any], at: Location) -> list[Location]:
        """The schemas the base's mapping names (in its order), then those extending it."""
        found = [target for _, target in self._mapping_targets(schema, at)]
        index = self._extended_by.get(at[0])
        if index is None:
            index = self._extended_by[at[0]] = self._extensions(at[0])
        return list(dict.fromkeys(found + index.get(at, [])))

    def _extensions(self, path: Path) -> dict[Location, list[Location]]:
        """For the components of one document: component -> the components whose allOf
        has a `$ref` to it, in document order."""
        index: dict[Location, list[Location]] = {}
        document = self.docs.load(path)
        components = document.get("components") if isinstance(document, dict) else None
        schemas = components.get("schemas") if isinstance(components, dict) else None
        for key, schema in schemas.items() if isinstance(schemas, dict) else ():
            members = schema.get("allOf") if isinstance(schema, dict) else None
            pointer = f"/components/schemas/{escape_pointer(str(key))}"
            for i, member in enumerate(members if isinstance(members, list) else ()):
                if isinstance(member, dict) and "$ref" in member:
                    try:
                        base = self.docs.target(member["$ref"], (path, f"{pointer}/allOf/{i}"))
                    except InputError:
                        continue  # reported where the schema is used, if it ever is
                    index.setdefault(base, []).append((path, pointer))
        return index

    def _subtypes(self, schema: dict[str, Any], at: Location, hint: str) -> TypeExpr:
        """A discriminated base: the union of its subtypes, picked by the property (the base
        itself is a member only where its mapping names it, as `<Name>Base`)."""
        name = self._inline_name(hint, at)
        variants = []
        targets: dict[Location, str] = {}
        for target in self._subtype_locations(schema, at):
            if target == at:
                own = {k: v for k, v in schema.items() if k != "discriminator"}
                variant = self._build(own, at, name + "Base")
            else:
                variant = self._component_at(target)
            variants.append(variant)
            if variant.kind == "ref":
                targets[target] = variant.name
        declared = self._declared(schema, at, targets)
        prop = _discriminator_property(schema)
        return self._define_union(name, variants, prop, declared, schema, at)

    # -- naming -------------------------------------------------------------------

    def reserve(self, components: Iterable[str]) -> None:
        """Keep these component names (keys under components/schemas) for the components:
        a schema defined in place will not take one."""
        keys = list(components)
        try:
            schemas = self.docs.node((self.docs.root, "/components/schemas"))
        except KeyError:
            schemas = {}
        for key in list(keys):  # a discriminated base brings its subtypes in
            at = (self.docs.root, f"/components/schemas/{escape_pointer(key)}")
            if isinstance(schemas, dict) and self._is_base(schemas.get(key), at):
                for target in self._subtype_locations(schemas[key], at):
                    match = _COMPONENT.match(target[1])
                    if target[0] == self.docs.root and match:
                        keys.append(_unescape(match.group(1)))
        names = self._component_names()
        for key in keys:
            self._reserved[names.get(key, naming.pascal(key))] = (
                f"/components/schemas/{escape_pointer(key)}"
            )

    def _is_reserved_elsewhere(self, name: str, at: Location) -> bool:
        pointer = self._reserved.get(name)
        if pointer is None:
            return False
        # the component itself (or the schema it wraps) may use its name
        return not _within(at, (self.docs.root, pointer))

    def _free(self, name: str, at: Location) -> bool:
        """No component (reserved, or already named) other than the one at `at` has `name`."""
        owner = self._claims.get(name)
        return not self._is_reserved_elsewhere(name, at) and (owner is None or _within(at, owner))

    def _claim(self, name: str, at: Location) -> str:
        """The component at `at` takes `name`, or (when a component elsewhere has it, as
        two files' `#/Pet` would) the first free `name2`, `name3`..., in the order met."""
        for candidate in itertools.chain([name], (f"{name}{n}" for n in itertools.count(2))):
            if self._free(candidate, at):
                self._claims.setdefault(candidate, at)
                return candidate
        raise AssertionError("unreachable")  # itertools.count never ends

    def _component_names(self) -> dict[str, str]:
        """Each key under the root document's components/schemas -> its class name: the key
        in PascalCase; keys that meet on one name (`foo_bar`, `FooBar`) are ordered with the
        one spelled like the name first, then by code point, and the second takes `Name2`,
        the third `Name3` (skipping names other keys have): never refused, and the same
        whatever order the document lists them in."""
        if self._names is not None:
            return self._names
        try:
            schemas = self.docs.node((self.docs.root, "/components/schemas"))
        except KeyError:
            schemas = {}
        keys = [str(key) for key in schemas] if isinstance(schemas, dict) else []
        groups: dict[str, list[str]] = {}
        for key in keys:
            groups.setdefault(naming.pascal(key), []).append(key)
        taken = set(groups)
        self._names = {}
        for name in sorted(groups):
            ordered = sorted(groups[name], key=lambda key: (key != name, key))
            self._names[ordered[0]] = name
            numbers = (f"{name}{n}" for n in itertools.count(2))
            for key in ordered[1:]:
                self._names[key] = next(c for c in numbers if c not in taken)
                taken.add(self._names[key])
        return self._names

    def _inline_name(self, hint: str, at: Location) -> str:
        """The name of a schema defined in place. A name from the overlay's renames is
        taken as given (two identical schemas renamed alike merge); a derived name that a
        component used by the API has gets `Item`, then `Inline`, added. Two different
        inline schemas that still meet on one name are an error naming both."""
        named = self._named_at.get(at)
        if named is not None and named[0] == hint:
            return named[1]  # a component's own schema: the name chosen for the component
        name = self.rename(hint)
        if name != hint:
            return name
        numbered = (f"{name}{n}" for n in itertools.count(2))
        candidates = itertools.chain((name, name + "Item", name + "Inline"), numbered)
        return next(c for c in candidates if self._free(c, at))

    def _names_constant(self, hint: str) -> bool:
        """Whether the overlay names the one-value enum derived as `hint` (a constant is
        inlined otherwise). A rename whose key is a component's (`AssistantObject`) is not
        meant for a constant whose derived name happens to match (the `object` property of
        `AssistantObject`)."""
        return hint not in self._component_names() and self.rename(hint) != hint

    def _component_name(self, target: Location) -> str:
        match = _COMPONENT.match(target[1])
        if match and target[0] == self.docs.root:
            key = _unescape(match.group(1))
            return self._component_names().get(key, naming.pascal(key))
        if match:
            return naming.pascal(_unescape(match.group(1)))
        segments = [
            s for s in target[1].split("/") if s and s not in _POINTER_KEYWORDS and not s.isdigit()
        ]
        return naming.pascal("_".join(segments[-2:]) if segments else target[0].stem)

    def _source(self, at: Location) -> str:
        path, pointer = at
        prefix = "" if path == self.docs.root else path.name
        return f"{prefix}#{pointer}"


# Keywords of JSON Schema that constrain or shape values in ways a Python type cannot say.
# (Validation-only keywords such as pattern or maxLength are carried as constraints.)
_UNSUPPORTED_KEYWORDS = frozenset(
    {
        "not", "if", "then", "else", "patternProperties", "dependentSchemas",
        "dependentRequired", "prefixItems", "contains", "unevaluatedProperties",
        "unevaluatedItems", "propertyNames", "$dynamicRef", "$recursiveRef",
    }
)  # fmt: skip

_POINTER_KEYWORDS = {
    "components", "schemas", "properties", "items", "allOf", "oneOf", "anyOf",
    "additionalProperties", "definitions", "$defs",
}  # fmt: skip


@dataclasses.dataclass(frozen=True)
class _Declared:
    """What an explicit discriminator says: mapped value -> variant name, the implicit value
    of each member that is a component (its key), and where the discriminator is."""

    values: dict[str, str]
    implicit: dict[str, str]
    at: Location


def _discriminator_property(schema: dict[str, Any]) -> str:
    explicit = schema.get("discriminator")
    if isinstance(explicit, dict) and isinstance(explicit.get("propertyName"), str):
        return str(explicit["propertyName"])
    return ""


def _is_reference(value: str) -> bool:
    """A mapping value that is a `$ref` (`#/components/schemas/Cat`, `cat.yaml`), not a name."""
    return "#" in value or "/" in value or value.endswith((".yaml", ".yml", ".json"))


def _within(at: Location, owner: Location) -> bool:
    """`at` is the schema at `owner`, or one inside it."""
    return at[0] == owner[0] and (at[1] == owner[1] or at[1].startswith(owner[1] + "/"))


def _unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


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
