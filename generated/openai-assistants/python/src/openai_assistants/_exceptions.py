"""The errors the client raises, one class per kind of failure.

Copied verbatim into every generated SDK. Class names follow the official `openai` package,
so `except openai.RateLimitError` ports by changing the import.
"""

from __future__ import annotations

import json
from typing import cast

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "OpenAIError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "describe",
    "error_body",
    "status_error",
]


class OpenAIError(Exception):
    """Base of every error this SDK raises."""


class APIError(OpenAIError):
    """A request failed. `body` is the parsed error object when the server sent JSON,
    the raw text when it did not, and None when there was no response."""

    message: str
    request: httpx.Request
    body: object | None
    code: str | None
    param: str | None
    type: str | None

    def __init__(
        self, message: str, request: httpx.Request, *, body: object | None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body
        fields: dict[str, object] = (
            cast("dict[str, object]", body) if isinstance(body, dict) else {}
        )
        self.code = _optional_str(fields.get("code"))
        self.param = _optional_str(fields.get("param"))
        self.type = _optional_str(fields.get("type"))


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


class APIResponseValidationError(APIError):
    """The server answered 2xx with a body the SDK cannot read (for example, not JSON)."""

    response: httpx.Response
    status_code: int

    def __init__(
        self,
        response: httpx.Response,
        body: object | None,
        *,
        message: str | None = None,
    ) -> None:
        super().__init__(
            message or "Data returned by API invalid for expected schema.",
            response.request,
            body=body,
        )
        self.response = response
        self.status_code = response.status_code


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status."""

    response: httpx.Response
    status_code: int
    request_id: str | None

    def __init__(
        self, message: str, *, response: httpx.Response, body: object | None
    ) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code
        self.request_id = response.headers.get("x-request-id")


class APIConnectionError(APIError):
    """No response: the connection failed or was cut."""

    def __init__(
        self, *, message: str = "Connection error.", request: httpx.Request
    ) -> None:
        super().__init__(message, request, body=None)


class APITimeoutError(APIConnectionError):
    def __init__(self, request: httpx.Request) -> None:
        super().__init__(message="Request timed out.", request=request)


class BadRequestError(APIStatusError):
    """The server answered 400 Bad Request."""


class AuthenticationError(APIStatusError):
    """The server answered 401 Unauthorized."""


class PermissionDeniedError(APIStatusError):
    """The server answered 403 Forbidden."""


class NotFoundError(APIStatusError):
    """The server answered 404 Not Found."""


class ConflictError(APIStatusError):
    """The server answered 409 Conflict."""


class UnprocessableEntityError(APIStatusError):
    """The server answered 422 Unprocessable Entity."""


class RateLimitError(APIStatusError):
    """The server answered 429 Too Many Requests."""


class InternalServerError(APIStatusError):
    """Any 5xx status."""


def error_body(data: object) -> object:
    """The `error` object of an error payload (`{"error": {...}}`), else the payload."""
    if not isinstance(data, dict):
        return data
    payload = cast("dict[str, object]", data)
    error = payload.get("error")
    return cast("dict[str, object]", error) if isinstance(error, dict) else payload


def describe(body: object) -> str:
    """A short text for an error body: its `message`, or the body itself."""
    if isinstance(body, dict):
        return str(cast("dict[str, object]", body).get("message") or "")
    return str(body)[:500] if body else ""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error(response: httpx.Response) -> APIStatusError:
    """The typed error for a 4xx/5xx response, carrying its parsed body (or raw text)."""
    text = response.text.strip()
    try:
        data: object = json.loads(text)
    except ValueError:  # not JSON: keep the text, never a bare JSONDecodeError
        data = text
    body = error_body(data)
    message = f"Error code: {response.status_code}"
    detail = describe(body)
    if detail:
        message += f" - {detail}"
    if response.status_code >= 500:
        cls: type[APIStatusError] = InternalServerError
    else:
        cls = _BY_STATUS.get(response.status_code, APIStatusError)
    return cls(message, response=response, body=body)
