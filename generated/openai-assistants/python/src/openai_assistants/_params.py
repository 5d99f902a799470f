"""Parameters on the wire: the OpenAPI `style` and `explode` of every location.

Copied verbatim into every generated SDK. A resource method passes each query, header and
cookie argument to its `Request` as given (or wrapped in `Styled` when its document
declares a serialization other than its location's default), and each path argument
through `path_param`. The client serializes the rest when it sends, with the functions
below, which follow the style table of OpenAPI 3.1.1 (RFC 6570 expansion):

    location  style           array ["blue", "black"]           object {"R": 100, "G": 200}
    query     form            color=blue&color=black            R=100&G=200
              form, !explode  color=blue,black                  color=R,100,G,200
              spaceDelimited  color=blue%20black                color=R%20100%20G%20200
              pipeDelimited   color=blue%7Cblack                color=R%7C100%7CG%7C200
              deepObject      -                                 color%5BR%5D=100&color%5BG%5D=200
    path      simple          blue,black                        R,100,G,200 (explode: R=100,G=200)
              label           .blue,black (explode: .blue.black) .R,100,G,200 (explode: .R=100.G=200)
              matrix          ;color=blue,black                 ;color=R,100,G,200
                     explode: ;color=blue;color=black           ;R=100;G=200
    header    simple          blue,black                        R,100,G,200 (explode: R=100,G=200)
    cookie    form            color=blue; color=black           R=100; G=200 (!explode: color=R,100,G,200)

Values: true/false for booleans, numbers as Python writes them, None items left out (an
argument that is None or not given is not sent at all). Percent-encoding: in the query,
names and values keep only RFC 3986 unreserved characters (reserved ones too with
`allowReserved`); in the path, a value keeps the characters a path segment allows except
the delimiters of its style; cookie values are encoded like query values; header values
are sent as they are (OpenAPI: no URI percent-encoding in headers). A style's delimiter is
written as is where the URI allows it (`,` `.` `;` `=`) and encoded where it does not (`|`
`[` `]` and the space).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import cast

from ._types import NotGiven

__all__ = [
    "Styled",
    "cookie_header",
    "cookie_pairs",
    "header_value",
    "header_values",
    "is_sent",
    "path_param",
    "query_pairs",
    "query_string",
]

# Besides the unreserved characters (letters, digits, -._~), what a path segment may hold
# unencoded (RFC 3986 pchar); a style's own delimiters are taken out of it.
_SEGMENT_SAFE = "!$&'()*+,;=:@"
# What `allowReserved` leaves unencoded in a query value: RFC 3986 reserved characters,
# except `#`, which would end the query.
_RESERVED = ":/?[]@!$&'()*+,;="
_PERCENT_ESCAPE = re.compile(r"(%[0-9A-Fa-f]{2})")


@dataclass(frozen=True)
class Styled:
    """A query, header or cookie argument whose document declares a serialization other
    than its location's default (form in query and cookie, simple in header)."""

    value: object
    style: str
    explode: bool
    allow_reserved: bool = False


def is_sent(value: object) -> bool:
    """Whether an argument goes on the wire: one not given, or None, is left out."""
    if isinstance(value, Styled):
        value = value.value
    return value is not None and not isinstance(value, NotGiven)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (Mapping, list, tuple)):
        return json.dumps(value, separators=(",", ":"))  # nested data: as JSON
    return str(value)


def _shape(value: object) -> tuple[str, list[tuple[str, object]]]:
    """("object", pairs), ("array", items as ("", item)) or ("primitive", [("", value)]);
    None items and values are left out, as RFC 6570 leaves out undefined ones."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):  # a pydantic model: its data, as in a request body
        value = dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        items = cast("Mapping[object, object]", value).items()
        return "object", [
            (_text(k), v)
            for k, v in items
            if v is not None and not isinstance(v, NotGiven)
        ]
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        return "array", [
            ("", v) for v in cast("Iterable[object]", value) if v is not None
        ]
    return "primitive", [("", value)]


def _flat(pairs: list[tuple[str, object]]) -> list[str]:
    """An object's pairs as one list of texts: R, 100, G, 200."""
    return [text for key, value in pairs for text in (key, _text(value))]


# -- query ------------------------------------------------------------------------------


def _query_text(text: str, allow_reserved: bool = False) -> str:
    if not allow_reserved:
        return urllib.parse.quote(text, safe="")
    # Reserved characters, and percent-escapes already in the value, pass unchanged.
    parts = _PERCENT_ESCAPE.split(text)
    return "".join(
        part if i % 2 else urllib.parse.quote(part, safe=_RESERVED)
        for i, part in enumerate(parts)
    )


_QUERY_DELIMITERS = {"form": ",", "spaceDelimited": "%20", "pipeDelimited": "%7C"}


def query_pairs(
    name: str,
    value: object,
    style: str = "form",
    explode: bool = True,
    allow_reserved: bool = False,
) -> list[str]:
    """The `name=value` parts of the query string for one argument, encoded."""
    kind, pairs = _shape(value)
    key = _query_text(name)

    def encode(text: str) -> str:
        return _query_text(text, allow_reserved)

    if kind == "object" and style == "deepObject":
        return [
            f"{key}{_query_text('[' + k + ']')}={encode(_text(v))}" for k, v in pairs
        ]
    if kind == "primitive":
        return [f"{key}={encode(_text(value))}"]
    if not pairs:
        return []  # an empty list or object is undefined in RFC 6570: nothing is sent
    if explode or style == "deepObject":
        # form with explode (spaceDelimited and pipeDelimited only differ without it)
        if kind == "object":
            return [f"{_query_text(k)}={encode(_text(v))}" for k, v in pairs]
        return [f"{key}={encode(_text(v))}" for _, v in pairs]
    texts = _flat(pairs) if kind == "object" else [_text(v) for _, v in pairs]
    return [
        f"{key}=" + _QUERY_DELIMITERS.get(style, ",").join(encode(t) for t in texts)
    ]


