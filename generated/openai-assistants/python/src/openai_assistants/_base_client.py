"""The HTTP core every generated resource method goes through: one request, with retries.

Copied verbatim into every generated SDK. A method builds a `Request` (verb, path, query,
body and its media type, per-call options) and hands it to `SyncAPIClient.request` or
`AsyncAPIClient.request`, which sends it (the body written by `_content`), retries what is
worth retrying, raises a typed error for a 4xx/5xx, and reads the response as the method
says: JSON parsed into its return type (a model, a page), text, bytes, or a stream of
server-sent events. `.with_raw_response` gives the response read; `.with_streaming_response`
gives it unread, to read in chunks (`iter_bytes()`, `write_to_file()`).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import threading
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from typing_extensions import ParamSpec, Self

from ._auth import Credentials, Scheme, Security, credentials, missing_credentials
from ._content import body_arguments, prepare_body, to_jsonable, with_extra_body
from ._exceptions import (
    APIResponseValidationError,
    MissingCredentialsError,
    connection_error,
    request_id_of,
    status_error,
    transport_errors,
)
from ._params import cookie_header, header_values, query_string
from ._types import NOT_GIVEN, Headers, NotGiven, Query, Timeout

# httpx, pydantic (`_models`) and asyncio load on first use, not with the package: together
# they were nine tenths of `import pkg; pkg.Client()`, and a client that is made but not
# used (a CLI's --help, a test that mocks it) never needs them. The names below are for
# type checkers; the code imports them where it runs (an `import httpx` of a loaded module
# costs 0.1 µs).
if TYPE_CHECKING:
    import asyncio

    import httpx

    from ._streaming import EventParser

    DEFAULT_TIMEOUT: httpx.Timeout
    DEFAULT_CONNECTION_LIMITS: httpx.Limits

__all__ = [
    "DEFAULT_CONNECTION_LIMITS",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "APIResponse",
    "AsyncAPIClient",
    "AsyncAPIResponse",
    "AsyncResponseContextManager",
    "Request",
    "ResponseContextManager",
    "SyncAPIClient",
    "to_jsonable",
]

_T = TypeVar("_T")
_C = TypeVar("_C", bytes, str)
_R = TypeVar("_R", bound="APIResponse[Any] | AsyncAPIResponse[Any]")
_P = ParamSpec("_P")

DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = (
    60.0  # a longer Retry-After is not honored: the default backoff applies
)
RAW_RESPONSE_HEADER = "X-Sdkgen-Raw-Response"
_RETRY_STATUSES = frozenset({408, 409, 429})


def default_timeout() -> httpx.Timeout:
    import httpx

    return httpx.Timeout(timeout=600.0, connect=5.0)


def default_connection_limits() -> httpx.Limits:
    import httpx

    # httpx's defaults (10 connections, 20 kept alive) queue concurrent calls behind each other
    return httpx.Limits(max_connections=1000, max_keepalive_connections=100)


_HTTPX_CONSTANTS: dict[str, Callable[[], object]] = {
    "DEFAULT_TIMEOUT": default_timeout,
    "DEFAULT_CONNECTION_LIMITS": default_connection_limits,
}


def __getattr__(name: str) -> object:
    """DEFAULT_TIMEOUT and DEFAULT_CONNECTION_LIMITS, made (with httpx) when first read."""
    make = _HTTPX_CONSTANTS.get(name)
    if make is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = make()
    return value


@dataclass(slots=True)
class Request:
    """Everything needed to send (and resend) one API call. Treated as immutable (`replace`
    makes a changed copy) but not frozen: a frozen dataclass's __init__ costs three times
    as much, on every call."""

    method: str
    path: str
    query: Mapping[str, object] = field(default_factory=dict[str, object])
    body: object = NOT_GIVEN
    headers: Mapping[str, object] = field(default_factory=dict[str, object])
    cookies: Mapping[str, object] = field(default_factory=dict[str, object])
    extra_headers: Headers | None = None
    extra_query: Query | None = None
    extra_body: object | None = None
    timeout: Timeout | NotGiven = NOT_GIVEN
    # The operation's own security requirement; None: the client's default one.
    security: Security | None = None
    # The body's media type; for multipart, the fields that may hold files, and the parts'
    # own content types and contentEncodings (see `_content`).
    content_type: str = "application/json"
    files: tuple[str, ...] = ()
    part_types: Mapping[str, str] = field(default_factory=dict[str, str])
    part_encodings: Mapping[str, str] = field(default_factory=dict[str, str])
    accept: str = ""  # the Accept header, when the response is not JSON


class _BaseAPIResponse(Generic[_T]):
    """What sync and async responses share: the httpx response and its metadata."""

    def __init__(
        self,
        response: httpx.Response,
        parser: Callable[[httpx.Response], _T],
        *,
        streams: bool = False,
    ) -> None:
        self.http_response = response
        self._parser = parser
        self._streams = streams  # the parser reads the body itself (a stream of events)

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def http_request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def method(self) -> str:
        return self.http_request.method

    @property
    def request_id(self) -> str | None:
        return request_id_of(self.headers)


class APIResponse(_BaseAPIResponse[_T]):
    """The HTTP response of a call made through `.with_raw_response` (read) or
    `.with_streaming_response` (unread until asked: `iter_bytes()`, `write_to_file()`);
    `parse()` gives what the method would have returned."""

    @property
    def content(self) -> bytes:
        return self.read()

    @property
    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> object:
        self.read()
        return self.http_response.json()

    def parse(self) -> _T:
        if not self._streams:
            self.read()
        return self._parser(self.http_response)

    def read(self) -> bytes:
        """The whole body (read once, then kept)."""
        with transport_errors(self.http_request):
            return self.http_response.read()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks as it arrives, without holding all of it."""
        return self._guarded(self.http_response.iter_bytes(chunk_size))

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return self._guarded(self.http_response.iter_text(chunk_size))

    def iter_lines(self) -> Iterator[str]:
        return self._guarded(self.http_response.iter_lines())

    def _guarded(self, chunks: Iterator[_C]) -> Iterator[_C]:
        with transport_errors(self.http_request):
            yield from chunks

    def write_to_file(self, file: str | os.PathLike[str]) -> None:
        """Stream the body into a file, chunk by chunk."""
        with open(file, "wb") as out:
            out.writelines(self.iter_bytes())

    def close(self) -> None:
        self.http_response.close()


