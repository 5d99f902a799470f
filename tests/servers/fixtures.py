"""Pytest fixtures for the Assistants server: import them into a test module
(`from .servers.fixtures import assistants_api, assistants_server`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from . import Connections, LoopbackServer, serve
from .assistants import State, create_app

__all__ = ["assistants_api", "assistants_server"]


@pytest.fixture(scope="module")
def assistants_server() -> Iterator[tuple[LoopbackServer, State]]:
    """The stateful Assistants server on 127.0.0.1, one per test module."""
    state = State()
    connections = Connections()
    with serve(create_app(state, connections), connections) as server:
        yield server, state


@pytest.fixture()
def assistants_api(assistants_server: tuple[LoopbackServer, State]) -> Iterator[tuple[LoopbackServer, State]]:
    """The server emptied for this test; it fails the test if a connection stays open."""
    server, state = assistants_server
    state.clear()
    yield server, state
