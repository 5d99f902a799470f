"""Server-sent events in the generated flagship: the decoder's edge cases, the spec's own
streaming transcripts decoded into typed events, the lifecycle of Stream/AsyncStream, and
the real client against a real HTTP server on loopback.

Everything runs against the freshly rendered package (the `sdk` fixture), never the copy
committed under generated/.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import yaml

from .conftest import ROOT

UPSTREAM = ROOT / "spec" / "upstream" / "openai-openapi-2026-05-13.yaml"
STREAMING_OPERATIONS = ("createRun", "createThreadAndRun", "submitToolOuputsToRun")
TRANSCRIPT_IDS = [
    ("createThreadAndRun", "Streaming"),
    ("createThreadAndRun", "Streaming with Functions"),
    ("createRun", "Streaming"),
    ("createRun", "Streaming with Functions"),
    ("submitToolOuputsToRun", "Streaming"),
]
SSE_HEADERS = {"content-type": "text/event-stream"}
DEPRECATED = "ignore:This operation is deprecated:DeprecationWarning"

Event = tuple[str | None, str, str | None, int | None]


def ev(data: str = "", event: str | None = None, id: str | None = None, retry: int | None = None):
    """An expected event as (event, data, id, retry)."""
    return (event, data, id, retry)


def decode(sdk: Any, chunks: list[bytes]) -> list[Event]:
    """Feed the chunks one by one, then flush; the events as tuples."""
    decoder = sdk._streaming.SSEDecoder()
    events = []
    for chunk in chunks:
        events += decoder.feed(chunk)
    events += decoder.flush()
    return [(e.event, e.data, e.id, e.retry) for e in events]


def run_async(coro: Any, timeout: float = 10.0) -> Any:
    return asyncio.run(asyncio.wait_for(coro, timeout))


# --------------------------------------------------------------------------------------------
# SSEDecoder
# --------------------------------------------------------------------------------------------


def test_multiline_data_is_joined_with_lf(sdk: Any) -> None:
    stream = b"data: first\ndata: second\ndata:\ndata: fourth\n\n"
    assert decode(sdk, [stream]) == [ev("first\nsecond\n\nfourth")]


def test_comments_are_ignored_anywhere(sdk: Any) -> None:
    stream = b": ping\n\n:\n\ndata: a\n: a comment inside an event\ndata: b\n\n: bye\n\n"
    assert decode(sdk, [stream]) == [ev("a\nb")]
    assert decode(sdk, [b": ping\n\n: ping\n\n"]) == []


@pytest.mark.parametrize("eol", [b"\n", b"\r\n", b"\r"], ids=["LF", "CRLF", "CR"])
def test_line_endings(sdk: Any, eol: bytes) -> None:
    stream = eol.join([b"event: a", b"data: 1", b"data: 2", b"", b"data: 3", b"", b""])
    assert decode(sdk, [stream]) == [ev("1\n2", "a"), ev("3")]


def test_mixed_line_endings_in_one_stream(sdk: Any) -> None:
    stream = b"data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r"
    assert decode(sdk, [stream]) == [ev("a\nb\nc"), ev("d")]


def test_event_split_mid_line_is_only_delivered_at_its_blank_line(sdk: Any) -> None:
    decoder = sdk._streaming.SSEDecoder()
    parts = [b"event: thread.mes", b"sage.delta\nda", b'ta: {"a"', b": 1}\n", b"\n"]
    returned = [decoder.feed(part) for part in parts]
    assert returned[:4] == [[], [], [], []]
    assert [(e.event, e.data) for e in returned[4]] == [("thread.message.delta", '{"a": 1}')]
    assert decoder.flush() == []


def test_multibyte_characters_fed_one_byte_at_a_time(sdk: Any) -> None:
    text = "héllo € 𝄞 日本"
    stream = f"event: ü\ndata: {text}\n\n".encode()
    assert decode(sdk, [bytes([b]) for b in stream]) == [ev(text, "ü")]


def test_every_split_point_gives_the_same_events(sdk: Any) -> None:
    stream = (
        b": hi\r\nevent: a\r\ndata: h\xc3\xa9\r\ndata: \xe2\x82\xac\xf0\x9f\x98\x80\r\n\r\n"
        b'id: 5\rretry: 10\rdata: x\r\rdata: {"k": 1}\n\n'
        b"event: z\ndata: tail"
    )
    # The last event ID carries over to later events (WHATWG), the retry does not.
    expected = [
        ev("hé\n€😀", "a"),
        ev("x", id="5", retry=10),
        ev('{"k": 1}', id="5"),
        ev("tail", "z", id="5"),
    ]
    assert decode(sdk, [stream]) == expected
    for i in range(len(stream) + 1):
        assert decode(sdk, [stream[:i], stream[i:]]) == expected, f"split at {i}"
    for i, j in itertools.combinations(range(1, len(stream)), 2):
        pieces = [stream[:i], stream[i:j], stream[j:]]
        assert decode(sdk, pieces) == expected, f"split at {i} and {j}"


def test_empty_chunks_change_nothing(sdk: Any) -> None:
    """An empty read (any byte source may produce one) must not end a line: here it falls
    between the CR and the LF of a CRLF."""
    stream = b"data: a\r\ndata: b\r\n\r\n"
    pieces = [p for b in stream for p in (bytes([b]), b"")]
    assert decode(sdk, pieces) == [ev("a\nb")]


@pytest.mark.parametrize("tail", [b"data: x", b"data: x\n", b"data: x\r", b"data: x\r\n"], ids=repr)
def test_last_event_without_blank_line_is_delivered_by_flush(sdk: Any, tail: bytes) -> None:
    decoder = sdk._streaming.SSEDecoder()
    assert decoder.feed(b"data: first\n\nevent: last\n" + tail) == [
        sdk._streaming.ServerSentEvent(None, "first")
    ]
    assert decoder.flush() == [sdk._streaming.ServerSentEvent("last", "x")]
    assert decoder.flush() == []
    events = list(sdk._streaming.SSEDecoder().iter_bytes([b"data: first\n\nevent: last\n", tail]))
    assert [(e.event, e.data) for e in events] == [(None, "first"), ("last", "x")]


def test_truncated_utf8_at_end_of_stream_is_replaced_not_raised(sdk: Any) -> None:
    assert decode(sdk, [b"data: \xe2\x82"]) == [ev("\ufffd")]
    assert decode(sdk, [b"data: \xff\xfe ok\n\n"]) == [ev("\ufffd\ufffd ok")]


@pytest.mark.parametrize(
    "block",
    [b"event: ping\n\n", b"id: 7\n\n", b"retry: 3000\n\n", b"event: a\nid: 1\nretry: 5\n\n"],
    ids=["event-only", "id-only", "retry-only", "event+id+retry"],
)
def test_block_without_data_is_not_dispatched(sdk: Any, block: bytes) -> None:
    """WHATWG "dispatch the event", step 2: with an empty data buffer nothing is dispatched
    and the event type is reset, so it cannot leak into the next event."""
    events = decode(sdk, [block + b"data: next\n\n"])
    assert [(e[0], e[1]) for e in events] == [(None, "next")]


def test_empty_data_field_is_still_an_event(sdk: Any) -> None:
    assert decode(sdk, [b"data:\n\n", b"data\n\n", b"event: e\ndata: \n\n"]) == [
        ev(""),
        ev(""),
        ev("", "e"),
    ]


def test_retry_and_id_fields(sdk: Any) -> None:
    stream = b"retry: 2500\nid: evt-1\nevent: e\ndata: x\n\n"
    assert decode(sdk, [stream]) == [ev("x", "e", "evt-1", 2500)]
    for bad in [b"retry: 1.5", b"retry: -1", b"retry: 1x", b"retry:  30", b"retry:"]:
        assert decode(sdk, [bad + b"\ndata: x\n\n"]) == [ev("x")], bad


def test_last_event_id_persists_across_events(sdk: Any) -> None:
    """WHATWG: the last event ID buffer is not reset when an event is dispatched; an empty
    `id` field resets it to the empty string."""
    stream = b"id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\n"
    assert [e[2] for e in decode(sdk, [stream])] == ["1", "1", ""]


def test_id_containing_nul_is_ignored(sdk: Any) -> None:
    assert decode(sdk, [b"id: a\x00b\ndata: x\n\n"]) == [ev("x")]


def test_field_without_colon_has_an_empty_value(sdk: Any) -> None:
    assert decode(sdk, [b"data\ndata\ndata: x\n\n"]) == [ev("\n\nx")]
    assert decode(sdk, [b"event\ndata: x\n\n"]) == [ev("x", "")]
    assert decode(sdk, [b"unknown\nfoo: bar\nDATA: no\nEvent: no\ndata: x\n\n"]) == [ev("x")]


def test_only_one_leading_space_is_stripped(sdk: Any) -> None:
    assert decode(sdk, [b"data:x\n\n"]) == [ev("x")]
    assert decode(sdk, [b"data: x\n\n"]) == [ev("x")]
    assert decode(sdk, [b"data:  x \n\n"]) == [ev(" x ")]
    assert decode(sdk, [b"data:\tx\n\n"]) == [ev("\tx")]
    assert decode(sdk, [b"event:  a\ndata: x\n\n"]) == [ev("x", " a")]
    # a space before the field name makes it another field (" data"), which is ignored
    assert decode(sdk, [b" data: x\n\n"]) == []


def test_a_leading_bom_is_ignored(sdk: Any) -> None:
    """WHATWG: one leading U+FEFF is ignored; the first field must not be lost to it."""
    stream = b"\xef\xbb\xbfevent: a\ndata: 1\n\n"
    assert decode(sdk, [stream]) == [ev("1", "a")]
    assert decode(sdk, [bytes([b]) for b in stream]) == [ev("1", "a")]


def test_only_one_bom_and_only_at_the_start(sdk: Any) -> None:
    # a second BOM is part of the first field name ("\ufeffdata"), which is ignored
    assert decode(sdk, [b"\xef\xbb\xbf\xef\xbb\xbfdata: 1\n\ndata: 2\n\n"]) == [ev("2")]
    # a BOM later in the stream is not a BOM
    assert decode(sdk, [b"data: 1\n\n\xef\xbb\xbfdata: 2\n\n"]) == [ev("1")]


def test_aiter_bytes_matches_feed(sdk: Any) -> None:
    chunks = [b"event: a\r", b"\ndata: \xc3", b"\xa9\r\n\r\n", b"data: end"]

    async def collect() -> list[Event]:
        async def source() -> AsyncIterator[bytes]:
            for chunk in chunks:
                yield chunk

        decoder = sdk._streaming.SSEDecoder()
        return [(e.event, e.data, e.id, e.retry) async for e in decoder.aiter_bytes(source())]

    assert run_async(collect()) == decode(sdk, chunks) == [ev("é", "a"), ev("end")]


# --------------------------------------------------------------------------------------------
# The spec's streaming transcripts, through a real Stream
# --------------------------------------------------------------------------------------------


@dataclass
class Transcript:
    operation: str
    title: str
    path: str
    verbatim: str
    repaired: str
    repairs: list[str]

    @property
    def event_names(self) -> list[str]:
        """The `event:` lines, up to the `done` event."""
        lines = self.verbatim.splitlines()
        names = [line[len("event: ") :] for line in lines if line.startswith("event: ")]
        assert names[-1] == "done"
        return names[:-1]

    def data_of(self, name: str) -> list[dict[str, Any]]:
        """The JSON payloads of every `name` event in the repaired transcript."""
        out, current = [], None
        for line in self.repaired.splitlines():
            if line.startswith("event: "):
                current = line[len("event: ") :]
            elif line.startswith("data: {") and current == name:
                out.append(json.loads(line[len("data: ") :]))
        return out


def repair(text: str) -> tuple[str, list[str]]:
    """Fix the typos of the upstream examples, and say which: a data line with one `}` too
    many, and a JSON payload whose `data: ` prefix was left out."""
    decoder = json.JSONDecoder()
    lines, repairs = [], []
    for n, line in enumerate(text.split("\n")):
        if line.startswith("{"):
            repairs.append(f"line {n}: missing 'data: '")
            line = "data: " + line
        if line.startswith("data: {"):
            payload = line[len("data: ") :]
            _, end = decoder.raw_decode(payload)
            if payload[end:]:
                assert payload[end:] == "}", payload[end:]
                repairs.append(f"line {n}: extra '}}'")
                line = "data: " + payload[:end]
            json.loads(line[len("data: ") :])
        lines.append(line)
    return "\n".join(lines), repairs


@pytest.fixture(scope="module")
def transcripts() -> dict[tuple[str, str], Transcript]:
    with UPSTREAM.open(encoding="utf-8") as f:
        doc = yaml.load(f, Loader=yaml.CSafeLoader)
    found: dict[tuple[str, str], Transcript] = {}
    for path, item in doc["paths"].items():
        for op in item.values():
            if not isinstance(op, dict) or op.get("operationId") not in STREAMING_OPERATIONS:
                continue
            for example in op["x-oaiMeta"]["examples"]:
                text = example["response"]
                try:
                    json.loads(text)
                    continue  # a JSON response: not a transcript
                except ValueError:
                    pass
                fixed, repairs = repair(text)
                key = (op["operationId"], example["title"])
                found[key] = Transcript(*key, path, text, fixed, repairs)
    return found


def test_the_spec_has_the_five_transcripts(transcripts: dict[tuple[str, str], Transcript]) -> None:
    assert sorted(transcripts) == sorted(TRANSCRIPT_IDS)
    # The upstream examples carry typos (documented here so a new spec version shows up):
    # every one but the first has data lines with an extra '}', and the first has a payload
    # without its 'data: ' prefix.
    kinds = {key: {r.split(": ", 1)[1] for r in t.repairs} for key, t in transcripts.items()}
    assert kinds[("createThreadAndRun", "Streaming")] == {"missing 'data: '"}
    for key in TRANSCRIPT_IDS[1:]:
        assert kinds[key] == {"extra '}'"}


def call_streaming(client: Any, operation: str) -> Any:
    """The client method for `operation`, with stream=True (sync or async: not awaited)."""
    threads = client.beta.threads
    if operation == "createRun":
        return threads.runs.create("thread_123", assistant_id="asst_123", stream=True)
    if operation == "createThreadAndRun":
        return threads.create_and_run(assistant_id="asst_123", stream=True)
    assert operation == "submitToolOuputsToRun"
    outputs = [{"tool_call_id": "call_001", "output": "70 degrees and sunny."}]
    return threads.runs.submit_tool_outputs(
        "run_123", thread_id="thread_123", tool_outputs=outputs, stream=True
    )


# Bytes after the end of the stream: if [DONE] did not end it, these would fail to parse.
AFTER_DONE = b'\n\nevent: thread.run.created\ndata: {"not json\n\n'


def transcript_handler(transcript: Transcript, body: bytes, seen: list[httpx.Request]):
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers=SSE_HEADERS, content=body)

    return handler


def check_request(request: httpx.Request, transcript: Transcript) -> None:
    assert request.method == "POST"
    pattern = re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(transcript.path))
    assert re.fullmatch("/v1" + pattern, request.url.path), (request.url.path, transcript.path)
    assert json.loads(request.content)["stream"] is True


def data_class_for(name: str) -> str:
    if name == "thread.created":
        return "Thread"
    if name == "thread.message.delta":
        return "MessageDeltaEvent"
    if name.startswith("thread.message."):
        return "Message"
    if name == "thread.run.step.delta":
        return "RunStepDeltaEvent"
    if name.startswith("thread.run.step."):
        return "RunStep"
    assert name.startswith("thread.run."), name
    return "Run"


def check_typed_events(sdk: Any, events: list[Any], transcript: Transcript) -> None:
    types = sdk.types
    names = [e.event for e in events]
    assert names == transcript.event_names
    for event in events:
        assert not isinstance(event, types.AssistantStreamEventUnknown), event.event
        assert not isinstance(event, sdk.UnknownVariant), event.event
        event_class = "".join(part.capitalize() for part in re.split(r"[._]", event.event))
        assert type(event) is getattr(types, event_class), (event.event, type(event))
        assert type(event.data) is getattr(types, data_class_for(event.event)), event.event
    for event, raw in zip(
        [e for e in events if e.event == "thread.message.delta"],
        transcript.data_of("thread.message.delta"),
    ):
        (block,) = event.data.delta.content
        assert isinstance(block, types.TextDeltaBlock)
        assert block.index == 0
        assert block.text.value == raw["delta"]["content"][0]["text"]["value"]
    for event in events:
        if event.event.startswith("thread.run.") and type(event.data) is types.Run:
            assert event.data.id == "run_123"
            assert event.data.object == "thread.run"
    for event, raw in zip(
        [e for e in events if e.event == "thread.run.step.delta"],
        transcript.data_of("thread.run.step.delta"),
    ):
        details = event.data.delta.step_details
        assert isinstance(details, types.ToolCallDeltaObject)
        assert details.tool_calls is not None and len(details.tool_calls) == 1
        function = details.tool_calls[0].function
        raw_function = raw["delta"]["step_details"]["tool_calls"][0]["function"]
        assert function.arguments == raw_function["arguments"]
    last = events[-1]
    assert last.event in ("thread.run.completed", "thread.run.requires_action")
    assert last.data.status == last.event.rsplit(".", 1)[1]


@pytest.mark.parametrize("key", TRANSCRIPT_IDS, ids=[" - ".join(k) for k in TRANSCRIPT_IDS])
def test_transcript_decodes_into_typed_events(
    sdk: Any, transcripts: dict[tuple[str, str], Transcript], key: tuple[str, str]
) -> None:
    transcript = transcripts[key]
    seen: list[httpx.Request] = []
    body = transcript.repaired.encode() + AFTER_DONE
    handler = transcript_handler(transcript, body, seen)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = sdk.OpenAI(api_key="sk-test", base_url="https://api.test/v1", http_client=http)
    stream = call_streaming(client, transcript.operation)
    assert isinstance(stream, sdk.Stream)
    events = list(stream)
    check_request(seen[0], transcript)
    check_typed_events(sdk, events, transcript)
    assert stream.response.is_closed
    assert list(stream) == []  # ended at [DONE], and stays ended


@pytest.mark.parametrize("key", TRANSCRIPT_IDS, ids=[" - ".join(k) for k in TRANSCRIPT_IDS])
def test_transcript_decodes_into_typed_events_async(
    sdk: Any, transcripts: dict[tuple[str, str], Transcript], key: tuple[str, str]
) -> None:
    transcript = transcripts[key]
    seen: list[httpx.Request] = []
    body = transcript.repaired.encode() + AFTER_DONE
    handler = transcript_handler(transcript, body, seen)

    async def go() -> tuple[Any, list[Any]]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client = sdk.AsyncOpenAI(
            api_key="sk-test", base_url="https://api.test/v1", http_client=http
        )
        stream = await call_streaming(client, transcript.operation)
        assert isinstance(stream, sdk.AsyncStream)
        async with stream:
            events = [event async for event in stream]
        await http.aclose()
        return stream, events

    stream, events = run_async(go())
    check_request(seen[0], transcript)
    check_typed_events(sdk, events, transcript)
    assert stream.response.is_closed


@pytest.mark.parametrize("key", TRANSCRIPT_IDS, ids=[" - ".join(k) for k in TRANSCRIPT_IDS])
def test_verbatim_transcript_fails_typed_and_closes(
    sdk: Any, transcripts: dict[tuple[str, str], Transcript], key: tuple[str, str]
) -> None:
    """The transcripts as the spec prints them (with their typos): whatever the client makes of
    them, it is a prefix of the right events, then at most a typed error; never a bare
    JSONDecodeError or pydantic error, never a half-parsed event; the response is closed."""
    transcript = transcripts[key]
    handler = transcript_handler(transcript, transcript.verbatim.encode(), [])
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = sdk.OpenAI(api_key="sk-test", base_url="https://api.test/v1", http_client=http)
    stream = call_streaming(client, transcript.operation)
    events: list[Any] = []
    try:
        for event in stream:
            events.append(event)  # noqa: PERF402 (keep the events before the error)
    except sdk.APIResponseValidationError as exc:
        assert exc.status_code == 200
        assert isinstance(exc.body, str)
    names = [e.event for e in events]
    assert names == transcript.event_names[: len(names)]
    assert stream.response.is_closed


# --------------------------------------------------------------------------------------------
# Stream behaviour
# --------------------------------------------------------------------------------------------

RUN = {
    "id": "run_1",
    "object": "thread.run",
    "created_at": 1,
    "thread_id": "t",
    "assistant_id": "asst_1",
    "status": "queued",
    "model": "gpt-4o",
    "instructions": "Be brief.",
    "tools": [],
    "metadata": {},
    "parallel_tool_calls": True,
}


def sse(event: str, data: object) -> bytes:
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return f"event: {event}\ndata: {payload}\n\n".encode()


def delta(text: str) -> dict[str, Any]:
    return {
        "id": "msg_1",
        "object": "thread.message.delta",
        "delta": {"content": [{"index": 0, "type": "text", "text": {"value": text}}]},
    }


CREATED = sse("thread.run.created", RUN)
COMPLETED = sse("thread.run.completed", {**RUN, "status": "completed"})
DONE = sse("done", "[DONE]")


class RecordingStream(httpx.SyncByteStream):
    """A response body that records how much was read and whether it was closed."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.read = 0
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.read += 1
            yield chunk

    def close(self) -> None:
        self.closed = True


