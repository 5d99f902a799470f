"""Request bodies and responses by media type: JSON (and vendor JSON), urlencoded forms,
multipart with files, raw bytes and text going out; JSON, text, bytes (whole or streamed)
and server-sent events coming back; every form of success response code. Corpus documents
with no overlay, exercised through httpx.MockTransport: the exact request on the wire and
the parsed response."""

from __future__ import annotations

import asyncio
import inspect
import io
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from sdkgen.config import default_config
from sdkgen.errors import InputError
from sdkgen.importers.openapi import import_openapi
from sdkgen.output import write_tree
from sdkgen.pipeline import render
from sdkgen.spec import dump_spec, parse_spec
from sdkgen.spec.load import SpecError
from sdkgen.spec.model import Body, Encoding, Method, Spec
from sdkgen.spec.types import parse_type
from sdkgen.sync import BREAKING, compare

from .conftest import MYPY
from .corpus import (
    CORPUS,
    import_document,
    json_response,
    module_sdk,
    recording_client,
)

CONTENT_DOCUMENTS = [
    "body_form_urlencoded",
    "body_multipart_files",
    "body_binary_upload",
    "body_text_plain",
    "response_text_and_binary",
    "response_sse",
    "response_codes",
    "response_vendor_json",
]


@pytest.fixture(scope="module")
def form_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from module_sdk(tmp_path_factory, "body_form_urlencoded")


@pytest.fixture(scope="module")
def multipart_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from module_sdk(tmp_path_factory, "body_multipart_files")


@pytest.fixture(scope="module")
def binary_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from module_sdk(tmp_path_factory, "body_binary_upload")


@pytest.fixture(scope="module")
def text_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from module_sdk(tmp_path_factory, "body_text_plain")


@pytest.fixture(scope="module")
def download_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from module_sdk(tmp_path_factory, "response_text_and_binary")


@pytest.fixture(scope="module")
def sse_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from module_sdk(tmp_path_factory, "response_sse")


@pytest.fixture(scope="module")
def codes_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from module_sdk(tmp_path_factory, "response_codes")


@pytest.fixture(scope="module")
def vendor_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from module_sdk(tmp_path_factory, "response_vendor_json")


Handler = Any


def client(sdk: ModuleType, seen: list[httpx.Request], handler: Handler = None) -> Any:
    """A client of `sdk` recording its requests; each is answered by `handler` (or 204)."""
    return sdk.Client(
        http_client=recording_client(seen, handler or (lambda r: httpx.Response(204))),
        max_retries=0,
    )


def async_client(sdk: ModuleType, seen: list[httpx.Request], handler: Handler) -> Any:
    async def record(request: httpx.Request) -> httpx.Response:
        await request.aread()
        seen.append(request)
        return handler(request)

    http = httpx.AsyncClient(transport=httpx.MockTransport(record))
    return sdk.AsyncClient(http_client=http, max_retries=0)


def content_type(request: httpx.Request) -> str | None:
    return request.headers.get("content-type")


def boundary_of(request: httpx.Request) -> str:
    """The boundary of a multipart request, checked to be the form httpx writes."""
    match = re.fullmatch(
        r"multipart/form-data; boundary=([0-9a-f]{32})", content_type(request) or ""
    )
    assert match, content_type(request)
    return match.group(1)


def multipart(boundary: str, parts: list[tuple[str, str | None, str | None, bytes]]) -> bytes:
    """The exact multipart body: (name, filename, content type, content) a part."""
    out = b""
    for name, filename, ctype, content in parts:
        disposition = f'Content-Disposition: form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        head = disposition + (f"\r\nContent-Type: {ctype}" if ctype else "")
        out += f"--{boundary}\r\n{head}\r\n\r\n".encode() + content + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def method_of(spec: Spec, resource: str, name: str) -> Method:
    return next(m for path, m in spec.methods() if path == resource and m.name == name)


# -- application/x-www-form-urlencoded --------------------------------------------------


