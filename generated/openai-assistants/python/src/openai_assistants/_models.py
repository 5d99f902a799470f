"""Runtime core for the generated models: lenient by default, strict on request.

Copied verbatim into every generated SDK (it is not a template). Responses are parsed
leniently, as a server that gains features expects: unknown fields are kept, an enum
value added later passes through as a plain string, and an unknown member of a
discriminated union becomes an `UnknownVariant` that keeps the raw data. Validating with
`context={"strict": True}` (or `parse(..., strict=True)`) turns each of these into an error,
which is what tests want.

Unions pick their member up front, then validate once: by the tag property where the API
has one (`discriminate_by`), else by the shape of the object (`choose_by_shape`): the member
whose required and constant fields the data has, the best fit winning; data that fits no
member, or two members equally, becomes the `UnknownVariant` (never a guess).

Speed: `parse` and `parse_json` first try a fast validator made from the same pydantic
schema with the Python hooks taken out (the salvage wrapper of every model, the open-enum
wrapper, the tag callables), so pydantic-core validates the whole response natively, JSON
bytes included, and a tagged union looks its member up by tag in a dict. That validator
accepts only what the full lenient one accepts with the same result, and it fails on the
rest (drifted data, a new enum value, an unknown tag); then the full lenient validator runs,
with its salvage and fallbacks. Strict mode always takes the full validator. Measured in
`benchmarks/runtime.py`: the hooks cost more than the validation itself.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Literal, TypeVar, cast

import pydantic
from pydantic import (
    ConfigDict,
    TypeAdapter,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
)
from pydantic_core import PydanticCustomError, SchemaValidator, core_schema

__all__ = [
    "UNKNOWN_TAG",
    "BaseModel",
    "OpenEnum",
    "UnknownVariant",
    "choose_by_shape",
    "discriminate_by",
    "parse",
    "parse_envelope",
    "parse_json",
]

_T = TypeVar("_T")

UNKNOWN_TAG = "__unknown__"


def _is_strict(info: ValidationInfo | None) -> bool:
    context: object = info.context if info is not None else None
    return (
        isinstance(context, dict)
        and cast("dict[str, object]", context).get("strict") is True
    )


class BaseModel(pydantic.BaseModel):
    """Base of every response model: keeps unknown fields, reads and writes wire names."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        serialize_by_alias=True,
        protected_namespaces=(),
        defer_build=True,
    )

    # The response's request id (the API's request id header), when this is what a call
    # returned (see `parse_json`). A class default, set on the instance past pydantic: as a
    # private attribute every model parsed would pay for it (a list page took twice as long).
    _request_id: ClassVar[str | None] = None

    @pydantic.model_validator(mode="wrap")
    @classmethod
    def _lenient_or_strict(
        cls, data: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> Any:
        strict = _is_strict(info)
        try:
            model = handler(data)
        except pydantic.ValidationError as exc:
            if strict or not isinstance(data, dict) or _is_other_shape(exc):
                raise
            return cls._salvage(cast("dict[str, Any]", data), info)
        extra = model.model_extra if isinstance(model, BaseModel) else None
        if strict and extra and not isinstance(model, UnknownVariant):
            raise PydanticCustomError(
                "unknown_field",
                "unknown field(s) in strict mode: {names}",
                {"names": ", ".join(sorted(extra))},
            )
        return model

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> dict[str, object]:
        """The model as a dict, as the API sent it: wire names, and only the fields it
        sent (`exclude_unset=False` adds the others); `mode="json"` for JSON values."""
        return self.model_dump(
            mode=mode,
            by_alias=use_api_names,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
            warnings=warnings,
        )

    def to_json(
        self,
        *,
        indent: int | None = 2,
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> str:
        """The model as JSON text, as `to_dict` has it."""
        return self.model_dump_json(
            indent=indent,
            by_alias=use_api_names,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
            warnings=warnings,
        )

    @classmethod
    def _salvage(cls, data: dict[str, Any], info: ValidationInfo) -> Any:
        """Parse what matches the spec field by field; keep the rest as received.

        Servers drift from their specs (a field sent as null that the spec calls required,
        a required field left out). One such field must not lose the whole response: every
        field that validates is parsed as usual, the others keep their raw value, and a
        field the server left out is simply unset.
        """
        names = {
            (field.alias or name): name for name, field in cls.model_fields.items()
        }
        model = cls.model_construct(**data)
        for key, value in data.items():
            name = names.get(key)
            if name is None:
                continue
            try:
                cls.__pydantic_validator__.validate_assignment(
                    model, name, value, context=info.context
                )
            except pydantic.ValidationError:
                pass
        return model


class UnknownVariant(BaseModel):
    """A union member this SDK does not know (the server is newer than the SDK).

    Every field of the raw object is kept: read them as attributes or with `raw`.
    """

    is_unknown_variant: ClassVar[bool] = True

    @property
    def raw(self) -> dict[str, Any]:
        """The object exactly as it was received."""
        return self.model_dump(exclude_unset=True)

    @pydantic.model_validator(mode="before")
    @classmethod
    def _reject_when_strict(cls, data: Any, info: ValidationInfo) -> Any:
        if _is_strict(info):
            raise PydanticCustomError(
                "unknown_variant",
                "unknown union variant in strict mode: {data}",
                {"data": repr(data)[:200]},
            )
        return data


def _is_other_shape(exc: pydantic.ValidationError) -> bool:
    """A constant field of this model (`type: "text"`) does not match: the data is some
    other model (another member of a union), not a drifted instance of this one."""
    return any(
        e["type"] == "literal_error" and len(e["loc"]) == 1 for e in exc.errors()
    )


def _accept_new_values(
    value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
) -> Any:
    try:
        return handler(value)
    except pydantic.ValidationError:
        if (
            isinstance(value, (str, int))
            and not isinstance(value, bool)
            and not _is_strict(info)
        ):
            return value
        raise


OpenEnum = pydantic.WrapValidator(_accept_new_values)
"""Marks a Literal type as open: a value the server adds later passes through unchanged."""


class _TagOf:
    """The tag of a union member's data: the value of `prop`, mapped through `tags`; the
    fast validator reads `prop` and `tags` to look members up natively."""

    __slots__ = ("prop", "tags")
    __name__ = "tag_by_property"  # pydantic-core wants a name for the callable

    def __init__(self, prop: str, tags: dict[str, str]) -> None:
        self.prop = prop
        self.tags = tags

    def __call__(self, value: object) -> str:
        if isinstance(value, dict):
            tag = cast("dict[str, object]", value).get(self.prop)
        else:
            tag = getattr(value, self.prop, None)
        return self.tags.get(tag, UNKNOWN_TAG) if isinstance(tag, str) else UNKNOWN_TAG


def discriminate_by(
    prop: str, known: Iterable[str], aliases: Mapping[str, str] | None = None
) -> Any:
    """A pydantic Discriminator that picks the variant tagged by `prop`, and the
    UnknownVariant member for a tag this SDK has not seen. `aliases` maps further values
    to the tag of the variant they select (several values for one variant)."""
    tags = {tag: tag for tag in known}
    tags.update(aliases or {})
    return pydantic.Discriminator(_TagOf(prop, tags))


class _Shape:
    """What tells one member model of a union apart: its wire names, the required ones,
    and the values of its constant (Literal) fields."""

    __slots__ = ("constants", "fields", "required", "tag")

    def __init__(self, model: type[pydantic.BaseModel]):
        self.tag = model.__name__
        self.fields: frozenset[str] = frozenset(
            f.alias or n for n, f in model.model_fields.items()
        )
        self.required = frozenset(
            f.alias or n for n, f in model.model_fields.items() if f.is_required()
        )
        self.constants: dict[str, tuple[object, ...]] = {}
        for name, field in model.model_fields.items():
            values = _literal_values(field.annotation)
            if values is not None:
                self.constants[field.alias or name] = values

    def fit(self, data: dict[str, object]) -> tuple[int, int, int] | None:
        """None if `data` lacks a required field or a constant differs; else the score:
        constants matched, keys of the data this member declares, and (as a negative)
        its declared fields the data leaves out."""
        for name in self.required:
            if name not in data:
                return None
        constants = 0
        for name, values in self.constants.items():
            if name in data:
                value = data[name]
                if not any(value == v and type(value) is type(v) for v in values):
                    return None
                constants += 1
        matched = len(self.fields.intersection(data))
        return constants, matched, matched - len(self.fields)


def _literal_values(annotation: object) -> tuple[object, ...] | None:
    """The allowed values of a `Literal[...]` annotation (or `Literal[...] | None`)."""
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return typing.get_args(annotation)
    if origin is typing.Union or origin is types.UnionType:
        args = typing.get_args(annotation)
        literals = [a for a in args if a is not type(None)]
        if len(literals) == 1 and typing.get_origin(literals[0]) is Literal:
            return (*typing.get_args(literals[0]), None)
    return None


def choose_by_shape(*members: type[pydantic.BaseModel]) -> Any:
    """A pydantic Discriminator for a union of models with no tag property: an object goes
    to the member whose required fields it has and whose constant fields it matches; of
    several, the one with more matched constants, then more of the object's keys, then fewer
    declared fields left out. A tie or no fit is the UnknownVariant member (tagged
    UNKNOWN_TAG), which keeps the raw data (strict mode rejects it). One pass over the keys
    per member; the chosen member is then validated once.

    Members are tagged with their class names. Anything but an object has no tag here (the
    union's other members take it)."""
    shapes: list[_Shape] = []
    names = {member.__name__ for member in members}

    def tag_of(value: object) -> str | None:
        nonlocal shapes
        if isinstance(value, pydantic.BaseModel):
            name = type(value).__name__
            return name if name in names else UNKNOWN_TAG
        if not isinstance(value, dict):
            return None
        if not shapes:  # on first use, when the members' annotations are complete
            shapes = [_Shape(member) for member in members]
        data = cast("dict[str, object]", value)
        best: tuple[int, int, int] | None = None
        chosen: str | None = UNKNOWN_TAG
        for shape in shapes:
            score = shape.fit(data)
            if score is None or (best is not None and score < best):
                continue
            chosen = UNKNOWN_TAG if score == best else shape.tag
            best = score
        return chosen

    return pydantic.Discriminator(tag_of)


def parse(type_: type[_T], data: Any, *, strict: bool = False) -> _T:
    """Validate `data` (a dict or list from JSON) as `type_`, which may be any model,
    union or alias of the SDK.

    `strict=True` rejects unknown fields, enum values and union variants.
    """
    validator = None if strict else _fast(type_)
    if validator is not None:
        try:
            fast: _T = validator.validate_python(data)
            return fast
        except pydantic.ValidationError:
            pass  # drifted or newer data: the full lenient validator below handles it
    return _full(type_, data, strict)


def parse_json(
    type_: type[_T],
    raw: str | bytes,
    *,
    strict: bool = False,
    request_id: str | None = None,
) -> _T:
    """Validate a JSON document (a response body) as `type_`, as `parse` does; a model
    gets `request_id` as its `_request_id`.

    Raises ValueError if `raw` is not JSON.
    """
    validator = None if strict else _fast(type_)
    parsed: _T | None = None
    if validator is not None:
        try:
            parsed = validator.validate_json(raw)
        except pydantic.ValidationError:
            pass  # not JSON, or data the fast validator refuses: decided below
    if parsed is None:
        parsed = _full(type_, json.loads(raw), strict)
    if request_id is not None and isinstance(parsed, BaseModel):
        object.__setattr__(parsed, "_request_id", request_id)
    return parsed


def parse_envelope(
    type_: type[_T], event: str, raw: str | bytes, *, strict: bool = False
) -> _T:
    """Validate `{"event": event, "data": <raw JSON>}` as `type_`, a union tagged by
    `event` (a server-sent event whose name says what its data is).

    The member the event names is looked up by its tag and validated on its own, its data
    straight from JSON; never the whole union. An unknown event, strict mode, or data that
    member refuses go through `parse` of the envelope (its UnknownVariant, its salvage).

    Raises ValueError if `raw` is not JSON.
    """
    member = None if strict else _envelope(type_, event)
    if member is not None:
        try:
            data = member[1].validate_json(raw)
            fast: _T = member[0].validate_python({"event": event, "data": data})
            return fast
        except pydantic.ValidationError:
            pass  # not JSON, or data the fast validator refuses: decided below
    return parse(type_, {"event": event, "data": json.loads(raw)}, strict=strict)


def _full(type_: type[_T], data: Any, strict: bool) -> _T:
    """The full validator: salvage, open enums, UnknownVariant; strict mode if asked."""
    context = {"strict": strict}
    if isinstance(type_, type) and issubclass(type_, pydantic.BaseModel):
        # model_validate also completes the class (deprecated fields then warn on read)
        model: _T = type_.model_validate(data, context=context)
        return model
    value: _T = _adapter(type_).validate_python(data, context=context)
    return value


# Keyed by id(): Annotated unions are not always hashable. The type is kept alongside so
# its id cannot be reused while the entry exists.
_adapters: dict[int, tuple[Any, TypeAdapter[Any]]] = {}
_fast_validators: dict[int, tuple[Any, SchemaValidator | None]] = {}
_envelope_members: dict[
    int,
    tuple[
        Any,
        dict[str, type[pydantic.BaseModel]],
        dict[str, tuple[SchemaValidator, SchemaValidator] | None],
    ],
] = {}


def _adapter(type_: Any) -> TypeAdapter[Any]:
    entry = _adapters.get(id(type_))
    if entry is None:
        entry = _adapters[id(type_)] = (type_, TypeAdapter(type_))
    return entry[1]


def _fast(type_: Any) -> SchemaValidator | None:
    """The fast validator of `type_`; None if pydantic cannot build one (the full validator
    then does all the work: the fast one only saves time)."""
    entry = _fast_validators.get(id(type_))
    if entry is None:
        schema = _core_schema(
            type_
        )  # errors in the type itself surface here, as before
        try:
            validator: SchemaValidator | None = SchemaValidator(_without_hooks(schema))
        except Exception:  # noqa: BLE001 - a core schema layout this code does not know
            validator = None
        entry = _fast_validators[id(type_)] = (type_, validator)
    return entry[1]


def _core_schema(type_: Any) -> Any:
    if isinstance(type_, type) and issubclass(type_, pydantic.BaseModel):
        type_.model_rebuild()  # completes a deferred class, as model_validate would
        return type_.__pydantic_core_schema__
    return _adapter(type_).core_schema


def _envelope(type_: Any, event: str) -> tuple[SchemaValidator, SchemaValidator] | None:
    """For a union tagged by `event` whose members carry a `data` field: the fast validators
    of the member `event` names and of its data field, built on first use. None for an
    unknown event, a member without those fields, or a type that is no such union."""
    entry = _envelope_members.get(id(type_))
    if entry is None:
        entry = _envelope_members[id(type_)] = (
            type_,
            _tagged_members(type_, "event"),
            {},
        )
    members, built = entry[1], entry[2]
    if event in built:
        return built[event]
    member = members.get(event)
    if member is None:
        return None  # not kept: the names a server may send are unbounded
    found: tuple[SchemaValidator, SchemaValidator] | None = None
    validator = _fast(member)  # completes the class: its fields are resolved
    data = member.model_fields.get("data")
    if validator is not None and data is not None and "event" in member.model_fields:
        plain = not data.metadata and data.discriminator is None
        # the field's own type, with its constraints and discriminator if it has them
        data_validator = _fast(
            data.annotation if plain else typing.Annotated[data.annotation, data]
        )
        if data_validator is not None:
            found = (validator, data_validator)
    built[event] = found
    return found


def _tagged_members(type_: Any, prop: str) -> dict[str, type[pydantic.BaseModel]]:
    """The members of a `discriminate_by(prop, ...)` union by tag (aliases included)."""
    if typing.get_origin(type_) is not typing.Annotated:
        return {}
    union, *marks = typing.get_args(type_)
    tag_of = next(
        (m.discriminator for m in marks if isinstance(m, pydantic.Discriminator)), None
    )
    if not isinstance(tag_of, _TagOf) or tag_of.prop != prop:
        return {}
    by_tag: dict[str, type[pydantic.BaseModel]] = {}
    for member in typing.get_args(union):
        if typing.get_origin(member) is not typing.Annotated:
            continue
        model, *member_marks = typing.get_args(member)
        for mark in member_marks:
            if (
                isinstance(mark, pydantic.Tag)
                and isinstance(model, type)
                and issubclass(model, pydantic.BaseModel)
            ):
                by_tag[mark.tag] = model
    return {value: by_tag[tag] for value, tag in tag_of.tags.items() if tag in by_tag}


def _without_hooks(schema: Any) -> Any:
    """A copy of a pydantic core schema with the lenient hooks taken out.

    - a model's `_lenient_or_strict` wrapper: the model alone (a failure is not salvaged)
    - an OpenEnum wrapper: its Literal, else any string or integer (what the wrapper lets
      through when not strict)
    - a `discriminate_by` callable: the tag property looked up natively, the UnknownVariant
      member dropped (an unknown tag fails, and the full validator makes it the variant)
    """
    if isinstance(schema, list):
        return [_without_hooks(item) for item in schema]
    if not isinstance(schema, Mapping):
        return schema
    items = cast("Mapping[str, Any]", schema)
    is_node = isinstance(items.get("type"), str)  # else a mapping of fields or choices
    node = {
        key: value if is_node and key in _NOT_SCHEMAS else _without_hooks(value)
        for key, value in items.items()
    }
    kind = node.get("type")
    if kind == "function-wrap":
        function = node["function"]["function"]
        if getattr(function, "__func__", None) is _LENIENT_OR_STRICT:
            inner: dict[str, Any] = node["schema"]
            return {**inner, "ref": node["ref"]} if "ref" in node else inner
        if function is _accept_new_values:
            return core_schema.union_schema(
                [
                    node["schema"],
                    core_schema.str_schema(strict=True),
                    core_schema.int_schema(strict=True),
                ],
                mode="left_to_right",
            )
    if kind == "tagged-union" and isinstance(node["discriminator"], _TagOf):
        tag_of: _TagOf = node["discriminator"]
        choices = node["choices"]
        node["choices"] = {
            value: choices[tag] for value, tag in tag_of.tags.items() if tag in choices
        }
        node["discriminator"] = tag_of.prop
    return node


_LENIENT_OR_STRICT = getattr(BaseModel._lenient_or_strict, "__func__", None)
# Keys of a core schema node that hold data, not schemas: left as they are
_NOT_SCHEMAS = frozenset(
    {"default", "expected", "metadata", "config", "serialization", "cls"}
)