class AsyncRecordingStream(httpx.AsyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.read = 0
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            self.read += 1
            yield chunk

    async def aclose(self) -> None:
        self.closed = True


def sync_client(sdk: Any, body: httpx.SyncByteStream | bytes) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(body, bytes):
            return httpx.Response(200, headers=SSE_HEADERS, content=body)
        return httpx.Response(200, headers=SSE_HEADERS, stream=body)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return sdk.OpenAI(api_key="sk-test", base_url="https://api.test/v1", http_client=http)


def async_client(sdk: Any, body: httpx.AsyncByteStream) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=SSE_HEADERS, stream=body)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return sdk.AsyncOpenAI(api_key="sk-test", base_url="https://api.test/v1", http_client=http)


def create_run(client: Any) -> Any:
    return client.beta.threads.runs.create("t", assistant_id="asst_1", stream=True)


ERROR = {"message": "The server had an error.", "type": "server_error", "code": "internal"}


@pytest.mark.parametrize("payload", [ERROR, {"error": ERROR}], ids=["bare", "wrapped"])
def test_error_event_raises_api_error_with_the_body(sdk: Any, payload: object) -> None:
    body = RecordingStream([CREATED, sse("error", payload), COMPLETED, DONE])
    stream = create_run(sync_client(sdk, body))
    events = []
    with pytest.raises(sdk.APIError) as info:
        for event in stream:
            events.append(event)  # noqa: PERF402 (keep the events before the error)
    assert [e.event for e in events] == ["thread.run.created"]
    exc = info.value
    assert type(exc) is sdk.APIError
    assert exc.body == ERROR
    assert (exc.code, exc.type) == ("internal", "server_error")
    assert "The server had an error." in str(exc)
    assert exc.request.url.path == "/v1/threads/t/runs"
    assert body.closed


