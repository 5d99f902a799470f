"""Server-sent events: a decoder, and the typed streams methods return with `stream=True`.

Copied verbatim into every generated SDK. The decoder is written here rather than taken from
httpx-sse so the vendored package needs nothing beyond httpx and pydantic, and so a final
event with no blank line after it (a server that closes early) is still delivered.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Generator,
    Iterable,
    Iterator,
)
from types import TracebackType
from typing import Any, Generic, NamedTuple, TypeVar

import httpx
from typing_extensions import Self

from ._exceptions import (
    APIError,
    APIResponseValidationError,
    describe,
    error_body,
    transport_errors,
)
from ._models import parse, parse_envelope, parse_json

__all__ = ["AsyncStream", "EventParser", "SSEDecoder", "ServerSentEvent", "Stream"]

_T = TypeVar("_T")


class ServerSentEvent(NamedTuple):
    """One event as the server sent it. A named tuple: made four times faster than a frozen
    dataclass, which shows at tens of thousands of events a second."""

    event: str | None
    data: str
    id: str | None = None
    retry: int | None = None

    def json(self) -> Any:
        return json.loads(self.data)


class SSEDecoder:
    """Incremental decoder (WHATWG event-stream rules): feed bytes as they arrive, in chunks
    of any size; lines may end in LF, CR or CRLF; `:` starts a comment; multi-line `data`
    joins with LF; UTF-8 split across chunks is reassembled."""

    def __init__(self) -> None:
        self._text = codecs.getincrementaldecoder("utf-8-sig")(
            errors="replace"
        )  # drops a BOM
        self._buffer = (
            ""  # the start of a line whose end has not arrived; never holds a CR
        )
        self._pending_cr = False
        # The event being read, kept between chunks
        self._event: str | None = None
        self._data: list[str] = []
        self._retry: int | None = None
        self._last_id: str | None = (
            None  # the last event ID carries over to later events
        )

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        text = self._text.decode(chunk)
        if not text:
            return []
        if self._pending_cr and text.startswith("\n"):
            text = text[1:]  # the LF of a CRLF split across two chunks
        self._pending_cr = text.endswith("\r")
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if "\n" not in text:
            self._buffer += text
            return []
        lines = (self._buffer + text).split("\n")
        self._buffer = lines.pop()
        return self._lines(lines)

    def flush(self) -> list[ServerSentEvent]:
        """At end of stream: the last line and event, even without a final blank line."""
        self._buffer += self._text.decode(b"", final=True)
        lines = [self._buffer, ""] if self._buffer else [""]
        self._buffer = ""
        return self._lines(lines)

    def _lines(self, lines: list[str]) -> list[ServerSentEvent]:
        """The events that complete lines finish. One loop with the state in locals: a
        method call per line cost a third of the time of a whole stream."""
        events: list[ServerSentEvent] = []
        event, data, retry, last_id = (
            self._event,
            self._data,
            self._retry,
            self._last_id,
        )
        for line in lines:
            if not line:  # a blank line dispatches; a block without data is no event
                if data:
                    events.append(
                        ServerSentEvent(event, "\n".join(data), last_id, retry)
                    )
                    data = []
                event = retry = None
                continue
            if line[0] == ":":
                continue
            name, _, value = line.partition(":")
            if value[:1] == " ":
                value = value[1:]
            if name == "data":
                data.append(value)
            elif name == "event":
                event = value
            elif name == "id":
                if "\x00" not in value:
                    last_id = value
            elif name == "retry" and value.isascii() and value.isdigit():
                retry = int(value)
        self._event, self._data, self._retry, self._last_id = (
            event,
            data,
            retry,
            last_id,
        )
        return events

    def iter_bytes(self, chunks: Iterable[bytes]) -> Iterator[ServerSentEvent]:
        for chunk in chunks:
            yield from self.feed(chunk)
        yield from self.flush()

    async def aiter_bytes(
        self, chunks: AsyncIterator[bytes]
    ) -> AsyncIterator[ServerSentEvent]:
        async for chunk in chunks:
            for event in self.feed(chunk):
                yield event
        for event in self.flush():
            yield event


def _error_from_event(sse: ServerSentEvent, response: httpx.Response) -> APIError:
    try:
        body = error_body(sse.json())
    except ValueError:
        body = sse.data
    return APIError(
        describe(body) or "An error occurred during streaming.",
        response.request,
        body=body,
    )


class EventParser(Generic[_T]):
    """Reads the data of one SSE as the event type, as the method says (`decode`):
    "envelope", JSON wrapped as `{"event": name, "data": data}` when the server names the
    event (event types that carry both, as a union tagged by `event`: the member the name
    tags is validated alone); "data", the JSON data alone; "text", the data as it is."""

    __slots__ = ("decode", "strict", "type")

    def __init__(
        self, type_: Any, decode: str = "envelope", *, strict: bool = False
    ) -> None:
        self.type = type_
        self.decode = decode
        self.strict = strict

    def __call__(self, sse: ServerSentEvent) -> _T:
        """The typed event; ValueError if its data should be JSON and is not."""
        if self.decode == "text":
            text: _T = parse(self.type, sse.data, strict=self.strict)
            return text
        if self.decode == "envelope" and sse.event is not None:
            enveloped: _T = parse_envelope(
                self.type, sse.event, sse.data, strict=self.strict
            )
            return enveloped
        data: _T = parse_json(self.type, sse.data, strict=self.strict)
        return data


def _decode_event(
    sse: ServerSentEvent,
    response: httpx.Response,
    parse: Callable[[ServerSentEvent], _T],
) -> _T | None:
    """The typed event for one SSE, None at `[DONE]`; an `error` event raises."""
    if sse.data.startswith("[DONE]"):
        return None
    if sse.event == "error":
        raise _error_from_event(sse, response)
    try:
        return parse(sse)
    except json.JSONDecodeError:
        raise APIResponseValidationError(
            response, sse.data, message="A stream event is not JSON."
        ) from None


class Stream(Generic[_T]):
    """Typed events of a server-sent event response. Iterate it once; the connection is
    closed when iteration ends, breaks or fails, or when the `with` block exits. A transport
    failure mid-stream raises APITimeoutError or APIConnectionError, not retried: events
    have been handed over already."""

    def __init__(
        self, response: httpx.Response, parse: Callable[[ServerSentEvent], _T]
    ) -> None:
        self.response = response
        self._parse = parse
        self._iterator = self._events()

    def _events(self) -> Generator[_T, None, None]:
        try:
            with transport_errors(self.response.request):
                for sse in SSEDecoder().iter_bytes(self.response.iter_bytes()):
                    event = _decode_event(sse, self.response, self._parse)
                    if event is None:
                        return
                    yield event
        finally:
            self.response.close()

    def __iter__(self) -> Iterator[_T]:
        # A fresh generator per loop: when the loop breaks it is dropped, and closing it
        # closes the response (the stored one would live as long as the Stream).
        try:
            yield from self._iterator
        finally:
            self.close()

    def __next__(self) -> _T:
        return next(self._iterator)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._iterator.close()
        self.response.close()


class AsyncStream(Generic[_T]):
    """The async twin of Stream: `async for event in stream`."""

    def __init__(
        self, response: httpx.Response, parse: Callable[[ServerSentEvent], _T]
    ) -> None:
        self.response = response
        self._parse = parse
        self._iterator = self._events()

    async def _events(self) -> AsyncGenerator[_T, None]:
        try:
            with transport_errors(self.response.request):
                async for sse in SSEDecoder().aiter_bytes(self.response.aiter_bytes()):
                    event = _decode_event(sse, self.response, self._parse)
                    if event is None:
                        return
                    yield event
        finally:
            await self.response.aclose()

    async def __aiter__(self) -> AsyncIterator[_T]:
        try:
            async for event in self._iterator:
                yield event
        finally:
            await self.close()

    async def __anext__(self) -> _T:
        return await self._iterator.__anext__()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        await self._iterator.aclose()
        await self.response.aclose()
