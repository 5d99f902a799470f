"""Parameters as the document says: every OpenAPI `style` and `explode` on the wire, headers
and cookies, readOnly/writeOnly properties, and enums at the edges (only null, const, mixed
types). Corpus documents with no overlay, exercised through httpx.MockTransport.

The expected strings are those of the Style Examples table of OpenAPI 3.1.1 (parameter
`color`; string "blue", array ["blue", "black", "brown"], object {"R": 100, "G": 200,
"B": 150}). Where 3.1.0 printed something else, 3.1.1 corrected it (RFC 6570): label
without explode is `.blue,black,brown`, and `|` and `[` `]`, which a URI cannot hold raw,
go percent-encoded (`blue%7Cblack%7Cbrown`, `color%5BR%5D=100`).
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from ruff.__main__ import find_ruff_bin

from sdkgen.errors import InputError
from sdkgen.output import write_tree
from sdkgen.pipeline import render
from sdkgen.spec import dump_spec, parse_spec
from sdkgen.spec.load import SpecError

from .conftest import MYPY
from .corpus import (
    CORPUS,
    import_document,
    json_response,
    module_sdk,
    recording_client,
)

COLORS = ["blue", "black", "brown"]
RGB = {"R": 100, "G": 200, "B": 150}


@pytest.fixture(scope="module")
def query_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from module_sdk(tmp_path_factory, "params_query_styles")


@pytest.fixture(scope="module")
def path_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from module_sdk(tmp_path_factory, "params_path_styles")


@pytest.fixture(scope="module")
def wire_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from module_sdk(tmp_path_factory, "params_header_cookie")


@pytest.fixture(scope="module")
def rw_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from module_sdk(tmp_path_factory, "params_readonly_writeonly")


@pytest.fixture(scope="module")
def enum_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from module_sdk(tmp_path_factory, "enums_null_const_mixed")


@pytest.fixture(scope="module")
def runtime(query_sdk: ModuleType) -> Any:
    """The `_params` runtime module as it ships in a generated SDK."""
    return importlib.import_module(f"{query_sdk.__name__}._params")


def client(sdk: ModuleType, seen: list[httpx.Request], body: Any = None, **options: Any) -> Any:
    """A client of `sdk` recording its requests; each is answered with `body` (or 204)."""
    handler = json_response(body) if body is not None else (lambda r: httpx.Response(204))
    if "api_key" in inspect.signature(sdk.Client).parameters:
        options.setdefault("api_key", "k")  # a client that still insists on a key
    return sdk.Client(http_client=recording_client(seen, handler), max_retries=0, **options)


def target(request: httpx.Request) -> str:
    """The path and raw query string exactly as sent."""
    return request.url.raw_path.decode("ascii")


# -- query ----------------------------------------------------------------------------

QUERY_TABLE = [
    ("form_string", "blue", "/form/string?color=blue"),
    ("form_string", "", "/form/string?color="),
    ("form_array", COLORS, "/form/array?color=blue&color=black&color=brown"),
    ("form_array_flat", COLORS, "/form/array/flat?color=blue,black,brown"),
    ("form_object", RGB, "/form/object?R=100&G=200&B=150"),
    ("form_object_flat", RGB, "/form/object/flat?color=R,100,G,200,B,150"),
    ("space_array", COLORS, "/space/array?color=blue%20black%20brown"),
    ("space_object", RGB, "/space/object?color=R%20100%20G%20200%20B%20150"),
    ("pipe_array", COLORS, "/pipe/array?color=blue%7Cblack%7Cbrown"),
    ("pipe_object", RGB, "/pipe/object?color=R%7C100%7CG%7C200%7CB%7C150"),
    ("deep_object", RGB, "/deep?color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"),
]


@pytest.mark.parametrize(("method", "value", "expected"), QUERY_TABLE)
def test_query_styles_follow_the_style_table(
    query_sdk: ModuleType, method: str, value: object, expected: str
) -> None:
    seen: list[httpx.Request] = []
    getattr(client(query_sdk, seen).query, method)(color=value)
    assert [target(r) for r in seen] == [expected]


def test_query_arguments_not_given_none_or_empty_are_not_sent(query_sdk: ModuleType) -> None:
    seen: list[httpx.Request] = []
    query = client(query_sdk, seen).query
    query.form_array()
    query.form_array(color=[])
    query.pipe_object(color={})
    query.search(q="x", cursor=None)
    query.deep_object(color={"R": 1, "G": None})  # a None member is left out too
    assert [target(r) for r in seen] == [
        "/form/array",
        "/form/array",
        "/pipe/object",
        "/search?q=x",
        "/deep?color%5BR%5D=1",
    ]


def test_query_values_are_percent_encoded_unless_reserved_are_allowed(
    query_sdk: ModuleType,
) -> None:
    seen: list[httpx.Request] = []
    query = client(query_sdk, seen).query
    query.search(q="a b&c=d/é+", path="/a/b?c=d#e%20f", limit=0, exact=False, cursor="c,1")
    query.deep_object(filter={"status": "open", "tag": "a b"})
    assert [target(r) for r in seen] == [
        (
            "/search?q=a%20b%26c%3Dd%2F%C3%A9%2B&path=/a/b?c=d%23e%20f&limit=0&exact=false"
            "&cursor=c%2C1"
        ),
        "/deep?filter%5Bstatus%5D=open&filter%5Btag%5D=a%20b",
    ]


def test_extra_query_is_form_style_and_overrides_by_name(query_sdk: ModuleType) -> None:
    seen: list[httpx.Request] = []
    query = client(query_sdk, seen, default_query={"v": 2}).query
    query.form_array_flat(color=COLORS, extra_query={"ids": ("a", "b"), "on": True})
    query.pipe_array(color=COLORS, extra_query={"color": "red"})
    assert [target(r) for r in seen] == [
        "/form/array/flat?v=2&color=blue,black,brown&ids=a&ids=b&on=true",
        "/pipe/array?v=2&color=red",
    ]


def test_async_client_sends_styles_alike(query_sdk: ModuleType) -> None:
    seen: list[httpx.Request] = []

    async def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    options: dict[str, Any] = {"max_retries": 0}
    if "api_key" in inspect.signature(query_sdk.AsyncClient).parameters:
        options["api_key"] = "k"

    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(record))
        async with query_sdk.AsyncClient(http_client=http, **options) as api:
            await api.query.space_array(color=COLORS)

    asyncio.run(main())
    assert [target(r) for r in seen] == ["/space/array?color=blue%20black%20brown"]


# -- path -----------------------------------------------------------------------------

PATH_TABLE = [
    ("simple", "blue", "blue"),
    ("simple", COLORS, "blue,black,brown"),
    ("simple", RGB, "R,100,G,200,B,150"),
    ("simple_explode", "blue", "blue"),
    ("simple_explode", COLORS, "blue,black,brown"),
    ("simple_explode", RGB, "R=100,G=200,B=150"),
    ("label", "blue", ".blue"),
    ("label", COLORS, ".blue,black,brown"),
    ("label", RGB, ".R,100,G,200,B,150"),
    ("label_explode", "blue", ".blue"),
    ("label_explode", COLORS, ".blue.black.brown"),
    ("label_explode", RGB, ".R=100.G=200.B=150"),
    ("matrix", "blue", ";color=blue"),
    ("matrix", COLORS, ";color=blue,black,brown"),
    ("matrix", RGB, ";color=R,100,G,200,B,150"),
    ("matrix_explode", "blue", ";color=blue"),
    ("matrix_explode", COLORS, ";color=blue;color=black;color=brown"),
    ("matrix_explode", RGB, ";R=100;G=200;B=150"),
]
_KINDS = {str: "string", list: "array", dict: "object"}


@pytest.mark.parametrize(("style", "value", "expected"), PATH_TABLE)
def test_path_styles_follow_the_style_table(
    path_sdk: ModuleType, style: str, value: object, expected: str
) -> None:
    seen: list[httpx.Request] = []
    base, _, explode = style.partition("_")
    method = f"{base}_{_KINDS[type(value)]}" + ("_explode" if explode else "")
    getattr(client(path_sdk, seen).paths, method)(value)
    prefix = f"/v1/{base}{'-explode' if explode else ''}/{_KINDS[type(value)]}/"
    assert [target(r) for r in seen] == [f"{prefix}{expected}/items"]


def test_path_values_stay_in_their_segment(path_sdk: ModuleType) -> None:
    seen: list[httpx.Request] = []
    paths = client(path_sdk, seen).paths
    paths.simple_string("a/b c,d;e=f")  # no delimiter in play: as before, pchar stays
    paths.simple_array(["a,b", "c/d"])  # `,` separates items: inside one it is encoded
    paths.label_array(["a.b", "c,d"])
    paths.matrix_array_explode(["x;y", "z=1"])
    paths.simple_object_explode({"k=": "v,"})
    paths.label_string("")  # an empty label is `.`, which must not become a dot-segment
    paths.matrix_string("")
    paths.get_user(0)  # 0 is a value, not an empty one
    assert [target(r).removeprefix("/v1") for r in seen] == [
        "/simple/string/a%2Fb%20c,d;e=f/items",
        "/simple/array/a%2Cb,c%2Fd/items",
        "/label/array/.a.b,c%2Cd/items",
        "/matrix-explode/array/;color=x%3By;color=z%3D1/items",
        "/simple-explode/object/k%3D=v%2C/items",
        "/label/string/%2E/items",
        "/matrix/string/;color/items",
        "/users/0",
    ]


def test_an_empty_simple_path_value_is_refused_before_sending(path_sdk: ModuleType) -> None:
    seen: list[httpx.Request] = []
    paths = client(path_sdk, seen).paths
    with pytest.raises(ValueError, match="Expected a non-empty value for `color`"):
        paths.simple_string("")
    with pytest.raises(ValueError, match="Expected a non-empty value for `color`"):
        paths.simple_array([])
    assert seen == []


# -- headers and cookies --------------------------------------------------------------


def headers_of(request: httpx.Request) -> dict[str, str]:
    return {k: v for k, v in request.headers.items() if k.startswith("x-") or k == "cookie"}


def test_header_parameters_in_the_simple_style(wire_sdk: ModuleType) -> None:
    seen: list[httpx.Request] = []
    wire = client(wire_sdk, seen).wire
    wire.send_headers(
        x_request_tag="t 1",
        x_colors=COLORS,
        x_rgb=RGB,
        x_rgb_exploded=RGB,
        x_dry_run=True,
        x_max=0,
    )
    assert headers_of(seen[0]) == {
        "x-request-tag": "t 1",  # headers are not percent-encoded
        "x-colors": "blue,black,brown",
        "x-rgb": "R,100,G,200,B,150",
        "x-rgb-exploded": "R=100,G=200,B=150",
        "x-dry-run": "true",
        "x-max": "0",
    }


def test_optional_headers_not_given_or_none_are_not_sent(wire_sdk: ModuleType) -> None:
    seen: list[httpx.Request] = []
    wire = client(wire_sdk, seen).wire
    wire.send_headers(x_request_tag="t1")
    wire.send_headers(x_request_tag="t2", x_trace=None, x_colors=[])
    assert [headers_of(r) for r in seen] == [
        {"x-request-tag": "t1"},
        {"x-request-tag": "t2", "x-colors": ""},
    ]
    assert all("NOT_GIVEN" not in value for r in seen for value in r.headers.values())


def test_extra_headers_override_header_parameters(wire_sdk: ModuleType) -> None:
    seen: list[httpx.Request] = []
    wire = client(wire_sdk, seen).wire
    wire.send_headers(x_request_tag="t1", x_max=3, extra_headers={"X-Max": "4"})
    assert headers_of(seen[0]) == {"x-request-tag": "t1", "x-max": "4"}


def test_cookie_parameters_in_the_form_style(wire_sdk: ModuleType) -> None:
    seen: list[httpx.Request] = []
    wire = client(wire_sdk, seen).wire
    wire.send_cookies(session="s 1;x")
    wire.send_cookies(session="s", theme="dark", color=COLORS, palette=COLORS, rgb=RGB, prefs=RGB)
    wire.send_cookies(session="s", theme=None, color=[])
    assert [r.headers.get("cookie") for r in seen] == [
        "session=s%201%3Bx",
        (
            "session=s; theme=dark; color=blue; color=black; color=brown;"
            " palette=blue,black,brown; rgb=R,100,G,200,B,150; R=100; G=200; B=150"
        ),
        "session=s",
    ]


def test_wire_method_signatures(wire_sdk: ModuleType) -> None:
    """Header arguments are snake_case (headers are case-insensitive), cookies by name."""
    wire = client(wire_sdk, []).wire
    send_headers = inspect.signature(wire.send_headers).parameters
    send_cookies = inspect.signature(wire.send_cookies).parameters
    assert [n for n in send_headers if n.startswith("x_")] == [
        "x_request_tag",
        "x_colors",
        "x_rgb",
        "x_rgb_exploded",
        "x_dry_run",
        "x_max",
        "x_trace",
    ]
    assert send_headers["x_request_tag"].default is inspect.Parameter.empty
    assert list(send_cookies)[:6] == ["session", "theme", "color", "palette", "rgb", "prefs"]


# -- the runtime functions, directly --------------------------------------------------


def test_runtime_query_pairs(runtime: Any) -> None:
    pairs = runtime.query_pairs
    assert pairs("color", "blue") == ["color=blue"]
    assert pairs("color", COLORS) == ["color=blue", "color=black", "color=brown"]
    assert pairs("color", COLORS, "form", False) == ["color=blue,black,brown"]
    assert pairs("color", RGB) == ["R=100", "G=200", "B=150"]
    assert pairs("color", RGB, "form", False) == ["color=R,100,G,200,B,150"]
    assert pairs("color", COLORS, "spaceDelimited", False) == ["color=blue%20black%20brown"]
    assert pairs("color", COLORS, "pipeDelimited", False) == ["color=blue%7Cblack%7Cbrown"]
    assert pairs("color", COLORS, "pipeDelimited", True) == pairs("color", COLORS)
    assert pairs("color", RGB, "deepObject", True) == [
        "color%5BR%5D=100",
        "color%5BG%5D=200",
        "color%5BB%5D=150",
    ]
    assert pairs("a b", ["x,y", "é"], "form", False) == ["a%20b=x%2Cy,%C3%A9"]
    assert pairs("t", [True, 1.5, None, {"k": [1]}]) == [
        "t=true",
        "t=1.5",
        "t=%7B%22k%22%3A%5B1%5D%7D",
    ]
    assert pairs("p", "/a?b=c&d#e%2F", allow_reserved=True) == ["p=/a?b=c&d%23e%2F"]
    assert pairs("p", "/a%2F", allow_reserved=False) == ["p=%2Fa%252F"]
    assert pairs("color", [], "form", False) == []


def test_runtime_path_param(runtime: Any) -> None:
    path_param = runtime.path_param
    assert path_param("thr a/b?#") == "thr%20a%2Fb%3F%23"
    assert path_param("..") == "%2E%2E"
    assert path_param(True) == "true"
    assert path_param(7) == "7"
    assert path_param(COLORS, "label", explode=True) == ".blue.black.brown"
    assert path_param(RGB, "matrix", explode=False, name="color") == ";color=R,100,G,200,B,150"
    assert path_param(["a;b"], "matrix", explode=True, name="c;d") == ";c%3Bd=a%3Bb"
    assert path_param([], "label") == ""


def test_runtime_headers_and_cookies(runtime: Any, query_sdk: ModuleType) -> None:
    Styled, not_given = runtime.Styled, query_sdk.NOT_GIVEN
    assert runtime.header_value(RGB) == "R,100,G,200,B,150"
    assert runtime.header_value(RGB, explode=True) == "R=100,G=200,B=150"
    assert runtime.header_value("a b,%") == "a b,%"
    assert runtime.header_values(
        {"A": not_given, "B": None, "C": False, "D": Styled(RGB, "simple", True)}
    ) == {"C": "false", "D": "R=100,G=200,B=150"}
    assert runtime.header_values({"E": Styled(not_given, "simple", True)}) == {}
    assert runtime.cookie_pairs("c", COLORS) == ["c=blue", "c=black", "c=brown"]
    assert runtime.cookie_pairs("c", COLORS, explode=False) == ["c=blue,black,brown"]
    assert runtime.cookie_header({"a": "1 2", "b": not_given, "c": None}) == "a=1%202"
    assert runtime.cookie_header({"o": Styled(RGB, "form", False)}) == "o=R,100,G,200,B,150"
    assert runtime.query_string(
        {"a": not_given, "b": None, "c": Styled(COLORS, "form", False), "d": [1, 2]}
    ) == ("c=blue,black,brown&d=1&d=2")


def test_runtime_reads_pydantic_models_as_objects(runtime: Any, query_sdk: ModuleType) -> None:
    class Point(query_sdk.BaseModel):
        x: int
        y: int | None = None

    assert runtime.query_pairs("p", Point(x=1), "deepObject", True) == ["p%5Bx%5D=1"]


# -- the normalized spec --------------------------------------------------------------


def test_style_and_explode_are_written_only_when_not_the_default(tmp_path: Path) -> None:
    spec = import_document(CORPUS / "params_query_styles", tmp_path)
    methods = {m.name: m for _, m in spec.methods()}
    color = methods["form_string"].query_params[0]
    assert (color.style, color.explode) == ("", False)
    assert color.serialization("query") == ("form", False)
    assert methods["form_array"].query_params[0].serialization("query") == ("form", True)
    deep = methods["deep_object"].query_params
    assert [(p.style, p.explode) for p in deep] == [("deepObject", True), ("deepObject", None)]
    assert [p.allow_reserved for p in methods["search"].query_params][:2] == [False, True]
    text = dump_spec(spec)
    assert "      form_array:\n" in text
    assert (
        "        query_params:\n          color:\n            type: Colors\n      form_array_flat:"
        in text
    )
    assert parse_spec(text) == spec  # what is dumped loads back the same


def test_an_explicit_default_style_reads_like_an_unsaid_one(tmp_path: Path) -> None:
    document = """
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /a/{id}:
    get:
      operationId: get_a
      parameters:
        - {name: id, in: path, required: true, style: simple, explode: false, schema: {type: string}}
        - {name: q, in: query, style: form, explode: true, schema: {type: string}}
        - {name: X-H, in: header, style: simple, schema: {type: string}}
        - {name: c, in: cookie, style: form, explode: false, schema: {type: string}}
      responses: {"204": {description: Done.}}
