"""Small types shared by the client runtime: the NOT_GIVEN sentinel, request options, and
what a file upload takes.

Copied verbatim into every generated SDK.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any, Literal, TypeAlias

from typing_extensions import TypedDict, override

if TYPE_CHECKING:  # httpx loads with the first request, not with the package
    import httpx

__all__ = [
    "NOT_GIVEN",
    "Body",
    "FileContent",
    "FileTypes",
    "Headers",
    "NotGiven",
    "Query",
    "RequestOptions",
    "Timeout",
]


class NotGiven:
    """The value of an argument the caller did not pass. Distinct from None, which is sent
    as JSON null: `update(name=None)` clears a name, `update()` leaves it alone."""

    def __bool__(self) -> Literal[False]:
        return False

    @override
    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

Timeout: TypeAlias = "float | httpx.Timeout | None"
Headers = Mapping[str, str | NotGiven]
Query = Mapping[str, object]
Body = object

# A file's bytes: as bytes, an open binary file, or a path (read when the request is made).
FileContent: TypeAlias = IO[bytes] | bytes | os.PathLike[str]
# A file in a multipart upload: its content, or a tuple (filename, content), (filename,
# content, content type), (filename, content, content type, part headers), as httpx takes.
FileTypes: TypeAlias = (
    FileContent
    | tuple[str | None, FileContent]
    | tuple[str | None, FileContent, str | None]
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)


class RequestOptions(TypedDict, total=False):
    """Per-request options every method takes (`extra_headers=...` and so on)."""

    extra_headers: Headers | None
    extra_query: Query | None
    extra_body: Body | None
    timeout: Timeout | NotGiven


def is_given(value: object) -> bool:
    return not isinstance(value, NotGiven)


def strip_not_given(values: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments the caller actually passed."""
    return {
        key: value for key, value in values.items() if not isinstance(value, NotGiven)
    }