def test_error_event_with_text_data(sdk: Any) -> None:
    body = RecordingStream([sse("error", "upstream timed out"), DONE])
    with pytest.raises(sdk.APIError) as info:
        list(create_run(sync_client(sdk, body)))
    assert info.value.body == "upstream timed out"
    assert "upstream timed out" in str(info.value)
    assert body.closed


def test_unknown_event_is_yielded_and_iteration_continues(sdk: Any) -> None:
    paused = sse("thread.run.paused", {**RUN, "status": "paused", "pause_reason": "nap"})
    body = RecordingStream([CREATED, paused, sse("thread.message.delta", delta("hi")), DONE])
    events = list(create_run(sync_client(sdk, body)))
    assert [e.event for e in events] == [
        "thread.run.created",
        "thread.run.paused",
        "thread.message.delta",
    ]
    unknown = events[1]
    assert isinstance(unknown, sdk.types.AssistantStreamEventUnknown)
    assert unknown.raw["data"]["pause_reason"] == "nap"
    assert unknown.raw["event"] == "thread.run.paused"
    assert isinstance(events[2], sdk.types.ThreadMessageDelta)
    assert body.closed


def test_stream_is_lazy_and_closed_when_iteration_ends(sdk: Any) -> None:
    body = RecordingStream([CREATED, COMPLETED, DONE])
    stream = create_run(sync_client(sdk, body))
    assert body.read == 0 and not body.closed
    assert [type(e).__name__ for e in stream] == ["ThreadRunCreated", "ThreadRunCompleted"]
    assert body.closed