"""
    spec = import_document(document, tmp_path)
    method = spec.methods()[0][1]
    assert [(loc, p.style, p.explode) for loc, p in method.params()] == [
        ("path", "", None),
        ("query", "", None),
        ("header", "", None),
        ("cookie", "", False),
    ]
    assert "cookie_params:\n          c:\n            type: string\n            explode: false" in (
        dump_spec(spec)
    )


def test_the_importer_refuses_a_style_its_location_does_not_have(tmp_path: Path) -> None:
    document = """
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /a:
    get:
      parameters:
        - {name: X-Filter, in: header, style: deepObject, schema: {type: object}}
      responses: {"204": {description: Done.}}
"""
    with pytest.raises(InputError) as caught:
        import_document(document, tmp_path)
    assert caught.value.message == (
        "#/paths/~1a/get/parameters/0/style: style 'deepObject' is not allowed in a header"
        " parameter (allowed: simple)"
    )
    with pytest.raises(InputError) as caught:
        import_document(document.replace("in: header, style: deepObject", "in: body"), tmp_path)
    assert caught.value.message == (
        "#/paths/~1a/get/parameters/0/in: unknown parameter location 'body'"
        " (expected one of path, query, header, cookie)"
    )
    with pytest.raises(InputError) as caught:
        import_document(document.replace("style: deepObject", "explode: 'yes'"), tmp_path)
    assert (
        caught.value.message
        == "#/paths/~1a/get/parameters/0/explode: expected true or false, got a string"
    )


SPEC = """
api: {name: t}
resources:
  r:
    methods:
      get:
        http: GET /a/{id}
        path_params:
          id: {type: string, required: true, style: %s}
        query_params:
          q: {type: string, style: %s, explode: %s}
        header_params:
          h: {type: string, allow_reserved: true}
        cookie_params:
          c: {type: string, style: %s}
