"""Request bodies by media type: JSON, a urlencoded form, multipart/form-data with files,
raw bytes and text.

Copied verbatim into every generated SDK. A resource method gives its `Request` the body
(a mapping of fields, or the raw value), the media type its document names, and for
multipart the fields that may hold files and the parts' own content types. The client
prepares the body once per call (`prepare_body`: files and paths are read then, so a retry
sends the same bytes), then writes it for each attempt (`body_arguments`):

    JSON (application/json, +json)   the data as JSON, Content-Type the media type
    application/x-www-form-urlencoded `a=1&tags=x&tags=y`: each field as a form-style query
                                      parameter (exploded), or `Styled` as its encoding says
    multipart/form-data               one part per field in order; a list is one part per
                                      item; files with their filename and content type
                                      (given, the encoding's, else guessed from the name);
                                      text fields as text; objects as application/json parts
    text/*                            the string, UTF-8
    anything else                     the bytes (from bytes, an open binary file or a path)

A field that is None or not given is left out of a form or multipart body (they cannot
say null); a JSON body sends None as null.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import os
import sys
from collections.abc import Collection, Iterable, Mapping
from typing import Any, cast

from ._params import Styled, is_sent, query_string
from ._types import NotGiven

__all__ = [
    "body_arguments",
    "media_base",
    "prepare_body",
    "read_file",
    "to_jsonable",
    "with_extra_body",
]

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


def _is_model(value: object) -> bool:
    """A pydantic model. Asked of sys.modules, not by importing pydantic: a value can only be
    a model once pydantic is loaded, and loading it here would put it back on the package's
    import (`import pkg; pkg.Client()` loads neither httpx nor pydantic)."""
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(value, pydantic.BaseModel)


def to_jsonable(value: object) -> object:
    """Request data as JSON: NOT_GIVEN dropped, iterables as lists, models as dicts."""
    if isinstance(value, Mapping):
        items = cast("Mapping[object, object]", value).items()
        return {str(k): to_jsonable(v) for k, v in items if not isinstance(v, NotGiven)}
    if isinstance(value, (str, bytes, int, float, bool)) or value is None:
        return value
    if _is_model(value):  # before Iterable: a model iterates over its fields
        return cast("Any", value).model_dump(
            mode="json", by_alias=True, exclude_unset=True
        )
    if isinstance(value, Iterable):
        return [to_jsonable(v) for v in cast("Iterable[object]", value)]
    return value


def media_base(content_type: str) -> str:
    """`type/subtype` of a media type, lower-cased, without its parameters."""
    return content_type.split(";", 1)[0].strip().lower()


def _is_json(content_type: str) -> bool:
    base = media_base(content_type)
    return base == "application/json" or base.endswith("+json")


def _is_file_content(value: object) -> bool:
    return isinstance(value, (bytes, bytearray, memoryview, os.PathLike)) or callable(
        getattr(value, "read", None)
    )


def _kind(content_type: str, body: object) -> str:
    base = media_base(content_type)
    if _is_json(base):
        return "json"
    if base == FORM:
        return "form"
    if base == MULTIPART:
        return "multipart"
    if isinstance(body, str):
        return "text"
    if _is_file_content(body) or not (
        isinstance(body, (Mapping, list, tuple)) or _is_model(body)
    ):
        return "binary"
    return "json"  # a wildcard media type (`*/*`) for data


def read_file(content: object) -> bytes:
    """The bytes of a file given as bytes, an open binary file, or a path."""
    if isinstance(content, (bytes, bytearray, memoryview)):
        return bytes(content)
    if isinstance(
        content, os.PathLike
    ):  # open(), not pathlib: pathlib costs 6 ms to import
        with open(cast("os.PathLike[str]", content), "rb") as file:
            return file.read()
    read = getattr(content, "read", None)
    if callable(read):
        data = read()
        if isinstance(data, str):
            raise TypeError(
                "A file must be opened in binary mode ('rb'), not text mode."
            )
        return bytes(cast("bytes", data))
    raise TypeError(
        f"Expected bytes, a binary file or a path, got {type(content).__name__}."
    )


def _filename(content: object) -> str:
    if isinstance(content, os.PathLike):
        return os.path.basename(os.fspath(cast("os.PathLike[str]", content)))
    name = getattr(content, "name", None)
    return os.path.basename(name) if isinstance(name, str) and name else "upload"


def _file_part(value: object, content_type: str, encoding: str) -> tuple[object, ...]:
    """One file as httpx takes it: (filename, bytes, content type[, headers])."""
    headers: Mapping[str, str] | None = None
    if isinstance(value, tuple):
        parts: tuple[Any, ...] = value
        if not 2 <= len(parts) <= 4:
            raise TypeError(
                "A file tuple is (filename, content[, content type[, headers]])."
            )
        filename: str | None = parts[0]
        content = read_file(parts[1])
        content_type = (parts[2] if len(parts) > 2 else None) or content_type
        headers = parts[3] if len(parts) > 3 else None
    else:
        filename, content = _filename(value), read_file(value)
    if not content_type or "*" in content_type or "," in content_type:
        guessed = mimetypes.guess_type(filename)[0] if filename else None
        content_type = guessed or "application/octet-stream"
    content = _encoded(content, encoding)
    return (
        (filename, content, content_type)
        if headers is None
        else (filename, content, content_type, headers)
    )


def _encoded(content: bytes, encoding: str) -> bytes:
    """A file's bytes in the part's contentEncoding (base64, base64url), if it has one."""
    if encoding == "base64":
        return base64.b64encode(content)
    if encoding == "base64url":
        return base64.urlsafe_b64encode(content)
    return content


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _field_parts(value: object, content_type: str) -> list[tuple[object, ...]]:
    """A field that holds no file: text parts (a list: one an item), or a JSON part."""
    if isinstance(value, Mapping) or _is_model(value) or _is_json(content_type):
        data = json.dumps(to_jsonable(value), separators=(",", ":"), ensure_ascii=False)
        return [(None, data.encode("utf-8"), content_type or "application/json")]
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        items = cast("Iterable[object]", value)
        return [
            part
            for item in items
            if item is not None
            for part in _field_parts(item, content_type)
        ]
    text = _text(value).encode("utf-8")
    return [(None, text, content_type)] if content_type else [(None, text)]


def _multipart(
    body: Mapping[str, object],
    files: Collection[str],
    part_types: Mapping[str, str],
    part_encodings: Mapping[str, str],
) -> list[tuple[str, tuple[object, ...]]]:
    """Every part, in field order: (name, (filename or None, bytes, content type...))."""
    parts: list[tuple[str, tuple[object, ...]]] = []
    for name, value in body.items():
        if not is_sent(value):
            continue
        content_type = part_types.get(name, "")
        if name in files and (isinstance(value, tuple) or _is_file_content(value)):
            parts.append(
                (name, _file_part(value, content_type, part_encodings.get(name, "")))
            )
        elif (
            name in files
            and isinstance(value, Iterable)
            and not isinstance(value, (str, Mapping))
        ):
            for item in cast("Iterable[object]", value):
                if isinstance(item, tuple) or _is_file_content(item):
                    parts.append(
                        (
                            name,
                            _file_part(
                                item, content_type, part_encodings.get(name, "")
                            ),
                        )
                    )
                else:
                    parts += [(name, part) for part in _field_parts(item, content_type)]
        else:
            concrete = (
                content_type
                if "*" not in content_type and "," not in content_type
                else ""
            )
            parts += [(name, part) for part in _field_parts(value, concrete)]
    return parts


def _form_value(value: object) -> object:
    if isinstance(value, Styled):
        return Styled(
            to_jsonable(value.value), value.style, value.explode, value.allow_reserved
        )
    return to_jsonable(value)


def prepare_body(
    body: object,
    content_type: str,
    files: Collection[str] = (),
    part_types: Mapping[str, str] | None = None,
    part_encodings: Mapping[str, str] | None = None,
) -> object:
    """The body as it will be sent, made once per call: JSON data, form fields, multipart
    parts with every file read, bytes, or text."""
    kind = _kind(content_type, body)
    if kind == "json":
        return to_jsonable(body)
    if kind == "form":
        return {
            name: _form_value(v)
            for name, v in cast("Mapping[str, object]", body).items()
        }
    if kind == "multipart":
        return _multipart(
            cast("Mapping[str, object]", body),
            files,
            part_types or {},
            part_encodings or {},
        )
    if kind == "text":
        return body
    return read_file(body)


def with_extra_body(body: object, extra: object, content_type: str) -> object:
    """A prepared body with the caller's `extra_body` fields added (JSON, form, multipart)."""
    kind = _kind(content_type, body)
    if kind in ("json", "form") and isinstance(body, Mapping):
        added = cast("dict[str, object]", to_jsonable(extra))
        return {**cast("Mapping[str, object]", body), **added}
    if kind == "multipart" and isinstance(body, list) and isinstance(extra, Mapping):
        parts = cast("list[tuple[str, tuple[object, ...]]]", body)
        return parts + _multipart(cast("Mapping[str, object]", extra), (), {}, {})
    raise TypeError(
        f"extra_body adds fields to a JSON, form or multipart body, not to {content_type}."
    )


