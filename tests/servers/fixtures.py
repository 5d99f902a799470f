"""Pytest fixtures for the Assistants server: import them into a test module
(`from .servers.fixtures import assistants_api, assistants_server`)."""

from __future__ import annotations

import asyncio
import gc
import inspect
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from . import Connections, LoopbackServer, serve
from .assistants import State, create_app

__all__ = [
    "Runner",
    "assistants_api",
    "assistants_server",
    "in_flight",
    "no_resource_warnings",
    "runner",
]


@pytest.fixture(scope="module")
def assistants_server() -> Iterator[tuple[LoopbackServer, State]]:
    """The stateful Assistants server on 127.0.0.1, one per test module."""
    state = State()
    connections = Connections()
    with serve(create_app(state, connections), connections) as server:
        yield server, state


@pytest.fixture()
def assistants_api(
    assistants_server: tuple[LoopbackServer, State],
) -> Iterator[tuple[LoopbackServer, State]]:
    """The server, emptied for this test."""
    server, state = assistants_server
    state.clear()
    yield server, state


class Runner:
    """Runs a test once for the sync client and once for the async one: `run(fn, ...)` calls
    `fn` and, for the async client, awaits what it returns on one event loop kept for the
    whole test (an async client's connections belong to the loop that opened them)."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.loop = asyncio.new_event_loop() if mode == "async" else None

    def __call__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        result = fn(*args, **kwargs)
        if self.loop is not None and inspect.isawaitable(result):
            return self.loop.run_until_complete(result)
        return result

    def drain(self, stream: Any, into: list[Any]) -> None:
        """Iterate a stream to its end, keeping each item in `into` (kept when it raises)."""
        if self.loop is None:
            into.extend(stream)  # what came before a failure stays in `into`
            return

        async def go() -> None:
            async for item in stream:
                into.append(item)

        self.loop.run_until_complete(go())

    def fake_sleep(self, client: Any) -> list[float]:
        """The client's retry waits, recorded instead of slept."""
        sleeps: list[float] = []
        if self.loop is None:
            client._sleep = sleeps.append
        else:

            async def sleep(seconds: float) -> None:
                sleeps.append(seconds)

            client._sleep = sleep
        return sleeps

    def close(self) -> None:
        if self.loop is not None:
            self.loop.close()


@pytest.fixture(params=["sync", "async"])
def runner(request: pytest.FixtureRequest) -> Iterator[Runner]:
    run = Runner(str(request.param))
    yield run
    run.close()


def in_flight(client: Any) -> int:
    """Requests whose response the client has not closed: each holds a pooled connection."""
    return len(client._client._transport._pool._requests)


@pytest.fixture()
def no_resource_warnings() -> Iterator[None]:
    """Fails the test if it left a socket or transport to the garbage collector unclosed
    (a ResourceWarning, looked for after a full collection)."""
    gc.freeze()  # what exists now is not the test's: the collections below skip it
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ResourceWarning)
            warnings.simplefilter("ignore", DeprecationWarning)  # the spec deprecates assistants
            yield
            gc.collect()
            gc.collect()  # what a finalizer of the first collection let go
    finally:
        gc.unfreeze()
    leaks = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert not leaks, leaks