class AsyncAPIResponse(_BaseAPIResponse[_T]):
    """The unread HTTP response of an async call made through `.with_streaming_response`:
    `await parse()`, `await read()`, `async for chunk in iter_bytes()`."""

    async def parse(self) -> _T:
        if not self._streams:
            await self.read()
        return self._parser(self.http_response)

    async def read(self) -> bytes:
        with transport_errors(self.http_request):
            return await self.http_response.aread()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> object:
        await self.read()
        return self.http_response.json()

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self._guarded(self.http_response.aiter_bytes(chunk_size))

    def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        return self._guarded(self.http_response.aiter_text(chunk_size))

    def iter_lines(self) -> AsyncIterator[str]:
        return self._guarded(self.http_response.aiter_lines())

    async def _guarded(self, chunks: AsyncIterator[_C]) -> AsyncIterator[_C]:
        with transport_errors(self.http_request):
            async for chunk in chunks:
                yield chunk

    async def write_to_file(self, file: str | os.PathLike[str]) -> None:
        """Stream the body into a file, chunk by chunk. The local file is written in the
        event loop's thread: a thread hop per chunk would cost more than the write."""
        with open(file, "wb") as out:  # noqa: ASYNC230
            async for chunk in self.iter_bytes():
                out.write(chunk)

    async def close(self) -> None:
        await self.http_response.aclose()


class ResponseContextManager(Generic[_R]):
    """`with resource.with_streaming_response.x(...) as response:` sends on entry and closes
    the response on exit."""

    def __init__(self, send: Callable[[], _R]) -> None:
        self._send = send
        self._response: _R | None = None

    def __enter__(self) -> _R:
        self._response = self._send()
        return self._response

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if isinstance(self._response, APIResponse):
            self._response.close()


class AsyncResponseContextManager(Generic[_R]):
    """`async with resource.with_streaming_response.x(...) as response:`."""

    def __init__(self, send: Callable[[], Awaitable[_R]]) -> None:
        self._send = send
        self._response: _R | None = None

    async def __aenter__(self) -> _R:
        self._response = await self._send()
        return self._response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if isinstance(self._response, AsyncAPIResponse):
            await self._response.close()


