"""Request bodies and responses by media type: which one an operation is sent and read as,
and the type each carries.

Request bodies. Of several media types, JSON (application/json, else the first `+json`
type) unless its schema holds a binary field, which JSON cannot carry; else the first
listed. What each becomes: JSON, or a `*/*` type with a schema that describes data, is the
schema's type; a urlencoded form or multipart/form-data is a model (its fields), with the
media type's `encoding` (form: style, explode, allowReserved; multipart: contentType, and the
3.1 contentMediaType/contentEncoding of a property, which make it a file); `text/*` is a
string; any other type is bytes (`file`) when its schema says `format: binary` or
contentMediaType or nothing, a string when it says `type: string`, and refused otherwise.

Responses. The success response is the lowest 2xx code with content, else `2XX`, else
`default` when the document gives no 2xx at all; one without content returns nothing.
`text/event-stream` beside other media types is a stream variant (the caller picks it with
the request body's boolean `stream` field); alone, the response is a stream of its schema's
events. Of the others: JSON data (application/json, else the first `+json` type, unless its
schema is a bare string, which yields to the other media types: the OpenAI document lists
`application/json: {type: string}` beside `video/mp4`), else the first listed. Bytes for
`format: binary` (or contentMediaType, or no schema, or a non-text type with a non-string
schema), strings for `text/*`, XML and `type: string`, the schema's type for JSON and for a
wildcard with a data schema.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..spec.model import (
    EVENT_STREAM,
    FORM,
    MULTIPART,
    PARAM_STYLES,
    Body,
    Encoding,
    Model,
    body_kind,
    canonical_serialization,
    is_json_media,
    is_wildcard_media,
    media_base,
)
from ..spec.types import TypeExpr, list_of, primitive
from .documents import Documents, Location, escape_pointer
from .schemas import SchemaImporter

_STRING = primitive("string")
_FILE = primitive("file")
# 3.1 contentEncoding values sent as they are, and those the runtime applies to the bytes.
_IDENTITY_ENCODINGS = ("7bit", "8bit", "binary")
_APPLIED_ENCODINGS = ("base64", "base64url")


@dataclass(frozen=True)
class Response:
    """What a success response holds: its type (None: nothing) and media type, and a
    `text/event-stream` offered beside it (its schema and where it is), if any."""

    type: TypeExpr | None = None
    content_type: str = "application/json"
    events: tuple[Any, Location] | None = None


class ContentImporter:
    """Chooses and types the request body and success response of operations."""

    def __init__(self, docs: Documents, schemas: SchemaImporter):
        self.docs = docs
        self.schemas = schemas

    # -- request bodies ---------------------------------------------------------------

    def body(
        self, op: dict[str, Any], at: Location, hint: str, suffix: str = "Params"
    ) -> Body | None:
        raw = op.get("requestBody")
        if raw is None:
            return None
        body, body_at = self.docs.resolve(raw, (at[0], f"{at[1]}/requestBody"))
        content = body.get("content") if isinstance(body, dict) else None
        if not isinstance(content, dict) or not content:
            raise self.docs.error(body_at, "requestBody has no content")
        media = self._body_media(content, body_at)
        media_at = _media_at(body_at, media)
        media_object = content[media] if content[media] is not None else {}
        if not isinstance(media_object, dict):
            raise self.docs.error(media_at, "a media type object must be a mapping")
        schema_at = (media_at[0], f"{media_at[1]}/schema")
        expr = self._body_type(media, media_object.get("schema"), schema_at, hint + suffix)
        kind = body_kind(media, expr)
        if not kind:
            raise self.docs.error(
                schema_at,
                f"a {expr} body cannot be sent as {media} (only text or bytes go in a"
                " body that is neither JSON, a form nor multipart)",
            )
        encoding: dict[str, Encoding] = {}
        if kind in ("form", "multipart"):
            model = self._form_model(expr, media, schema_at)
            encoding = self._encoding(media_object, media_at, kind, model)
            if kind == "multipart":
                encoding = self._media_fields(
                    model, media_object.get("schema"), schema_at, encoding
                )
        elif kind == "json" and (
            _is_format_binary(self._resolved(media_object.get("schema"), schema_at))
            or self._holds_binary(media_object.get("schema"), schema_at)
        ):
            raise self.docs.error(
                schema_at,
                f"binary data (format: binary) cannot be sent as {media}; offer"
                " multipart/form-data or a binary media type for it",
            )
        return Body(expr, media, body.get("required") is True, encoding)

    def payload(self, op: dict[str, Any], at: Location, hint: str) -> None:
        """The request body of a webhook: the models a receiver parses from its JSON (the
        SDK sends nothing, so other media types, which carry no models, are passed over)."""
        raw = op.get("requestBody")
        if raw is None:
            return
        body, body_at = self.docs.resolve(raw, (at[0], f"{at[1]}/requestBody"))
        content = body.get("content") if isinstance(body, dict) else None
        if not isinstance(content, dict) or not content:
            raise self.docs.error(body_at, "requestBody has no content")
        media = self._body_media(content, body_at)
        media_object = content[media] if isinstance(content[media], dict) else {}
        if is_json_media(media) and media_object.get("schema") is not None:
            schema_at = _media_at(body_at, media)
            self.schemas.type_of(
                media_object["schema"], (schema_at[0], f"{schema_at[1]}/schema"), hint
            )

    def _body_media(self, content: dict[str, Any], at: Location) -> str:
        """JSON if offered (and able to carry the schema), else the first listed."""
        media_types = [str(m) for m in content]
        json = sorted(
            (m for m in media_types if is_json_media(m)),
            key=lambda m: media_base(m) != "application/json",
        )
        for media in json:
            media_object = content[media] if isinstance(content[media], dict) else {}
            schema_at = (_media_at(at, media)[0], f"{_media_at(at, media)[1]}/schema")
            if len(media_types) == 1 or not self._holds_binary(
                media_object.get("schema"), schema_at
            ):
                return media
        return next(m for m in media_types if m not in json)

    def _holds_binary(self, schema: Any, at: Location) -> bool:
        """Whether an object schema has a binary property (or items, or member), which
        JSON cannot carry: the document means it for its multipart alternative."""
        properties = self._raw_properties(schema, at)
        return any(_is_format_binary(self._resolved(*p)) for p in properties.values())

    def _body_type(self, media: str, schema: Any, at: Location, hint: str) -> TypeExpr:
        base = media_base(media)
        if is_json_media(base) or base in (FORM, MULTIPART):
            return self.schemas.type_of(True if schema is None else schema, at, hint)
        raw = self._bytes_or_text(base, schema, at, text=base.startswith("text/"))
        if raw is not None:
            return raw
        if is_wildcard_media(base):
            return self.schemas.type_of(schema, at, hint)
        raise self.docs.error(
            at,
            f"a {base} body is sent as text (`type: string`) or bytes (`format: binary`);"
            " this schema describes neither",
        )

    def _form_model(self, expr: TypeExpr, media: str, at: Location) -> Model:
        definition = self.schemas.definitions.get(expr.name) if expr.kind == "ref" else None
        if not isinstance(definition, Model) or expr.nullable:
            raise self.docs.error(
                at, f"a {media_base(media)} body must be an object with properties (its fields)"
            )
        return definition

    def _encoding(
        self, media_object: dict[str, Any], at: Location, kind: str, model: Model
    ) -> dict[str, Encoding]:
        """The media type's `encoding`, field by field, as far as the runtime honors it."""
        raw = media_object.get("encoding") or {}
        at = (at[0], f"{at[1]}/encoding")
        if not isinstance(raw, dict):
            raise self.docs.error(at, "expected a mapping of property names")
        fields = {f.name for f in model.fields}
        found: dict[str, Encoding] = {}
        for name, value in raw.items():
            field_at = (at[0], f"{at[1]}/{escape_pointer(str(name))}")
            if name not in fields:
                raise self.docs.error(field_at, f"{model.name} has no property {name!r}")
            if not isinstance(value, dict):
                raise self.docs.error(field_at, "an encoding object must be a mapping")
            encoding = (
                self._form_encoding(value, field_at)
                if kind == "form"
                else self._part_encoding(value, field_at)
            )
            if encoding != Encoding():
                found[str(name)] = encoding
        return found

    def _form_encoding(self, value: dict[str, Any], at: Location) -> Encoding:
        _refuse_part_headers(value, at, self.docs)
        content_type = value.get("contentType")
        if content_type not in (None, "text/plain"):
            raise self.docs.error(
                (at[0], f"{at[1]}/contentType"),
                "a form field is written by its style (contentType is not supported in a form)",
            )
        style = value.get("style", "")
        if style and style not in PARAM_STYLES["query"]:
            raise self.docs.error(
                (at[0], f"{at[1]}/style"),
                f"style {style!r} is not a form style (allowed: {', '.join(PARAM_STYLES['query'])})",
            )
        for key in ("explode", "allowReserved"):
            if key in value and not isinstance(value[key], bool):
                raise self.docs.error((at[0], f"{at[1]}/{key}"), "expected true or false")
        return Encoding(
            **canonical_serialization("query", style, value.get("explode")),
            allow_reserved=value.get("allowReserved") is True,
        )

    def _part_encoding(self, value: dict[str, Any], at: Location) -> Encoding:
        # style, explode and allowReserved apply to forms only: OpenAPI has multipart
        # ignore them, as the runtime does.
        _refuse_part_headers(value, at, self.docs)
        content_type = value.get("contentType", "")
        if not isinstance(content_type, str):
            raise self.docs.error((at[0], f"{at[1]}/contentType"), "expected a media type")
        return Encoding(content_type=content_type)

    def _media_fields(
        self, model: Model, schema: Any, at: Location, encoding: dict[str, Encoding]
    ) -> dict[str, Encoding]:
        """Multipart properties the 3.1 way (`type: string` with contentMediaType or
        contentEncoding) are files: their fields become `file`, and the media type and
        encoding become the part's defaults."""
        properties = self._raw_properties(schema, at)
        fields = list(model.fields)
        for index, f in enumerate(fields):
            if f.name not in properties:
                continue
            prop_schema, prop_at = properties[f.name]
            prop = self._resolved(prop_schema, prop_at)
            many = isinstance(prop, dict) and prop.get("type") == "array"
            items_at = (prop_at[0], f"{prop_at[1]}/items")
            item = self._resolved(prop.get("items"), items_at) if many else prop
            if not isinstance(item, dict) or not (
                "contentMediaType" in item or "contentEncoding" in item
            ):
                continue
            content_encoding = str(item.get("contentEncoding", ""))
            if (
                content_encoding
                and content_encoding not in _IDENTITY_ENCODINGS + _APPLIED_ENCODINGS
            ):
                raise self.docs.error(
                    prop_at,
                    f"contentEncoding {content_encoding!r} is not supported"
                    f" (supported: {', '.join(_IDENTITY_ENCODINGS + _APPLIED_ENCODINGS)})",
                )
            file = _FILE if f.type.item is None else list_of(_FILE)
            fields[index] = dataclasses.replace(f, type=file.with_nullable(f.type.nullable))
            declared = encoding.get(f.name, Encoding())
            encoding[f.name] = dataclasses.replace(
                declared,
                content_type=declared.content_type or str(item.get("contentMediaType", "")),
                content_encoding=(
                    content_encoding if content_encoding in _APPLIED_ENCODINGS else ""
                ),
            )
        if fields != list(model.fields):
            # The model is this body's own: its 3.1 file properties are files here.
            self.schemas.definitions[model.name] = dataclasses.replace(model, fields=tuple(fields))
        return {name: e for name, e in encoding.items() if e != Encoding()}

    # -- responses ----------------------------------------------------------------------

    def response(self, op: dict[str, Any], at: Location, hint: str) -> Response:
        responses = op.get("responses") or {}
        if not isinstance(responses, dict):
            raise self.docs.error((at[0], f"{at[1]}/responses"), "expected a mapping")
        found = self._success(responses, at)
        if found is None:
            return Response()
        content, content_at = found
        streams = [m for m in content if media_base(m) == EVENT_STREAM]
        others = [m for m in content if media_base(m) != EVENT_STREAM]
        events = None
        if streams:
            media_object = content[streams[0]] if isinstance(content[streams[0]], dict) else {}
            schema_at = _media_at(content_at, streams[0])
            events = (media_object.get("schema"), (schema_at[0], f"{schema_at[1]}/schema"))
        if not others:
            assert events is not None
            return Response(self.event_type(events, hint), streams[0])
        media = self._response_media(content, others, content_at)
        media_object = content[media] if content[media] is not None else {}
        if not isinstance(media_object, dict):
            raise self.docs.error(
                _media_at(content_at, media), "a media type object must be a mapping"
            )
        schema_at = _media_at(content_at, media)
        schema_at = (schema_at[0], f"{schema_at[1]}/schema")
        expr = self._response_type(media, media_object.get("schema"), schema_at, hint)
        return Response(expr, media, events)

    def event_type(self, events: tuple[Any, Location], hint: str) -> TypeExpr:
        """The type of each event of a `text/event-stream` (its data; text without a schema)."""
        schema, at = events
        if schema is None:
            return _STRING
        return self.schemas.type_of(schema, at, hint + "Event")

    def _success(
        self, responses: dict[Any, Any], at: Location
    ) -> tuple[dict[str, Any], Location] | None:
        """The content of the success response, and where the response is; None when it
        has none."""
        codes = {str(code): code for code in responses}
        exact = sorted(c for c in codes if len(c) == 3 and c.isdigit() and c.startswith("2"))
        ranged = [c for c in codes if c.upper() == "2XX"]
        candidates = exact + ranged if exact or ranged else [c for c in codes if c == "default"]
        for code in candidates:
            response_at: Location = (at[0], f"{at[1]}/responses/{escape_pointer(code)}")
            response, response_at = self.docs.resolve(responses[codes[code]], response_at)
            content = response.get("content") if isinstance(response, dict) else None
            if content is not None and not isinstance(content, dict):
                raise self.docs.error(
                    (response_at[0], f"{response_at[1]}/content"), "expected a mapping"
                )
            if content:
                return {str(m): v for m, v in content.items()}, response_at
        return None

    def _response_media(self, content: dict[str, Any], others: list[str], at: Location) -> str:
        json = sorted(
            (m for m in others if is_json_media(m)),
            key=lambda m: media_base(m) != "application/json",
        )
        for media in json:
            media_object = content[media] if isinstance(content[media], dict) else {}
            schema_at = _media_at(at, media)
            schema = self._resolved(
                media_object.get("schema"), (schema_at[0], f"{schema_at[1]}/schema")
            )
            if len(others) == 1 or not _is_plain_string(schema):
                return media
        return next(m for m in others if m not in json)

    def _response_type(self, media: str, schema: Any, at: Location, hint: str) -> TypeExpr:
        base = media_base(media)
        if is_json_media(base):
            return self.schemas.type_of(True if schema is None else schema, at, hint + "Response")
        text = base.startswith("text/") or base.endswith(("/xml", "+xml"))
        raw = self._bytes_or_text(base, schema, at, text)
        if raw is not None:
            return raw
        if is_wildcard_media(base):
            return self.schemas.type_of(schema, at, hint + "Response")
        return _FILE  # data in a format the SDK does not decode (msgpack, say): its bytes

    def _bytes_or_text(self, base: str, schema: Any, at: Location, text: bool) -> TypeExpr | None:
        """A non-JSON body or response as bytes or str, by its schema and media type (`text`:
        the type is read as text); None when the schema describes data to decode."""
        resolved = self._resolved(schema, at)
        if _is_binary(resolved):
            return _FILE
        if text:
            return _STRING
        if schema is None or resolved is True or resolved == {}:
            return _FILE
        return _STRING if _is_plain_string(resolved) else None

    # -- raw schemas ----------------------------------------------------------------

    def _resolved(self, schema: Any, at: Location) -> Any:
        """A schema (found at `at`) with its `$ref`s followed."""
        if not isinstance(schema, dict) or "$ref" not in schema:
            return schema
        return self.docs.resolve(schema, at)[0]

    def _raw_properties(self, schema: Any, at: Location) -> dict[str, tuple[Any, Location]]:
        """The properties of an object schema (its allOf members' included), each with
        where it is."""
        if not isinstance(schema, dict):
            return {}
        schema, at = self.docs.resolve(schema, at)
        if not isinstance(schema, dict):
            return {}
        found: dict[str, tuple[Any, Location]] = {}
        for index, member in enumerate(schema.get("allOf") or []):
            found.update(self._raw_properties(member, (at[0], f"{at[1]}/allOf/{index}")))
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for key, value in properties.items():
                found[str(key)] = (value, (at[0], f"{at[1]}/properties/{escape_pointer(str(key))}"))
        return found