def test_a_form_body_is_urlencoded_field_by_field_as_its_encoding_says(
    form_sdk: ModuleType,
) -> None:
    seen: list[httpx.Request] = []
    answer = json_response({"access_token": "tok", "expires_in": 3600})
    token = client(form_sdk, seen, answer).tokens.create(
        grant_type="client_credentials",
        scope=["read", "write files"],
        note="a&b=c ü",
        remember=True,
        ttl=3600,
        client={"id": "app", "secret": "s3"},
        audiences=["api", "web"],
        labels=["x", "y"],
        redirect_uri="https://app.invalid/cb?x=1",
    )
    (request,) = seen
    assert content_type(request) == "application/x-www-form-urlencoded"
    assert request.content == (
        b"grant_type=client_credentials&scope=read&scope=write%20files"
        b"&note=a%26b%3Dc%20%C3%BC&remember=true&ttl=3600"
        b"&client%5Bid%5D=app&client%5Bsecret%5D=s3"  # deepObject
        b"&audiences=api%7Cweb"  # pipeDelimited
        b"&labels=x,y"  # form, not exploded
        b"&redirect_uri=https://app.invalid/cb?x=1"  # allowReserved
    )
    assert request.headers["accept"] == "application/json"
    assert type(token).__name__ == "Token"
    assert (token.access_token, token.expires_in) == ("tok", 3600)


def test_a_form_leaves_out_none_and_fields_not_given_and_takes_extra_fields(
    form_sdk: ModuleType,
) -> None:
    seen: list[httpx.Request] = []
    tokens = client(form_sdk, seen, json_response({"access_token": "t", "expires_in": 1})).tokens
    tokens.create(grant_type="refresh_token", note=None)
    tokens.create(grant_type="refresh_token", extra_body={"audience": "x y"})
    assert [r.content for r in seen] == [
        b"grant_type=refresh_token",
        b"grant_type=refresh_token&audience=x%20y",
    ]


def test_the_form_choice_and_encodings_are_in_the_normalized_spec(tmp_path: Path) -> None:
    spec = import_document(CORPUS / "body_form_urlencoded", tmp_path)
    body = method_of(spec, "tokens", "create").body
    assert body == Body(
        parse_type("TokenRequest"),
        "application/x-www-form-urlencoded",
        True,
        {
            "client": Encoding(style="deepObject", explode=True),
            "audiences": Encoding(style="pipeDelimited"),
            "labels": Encoding(explode=False),
            "redirect_uri": Encoding(allow_reserved=True),
        },
    )
    assert parse_spec(dump_spec(spec)) == spec


# -- multipart/form-data ---------------------------------------------------------------

STORED = {"id": "file_1", "filename": "report.txt"}
PNG = b"\x89PNG\r\n\x1a\n\x00\xff"


def test_multipart_sends_files_of_every_kind_and_fields_as_parts(
    multipart_sdk: ModuleType, tmp_path: Path
) -> None:
    report = tmp_path / "report.txt"
    report.write_bytes(b"hello, world\n")
    seen: list[httpx.Request] = []
    stored = client(multipart_sdk, seen, json_response(STORED, 201)).files.upload(
        file=report,
        purpose="assistants",
        tags=["a", "b c"],
        metadata={"owner": "me", "public": True},
        attachments=[b"raw bytes", ("notes.md", io.BytesIO(b"# hi"), "text/markdown")],
        thumbnail=PNG,
        checksum=b"\x00\x01\x02",
        pages=3,
        draft=False,
    )
    (request,) = seen
    boundary = boundary_of(request)
    assert request.content == multipart(
        boundary,
        [
            ("file", "report.txt", "text/plain", b"hello, world\n"),
            ("purpose", None, None, b"assistants"),
            ("tags", None, None, b"a"),
            ("tags", None, None, b"b c"),
            ("metadata", None, "application/json", b'{"owner":"me","public":true}'),
            ("attachments", "upload", "application/octet-stream", b"raw bytes"),
            ("attachments", "notes.md", "text/markdown", b"# hi"),
            ("thumbnail", "upload", "image/png", PNG),  # the encoding's contentType
            ("checksum", "upload", "application/octet-stream", b"AAEC"),  # contentEncoding
            ("pages", None, None, b"3"),
            ("draft", None, None, b"false"),
        ],
    )
    assert type(stored).__name__ == "StoredFile"
    assert (stored.id, stored.filename) == ("file_1", "report.txt")