def retry_after_seconds(
    headers: httpx.Headers, now: float | None = None
) -> float | None:
    """The server's requested wait (retry-after-ms, or Retry-After in seconds or as an
    HTTP date), if it is a sane one (0 < wait <= 60 s)."""
    wait: float | None = None
    try:
        if "retry-after-ms" in headers:
            wait = float(headers["retry-after-ms"]) / 1000
    except ValueError:
        wait = None
    if wait is None and "retry-after" in headers:
        value = headers["retry-after"]
        try:
            wait = float(value)
        except ValueError:
            import email.utils  # 4 ms to import, for the rare Retry-After given as a date

            parsed = email.utils.parsedate_tz(value)
            if parsed is not None:
                wait = email.utils.mktime_tz(parsed) - (
                    time.time() if now is None else now
                )
    if wait is not None and 0 < wait <= MAX_RETRY_AFTER:
        return wait
    return None


def _materialized(request: Request) -> Request:
    """The request with its body prepared once (JSON data, form fields, multipart parts with
    the files read, bytes): a generator or a file passed as an argument is read once, and
    every retry sends the same body. `extra_body` fields are added to it."""
    body = request.body
    if isinstance(body, NotGiven) and request.extra_body is None:
        return request
    files, types, encodings = request.files, request.part_types, request.part_encodings
    prepared = prepare_body(
        {} if isinstance(body, NotGiven) else body,
        request.content_type,
        files,
        types,
        encodings,
    )
    if request.extra_body is not None:
        prepared = with_extra_body(prepared, request.extra_body, request.content_type)
    return replace(request, body=prepared, extra_body=None)


def _wants_stream(body: object) -> bool:
    """`stream: true` in a request body."""
    if not isinstance(body, Mapping):
        return False
    return bool(cast("Mapping[str, object]", body).get("stream"))


def should_retry(response: httpx.Response) -> bool:
    verdict = str(response.headers.get("x-should-retry", "")).lower()
    if verdict in ("true", "false"):
        return verdict == "true"
    return response.status_code in _RETRY_STATUSES or response.status_code >= 500