def _media_at(at: Location, media: str) -> Location:
    return (at[0], f"{at[1]}/content/{escape_pointer(media)}")


def _is_binary(schema: Any) -> bool:
    """`format: binary` (3.0), or a 3.1 contentMediaType without a text encoding, here or
    in the items or members of the schema."""
    if not isinstance(schema, dict):
        return False
    if "contentMediaType" in schema and "contentEncoding" not in schema:
        return schema.get("type", "string") == "string"
    return _is_format_binary(schema)


def _is_format_binary(schema: Any) -> bool:
    """`format: binary` here, or in the items or members of the schema."""
    if not isinstance(schema, dict):
        return False
    inner = [schema, schema.get("items")]
    inner += list(schema.get("anyOf") or []) + list(schema.get("oneOf") or [])
    return any(isinstance(s, dict) and s.get("format") == "binary" for s in inner)


def _is_plain_string(schema: Any) -> bool:
    """`type: string` and nothing that makes it bytes, an enum or a constant."""
    return (
        isinstance(schema, dict)
        and schema.get("type") == "string"
        and not _is_binary(schema)
        and "enum" not in schema
        and "const" not in schema
    )


def _refuse_part_headers(value: dict[str, Any], at: Location, docs: Documents) -> None:
    """Encoding `headers` describe headers a caller would set on one part: not supported."""
    headers = value.get("headers") or {}
    named = (
        [str(h) for h in headers if str(h).lower() != "content-type"]
        if isinstance(headers, dict)
        else []
    )
    if named:
        raise docs.error(
            (at[0], f"{at[1]}/headers"),
            f"headers on a part ({', '.join(named)}) are not supported",
        )