def test_stream_is_closed_when_the_server_ends_without_done(sdk: Any) -> None:
    body = RecordingStream([CREATED, COMPLETED[:-2]])  # no [DONE], no final blank line
    events = list(create_run(sync_client(sdk, body)))
    assert [e.event for e in events] == ["thread.run.created", "thread.run.completed"]
    assert body.closed


def test_stream_is_closed_when_the_consumer_breaks(sdk: Any) -> None:
    """Stream's docstring: "the connection is closed when iteration ends, breaks or fails"."""
    body = RecordingStream([CREATED, COMPLETED, DONE])
    stream = create_run(sync_client(sdk, body))
    for _ in stream:
        break
    closed_after_break = body.closed
    stream.close()
    assert body.closed
    assert closed_after_break, "the response is still open after `break` (no `with`)"


def test_breaking_out_of_a_with_block_closes(sdk: Any) -> None:
    body = RecordingStream([CREATED, COMPLETED, DONE])
    stream = create_run(sync_client(sdk, body))
    with stream as entered:
        assert entered is stream
        for _ in entered:
            break
        assert body.closed  # breaking out of the loop already closes the response
    assert body.closed
    assert body.read == 1


def test_with_block_closes_without_iterating(sdk: Any) -> None:
    body = RecordingStream([CREATED, DONE])
    with create_run(sync_client(sdk, body)):
        pass
    assert body.closed and body.read == 0
    body = RecordingStream([CREATED, DONE])
    stream = create_run(sync_client(sdk, body))
    stream.close()
    assert body.closed
    assert list(stream) == []