class _BaseClient:
    """What the sync and async clients share: configuration and building requests."""

    _strict_response_validation: bool
    _base_url_text: str  # as given (checked); parsed into `_base_url` when first needed
    _base_url: httpx.URL | None
    # The API's security schemes by name, and the requirement of operations that state none
    # (set by the generated client class).
    _security_schemes: Mapping[str, Scheme] = {}
    _security: Security = ()
    # The client whose connections a copy (`with_options`) uses: kept alive by the copy,
    # since a client that made its connections closes them when it is collected.
    _connections_of: _BaseClient | None = None

    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        timeout: Timeout | NotGiven,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        default_query: Mapping[str, object] | None,
        strict_response_validation: bool,
    ) -> None:
        self.base_url = base_url
        if not isinstance(timeout, NotGiven):
            self.timeout = timeout
        self.max_retries = max_retries
        self._custom_headers = dict(default_headers or {})
        self._custom_query = dict(default_query or {})
        self._strict_response_validation = strict_response_validation

    @cached_property
    def timeout(self) -> Timeout:
        """The API's default timeout unless one was given (an httpx.Timeout: made when
        first read, as httpx loads then)."""
        return default_timeout()

    @property
    def base_url(self) -> httpx.URL:
        if self._base_url is None:
            import httpx

            url = httpx.URL(self._base_url_text)
            self._base_url = (
                url
                if url.raw_path.endswith(b"/")
                else url.copy_with(raw_path=url.raw_path + b"/")
            )
        return self._base_url

    @base_url.setter
    def base_url(self, value: str | httpx.URL) -> None:
        text = str(value)
        check_url(text)
        self._base_url_text = text
        self._base_url = None
        self.__dict__.pop("_url_prefix", None)

    @cached_property
    def _url_prefix(self) -> str:
        """Request URLs are this text plus the path: one parse a request, where joining URLs
        took three (a fifth of a call's overhead)."""
        prefix = str(self.base_url.copy_with(query=None, fragment=None))
        return prefix if prefix.endswith("/") else prefix + "/"

    @property
    def auth_headers(self) -> dict[str, str]:
        """The headers that authenticate an operation with the client's default requirement."""
        found = credentials(self._security_schemes, self._security, self._option)
        return found.headers if found is not None else {}

    @property
    def default_headers(self) -> dict[str, str]:
        return {"Accept": "application/json", **self._custom_headers}

    def _option(self, name: str) -> str | None:
        value: str | None = getattr(self, name, None)
        return value

    def _credentials(self, request: Request) -> Credentials:
        """What authenticates `request`; raises before sending if the client lacks it."""
        security = self._security if request.security is None else request.security
        found = credentials(self._security_schemes, security, self._option)
        if found is None:
            needs = missing_credentials(self._security_schemes, security)
            raise MissingCredentialsError(
                f"{request.method} {request.path} needs {needs}."
            )
        return found

    def __repr__(self) -> str:  # never shows credentials
        return f"{type(self).__name__}(base_url={str(self.base_url)!r})"

    def _build(
        self, request: Request, client: httpx.Client | httpx.AsyncClient
    ) -> httpx.Request:
        """The httpx request, built by `client` (as the official SDKs build theirs): what you
        configured on an `http_client` (headers, query parameters, cookies) goes out too,
        under what the operation sets."""
        auth = self._credentials(request)
        headers: dict[str, str] = {**auth.headers, **self.default_headers}
        if request.accept:
            headers["Accept"] = request.accept
        headers.update(header_values(request.headers))
        arguments: dict[str, Any] = {}
        if not isinstance(request.body, NotGiven):
            content_headers, arguments = body_arguments(
                request.body, request.content_type
            )
            headers.update(content_headers)
        cookie = "; ".join(
            c for c in (headers.get("Cookie", ""), cookie_header(request.cookies)) if c
        )
        if cookie:
            headers["Cookie"] = cookie
        for key, value in (request.extra_headers or {}).items():
            if isinstance(value, NotGiven):
                headers.pop(key, None)
            else:
                headers[key] = value
        headers.pop(RAW_RESPONSE_HEADER, None)
        query = {
            **auth.query,
            **self._custom_query,
            **request.query,
            **(request.extra_query or {}),
        }
        import httpx

        timeout = (
            self.timeout if isinstance(request.timeout, NotGiven) else request.timeout
        )
        extensions = {"timeout": httpx.Timeout(timeout).as_dict()}
        url = self._url_prefix + request.path.lstrip("/")
        raw_query = query_string(
            query
        )  # encoded here: httpx would write every value in one style
        if raw_query:
            url += "?" + raw_query
        return client.build_request(
            request.method, url, headers=headers, extensions=extensions, **arguments
        )

    def _retry_delay(self, retries_left: int, headers: httpx.Headers | None) -> float:
        if headers is not None:
            wait = retry_after_seconds(headers)
            if wait is not None:
                return wait
        done = self.max_retries - retries_left
        backoff = min(INITIAL_RETRY_DELAY * 2.0**done, MAX_RETRY_DELAY)
        return backoff * (1 - 0.25 * random.random())

    @staticmethod
    def _wants_raw(request: Request) -> bool:
        return bool(
            request.extra_headers and RAW_RESPONSE_HEADER in request.extra_headers
        )

    @staticmethod
    def _wants_unread(request: Request) -> bool:
        """Through `.with_streaming_response`: the response is handed over unread."""
        return bool(
            request.extra_headers
            and request.extra_headers.get(RAW_RESPONSE_HEADER) == "stream"
        )

    def _parse(self, type_: Any, response: httpx.Response, kind: str = "json") -> Any:
        """The response read as the method says: JSON into `type_`, text, or bytes."""
        if kind == "text":
            return response.text
        if kind == "binary":
            return response.content
        if type_ is None:
            return None
        try:
            # straight from the bytes: pydantic parses the JSON as it validates
            return self._parse_json(
                type_,
                response.content,
                strict=self._strict_response_validation,
                request_id=request_id_of(response.headers),
            )
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise APIResponseValidationError(
                response, response.text, message="The response is not JSON."
            ) from None

    @cached_property
    def _parse_json(self) -> Callable[..., Any]:
        """`_models.parse_json`: pydantic loads with the first response, not the package.
        Kept here: importing it in `_parse` cost 1 µs a call (1% of its overhead)."""
        from ._models import parse_json

        return parse_json

    def _stream_event_parser(self, type_: Any, decode: str) -> EventParser[Any]:
        from ._streaming import EventParser

        return EventParser(type_, decode, strict=self._strict_response_validation)

    def _raw(
        self,
        request: Request,
        response: httpx.Response,
        parser: Callable[[httpx.Response], Any],
        streams: bool = False,
    ) -> Any:
        """What `.with_raw_response` and `.with_streaming_response` return."""
        if self._wants_unread(request) and isinstance(self, AsyncAPIClient):
            return AsyncAPIResponse(response, parser, streams=streams)
        return APIResponse(response, parser, streams=streams)


