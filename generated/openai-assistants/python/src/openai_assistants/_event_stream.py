"""Streams read into event handlers: hooks per event, and the objects the events build up.

Copied verbatim into every generated SDK that has event handlers. The generated handler
classes (`lib/streaming.py`) say which events carry which object (`SnapshotRule`); this
module does the rest for any API: it keeps each object as the latest event left it, merges
`delta` events into it (text appended, lists merged by their items' `index`, as the deltas
of a streamed message or tool call are written), and tells the handler which hooks to fire.
The sync and async handlers share that bookkeeping (`_Snapshots`) and differ only in how
they read the stream and call the hooks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, ClassVar, Generic, TypeVar

from ._exceptions import APITimeoutError
from ._models import parse
from ._streaming import AsyncStream, Stream

__all__ = [
    "AsyncEventHandler",
    "AsyncEventStreamManager",
    "EventHandler",
    "EventStreamManager",
    "SnapshotRule",
    "accumulate_delta",
]

_EventT = TypeVar("_EventT")


@dataclass(frozen=True)
class SnapshotRule:
    """An object a stream builds up (see the normalized spec's `Snapshot`): the events that
    carry it whole, those that start and end it, the event carrying `{id, delta}`, and the
    list of indexed parts inside a delta with the hooks each part type fires."""

    name: str
    model: Any
    events: frozenset[str]
    created: frozenset[str] = frozenset()
    done: frozenset[str] = frozenset()
    delta: str = ""
    many: bool = False
    parts: tuple[str, ...] = ()
    part_hooks: Mapping[str, str] = field(default_factory=dict)


def accumulate_delta(
    acc: dict[str, object], delta: Mapping[str, object]
) -> dict[str, object]:
    """Merge a delta into the object it continues: strings are appended, mappings merged,
    lists of indexed items merged item by item (`index`), lists of plain values extended;
    anything else (numbers, a changed `type`) is replaced. Changes and returns `acc`."""
    for key, value in delta.items():
        current = acc.get(key)
        if current is None or key in ("index", "type"):
            acc[key] = value
        elif isinstance(current, str) and isinstance(value, str):
            acc[key] = current + value
        elif isinstance(current, dict) and isinstance(value, Mapping):
            acc[key] = accumulate_delta(_str_keyed(current), _str_keyed(value))
        elif isinstance(current, list) and isinstance(value, list):
            acc[key] = _merge_list(_as_list(current), _as_list(value))
        else:
            acc[key] = value
    return acc


def _str_keyed(value: object) -> dict[str, object]:
    return {str(k): v for k, v in value.items()} if isinstance(value, Mapping) else {}


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _merge_list(current: list[object], delta: list[object]) -> list[object]:
    for item in delta:
        index = item.get("index") if isinstance(item, Mapping) else None
        if not isinstance(index, int):
            current.append(item)
        elif index < len(current) and isinstance(current[index], dict):
            current[index] = accumulate_delta(
                _str_keyed(current[index]), _str_keyed(item)
            )
        else:
            current.insert(index, dict(_str_keyed(item)))
    return current


def _get_path(value: object, path: tuple[str, ...]) -> object:
    for name in path:
        value = getattr(value, name, None)
    return value


def _dump(value: object) -> dict[str, object]:
    dump = getattr(value, "model_dump", None)
    return _str_keyed(dump(exclude_unset=True)) if callable(dump) else _str_keyed(value)


# A hook to fire: its name and arguments (fired by the sync or async handler).
_Call = tuple[str, tuple[object, ...]]


class _Snapshots:
    """The objects a stream has built so far, per rule; `feed` folds in one event and says
    which hooks it fires, in order."""

    def __init__(
        self, rules: tuple[SnapshotRule, ...], text_deltas: tuple[str, ...]
    ) -> None:
        self.rules = rules
        # (snapshot, part hook, field) whose deltas are the stream's text: `texts` has the
        # pieces the last event added
        self.text_part = tuple(text_deltas[:2])
        self.text_field = text_deltas[2] if len(text_deltas) == 3 else ""
        self.texts: list[str] = []
        self.current: dict[str, object] = {}
        self.all: dict[str, dict[object, object]] = {rule.name: {} for rule in rules}
        self._part_index: dict[str, object] = {}
        self._part: dict[str, tuple[str, object]] = {}

    def feed(self, event: object) -> list[_Call]:
        name = getattr(event, "event", None)
        data = getattr(event, "data", None)
        calls: list[_Call] = [("on_event", (event,))]
        self.texts = []
        for rule in self.rules:
            if name in rule.events:
                self._keep(rule, data)
                if name in rule.created:
                    calls.append((f"on_{rule.name}_created", (data,)))
                if name in rule.done:
                    calls += self._part_done(rule, data)
                    calls.append((f"on_{rule.name}_done", (data,)))
            elif rule.delta and name == rule.delta:
                calls += self._merge(rule, data)
        return calls

    def _keep(self, rule: SnapshotRule, data: object) -> None:
        self.current[rule.name] = data
        self.all[rule.name][getattr(data, "id", None)] = data

    def _merge(self, rule: SnapshotRule, data: object) -> list[_Call]:
        key = getattr(data, "id", None)
        snapshot = self.all[rule.name].get(key, self.current.get(rule.name))
        delta = getattr(data, "delta", None)
        if snapshot is None or delta is None:
            raise RuntimeError(
                f"a {rule.delta!r} event came before its {rule.name} was created"
            )
        merged = parse(rule.model, accumulate_delta(_dump(snapshot), _dump(delta)))
        self._keep(rule, merged)
        calls: list[_Call] = []
        parts = _get_path(merged, rule.parts)
        part_deltas = _get_path(delta, rule.parts) if rule.parts else None
        for part_delta in part_deltas if isinstance(part_deltas, list) else ():
            index = getattr(part_delta, "index", None)
            if (
                not isinstance(parts, list)
                or not isinstance(index, int)
                or index >= len(parts)
            ):
                continue
            part = self._hooked(rule, parts[index])
            if part is None:
                continue
            hook, value = part
            first = self._part_index.get(rule.name) != index
            if first:
                calls += self._part_done(rule, None)
                self._part_index[rule.name] = index
                calls.append((f"on_{hook}_created", (value,)))
            delta_part = self._hooked(rule, part_delta)
            # A part handed over whole (a tool call) is created by its first delta, which
            # `created` shows in full; a part's field (a text) gets that delta as a delta too.
            whole = hook == rule.part_hooks.get("*")
            if delta_part is not None and not (first and whole):
                calls.append((f"on_{hook}_delta", (delta_part[1], value)))
                text = (
                    getattr(delta_part[1], self.text_field, None)
                    if self.text_field
                    else None
                )
                if (
                    (rule.name, hook) == self.text_part
                    and isinstance(text, str)
                    and text
                ):
                    self.texts.append(text)
            self._part[rule.name] = part
        calls.append((f"on_{rule.name}_delta", (delta, merged)))
        return calls

    def _hooked(self, rule: SnapshotRule, part: object) -> tuple[str, object] | None:
        """The hook a part fires and what it is given: `{text: text}` hands a `text`
        part's `text` field to on_text_*; `{"*": tool_call}` hands any part whole to
        on_tool_call_*."""
        kind = getattr(part, "type", None)
        if isinstance(kind, str) and kind in rule.part_hooks:
            return rule.part_hooks[kind], getattr(part, kind, None)
        if "*" in rule.part_hooks:
            return rule.part_hooks["*"], part
        return None

    def _part_done(self, rule: SnapshotRule, final: object) -> list[_Call]:
        """`on_<part>_done` for the part being built, as `final` (the finished object) has
        it when given; then no part is current."""
        index = self._part_index.pop(rule.name, None)
        part = self._part.pop(rule.name, None)
        if part is None:
            return []
        parts = _get_path(final, rule.parts) if final is not None else None
        if isinstance(parts, list) and isinstance(index, int) and index < len(parts):
            part = self._hooked(rule, parts[index]) or part
        return [(f"on_{part[0]}_done", (part[1],))]


class EventHandler(Generic[_EventT]):
    """Reads a stream of events: iterate it (or call `until_done()`), and override the
    `on_*` hooks to act on events as they come. One handler reads one stream."""

    _rules: ClassVar[tuple[SnapshotRule, ...]] = ()
    _text_deltas: ClassVar[tuple[str, ...]] = ()  # (snapshot, part hook, field), if any

    def __init__(self) -> None:
        self._stream: Stream[_EventT] | None = None
        self._snapshots = _Snapshots(self._rules, self._text_deltas)
        self._current_event: _EventT | None = None
        self._iterator = self._read()

    def _init(self, stream: Stream[_EventT]) -> None:
        if self._stream is not None:
            raise RuntimeError(
                "an event handler reads one stream; make a new handler for another stream"
            )
        self._stream = stream

    def __iter__(self) -> Iterator[_EventT]:
        yield from self._iterator

    def __next__(self) -> _EventT:
        return next(self._iterator)

    @property
    def current_event(self) -> _EventT | None:
        """The event being handled (inside a hook); None between events."""
        return self._current_event

    def close(self) -> None:
        """Close the response and release the connection (the `with` block does it too)."""
        if self._stream is not None:
            self._stream.close()

    def until_done(self) -> None:
        """Read the stream to its end."""
        for _ in self:
            pass

    @property
    def text_deltas(self) -> Iterator[str]:
        """The text of the stream as it comes, piece by piece (reading the stream)."""
        for _ in self:
            yield from self._snapshots.texts

    def _current(self, name: str) -> object:
        return self._snapshots.current.get(name)

    def _final(self, name: str) -> object:
        self.until_done()
        found = self._snapshots.current.get(name)
        if found is None:
            raise RuntimeError(f"the stream ended without a {name}")
        return found

    def _final_all(self, name: str) -> list[object]:
        self.until_done()
        found = list(self._snapshots.all[name].values())
        if not found:
            raise RuntimeError(f"the stream ended without a {name}")
        return found

    def on_event(self, event: _EventT) -> None:
        """Every event, before the more specific hooks."""

    def on_end(self) -> None:
        """The stream ended: read to its end, or stopped by an error."""

    def on_exception(self, exception: Exception) -> None:
        """Reading the stream failed (the error is raised after this hook)."""

    def on_timeout(self) -> None:
        """Reading the stream timed out (on_exception follows)."""

    def _read(self) -> Iterator[_EventT]:
        if self._stream is None:
            raise RuntimeError("the stream has not been started (use the `with` block)")
        try:
            for event in self._stream:
                self._current_event = event
                for hook, args in self._snapshots.feed(event):
                    method: Callable[..., object] | None = getattr(self, hook, None)
                    if method is not None:
                        method(*args)
                self._current_event = None
                yield event
        except APITimeoutError as exc:
            self.on_timeout()
            self.on_exception(exc)
            raise
        except Exception as exc:
            self.on_exception(exc)
            raise
        finally:
            self.on_end()


class AsyncEventHandler(Generic[_EventT]):
    """The async twin of EventHandler: `async for event in handler`, async hooks."""

    _rules: ClassVar[tuple[SnapshotRule, ...]] = ()
    _text_deltas: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        self._stream: AsyncStream[_EventT] | None = None
        self._snapshots = _Snapshots(self._rules, self._text_deltas)
        self._current_event: _EventT | None = None
        self._iterator = self._read()

    def _init(self, stream: AsyncStream[_EventT]) -> None:
        if self._stream is not None:
            raise RuntimeError(
                "an event handler reads one stream; make a new handler for another stream"
            )
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[_EventT]:
        async for event in self._iterator:
            yield event

    async def __anext__(self) -> _EventT:
        return await self._iterator.__anext__()

    @property
    def current_event(self) -> _EventT | None:
        """The event being handled (inside a hook); None between events."""
        return self._current_event

    async def close(self) -> None:
        """Close the response and release the connection (the `async with` block does it too)."""
        if self._stream is not None:
            await self._stream.close()

    async def until_done(self) -> None:
        """Read the stream to its end."""
        async for _ in self:
            pass

    @property
    async def text_deltas(self) -> AsyncIterator[str]:
        """The text of the stream as it comes, piece by piece (reading the stream)."""
        async for _ in self:
            for text in self._snapshots.texts:
                yield text

    def _current(self, name: str) -> object:
        return self._snapshots.current.get(name)

    async def _final(self, name: str) -> object:
        await self.until_done()
        found = self._snapshots.current.get(name)
        if found is None:
            raise RuntimeError(f"the stream ended without a {name}")
        return found

    async def _final_all(self, name: str) -> list[object]:
        await self.until_done()
        found = list(self._snapshots.all[name].values())
        if not found:
            raise RuntimeError(f"the stream ended without a {name}")
        return found

    async def on_event(self, event: _EventT) -> None:
        """Every event, before the more specific hooks."""

    async def on_end(self) -> None:
        """The stream ended: read to its end, or stopped by an error."""

    async def on_exception(self, exception: Exception) -> None:
        """Reading the stream failed (the error is raised after this hook)."""

    async def on_timeout(self) -> None:
        """Reading the stream timed out (on_exception follows)."""

    async def _read(self) -> AsyncIterator[_EventT]:
        if self._stream is None:
            raise RuntimeError(
                "the stream has not been started (use the `async with` block)"
            )
        try:
            async for event in self._stream:
                self._current_event = event
                for hook, args in self._snapshots.feed(event):
                    method: Callable[..., Awaitable[object]] | None = getattr(
                        self, hook, None
                    )
                    if method is not None:
                        await method(*args)
                self._current_event = None
                yield event
        except APITimeoutError as exc:
            await self.on_timeout()
            await self.on_exception(exc)
            raise
        except Exception as exc:
            await self.on_exception(exc)
            raise
        finally:
            await self.on_end()


_HandlerT = TypeVar("_HandlerT", bound=EventHandler[Any])
_AsyncHandlerT = TypeVar("_AsyncHandlerT", bound=AsyncEventHandler[Any])


class EventStreamManager(Generic[_HandlerT]):
    """What a stream helper returns: `with` it to send the request and get the handler
    reading the response; the connection is closed when the block exits."""

    def __init__(
        self, request: Callable[[], Stream[Any]], *, event_handler: _HandlerT
    ) -> None:
        self._request = request
        self._handler = event_handler
        self._stream: Stream[Any] | None = None

    def __enter__(self) -> _HandlerT:
        self._stream = self._request()
        self._handler._init(self._stream)
        return self._handler

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._stream is not None:
            self._stream.close()


class AsyncEventStreamManager(Generic[_AsyncHandlerT]):
    """The async twin of EventStreamManager: `async with`."""

    def __init__(
        self,
        request: Callable[[], Awaitable[AsyncStream[Any]]],
        *,
        event_handler: _AsyncHandlerT,
    ) -> None:
        self._request = request
        self._handler = event_handler
        self._stream: AsyncStream[Any] | None = None

    async def __aenter__(self) -> _AsyncHandlerT:
        self._stream = await self._request()
        self._handler._init(self._stream)
        return self._handler

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._stream is not None:
            await self._stream.close()