def test_multipart_takes_open_files_and_leaves_out_what_is_not_given(
    multipart_sdk: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff")
    seen: list[httpx.Request] = []
    files = client(multipart_sdk, seen, json_response(STORED, 201)).files
    with path.open("rb") as opened:
        files.upload(file=opened, purpose="vision", tags=None)
    files.upload(file=("data.bin", b"\x01", None), purpose="x", thumbnail=("t.gif", b"GIF89a"))
    assert seen[0].content == multipart(
        boundary_of(seen[0]),
        [("file", "photo.jpg", "image/jpeg", b"\xff\xd8\xff"), ("purpose", None, None, b"vision")],
    )
    assert seen[1].content == multipart(
        boundary_of(seen[1]),
        [
            ("file", "data.bin", "application/octet-stream", b"\x01"),
            ("purpose", None, None, b"x"),
            ("thumbnail", "t.gif", "image/png", b"GIF89a"),  # the encoding's, not a guess
        ],
    )


def test_a_retried_upload_sends_the_same_bytes(multipart_sdk: ModuleType) -> None:
    seen: list[httpx.Request] = []
    answers = iter([httpx.Response(500), httpx.Response(201, json=STORED)])
    api = multipart_sdk.Client(
        http_client=recording_client(seen, lambda r: next(answers)), max_retries=1
    )
    api._sleep = lambda seconds: None
    api.files.upload(file=io.BytesIO(b"once"), purpose="p")
    assert len(seen) == 2
    for request in seen:  # each attempt has a boundary of its own, and the same parts
        assert request.content == multipart(
            boundary_of(request),
            [
                ("file", "upload", "application/octet-stream", b"once"),
                ("purpose", None, None, b"p"),
            ],
        )


def test_files_are_typed_as_file_types_in_the_signature(multipart_sdk: ModuleType) -> None:
    upload = inspect.signature(multipart_sdk.resources.files.Files.upload).parameters
    assert upload["file"].annotation == "FileTypes"
    assert upload["thumbnail"].annotation == "FileTypes | NotGiven"
    assert upload["attachments"].annotation == "Iterable[FileTypes] | NotGiven"
    assert upload["purpose"].annotation == "str"
    types = multipart_sdk._types
    assert "FileTypes" in types.__all__ and "FileContent" in types.__all__


def test_of_json_and_multipart_json_wins_unless_it_cannot_carry_a_file(
    multipart_sdk: ModuleType, tmp_path: Path
) -> None:
    spec = import_document(CORPUS / "body_multipart_files", tmp_path)
    create, rename = method_of(spec, "albums", "create"), method_of(spec, "albums", "rename")
    assert create.body is not None and create.body.content_type == "multipart/form-data"
    assert rename.body is not None and rename.body.content_type == "application/json"
    seen: list[httpx.Request] = []
    albums = client(multipart_sdk, seen, json_response({"id": "al", "title": "T"})).albums
    albums.create(title="Trip", cover=("c.png", PNG, "image/png"))
    albums.rename("al", title="Trip 2")
    assert seen[0].content == multipart(
        boundary_of(seen[0]),
        [("title", None, None, b"Trip"), ("cover", "c.png", "image/png", PNG)],
    )
    assert content_type(seen[1]) == "application/json"
    assert json.loads(seen[1].content) == {"title": "Trip 2"}


def test_an_empty_multipart_body_is_still_multipart(multipart_sdk: ModuleType) -> None:
    seen: list[httpx.Request] = []
    albums = client(multipart_sdk, seen, json_response({"id": "al", "title": "T"})).albums
    albums.create(title="T", extra_body={"note": "n"})
    boundary = boundary_of(seen[0])
    assert seen[0].content == multipart(
        boundary, [("title", None, None, b"T"), ("note", None, None, b"n")]
    )


# -- raw binary and text bodies ---------------------------------------------------------


def test_binary_bodies_send_bytes_files_and_paths_with_their_media_type(
    binary_sdk: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(b"\x00\x01path")
    seen: list[httpx.Request] = []
    api = client(binary_sdk, seen, json_response({"size": 3}))
    stored = api.images.put("img 1", body=PNG)
    api.blobs.create(body=path)
    api.blobs.create(body=io.BytesIO(b"from a file"))
    api.documents.create(body=b"%PDF-1.7")
    api.documents.create()
    assert [(r.method, r.url.raw_path, content_type(r), r.content) for r in seen] == [
        ("PUT", b"/images/img%201", "image/png", PNG),
        ("POST", b"/blobs", "application/octet-stream", b"\x00\x01path"),
        ("POST", b"/blobs", "application/octet-stream", b"from a file"),
        ("POST", b"/documents", "application/pdf", b"%PDF-1.7"),
        ("POST", b"/documents", None, b""),
    ]
    assert stored.size == 3
    signature = inspect.signature(binary_sdk.resources.images.Images.put).parameters
    assert signature["body"].annotation == "FileContent"


def test_a_text_body_is_sent_as_utf8_with_its_charset(text_sdk: ModuleType) -> None:
    seen: list[httpx.Request] = []
    api = client(text_sdk, seen, json_response({"id": "n1", "length": 11}, 201))
    note = api.notes.create(body="héllo\nworld")
    replaced = api.notes.replace("n1", body="# Title")
    assert [(content_type(r), r.content) for r in seen] == [
        ("text/plain; charset=utf-8", "héllo\nworld".encode()),
        ("text/markdown; charset=utf-8", b"# Title"),
    ]
    assert (note.id, note.length) == ("n1", 11)
    assert replaced is None
    signature = inspect.signature(text_sdk.resources.notes.Notes.create).parameters
    assert signature["body"].annotation == "str"


# -- text and binary responses -----------------------------------------------------------

BYTES = bytes(range(256))


def test_text_and_binary_responses_are_returned_as_str_and_bytes(download_sdk: ModuleType) -> None:
    answers = {
        "/v2/reports/r1/summary": httpx.Response(200, text="All good: 3 ✓"),
        "/v2/reports/r1/export": httpx.Response(200, text="a,b\n1,2\n"),
        "/v2/files/f1/content": httpx.Response(200, content=BYTES),
        "/v2/avatars/u1": httpx.Response(200, content=PNG),
        "/v2/invoices/i1": httpx.Response(200, content=b"%PDF"),
        "/v2/videos/v1/content": httpx.Response(200, content=b"\x00\x00\x00\x18ftypmp42"),
    }
    seen: list[httpx.Request] = []
    api = client(download_sdk, seen, lambda r: answers[r.url.path])
    results = [
        api.reports.get_summary("r1"),
        api.reports.export("r1"),
        api.files.download("f1"),
        api.avatars.get("u1"),
        api.invoices.get("i1"),
        api.videos.get_content("v1"),
    ]
    assert results == [
        "All good: 3 ✓",
        "a,b\n1,2\n",
        BYTES,
        PNG,
        b"%PDF",
        b"\x00\x00\x00\x18ftypmp42",
    ]
    assert [type(r) for r in results] == [str, str, bytes, bytes, bytes, bytes]
    assert [r.headers["accept"] for r in seen] == [
        "text/plain",
        "text/csv",
        "application/octet-stream",
        "image/png",
        "application/pdf",
        "video/mp4",
    ]


class Chunks(httpx.SyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks

    def close(self) -> None:
        self.closed = True


def test_a_download_streams_in_chunks_through_with_streaming_response(
    download_sdk: ModuleType, tmp_path: Path
) -> None:
    streams: list[Chunks] = []

    def answer(request: httpx.Request) -> httpx.Response:
        streams.append(Chunks([b"ab", b"cd", b"ef"]))
        return httpx.Response(200, stream=streams[-1])

    seen: list[httpx.Request] = []
    files = client(download_sdk, seen, answer).files
    with files.with_streaming_response.download("f1") as response:
        assert isinstance(response, download_sdk.APIResponse)
        assert response.status_code == 200
        assert list(response.iter_bytes()) == [b"ab", b"cd", b"ef"]
    assert streams[0].closed
    with files.with_streaming_response.download("f1") as response:
        response.write_to_file(tmp_path / "out.bin")
    assert (tmp_path / "out.bin").read_bytes() == b"abcdef"
    with files.with_streaming_response.download("f1") as response:
        assert response.parse() == b"abcdef"
    raw = files.with_raw_response.download("f1")
    assert (raw.parse(), raw.content) == (b"abcdef", b"abcdef")
    assert [r.headers["accept"] for r in seen] == ["application/octet-stream"] * 4


def test_async_downloads_and_text(download_sdk: ModuleType) -> None:
    answers = {
        "/v2/reports/r1/summary": lambda: httpx.Response(200, text="ok"),
        "/v2/files/f1/content": lambda: httpx.Response(200, content=BYTES),
    }
    seen: list[httpx.Request] = []
    api = async_client(download_sdk, seen, lambda r: answers[r.url.path]())

    async def main() -> list[Any]:
        summary = await api.reports.get_summary("r1")
        whole = await api.files.download("f1")
        async with api.files.with_streaming_response.download("f1") as response:
            assert isinstance(response, download_sdk.AsyncAPIResponse)
            chunks = b"".join([chunk async for chunk in response.iter_bytes()])
        async with api.files.with_streaming_response.download("f1") as response:
            parsed = await response.parse()
        return [summary, whole, chunks, parsed]

    assert asyncio.run(main()) == ["ok", BYTES, BYTES, BYTES]


def test_a_bare_json_string_yields_to_the_binary_alternative(tmp_path: Path) -> None:
    spec = import_document(CORPUS / "response_text_and_binary", tmp_path)
    video = method_of(spec, "videos", "get_content")
    assert (str(video.response), video.response_content_type) == ("file", "video/mp4")
    summary = method_of(spec, "reports", "get_summary")
    assert (str(summary.response), summary.response_content_type) == ("string", "text/plain")
    assert parse_spec(dump_spec(spec)) == spec


# -- server-sent events -------------------------------------------------------------------


def sse_response(*events: str) -> httpx.Response:
    return httpx.Response(
        200,
        headers={"content-type": "text/event-stream"},
        content="".join(events).encode(),
    )


def test_json_or_sse_chosen_by_the_stream_flag(sse_sdk: ModuleType) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if json.loads(request.content).get("stream"):
            return sse_response(
                'event: completion.chunk\ndata: {"id": "c1", "delta": "Hel"}\n\n',
                'data: {"id": "c1", "delta": "lo"}\n\n',
                "data: [DONE]\n\n",
            )
        return httpx.Response(200, json={"id": "c1", "text": "Hello"})

    seen: list[httpx.Request] = []
    completions = client(sse_sdk, seen, answer).completions
    whole = completions.create(prompt="Say hello")
    with completions.create(prompt="Say hello", stream=True) as stream:
        assert isinstance(stream, sse_sdk.Stream)
        chunks = list(stream)
    assert type(whole).__name__ == "Completion" and whole.text == "Hello"
    assert [(type(c).__name__, c.id, c.delta) for c in chunks] == [
        ("CompletionChunk", "c1", "Hel"),  # the data itself, though the event is named
        ("CompletionChunk", "c1", "lo"),
    ]
    assert [json.loads(r.content) for r in seen] == [
        {"prompt": "Say hello"},
        {"prompt": "Say hello", "stream": True},
    ]
    assert [r.headers["accept"] for r in seen] == ["application/json", "application/json"]


def test_an_sse_only_operation_returns_a_typed_stream(sse_sdk: ModuleType) -> None:
    answers = {
        "/v1/events": sse_response(
            'data: {"type": "created", "id": "1"}\n\n',
            'event: update\ndata: {"type": "deleted", "id": "2"}\n\n',
        ),
        "/v1/logs": sse_response("data: line one\n\n", ": keep-alive\n\n", "data: {not json}\n\n"),
    }
    seen: list[httpx.Request] = []
    api = client(sse_sdk, seen, lambda r: answers[r.url.path])
    events = list(api.events.listen(topic="pets"))
    lines = list(api.logs.tail())
    assert [(type(e).__name__, e.type, e.id) for e in events] == [
        ("Created", "created", "1"),
        ("Deleted", "deleted", "2"),
    ]
    assert lines == ["line one", "{not json}"]
    assert [(r.url.raw_path, r.headers["accept"]) for r in seen] == [
        (b"/v1/events?topic=pets", "text/event-stream"),
        (b"/v1/logs", "text/event-stream"),
    ]


def test_async_sse_only_and_flagged_streams(sse_sdk: ModuleType) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/events":
            return sse_response('data: {"type": "created", "id": "9"}\n\n')
        return sse_response('data: {"id": "c", "delta": "x"}\n\n', "data: [DONE]\n\n")

    seen: list[httpx.Request] = []
    api = async_client(sse_sdk, seen, answer)

    async def main() -> list[Any]:
        events = [e async for e in await api.events.listen(topic="t")]
        stream = await api.completions.create(prompt="p", stream=True)
        assert isinstance(stream, sse_sdk.AsyncStream)
        chunks = [c async for c in stream]
        return [(e.type, e.id) for e in events] + [(c.id, c.delta) for c in chunks]

    assert asyncio.run(main()) == [("created", "9"), ("c", "x")]


def test_sse_in_the_normalized_spec(tmp_path: Path) -> None:
    spec = import_document(CORPUS / "response_sse", tmp_path)
    create = method_of(spec, "completions", "create")
    assert (
        str(create.response) == "Completion" and create.response_content_type == "application/json"
    )
    assert create.streaming is not None
    assert (create.streaming.param, str(create.streaming.event)) == ("stream", "CompletionChunk")
    listen = method_of(spec, "events", "listen")
    assert (str(listen.response), listen.response_content_type, listen.streaming) == (
        "Event",
        "text/event-stream",
        None,
    )
    assert listen.response_kind == "events"
    assert parse_spec(dump_spec(spec)) == spec


def test_sse_beside_another_response_without_a_flag_is_named_in_a_warning(
    tmp_path: Path,
) -> None:
    document = """
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /speech:
    post:
      operationId: speak
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {input: {type: string}}}
      responses:
        "200":
          description: Audio, or its chunks.
          content:
            application/octet-stream: {schema: {type: string, format: binary}}
            text/event-stream: {schema: {type: object, properties: {audio: {type: string}}}}
"""
    path = tmp_path / "openapi.yaml"
    path.write_text(document, encoding="utf-8")
    warnings: list[str] = []
    spec = import_openapi(default_config(path), warnings=warnings)
    method = spec.methods()[0][1]
    assert (str(method.response), method.response_content_type, method.streaming) == (
        "file",
        "application/octet-stream",
        None,
    )
    assert warnings == [
        (
            "openapi.yaml: #/paths/~1speech/post/responses/200/content/text~1event-stream:"
            " offered beside application/octet-stream, but the request body has no boolean"
            " `stream` field to ask for it; the SDK reads application/octet-stream"
        )
    ]


# -- response codes ----------------------------------------------------------------------


def test_the_success_response_by_code(codes_sdk: ModuleType) -> None:
    thing = {"id": "t1", "name": "lamp"}
    answers = {
        ("POST", "/things"): httpx.Response(201, json=thing),
        ("GET", "/things/t1"): httpx.Response(206, json=thing),
        ("DELETE", "/things/t1"): httpx.Response(204),
        ("GET", "/status"): httpx.Response(200, json={"healthy": True}),
    }
    seen: list[httpx.Request] = []
    api = client(codes_sdk, seen, lambda r: answers[(r.method, r.url.path)])
    created, got = api.things.create(name="lamp"), api.things.get("t1")
    deleted, status = api.things.delete("t1"), api.status.get()
    assert [type(x).__name__ for x in (created, got, status)] == ["Thing", "Thing", "Status"]
    assert (created.id, got.name, deleted, status.healthy) == ("t1", "lamp", None, True)
    assert len(seen) == 4


def test_response_codes_in_the_normalized_spec(tmp_path: Path) -> None:
    spec = import_document(CORPUS / "response_codes", tmp_path)
    found = {(r, m.name): m.response for r, m in spec.methods()}
    assert {k: str(v) if v else None for k, v in found.items()} == {
        ("things", "create"): "Thing",  # 201 with content, beside a 200 without
        ("things", "get"): "Thing",  # 2XX
        ("things", "delete"): None,  # 204; `default` is an error beside a 2xx
        ("status", "get"): "Status",  # default only
    }


# -- vendor JSON and wildcards ------------------------------------------------------------


def test_vendor_json_goes_both_ways_and_wildcards_parse_as_json(vendor_sdk: ModuleType) -> None:
    article = {"id": "a1", "title": "Hello"}
    vendor = {"content-type": "application/vnd.api+json"}
    answers = {
        ("GET", "/api/articles"): httpx.Response(200, headers=vendor, json={"data": [article]}),
        ("POST", "/api/articles"): httpx.Response(201, headers=vendor, json={"data": article}),
        ("GET", "/api/articles/a1"): httpx.Response(200, json=article),
        ("GET", "/api/stats"): httpx.Response(200, json={"count": 7}),
    }
    seen: list[httpx.Request] = []
    api = client(vendor_sdk, seen, lambda r: answers[(r.method, r.url.path)])
    listed = api.articles.list()
    created = api.articles.create(data=article)
    got = api.articles.get("a1")
    stats = api.stats.get()
    assert [(type(a).__name__, a.id) for a in listed.data] == [("Article", "a1")]
    assert (created.data.title, type(got).__name__, got.title, stats.count) == (
        "Hello",
        "Article",
        "Hello",
        7,
    )
    assert [(r.headers["accept"], content_type(r)) for r in seen] == [
        ("application/vnd.api+json", None),
        ("application/vnd.api+json", "application/vnd.api+json"),
        ("application/json", None),
        ("application/json", None),
    ]
    assert json.loads(seen[1].content) == {"data": article}


# -- the importer's choices, checks and the loader's ----------------------------------------

OBJECT = "{schema: {type: object, properties: {a: {type: string}}}}"
BINARY = "{schema: {type: string, format: binary}}"
STRING = "{schema: {type: string}}"
CHOICES = [
    # (request body content, response content, chosen body, chosen response (type, media))
    (
        f"multipart/form-data: {OBJECT}, application/x-www-form-urlencoded: {OBJECT}",
        f"application/xml: {OBJECT}, application/json: {OBJECT}",
        "multipart/form-data",
        ("AItemCreateResponse", "application/json"),
    ),
    (
        f"text/plain: {STRING}, application/json: {OBJECT}",
        f"image/png: {BINARY}, application/vnd.a+json: {OBJECT}",
        "application/json",
        ("AItemCreateResponse", "application/vnd.a+json"),
    ),
    (
        f"application/vnd.a+json: {OBJECT}, application/json: {OBJECT}",
        f"application/json: {STRING}",
        "application/json",
        ("string", "application/json"),
    ),
    (
        (
            "application/json: {schema: {type: object, properties: {a: {type: string,"
            " contentMediaType: text/html}}}}"
        ),
        f"application/xml: {OBJECT}, text/html: {{}}",
        "application/json",
        ("string", "application/xml"),
    ),
]


@pytest.mark.parametrize(("body", "response", "sent", "read"), CHOICES)
def test_the_media_type_chosen_of_several(
    tmp_path: Path, body: str, response: str, sent: str, read: tuple[str, str]
) -> None:
    document = f"""
openapi: 3.1.0
info: {{title: T, version: "1"}}
paths:
  /a:
    post:
      requestBody: {{content: {{{body}}}}}
      responses: {{"200": {{description: OK, content: {{{response}}}}}}}
"""
    spec = import_document(document, tmp_path)
    method = spec.methods()[0][1]
    assert method.body is not None and method.body.content_type == sent
    assert (str(method.response), method.response_content_type) == read
    if sent == "application/json":  # contentMediaType makes a file in multipart only
        fields = {f.name: str(f.type) for f in spec.definitions()[method.body.type.name].fields}
        assert fields == {"a": "string"}


# -- what cannot be sent is refused ---------------------------------------------------------

REFUSED = [
    (
        (
            "application/json:\n            schema: {type: object, properties: {f: {type: string,"
            " format: binary}}}"
        ),
        (
            "#/paths/~1a/post/requestBody/content/application~1json/schema: binary data"
            " (format: binary) cannot be sent as application/json; offer multipart/form-data or"
            " a binary media type for it"
        ),
    ),
    (
        "application/json:\n            schema: {type: string, format: binary}",
        (
            "#/paths/~1a/post/requestBody/content/application~1json/schema: binary data"
            " (format: binary) cannot be sent as application/json; offer multipart/form-data or"
            " a binary media type for it"
        ),
    ),
    (
        "application/x-www-form-urlencoded:\n            schema: {type: string}",
        (
            "#/paths/~1a/post/requestBody/content/application~1x-www-form-urlencoded/schema:"
            " a application/x-www-form-urlencoded body must be an object with properties (its fields)"
        ),
    ),
    (
        "application/xml:\n            schema: {type: object, properties: {a: {type: string}}}",
        (
            "#/paths/~1a/post/requestBody/content/application~1xml/schema: a application/xml body"
            " is sent as text (`type: string`) or bytes (`format: binary`); this schema describes"
            " neither"
        ),
    ),
    (
        (
            "multipart/form-data:\n            schema: {type: object, properties: {a: {type:"
            " string}}}\n            encoding: {b: {contentType: text/plain}}"
        ),
        (
            "#/paths/~1a/post/requestBody/content/multipart~1form-data/encoding/b:"
            " AItemCreateParams has no property 'b'"
        ),
    ),
    (
        (
            "multipart/form-data:\n            schema: {type: object, properties: {a: {type:"
            " string}}}\n            encoding: {a: {headers: {X-Trace: {schema: {type: string}}}}}"
        ),
        (
            "#/paths/~1a/post/requestBody/content/multipart~1form-data/encoding/a/headers:"
            " headers on a part (X-Trace) are not supported"
        ),
    ),
]


@pytest.mark.parametrize(("content", "message"), REFUSED)
def test_bodies_the_sdk_cannot_send_are_refused_with_their_place(
    tmp_path: Path, content: str, message: str
) -> None:
    document = f"""
openapi: 3.1.0
info: {{title: T, version: "1"}}
paths:
  /a:
    post:
      requestBody:
        content:
          {content}
      responses: {{"204": {{description: Done.}}}}
"""
    with pytest.raises(InputError) as caught:
        import_document(document, tmp_path)
    assert caught.value.message == message


SPEC = """
api: {name: t}
models:
  Form:
    fields:
      a: {type: string}
resources:
  r:
    methods:
      m:
        http: POST /a
        body:
          type: %s
          content_type: %s
          encoding: {%s}
        response: %s
        response_content_type: %s
"""


def test_the_loader_checks_media_types_against_types_with_their_place() -> None:
    valid = SPEC % (
        "Form",
        "multipart/form-data",
        "a: {content_type: image/png}",
        "file",
        "image/png",
    )
    method = parse_spec(valid).methods()[0][1]
    assert method.body is not None and method.body.kind == "multipart"
    assert method.body.encoding == {"a": Encoding(content_type="image/png")}
    assert (method.response_kind, method.response_content_type) == ("binary", "image/png")
    with pytest.raises(SpecError) as caught:
        parse_spec(SPEC % ("Form", "application/xml", "b: {style: form}", "Form", "text/plain"))
    where = "resources.r.methods.m"
    assert caught.value.problems == [
        (
            f"{where}.body.content_type",
            (
                "a Form body cannot be sent as application/xml (JSON, a form or multipart model,"
                " text as string, bytes as file)"
            ),
        ),
        (f"{where}.body.encoding", "only a form or multipart body has encodings"),
        (
            f"{where}.response_content_type",
            (
                "a Form response cannot be read as text/plain (JSON, text as string, bytes as"
                " file, or text/event-stream events)"
            ),
        ),
    ]
    with pytest.raises(SpecError) as caught:
        parse_spec(SPEC % ("string", "multipart/form-data", "b: {style: form}", "file", "nope"))
    assert caught.value.problems == [
        (f"{where}.body.encoding.b.style", "not an encoding of a multipart field"),
        (f"{where}.response_content_type", "'nope' is not a media type (type/subtype)"),
    ]
    with pytest.raises(SpecError) as caught:  # checked once each part reads well
        parse_spec(
            SPEC % ("string", "multipart/form-data", "b: {content_type: a/b}", "file", "a/b")
        )
    assert caught.value.problems == [
        (f"{where}.body.type", "a multipart/form-data body is a model (its fields), not string")
    ]
    with pytest.raises(SpecError) as caught:
        parse_spec(SPEC % ("Form", "multipart/form-data", "b: {content_type: a/b}", "file", "a/b"))
    assert caught.value.problems == [(f"{where}.body.encoding.b", "Form has no field 'b'")]


def test_sync_reports_a_changed_response_or_body_media_type_as_breaking(tmp_path: Path) -> None:
    spec = import_document(CORPUS / "response_text_and_binary", tmp_path)
    old = parse_spec(dump_spec(spec))
    text = dump_spec(spec).replace(
        "response_content_type: text/csv", "response_content_type: text/tab-separated-values"
    )
    changes = compare(old, parse_spec(text))
    assert [(e.kind, e.location, e.message) for e in changes.entries] == [
        (
            BREAKING,
            "reports.export",
            "response is now text/tab-separated-values, was text/csv",
        )
    ]
    form = import_document(CORPUS / "body_form_urlencoded", tmp_path)
    text = dump_spec(form).replace("style: pipeDelimited", "style: spaceDelimited")
    changes = compare(form, parse_spec(text))
    assert [(e.kind, e.message) for e in changes.entries] == [
        (BREAKING, "request body field audiences is encoded differently")
    ]


# -- the generated code passes mypy --strict, overloads and file types included ----------------

USAGE = """
from __future__ import annotations

import io
from pathlib import Path

from typing_extensions import assert_type

from body_binary_upload import Client as Binary
from body_multipart_files import Client as Multipart
from response_sse import AsyncClient as AsyncChat, AsyncStream, Client as Chat, Stream
from response_sse.types import Completion, CompletionChunk, Event
from response_text_and_binary import APIResponse, Client as Reports


def check(path: Path) -> None:
    files = Multipart().files
    files.upload(file=path, purpose="p", attachments=[b"x", ("a.txt", io.BytesIO(b"y"), "text/plain")])
    Binary().images.put("i", body=io.BytesIO(b"x"))
    chat = Chat().completions
    assert_type(chat.create(prompt="p"), Completion)
    assert_type(chat.create(prompt="p", stream=True), Stream[CompletionChunk])
    assert_type(Chat().events.listen(topic="t"), Stream[Event])
    assert_type(Chat().logs.tail(), Stream[str])
    reports = Reports()
    assert_type(reports.reports.get_summary("r"), str)
    assert_type(reports.files.download("f"), bytes)
    with reports.files.with_streaming_response.download("f") as response:
        assert_type(response, APIResponse[bytes])


async def check_async() -> None:
    assert_type(await AsyncChat().completions.create(prompt="p", stream=True), AsyncStream[CompletionChunk])
"""


@pytest.mark.slow
def test_the_generated_packages_pass_mypy_strict_with_typed_files_and_streams(
    tmp_path: Path,
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for folder in CONTENT_DOCUMENTS:
        spec = import_document(CORPUS / folder, tmp_path, package=folder)
        write_tree(tmp_path / folder, render(spec, dump_spec(spec).encode("utf-8")), force=True)
        (tmp_path / folder / "python" / "src" / folder).rename(src / folder)
    (src / "usage.py").write_text(USAGE, encoding="utf-8")
    # usage.py imports every package: mypy checks them all, as a user's checker would.
    result = subprocess.run(
        [*MYPY, "--strict", "usage.py"],
        cwd=src,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