# A URL httpx surely takes as it is: http(s), a host name (not an IP address), a port, a
# path of plain characters. Anything else is parsed by httpx at once, to raise its InvalidURL
# at construction as before; these only skip loading httpx for the common case.
_PLAIN_URL = re.compile(
    r"https?://(?:[A-Za-z0-9-]+\.)*[A-Za-z][A-Za-z0-9-]*(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?"
)


def check_url(url: str) -> None:
    """Raise httpx.InvalidURL now for a base URL httpx cannot parse."""
    if len(url) <= 2048 and _PLAIN_URL.fullmatch(url):
        return
    import httpx

    httpx.URL(url)


def _timeout_of(
    timeout: Timeout | NotGiven, http_client: httpx.Client | httpx.AsyncClient | None
) -> Timeout | NotGiven:
    """The timeout option, else the one set on a client passed in (unless it is httpx's
    own default of 5 s: the API's default applies then)."""
    if not isinstance(timeout, NotGiven) or http_client is None:
        return timeout
    import httpx  # loaded already: the caller made the client

    return timeout if http_client.timeout == httpx.Timeout(5.0) else http_client.timeout


_H = TypeVar("_H", "httpx.Client", "httpx.AsyncClient")
_making_clients = threading.Lock()


def _owned_client(
    owner: _BaseClient,
    make: Callable[[], _H],
    close_when_collected: Callable[[_H], None],
) -> _H:
    """The httpx client `owner` makes for itself on first use (see `SyncAPIClient._client`):
    made once even when two threads send their first requests together (cached_property
    stopped locking in Python 3.12)."""
    with _making_clients:
        client: _H | None = owner.__dict__.get("_client")
        if client is None:
            client = owner.__dict__["_client"] = make()
            # A client dropped unclosed closes its connections when collected (no
            # ResourceWarning). The finalizer holds the httpx client, so its sockets are
            # still open when it runs, whatever order the collector takes.
            weakref.finalize(owner, close_when_collected, client)
        return client


def _close_client(client: httpx.Client) -> None:
    with contextlib.suppress(
        Exception
    ):  # at exit or in the collector: nowhere to report to
        client.close()


# Closings scheduled by the collector: the event loop keeps only weak references to tasks.
_closing: set[asyncio.Task[None]] = set()


def _close_async_client(client: httpx.AsyncClient) -> None:
    import asyncio  # loaded already: the client was used

    if client.is_closed:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no loop left to close it on
        return
    task = loop.create_task(client.aclose())
    _closing.add(task)
    task.add_done_callback(_closing.discard)