def test_stream_is_closed_when_parsing_fails(sdk: Any) -> None:
    body = RecordingStream([CREATED, b"event: thread.run.queued\ndata: {oops\n\n", COMPLETED, DONE])
    stream = create_run(sync_client(sdk, body))
    events = []
    with pytest.raises(sdk.APIResponseValidationError) as info:
        for event in stream:
            events.append(event)  # noqa: PERF402 (keep the events before the error)
    assert [e.event for e in events] == ["thread.run.created"]
    assert info.value.body == "{oops"
    assert body.closed
    assert body.read == 2


def test_keepalive_blocks_do_not_break_the_stream(sdk: Any) -> None:
    """A server may open with `retry:` or send `id:`-only blocks and comments: none is an
    event, so none may reach the JSON parser."""
    body = RecordingStream([b"retry: 3000\n\n", b": keep-alive\n\n", CREATED, b"id: 9\n\n", DONE])
    events = list(create_run(sync_client(sdk, body)))
    assert [e.event for e in events] == ["thread.run.created"]


def test_stream_with_next(sdk: Any) -> None:
    body = RecordingStream([CREATED, COMPLETED, DONE])
    stream = create_run(sync_client(sdk, body))
    assert next(stream).event == "thread.run.created"
    assert next(stream).event == "thread.run.completed"
    with pytest.raises(StopIteration):
        next(stream)
    assert body.closed


