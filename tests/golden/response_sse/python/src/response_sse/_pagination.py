"""Cursor pages: `.data`, `.has_more`, the next page on request, every item on iteration.

Copied verbatim into every generated SDK. The next page is the same request with the cursor
parameter (`after`) set to the cursor field (`id`) of the page's last item.
"""

from __future__ import annotations

from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Mapping,
)
from typing import Any, Generic, TypeVar, cast

__all__ = ["AsyncCursorPage", "AsyncPaginator", "SyncCursorPage"]

_T = TypeVar("_T")


class _CursorPage(Generic[_T]):
    data: list[_T]
    has_more: bool

    def __init__(
        self, page: object, *, item_type: object, fetch: Any, cursor: tuple[str, str]
    ) -> None:
        self.page = (
            page  # the parsed list response (first_id, last_id, ... stay reachable)
        )
        self.data = list(cast("list[_T]", getattr(page, "data", None) or []))
        self.has_more = bool(getattr(page, "has_more", False))
        self._fetch = fetch
        self._cursor_param, self._cursor_field = cursor

    def __getattr__(self, name: str) -> Any:
        return getattr(self.page, name)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(data={self.data!r}, has_more={self.has_more!r})"

    def has_next_page(self) -> bool:
        return self.has_more and bool(self.data)

    def next_page_params(self) -> dict[str, object]:
        cursor = getattr(self.data[-1], self._cursor_field, None)
        if cursor is None:
            raise RuntimeError(
                f"the last item has no {self._cursor_field!r} to continue from"
            )
        return {self._cursor_param: cursor}


class SyncCursorPage(_CursorPage[_T]):
    """One page of a list; iterating it goes through every item of every later page."""

    def get_next_page(self) -> SyncCursorPage[_T]:
        if not self.has_next_page():
            raise RuntimeError("No more pages: check has_next_page() first.")
        return cast("SyncCursorPage[_T]", self._fetch(self.next_page_params()))

    def iter_pages(self) -> Iterator[SyncCursorPage[_T]]:
        page = self
        yield page
        while page.has_next_page():
            page = page.get_next_page()
            yield page

    def __iter__(self) -> Iterator[_T]:
        for page in self.iter_pages():
            yield from page.data


class AsyncCursorPage(_CursorPage[_T]):
    """One page of a list; `async for` over it goes through every item of every later page."""

    async def get_next_page(self) -> AsyncCursorPage[_T]:
        if not self.has_next_page():
            raise RuntimeError("No more pages: check has_next_page() first.")
        return cast("AsyncCursorPage[_T]", await self._fetch(self.next_page_params()))

    async def iter_pages(self) -> AsyncIterator[AsyncCursorPage[_T]]:
        page = self
        yield page
        while page.has_next_page():
            page = await page.get_next_page()
            yield page

    async def __aiter__(self) -> AsyncIterator[_T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item


class AsyncPaginator(Generic[_T]):
    """What an async list method returns: `await` it for the first page, or `async for`
    over it for every item."""

    def __init__(self, first: Callable[[Mapping[str, object]], Awaitable[Any]]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, AsyncCursorPage[_T]]:
        return self._first({}).__await__()

    async def __aiter__(self) -> AsyncIterator[_T]:
        page = cast("AsyncCursorPage[_T]", await self._first({}))
        async for item in page:
            yield item