class SyncAPIClient(_BaseClient):
    """Sends requests with an httpx.Client (yours, if you pass one; we never close it)."""

    _sleep: Callable[[float], None] = staticmethod(time.sleep)

    def __init__(
        self,
        *,
        http_client: httpx.Client | None,
        timeout: Timeout | NotGiven,
        **options: Any,
    ) -> None:
        super().__init__(timeout=_timeout_of(timeout, http_client), **options)
        self._owns_client = http_client is None
        if http_client is not None:
            self._client = http_client

    @cached_property
    def _client(self) -> httpx.Client:
        """The httpx client: yours, or ours made on the first request. Making one loads
        httpx and builds an SSL context: most of what constructing this client cost."""
        import httpx

        def make() -> httpx.Client:
            return httpx.Client(
                timeout=self.timeout,
                limits=default_connection_limits(),
                follow_redirects=True,
            )

        return _owned_client(self, make, _close_client)

    def close(self) -> None:
        """Close our httpx client (one never used is made closed: a request after `close()`
        fails, as it always did)."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def send(self, request: Request, *, stream: bool = False) -> httpx.Response:
        """Send with retries; return a 2xx response or raise the typed error."""
        import httpx

        request = _materialized(request)
        retries_left = self.max_retries
        while True:
            built = self._build(request, self._client)
            try:
                # Unless `stream`, httpx reads the body here too: a body cut short is retried.
                response = self._client.send(built, stream=stream)
            except (
                httpx.RequestError
            ) as exc:  # timeouts, resets, cut bodies, protocol errors
                if retries_left > 0:
                    self._sleep(self._retry_delay(retries_left, None))
                    retries_left -= 1
                    continue
                raise connection_error(exc, built) from exc
            if response.is_success:
                return response
            if retries_left > 0 and should_retry(response):
                response.close()
                self._sleep(self._retry_delay(retries_left, response.headers))
                retries_left -= 1
                continue
            try:
                with transport_errors(built):
                    response.read()
            finally:
                response.close()
            raise status_error(response)

    def request(self, request: Request, cast_to: Any, kind: str = "json") -> Any:
        """Send and read the response (JSON parsed into `cast_to`, or text, or bytes); with
        `.with_raw_response` or `.with_streaming_response`, the HTTP response."""
        response = self.send(request, stream=self._wants_unread(request))
        if self._wants_raw(request):
            return self._raw(request, response, lambda r: self._parse(cast_to, r, kind))
        return self._parse(cast_to, response, kind)

    def stream(
        self,
        request: Request,
        cast_to: Any,
        event_type: Any,
        kind: str = "json",
        decode: str = "envelope",
    ) -> Any:
        """Send; with `stream: true` in the body, the events as a Stream, else read."""
        if not _wants_stream(request.body):
            return self.request(request, cast_to, kind)
        return self.stream_events(request, event_type, decode)

    def stream_events(
        self, request: Request, event_type: Any, decode: str = "envelope"
    ) -> Any:
        """Send; the response's server-sent events as a Stream (see `_streaming`)."""
        from ._streaming import Stream

        response = self.send(request, stream=True)
        parser = self._stream_event_parser(event_type, decode)
        if self._wants_raw(request):
            return self._raw(
                request, response, lambda r: Stream(r, parser), streams=True
            )
        return Stream(response, parser)

    def page(
        self, request: Request, page_type: Any, item_type: Any, cursor: tuple[str, str]
    ) -> Any:
        """The first page of a list; the page fetches the next ones itself."""
        from ._pagination import SyncCursorPage

        def fetch(params: Mapping[str, object]) -> Any:
            return self.page(
                replace(request, query={**request.query, **params}),
                page_type,
                item_type,
                cursor,
            )

        def build(response: httpx.Response) -> Any:
            data = self._parse(page_type, response)
            page: SyncCursorPage[Any] = SyncCursorPage(
                data, item_type=item_type, fetch=fetch, cursor=cursor
            )
            return page

        response = self.send(request, stream=self._wants_unread(request))
        if self._wants_raw(request):
            return self._raw(request, response, build)
        return build(response)


async def _asyncio_sleep(seconds: float) -> None:
    import asyncio  # loaded already: the caller is a coroutine run by it

    await asyncio.sleep(seconds)