def body_arguments(
    body: object, content_type: str
) -> tuple[dict[str, str], dict[str, Any]]:
    """The headers and httpx.Request keyword arguments that send a prepared body."""
    base = media_base(content_type)
    kind = _kind(content_type, body)
    if kind == "multipart":
        parts = cast("list[tuple[str, tuple[object, ...]]]", body)
        if not parts:  # no field set: an empty multipart body (httpx would send none)
            boundary = os.urandom(16).hex()
            return {"Content-Type": f"{MULTIPART}; boundary={boundary}"}, {
                "content": f"--{boundary}--\r\n".encode()
            }
        return {}, {"files": parts}
    if kind == "form":
        return {"Content-Type": FORM}, {
            "content": query_string(cast("Mapping[str, object]", body)).encode("ascii")
        }
    if kind == "text":
        sent = content_type if "*" not in base else "text/plain"
        if "charset=" not in sent.lower():
            sent += "; charset=utf-8"
        return {"Content-Type": sent}, {"content": cast("str", body).encode("utf-8")}
    if kind == "binary":
        sent = content_type if "*" not in base else "application/octet-stream"
        return {"Content-Type": sent}, {"content": body}
    # JSON: httpx writes it; the Content-Type is the document's (a vendor type stays itself).
    headers = (
        {"Content-Type": content_type}
        if "*" not in base and base != "application/json"
        else {}
    )
    return headers, {"json": body}