def test_raw_response_stream(sdk: Any) -> None:
    body = RecordingStream([CREATED, DONE])
    client = sync_client(sdk, body)
    raw = client.beta.threads.runs.with_raw_response.create("t", assistant_id="a", stream=True)
    assert raw.status_code == 200
    assert raw.headers["content-type"] == "text/event-stream"
    with raw.parse() as stream:
        assert [e.event for e in stream] == ["thread.run.created"]
    assert body.closed


def test_async_stream(sdk: Any) -> None:
    paused = sse("thread.run.paused", {**RUN, "status": "paused"})
    body = AsyncRecordingStream([CREATED, paused, sse("thread.message.delta", delta("é")), DONE])

    async def go() -> list[Any]:
        stream = await create_run(async_client(sdk, body))
        assert isinstance(stream, sdk.AsyncStream)
        assert body.read == 0
        return [event async for event in stream]

    events = run_async(go())
    assert [type(e).__name__ for e in events] == [
        "ThreadRunCreated",
        "AssistantStreamEventUnknown",
        "ThreadMessageDelta",
    ]
    assert events[2].data.delta.content[0].text.value == "é"
    assert body.closed


def test_async_stream_context_manager_and_break(sdk: Any) -> None:
    body = AsyncRecordingStream([CREATED, COMPLETED, DONE])

    async def go() -> None:
        stream = await create_run(async_client(sdk, body))
        async with stream as entered:
            assert entered is stream
            async for _ in entered:
                break
            assert not body.closed
        assert body.closed

    run_async(go())
    assert body.read == 1


def test_async_stream_error_event_and_parse_failure_close(sdk: Any) -> None:
    async def consume(chunks: list[bytes]) -> tuple[list[Any], AsyncRecordingStream]:
        body = AsyncRecordingStream(chunks)
        stream = await create_run(async_client(sdk, body))
        events: list[Any] = []
        try:
            async for event in stream:
                events.append(event)
        finally:
            assert body.closed
        return events, body

    with pytest.raises(sdk.APIError) as info:
        run_async(consume([CREATED, sse("error", {"error": ERROR}), DONE]))
    assert info.value.body == ERROR
    with pytest.raises(sdk.APIResponseValidationError):
        run_async(consume([CREATED, b"data: not json\n\n", DONE]))


# --------------------------------------------------------------------------------------------
# The real client against a real HTTP server on loopback
# --------------------------------------------------------------------------------------------


def assistant(id: str, created_at: int = 1) -> dict[str, Any]:
    return {
        "id": id,
        "object": "assistant",
        "created_at": created_at,
        "name": "Math tutor",
        "description": None,
        "model": "gpt-4o",
        "instructions": "You are a math tutor.",
        "tools": [{"type": "code_interpreter"}],
        "metadata": {},
        "top_p": 1.0,
        "temperature": 1.0,
        "response_format": "auto",
    }


PAGES = {
    None: {"data": [assistant("asst_1"), assistant("asst_2")], "has_more": True},
    "asst_2": {"data": [assistant("asst_3")], "has_more": False},
}


