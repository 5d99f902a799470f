"""How long a polling helper (`poll`, `*_and_poll`) waits between fetches.

Copied verbatim into every generated SDK.
"""

from __future__ import annotations

import httpx

from ._types import NotGiven

__all__ = ["poll_interval"]


def poll_interval(
    given_ms: int | NotGiven, headers: httpx.Headers, header: str, default_ms: int
) -> float:
    """Seconds to wait: the caller's `poll_interval_ms`, else what the server asks for in
    `header` (milliseconds), else the default. A header that is no number is ignored."""
    if not isinstance(given_ms, NotGiven):
        return given_ms / 1000
    value = headers.get(header) if header else None
    try:
        asked = int(value) if value is not None else default_ms
    except ValueError:
        asked = default_ms
    return max(asked, 0) / 1000
