"""The HTTP core every generated resource method goes through: one request, with retries.

Copied verbatim into every generated SDK. A method builds a `Request` (verb, path, query,
body, per-call options) and hands it to `SyncAPIClient.request` or `AsyncAPIClient.request`,
which sends it, retries what is worth retrying, raises a typed error for a 4xx/5xx, and
parses the body into the method's return type (a model, a page, or a stream).
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any, Generic, TypeVar, cast

import httpx
from pydantic import BaseModel as _PydanticModel
from typing_extensions import ParamSpec, Self

from ._auth import Credentials, Scheme, Security, credentials, missing_credentials
from ._exceptions import (
    REQUEST_ID_HEADER,
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    MissingCredentialsError,
    status_error,
)
from ._models import parse
from ._params import cookie_header, header_values, query_string
from ._types import NOT_GIVEN, Headers, NotGiven, Query, Timeout

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "APIResponse",
    "AsyncAPIClient",
    "Request",
    "SyncAPIClient",
]

_T = TypeVar("_T")
_P = ParamSpec("_P")

DEFAULT_TIMEOUT = httpx.Timeout(timeout=600.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = (
    60.0  # a longer Retry-After is not honored: the default backoff applies
)
RAW_RESPONSE_HEADER = "X-Sdkgen-Raw-Response"
_RETRY_STATUSES = frozenset({408, 409, 429})


@dataclass(frozen=True)
class Request:
    """Everything needed to send (and resend) one API call."""

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


def to_jsonable(value: object) -> object:
    """Request data as JSON: NOT_GIVEN dropped, iterables as lists, models as dicts."""
    if isinstance(value, _PydanticModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        items = cast("Mapping[object, object]", value).items()
        return {str(k): to_jsonable(v) for k, v in items if not isinstance(v, NotGiven)}
    if isinstance(value, (str, bytes, int, float, bool)) or value is None:
        return value
    if isinstance(value, Iterable):
        return [to_jsonable(v) for v in cast("Iterable[object]", value)]
    return value


class APIResponse(Generic[_T]):
    """The raw HTTP response of a call made through `.with_raw_response`; `parse()` gives
    what the method would have returned."""

    def __init__(
        self, response: httpx.Response, parser: Callable[[httpx.Response], _T]
    ) -> None:
        self.http_response = response
        self._parser = parser

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
        value: str | None = (
            self.headers.get(REQUEST_ID_HEADER) if REQUEST_ID_HEADER else None
        )
        return value

    @property
    def content(self) -> bytes:
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    def json(self) -> object:
        return self.http_response.json()

    def parse(self) -> _T:
        return self._parser(self.http_response)


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
            parsed = email.utils.parsedate_tz(value)
            if parsed is not None:
                wait = email.utils.mktime_tz(parsed) - (
                    time.time() if now is None else now
                )
    if wait is not None and 0 < wait <= MAX_RETRY_AFTER:
        return wait
    return None


def _materialized(request: Request) -> Request:
    """The request with its body as plain JSON data, made once: a generator passed as an
    argument is read once, and every retry sends the same body."""
    if isinstance(request.body, NotGiven):
        return request
    return replace(request, body=to_jsonable(request.body))


def _wants_stream(body: object) -> bool:
    """`stream: true` in a request body."""
    if not isinstance(body, Mapping):
        return False
    return bool(cast("Mapping[str, object]", body).get("stream"))


def connection_error(
    exc: httpx.TransportError, request: httpx.Request
) -> APIConnectionError:
    """The typed error for a request that got no response."""
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request)
    return APIConnectionError(request=request)


def should_retry(response: httpx.Response) -> bool:
    verdict = str(response.headers.get("x-should-retry", "")).lower()
    if verdict in ("true", "false"):
        return verdict == "true"
    return response.status_code in _RETRY_STATUSES or response.status_code >= 500


class _BaseClient:
    """What the sync and async clients share: configuration and building requests."""

    _strict_response_validation: bool
    # The API's security schemes by name, and the requirement of operations that state none
    # (set by the generated client class).
    _security_schemes: Mapping[str, Scheme] = {}
    _security: Security = ()

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
        url = httpx.URL(str(base_url))
        self.base_url = (
            url
            if url.raw_path.endswith(b"/")
            else url.copy_with(raw_path=url.raw_path + b"/")
        )
        self.timeout = DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout
        self.max_retries = max_retries
        self._custom_headers = dict(default_headers or {})
        self._custom_query = dict(default_query or {})
        self._strict_response_validation = strict_response_validation

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

    def _build(self, request: Request) -> httpx.Request:
        auth = self._credentials(request)
        headers: dict[str, str] = {
            **auth.headers,
            **self.default_headers,
            **header_values(request.headers),
        }
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
        body = request.body
        if request.extra_body is not None:
            base: object = to_jsonable(body) if not isinstance(body, NotGiven) else {}
            body = {
                **cast("dict[str, object]", base),
                **cast("dict[str, object]", to_jsonable(request.extra_body)),
            }
        timeout = (
            self.timeout if isinstance(request.timeout, NotGiven) else request.timeout
        )
        extensions = {"timeout": httpx.Timeout(timeout).as_dict()}
        url = self.base_url.join(request.path.lstrip("/"))
        raw_query = query_string(
            query
        )  # encoded here: httpx would write every value in one style
        if raw_query:
            url = url.copy_with(query=raw_query.encode("ascii"))
        if isinstance(body, NotGiven):
            return httpx.Request(
                request.method, url, headers=headers, extensions=extensions
            )
        return httpx.Request(
            request.method,
            url,
            headers=headers,
            json=to_jsonable(body),
            extensions=extensions,
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

    def _parse(self, type_: Any, response: httpx.Response) -> Any:
        if type_ is None:
            return None
        try:
            data = response.json()
        except ValueError:
            raise APIResponseValidationError(
                response, response.text, message="The response is not JSON."
            ) from None
        return parse(type_, data, strict=self._strict_response_validation)

    def _stream_event_parser(self, type_: Any) -> Callable[[object], Any]:
        return lambda data: parse(type_, data, strict=self._strict_response_validation)


class SyncAPIClient(_BaseClient):
    """Sends requests with an httpx.Client (yours, if you pass one)."""

    _sleep: Callable[[float], None] = staticmethod(time.sleep)

    def __init__(self, *, http_client: httpx.Client | None, **options: Any) -> None:
        super().__init__(**options)
        self._owns_client = http_client is None
        self._client = http_client or httpx.Client(
            timeout=self.timeout, follow_redirects=True
        )

    def close(self) -> None:
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
        request = _materialized(request)
        retries_left = self.max_retries
        while True:
            built = self._build(request)
            try:
                response = self._client.send(built, stream=stream)
            except httpx.TransportError as exc:  # timeouts included
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
            response.read()
            raise status_error(response)

    def request(self, request: Request, cast_to: Any) -> Any:
        """Send and parse into `cast_to`; with `.with_raw_response`, the raw response."""
        response = self.send(request)
        if self._wants_raw(request):
            return APIResponse(response, lambda r: self._parse(cast_to, r))
        return self._parse(cast_to, response)

    def stream(self, request: Request, cast_to: Any, event_type: Any) -> Any:
        """Send; with `stream: true` in the body, the events as a Stream, else parse."""
        if not _wants_stream(request.body):
            return self.request(request, cast_to)
        from ._streaming import Stream

        response = self.send(request, stream=True)
        parser = self._stream_event_parser(event_type)
        if self._wants_raw(request):
            return APIResponse(response, lambda r: Stream(r, parser))
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

        response = self.send(request)
        if self._wants_raw(request):
            return APIResponse(response, build)
        return build(response)


class AsyncAPIClient(_BaseClient):
    """Sends requests with an httpx.AsyncClient (yours, if you pass one)."""

    _sleep: Callable[[float], Awaitable[None]] = staticmethod(asyncio.sleep)

    def __init__(
        self, *, http_client: httpx.AsyncClient | None, **options: Any
    ) -> None:
        super().__init__(**options)
        self._owns_client = http_client is None
        self._client = http_client or httpx.AsyncClient(
            timeout=self.timeout, follow_redirects=True
        )

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
        request = _materialized(request)
        retries_left = self.max_retries
        while True:
            built = self._build(request)
            try:
                response = await self._client.send(built, stream=stream)
            except httpx.TransportError as exc:  # timeouts included
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
            await response.aread()
            raise status_error(response)

    async def request(self, request: Request, cast_to: Any) -> Any:
        response = await self.send(request)
        if self._wants_raw(request):
            return APIResponse(response, lambda r: self._parse(cast_to, r))
        return self._parse(cast_to, response)

    async def stream(self, request: Request, cast_to: Any, event_type: Any) -> Any:
        if not _wants_stream(request.body):
            return await self.request(request, cast_to)
        from ._streaming import AsyncStream

        response = await self.send(request, stream=True)
        parser = self._stream_event_parser(event_type)
        if self._wants_raw(request):
            return APIResponse(response, lambda r: AsyncStream(r, parser))
        return AsyncStream(response, parser)

    def page(
        self, request: Request, page_type: Any, item_type: Any, cursor: tuple[str, str]
    ) -> Any:
        """An AsyncPaginator: `await` it for the first page, `async for` it for every item."""
        from ._pagination import AsyncCursorPage, AsyncPaginator

        async def first(params: Mapping[str, object]) -> Any:
            current = replace(request, query={**request.query, **params})
            response = await self.send(current)

            def build(response: httpx.Response) -> Any:
                data = self._parse(page_type, response)
                page: AsyncCursorPage[Any] = AsyncCursorPage(
                    data, item_type=item_type, fetch=first, cursor=cursor
                )
                return page

            if self._wants_raw(current):
                return APIResponse(response, build)
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