def sse_pieces() -> list[bytes]:
    """The run stream the loopback server sends, CRLF line ends, as the writes it makes: the
    first event whole, then pieces cut mid-line, mid-character and between CR and LF."""
    text = "".join(
        [
            sse("thread.run.created", RUN).decode(),
            ": keep-alive\n\n",
            sse("thread.message.delta", delta("Héllo")).decode(),
            sse("thread.message.delta", delta(" wörld €")).decode(),
            sse("thread.run.completed", {**RUN, "status": "completed"}).decode(),
            sse("done", "[DONE]").decode(),
        ]
    ).replace("\n", "\r\n")
    data = text.encode()
    first = data.index(b"\r\n\r\n") + 4
    cuts = [first]
    cuts.append(data.index("é".encode()) + 1)  # inside the two bytes of é
    cuts.append(data.index("€".encode()) + 2)  # inside the three bytes of €
    cuts.append(data.index(b"\r\n", first) + 1)  # between a CR and its LF
    cuts.append(data.index(b"thread.run.completed") + 7)  # inside an event name
    cuts = sorted(set(cuts))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)])]


@dataclass
class Loopback:
    url: str = ""
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    attempts: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # set by the client when it has the first event of the run stream
    proceed: threading.Event = field(default_factory=threading.Event)
    client_had_first_event: bool | None = None