# -- path -------------------------------------------------------------------------------


def _segment_text(text: str, delimiters: str = "") -> str:
    safe = "".join(c for c in _SEGMENT_SAFE if c not in delimiters)
    return urllib.parse.quote(text, safe=safe)


# A string of unreserved characters, as most IDs are: in the simple style, itself (neither
# `.` nor `..`, which would be read as dot-segments: it does not start with a dot)
_PLAIN = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")


def path_param(
    value: object, style: str = "simple", explode: bool = False, name: str = ""
) -> str:
    """A path argument in its style, percent-encoded so that it stays in its own segment:
    `/`, `?` or `#` in a value cannot change which URL is called."""
    if style == "simple" and type(value) is str and _PLAIN.fullmatch(value):
        return value  # a tenth of the general path below, and every call has one or two
    kind, pairs = _shape(value)
    if kind == "primitive":
        text = _text(value)
        if style == "label":
            encoded = "." + _segment_text(text)
        elif style == "matrix":
            prefix = ";" + _segment_text(name, ";=,")
            encoded = prefix + ("=" + _segment_text(text, ";=,") if text else "")
        else:
            encoded = _segment_text(text)
    else:
        delimiters = {"simple": ",=", "label": ".,=", "matrix": ";,="}.get(style, ",=")

        def enc(text: str) -> str:
            return _segment_text(text, delimiters)

        if kind == "object" and explode:
            texts = [f"{enc(k)}={enc(_text(v))}" for k, v in pairs]
        elif kind == "object":
            texts = [enc(t) for t in _flat(pairs)]
        elif style == "matrix" and explode:
            texts = [f"{enc(name)}={enc(_text(v))}" for _, v in pairs]
        else:
            texts = [enc(_text(v)) for _, v in pairs]
        if not texts:
            encoded = ""  # an empty list or object is undefined in RFC 6570: nothing
        elif style == "label":
            encoded = "." + ("." if explode else ",").join(texts)
        elif style == "matrix" and explode:
            encoded = ";" + ";".join(texts)
        elif style == "matrix":
            encoded = f";{enc(name)}=" + ",".join(texts)
        else:
            encoded = ",".join(texts)
    # `.` and `..` would be resolved away as dot-segments: they go encoded.
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


# -- header and cookie ------------------------------------------------------------------


def header_value(value: object, explode: bool = False) -> str:
    """A header argument in the simple style: no percent-encoding (OpenAPI forbids it in
    headers), commas between items, `key=value` pairs with explode."""
    kind, pairs = _shape(value)
    if kind == "primitive":
        return _text(value)
    if kind == "object" and explode:
        return ",".join(f"{k}={_text(v)}" for k, v in pairs)
    return ",".join(_flat(pairs) if kind == "object" else [_text(v) for _, v in pairs])


def cookie_pairs(name: str, value: object, explode: bool = True) -> list[str]:
    """The `name=value` cookies of one argument in the form style, values percent-encoded
    like query values. What form style joins with `&` is sent as separate cookies (a `&`
    in a Cookie header would be read as part of one value)."""
    kind, pairs = _shape(value)
    key = _query_text(name)
    if kind == "primitive":
        return [f"{key}={_query_text(_text(value))}"]
    if not pairs:
        return []
    if explode and kind == "object":
        return [f"{_query_text(k)}={_query_text(_text(v))}" for k, v in pairs]
    if explode:
        return [f"{key}={_query_text(_text(v))}" for _, v in pairs]
    texts = _flat(pairs) if kind == "object" else [_text(v) for _, v in pairs]
    return [f"{key}=" + ",".join(_query_text(t) for t in texts)]


# -- a request's parameters -------------------------------------------------------------


def query_string(query: Mapping[str, object]) -> str:
    """The query string of the arguments sent: each in the form style unless `Styled`."""
    parts: list[str] = []
    for name, value in query.items():
        if not is_sent(value):
            continue
        if isinstance(value, Styled):
            parts += query_pairs(
                name, value.value, value.style, value.explode, value.allow_reserved
            )
        else:
            parts += query_pairs(name, value)
    return "&".join(parts)


def header_values(headers: Mapping[str, object]) -> dict[str, str]:
    """The header arguments sent, in the simple style."""
    found: dict[str, str] = {}
    for name, value in headers.items():
        if not is_sent(value):
            continue
        if isinstance(value, Styled):
            found[name] = header_value(value.value, value.explode)
        else:
            found[name] = header_value(value)
    return found


def cookie_header(cookies: Mapping[str, object]) -> str:
    """The `Cookie` header value of the cookie arguments sent ("" if none is)."""
    parts: list[str] = []
    for name, value in cookies.items():
        if not is_sent(value):
            continue
        if isinstance(value, Styled):
            parts += cookie_pairs(name, value.value, value.explode)
        else:
            parts += cookie_pairs(name, value)
    return "; ".join(parts)
