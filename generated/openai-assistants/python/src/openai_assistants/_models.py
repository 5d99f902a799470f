"""Runtime core for the generated models: lenient by default, strict on request.

Copied verbatim into every generated SDK (it is not a template). Responses are parsed
leniently, as a server that gains features expects: unknown fields are kept, an enum
value added later passes through as a plain string, and an unknown member of a
discriminated union becomes an `UnknownVariant` that keeps the raw data. Validating with
`context={"strict": True}` (or `parse(..., strict=True)`) turns each of these into an error,
which is what tests want.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, TypeVar, cast

import pydantic
from pydantic import (
    ConfigDict,
    TypeAdapter,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "UNKNOWN_TAG",
    "BaseModel",
    "OpenEnum",
    "UnknownVariant",
    "discriminate_by",
    "parse",
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


def discriminate_by(prop: str, known: Iterable[str]) -> Any:
    """A pydantic Discriminator that picks the variant tagged by `prop`, and the
    UnknownVariant member for a tag this SDK has not seen."""
    tags = frozenset(known)

    def tag_of(value: object) -> str:
        if isinstance(value, dict):
            tag = cast("dict[str, object]", value).get(prop)
        else:
            tag = getattr(value, prop, None)
        return tag if isinstance(tag, str) and tag in tags else UNKNOWN_TAG

    return pydantic.Discriminator(tag_of)


def parse(type_: type[_T], data: Any, *, strict: bool = False) -> _T:
    """Validate `data` (a dict or list from JSON) as `type_`, which may be any model,
    union or alias of the SDK.

    `strict=True` rejects unknown fields, enum values and union variants.
    """
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


def _adapter(type_: Any) -> TypeAdapter[Any]:
    entry = _adapters.get(id(type_))
    if entry is None:
        entry = _adapters[id(type_)] = (type_, TypeAdapter(type_))
    return entry[1]