def make_handler(state: Loopback) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 5  # an idle keep-alive connection never holds a thread for long

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def record(self) -> bytes:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            with state.lock:
                state.requests.append((self.command, self.path, dict(self.headers), body))
            return body

        def send_json(
            self, status: int, payload: object, headers: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self.record()
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            if url.path == "/v1/assistants/asst_1":
                self.send_json(200, assistant("asst_1"))
            elif url.path == "/v1/assistants/asst_flaky":
                with state.lock:
                    attempt = state.attempts["flaky"] = state.attempts.get("flaky", 0) + 1
                if attempt == 1:
                    error = {"error": {"message": "Slow down.", "type": "rate_limit_error"}}
                    self.send_json(429, error, {"Retry-After": "0"})
                else:
                    self.send_json(200, assistant("asst_flaky"))
            elif url.path == "/v1/assistants":
                page = PAGES[query.get("after", [None])[0]]
                items = page["data"]
                first, last = items[0]["id"], items[-1]["id"]
                self.send_json(200, {"object": "list", "first_id": first, "last_id": last, **page})
            else:
                self.send_json(404, {"error": {"message": "No route.", "type": "invalid"}})

        def do_POST(self) -> None:
            self.record()
            if self.path != "/v1/threads/t/runs":
                self.send_json(404, {"error": {"message": "No route.", "type": "invalid"}})
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            first, *rest = sse_pieces()
            self.write_chunk(first)
            state.client_had_first_event = state.proceed.wait(timeout=5)
            for piece in rest:
                time.sleep(0.02)
                self.write_chunk(piece)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

        def write_chunk(self, data: bytes) -> None:
            self.wfile.write(b"%X\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

    return Handler


@pytest.fixture
def server() -> Iterator[Loopback]:
    state = Loopback()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    httpd.daemon_threads = True
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    try:
        yield state
    finally:
        state.proceed.set()  # never leave a handler waiting
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
        assert not thread.is_alive()


TIMEOUT = httpx.Timeout(5.0, connect=2.0)


def check_run_stream(sdk: Any, state: Loopback, events: list[Any]) -> None:
    assert state.client_had_first_event is True, "the first event only arrived with the last"
    assert [type(e).__name__ for e in events] == [
        "ThreadRunCreated",
        "ThreadMessageDelta",
        "ThreadMessageDelta",
        "ThreadRunCompleted",
    ]
    assert isinstance(events[0].data, sdk.types.Run)
    assert (events[0].data.status, events[-1].data.status) == ("queued", "completed")
    text = "".join(e.data.delta.content[0].text.value for e in events[1:3])
    assert text == "Héllo wörld €"
    method, path, headers, body = state.requests[-1]
    assert (method, path) == ("POST", "/v1/threads/t/runs")
    lowered = {k.lower(): v for k, v in headers.items()}
    assert lowered["authorization"] == "Bearer sk-loopback"
    assert lowered["openai-beta"] == "assistants=v2"
    assert lowered["content-type"] == "application/json"
    assert json.loads(body) == {"assistant_id": "asst_1", "stream": True}


def test_loopback_sse_stream(sdk: Any, server: Loopback) -> None:
    client = sdk.OpenAI(
        api_key="sk-loopback",
        base_url=server.url,
        timeout=TIMEOUT,
        max_retries=0,
        _strict_response_validation=True,
    )
    with client:
        stream = client.beta.threads.runs.create("t", assistant_id="asst_1", stream=True)
        events = []
        with stream:
            for event in stream:
                events.append(event)
                server.proceed.set()
        assert stream.response.is_closed
    check_run_stream(sdk, server, events)


def test_loopback_sse_stream_async(sdk: Any, server: Loopback) -> None:
    async def go() -> list[Any]:
        async with sdk.AsyncOpenAI(
            api_key="sk-loopback",
            base_url=server.url,
            timeout=TIMEOUT,
            max_retries=0,
            _strict_response_validation=True,
        ) as client:
            stream = await client.beta.threads.runs.create("t", assistant_id="asst_1", stream=True)
            events = []
            async with stream:
                async for event in stream:
                    events.append(event)
                    server.proceed.set()
            assert stream.response.is_closed
            return events

    check_run_stream(sdk, server, run_async(go()))


@pytest.mark.filterwarnings(DEPRECATED)
def test_loopback_json_retrieve(sdk: Any, server: Loopback) -> None:
    with sdk.OpenAI(api_key="sk-loopback", base_url=server.url, timeout=TIMEOUT) as client:
        found = client.beta.assistants.retrieve("asst_1")
    assert isinstance(found, sdk.types.Assistant)
    assert (found.id, found.name, found.model) == ("asst_1", "Math tutor", "gpt-4o")
    assert isinstance(found.tools[0], sdk.types.CodeInterpreterTool)
    _, path, headers, _ = server.requests[-1]
    assert path == "/v1/assistants/asst_1"
    assert {k.lower(): v for k, v in headers.items()}["authorization"] == "Bearer sk-loopback"

    async def go() -> Any:
        async with sdk.AsyncOpenAI(
            api_key="sk-loopback", base_url=server.url, timeout=TIMEOUT
        ) as client:
            return await client.beta.assistants.retrieve("asst_1")

    assert run_async(go()) == found


def recording_sleep(sleeps: list[float]) -> Callable[[float], None]:
    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        time.sleep(seconds)

    return sleep


@pytest.mark.filterwarnings(DEPRECATED)
def test_loopback_retry_after_429(sdk: Any, server: Loopback) -> None:
    sleeps: list[float] = []
    client = sdk.OpenAI(api_key="sk-loopback", base_url=server.url, timeout=TIMEOUT, max_retries=2)
    client._sleep = recording_sleep(sleeps)
    started = time.monotonic()
    with client:
        found = client.beta.assistants.retrieve("asst_flaky")
    elapsed = time.monotonic() - started
    assert found.id == "asst_flaky"
    assert server.attempts["flaky"] == 2
    # Retry-After: 0 is not a usable hint (0 < wait <= 60 is), so the first backoff step
    # applies: at most INITIAL_RETRY_DELAY, with jitter.
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= sdk._base_client.INITIAL_RETRY_DELAY
    assert elapsed < 2.0


@pytest.mark.filterwarnings(DEPRECATED)
def test_loopback_429_without_retries_is_a_rate_limit_error(sdk: Any, server: Loopback) -> None:
    client = sdk.OpenAI(api_key="sk-loopback", base_url=server.url, timeout=TIMEOUT, max_retries=0)
    with client, pytest.raises(sdk.RateLimitError) as info:
        client.beta.assistants.retrieve("asst_flaky")
    assert info.value.status_code == 429
    assert info.value.body == {"message": "Slow down.", "type": "rate_limit_error"}
    assert server.attempts["flaky"] == 1


@pytest.mark.filterwarnings(DEPRECATED)
def test_loopback_retry_after_429_async(sdk: Any, server: Loopback) -> None:
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        await asyncio.sleep(seconds)

    async def go() -> Any:
        async with sdk.AsyncOpenAI(
            api_key="sk-loopback", base_url=server.url, timeout=TIMEOUT, max_retries=2
        ) as client:
            client._sleep = sleep
            return await client.beta.assistants.retrieve("asst_flaky")

    assert run_async(go()).id == "asst_flaky"
    assert server.attempts["flaky"] == 2
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= sdk._base_client.INITIAL_RETRY_DELAY


def list_queries(state: Loopback) -> list[dict[str, list[str]]]:
    return [
        parse_qs(urlsplit(path).query)
        for method, path, _, _ in state.requests
        if urlsplit(path).path == "/v1/assistants"
    ]


@pytest.mark.filterwarnings(DEPRECATED)
def test_loopback_two_pages(sdk: Any, server: Loopback) -> None:
    with sdk.OpenAI(api_key="sk-loopback", base_url=server.url, timeout=TIMEOUT) as client:
        page = client.beta.assistants.list(limit=2)
        assert [a.id for a in page.data] == ["asst_1", "asst_2"]
        assert page.has_more and page.has_next_page()
        assert page.last_id == "asst_2"
        assert [a.id for a in page] == ["asst_1", "asst_2", "asst_3"]
        second = page.get_next_page()
        assert [a.id for a in second.data] == ["asst_3"]
        assert not second.has_next_page()
    assert list_queries(server) == [
        {"limit": ["2"]},
        {"limit": ["2"], "after": ["asst_2"]},
        {"limit": ["2"], "after": ["asst_2"]},
    ]


@pytest.mark.filterwarnings(DEPRECATED)
def test_loopback_two_pages_async(sdk: Any, server: Loopback) -> None:
    async def go() -> tuple[list[str], list[str]]:
        async with sdk.AsyncOpenAI(
            api_key="sk-loopback", base_url=server.url, timeout=TIMEOUT
        ) as client:
            page = await client.beta.assistants.list(limit=2)
            first = [a.id for a in page.data]
            assert page.has_next_page()
            every = [a.id async for a in client.beta.assistants.list(limit=2)]
            return first, every

    first, every = run_async(go())
    assert first == ["asst_1", "asst_2"]
    assert every == ["asst_1", "asst_2", "asst_3"]
    assert list_queries(server) == [
        {"limit": ["2"]},
        {"limit": ["2"]},
        {"limit": ["2"], "after": ["asst_2"]},
    ]