"""


def test_the_loader_checks_styles_by_location_with_their_place() -> None:
    valid = SPEC % ("matrix", "pipeDelimited", "false", "form")
    spec = parse_spec(valid.replace("h: {type: string, allow_reserved: true}", "h: {type: string}"))
    method = spec.methods()[0][1]
    assert [(loc, p.style, p.explode) for loc, p in method.params()] == [
        ("path", "matrix", None),
        ("query", "pipeDelimited", None),
        ("header", "", None),
        ("cookie", "", None),
    ]
    with pytest.raises(SpecError) as caught:
        parse_spec(SPEC % ("form", "matrix", "1", "deepObject"))
    where = "resources.r.methods.get"
    assert caught.value.problems == [
        (
            f"{where}.path_params.id.style",
            "style 'form' is not allowed in a path parameter (allowed: simple, label, matrix)",
        ),
        (
            f"{where}.query_params.q.style",
            (
                "style 'matrix' is not allowed in a query parameter"
                " (allowed: form, spaceDelimited, pipeDelimited, deepObject)"
            ),
        ),
        (f"{where}.query_params.q.explode", "expected true or false"),
        (f"{where}.header_params.h.allow_reserved", "only query parameters take allow_reserved"),
        (
            f"{where}.cookie_params.c.style",
            "style 'deepObject' is not allowed in a cookie parameter (allowed: form)",
        ),
    ]


# -- readOnly and writeOnly -----------------------------------------------------------


def test_read_only_is_not_sent_and_write_only_is_not_returned(rw_sdk: ModuleType) -> None:
    types = rw_sdk.types
    assert list(types.User.model_fields) == ["id", "name", "created_at", "nickname"]
    assert list(types.UserParam.__annotations__) == ["name", "password"]
    # Required[...] as written (the annotations are strings: runtime typing cannot tell)
    annotations = types.UserParam.__annotations__.items()
    written = {k: getattr(v, "__forward_arg__", v) for k, v in annotations}
    assert written == {"name": "Required[str]", "password": "Required[str]"}
    assert list(types.Settings.model_fields) == ["theme", "updated_by"]
    assert list(types.SettingsParam.__annotations__) == ["theme", "api_token"]
    seen: list[httpx.Request] = []
    answer = {"id": "u1", "name": "Ada", "created_at": 1, "password": "leaked"}
    users = client(rw_sdk, seen, answer).users
    arguments = inspect.signature(users.create).parameters
    assert [n for n in arguments if not n.startswith(("extra_", "timeout"))] == ["name", "password"]
    user = users.create(name="Ada", password="secret99")
    assert seen[0].content == b'{"name":"Ada","password":"secret99"}'
    assert (user.id, user.name, user.created_at) == ("u1", "Ada", 1)
    assert "password" not in type(user).model_fields  # kept as an unknown extra only


def test_read_and_write_only_reach_the_normalized_spec(tmp_path: Path) -> None:
    spec = import_document(CORPUS / "params_readonly_writeonly", tmp_path)
    user = next(m for m in spec.models if m.name == "User")
    flags = {f.name: (f.read_only, f.write_only) for f in user.fields}
    assert flags == {
        "id": (True, False),
        "name": (False, False),
        "password": (False, True),
        "created_at": (True, False),
        "nickname": (True, False),
    }
    text = dump_spec(spec)
    assert (
        "      id:\n        type: string\n        required: true\n        read_only: true\n" in text
    )
    assert parse_spec(text) == spec


# -- enums ----------------------------------------------------------------------------


def test_null_const_and_mixed_enums_in_the_normalized_spec(tmp_path: Path) -> None:
    spec = import_document(CORPUS / "enums_null_const_mixed", tmp_path)
    thing = next(m for m in spec.models if m.name == "Thing")
    assert {f.name: str(f.type) for f in thing.fields} == {
        "kind": 'literal["thing"]',
        "version": "literal[2]",
        "cleared": "literal[null]",
        "nothing": "Nothing",
        "level": "Level?",
        "truthy": "Truthy",
        "ratio": "Ratio",
        "typed": "ThingTyped?",
    }
    enums = {e.name: e.values for e in spec.enums}
    assert enums == {
        "Level": (1, "a"),
        "Ratio": (0.5, "auto"),
        "ThingTyped": (7, "seven"),
        "Truthy": (1, True, "1"),  # three values: 1 and true are not one
    }
    assert [(a.name, str(a.type)) for a in spec.aliases] == [("Nothing", "literal[null]")]


def test_null_const_and_mixed_enums_parse(enum_sdk: ModuleType, tmp_path: Path) -> None:
    thing, parse = enum_sdk.types.Thing, enum_sdk.parse
    values = {"kind": "thing", "version": 2, "cleared": None, "nothing": None, "level": None}
    parsed = parse(thing, {**values, "truthy": True, "ratio": 0.5, "typed": "seven"}, strict=True)
    assert parsed.model_dump(exclude_unset=True) == {
        **values,
        "truthy": True,
        "ratio": 0.5,
        "typed": "seven",
    }
    assert type(parse(thing, {"kind": "thing", "truthy": 1}, strict=True).truthy) is int
    assert parse(thing, {"kind": "thing", "truthy": "1"}, strict=True).truthy == "1"
    assert parse(thing, {"kind": "thing", "level": 9}).level == 9  # a new value passes leniently
    for bad in ({"level": 9}, {"cleared": 1}, {"ratio": "fixed"}, {"truthy": False}):
        with pytest.raises(ValueError):
            parse(thing, {"kind": "thing", **bad}, strict=True)
    seen: list[httpx.Request] = []
    client(enum_sdk, seen, {"kind": "thing"}).things.get("t1", level="a")
    client(enum_sdk, seen, {"kind": "thing"}).things.get("t1", level=1)
    assert [target(r) for r in seen] == ["/things/t1?level=a", "/things/t1?level=1"]


def test_mixed_enums_are_typed_as_python_writes_them(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    out = tmp_path_factory.mktemp("enum_text")
    spec = import_document(CORPUS / "enums_null_const_mixed", out, package="edges")
    files = render(spec, dump_spec(spec).encode("utf-8"))
    models = files["python/src/edges/types/models.py"].decode()
    assert (
        'Truthy: TypeAlias = Annotated[Literal[1, True, "1"], OpenEnum]\n"""One of `1`, `True`, `"1"`."""'
        in models
    )
    assert 'Ratio: TypeAlias = Annotated[Literal["auto"] | float, OpenEnum]' in models
    assert "Nothing: TypeAlias = None\n" in models
    # A use of it is spelled None, as `Nothing | None` would fail at runtime (None | None).
    assert "    cleared: None = None\n\n    nothing: None = None\n" in models


# -- the generated code passes the checkers ---------------------------------------------

CORPUS_FOLDERS = [
    "params_query_styles",
    "params_path_styles",
    "params_header_cookie",
    "params_readonly_writeonly",
    "enums_null_const_mixed",
]


@pytest.mark.slow
def test_generated_code_passes_black_ruff_and_mypy_strict(tmp_path: Path) -> None:
    """Styled arguments and concatenated paths are code the flagship does not have."""
    for folder in CORPUS_FOLDERS:
        spec = import_document(CORPUS / folder, tmp_path, package=folder)
        write_tree(tmp_path / folder, render(spec, dump_spec(spec).encode("utf-8")), force=True)
        src = tmp_path / folder / "python" / "src"
        for command in (
            [sys.executable, "-m", "black", "--check", "--quiet", "."],
            [find_ruff_bin(), "check", "--no-cache", "--quiet", "."],
            [*MYPY, "--strict", "-p", folder],
        ):
            result = subprocess.run(command, cwd=src, capture_output=True, text=True, check=False)
            assert (
                result.returncode == 0
            ), f"{folder}: {command[2]}:\n{result.stdout}{result.stderr}"
