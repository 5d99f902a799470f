"""Small types shared by the client runtime: the NOT_GIVEN sentinel and request options.

Copied verbatim into every generated SDK.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import httpx
from typing_extensions import TypedDict, override

__all__ = [
    "NOT_GIVEN",
    "Body",
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

Timeout = float | httpx.Timeout | None
Headers = Mapping[str, str | NotGiven]
Query = Mapping[str, object]
Body = object


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