class AsyncAPIClient(_BaseClient):
    """Sends requests with an httpx.AsyncClient (yours, if you pass one; we never close it)."""

    _sleep: Callable[[float], Awaitable[None]] = staticmethod(_asyncio_sleep)

    def __init__(
        self,
        *,
        http_client: httpx.AsyncClient | None,
        timeout: Timeout | NotGiven,
        **options: Any,
    ) -> None:
        super().__init__(timeout=_timeout_of(timeout, http_client), **options)
        self._owns_client = http_client is None
        if http_client is not None:
            self._client = http_client

    @cached_property
    def _client(self) -> httpx.AsyncClient:
        """The httpx client: yours, or ours made on the first request (see SyncAPIClient).
        Collected unclosed inside a running event loop, ours is closed by a task on that
        loop. Once the loop is gone its connections cannot be closed cleanly (as with the
        official package): `async with` or `await close()` is the sure way."""
        import httpx

        def make() -> httpx.AsyncClient:
            return httpx.AsyncClient(
                timeout=self.timeout,
                limits=default_connection_limits(),
                follow_redirects=True,
            )

        return _owned_client(self, make, _close_async_client)

    async def close(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def send(self, request: Request, *, stream: bool = False) -> httpx.Response:
        import httpx

        request = _materialized(request)
        retries_left = self.max_retries
        while True:
            built = self._build(request, self._client)
            try:
                response = await self._client.send(built, stream=stream)
            except httpx.RequestError as exc:
                if retries_left > 0:
                    await self._sleep(self._retry_delay(retries_left, None))
                    retries_left -= 1
                    continue
                raise connection_error(exc, built) from exc
            if response.is_success:
                return response
            if retries_left > 0 and should_retry(response):
                await response.aclose()
                await self._sleep(self._retry_delay(retries_left, response.headers))
                retries_left -= 1
                continue
            try:
                with transport_errors(built):
                    await response.aread()
            finally:
                await response.aclose()
            raise status_error(response)

    async def request(self, request: Request, cast_to: Any, kind: str = "json") -> Any:
        response = await self.send(request, stream=self._wants_unread(request))
        if self._wants_raw(request):
            return self._raw(request, response, lambda r: self._parse(cast_to, r, kind))
        return self._parse(cast_to, response, kind)

    async def stream(
        self,
        request: Request,
        cast_to: Any,
        event_type: Any,
        kind: str = "json",
        decode: str = "envelope",
    ) -> Any:
        if not _wants_stream(request.body):
            return await self.request(request, cast_to, kind)
        return await self.stream_events(request, event_type, decode)

    async def stream_events(
        self, request: Request, event_type: Any, decode: str = "envelope"
    ) -> Any:
        from ._streaming import AsyncStream

        response = await self.send(request, stream=True)
        parser = self._stream_event_parser(event_type, decode)
        if self._wants_raw(request):
            return self._raw(
                request, response, lambda r: AsyncStream(r, parser), streams=True
            )
        return AsyncStream(response, parser)

    def page(
        self, request: Request, page_type: Any, item_type: Any, cursor: tuple[str, str]
    ) -> Any:
        """An AsyncPaginator: `await` it for the first page, `async for` it for every item."""
        from ._pagination import AsyncCursorPage, AsyncPaginator

        async def first(params: Mapping[str, object]) -> Any:
            current = replace(request, query={**request.query, **params})
            response = await self.send(current, stream=self._wants_unread(current))

            def build(response: httpx.Response) -> Any:
                data = self._parse(page_type, response)
                page: AsyncCursorPage[Any] = AsyncCursorPage(
                    data, item_type=item_type, fetch=first, cursor=cursor
                )
                return page

            if self._wants_raw(current):
                return self._raw(current, response, build)
            return build(response)

        paginator: AsyncPaginator[Any] = AsyncPaginator(first)
        return paginator


def raw_response_wrapper(method: Callable[_P, _T]) -> Callable[_P, APIResponse[_T]]:
    """`resource.with_raw_response.x(...)`: call `x`, return the raw response."""

    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_T]:
        extra = dict(cast("Mapping[str, str]", kwargs.get("extra_headers") or {}))
        kwargs["extra_headers"] = {**extra, RAW_RESPONSE_HEADER: "true"}
        return cast("APIResponse[_T]", method(*args, **kwargs))

    return wrapped


def async_raw_response_wrapper(
    method: Callable[_P, Awaitable[_T]],
) -> Callable[_P, Awaitable[APIResponse[_T]]]:
    async def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_T]:
        extra = dict(cast("Mapping[str, str]", kwargs.get("extra_headers") or {}))
        kwargs["extra_headers"] = {**extra, RAW_RESPONSE_HEADER: "true"}
        return cast("APIResponse[_T]", await method(*args, **kwargs))

    return wrapped


def streamed_response_wrapper(
    method: Callable[_P, _T],
) -> Callable[_P, ResponseContextManager[APIResponse[_T]]]:
    """`resource.with_streaming_response.x(...)`: a context manager that calls `x` on entry
    and gives its response unread (closed on exit)."""

    def wrapped(
        *args: _P.args, **kwargs: _P.kwargs
    ) -> ResponseContextManager[APIResponse[_T]]:
        extra = dict(cast("Mapping[str, str]", kwargs.get("extra_headers") or {}))
        kwargs["extra_headers"] = {**extra, RAW_RESPONSE_HEADER: "stream"}
        return ResponseContextManager(
            lambda: cast("APIResponse[_T]", method(*args, **kwargs))
        )

    return wrapped


def async_streamed_response_wrapper(
    method: Callable[_P, Awaitable[_T]],
) -> Callable[_P, AsyncResponseContextManager[AsyncAPIResponse[_T]]]:
    def wrapped(
        *args: _P.args, **kwargs: _P.kwargs
    ) -> AsyncResponseContextManager[AsyncAPIResponse[_T]]:
        extra = dict(cast("Mapping[str, str]", kwargs.get("extra_headers") or {}))
        kwargs["extra_headers"] = {**extra, RAW_RESPONSE_HEADER: "stream"}

        async def send() -> AsyncAPIResponse[_T]:
            return cast("AsyncAPIResponse[_T]", await method(*args, **kwargs))

        return AsyncResponseContextManager(send)

    return wrapped
