"""`import pkg; pkg.Client()` of a generated SDK loads neither httpx nor pydantic nor
asyncio: they load with the first request (docs/decisions.md, section 12). What a user
expects at construction still happens there: a bad base URL is refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .servers import LoopbackServer
from .servers.assistants import State
from .servers.fixtures import assistants_api, assistants_server

__all__ = ["assistants_api", "assistants_server"]  # fixtures

# What the first request loads (httpcore, trio and anyio come with httpx).
DEFERRED = ("httpx", "httpcore", "pydantic", "pydantic_core", "asyncio")

# Run in a fresh interpreter: the package imported and both clients made, the modules loaded
# by then printed; then a first request of each client against the server at argv[1].
FIRST_USE = """
import json, sys

import openai_assistants as sdk

client = sdk.OpenAI(api_key="sk-test")
async_client = sdk.AsyncOpenAI(api_key="sk-test", max_retries=0)
print(json.dumps([name for name in sys.argv[2:] if name in sys.modules]))

client.base_url = async_client.base_url = sys.argv[1]
with client:
    print(json.dumps(client.beta.threads.create(metadata={"n": "1"}).metadata))

import asyncio


async def first_async_request():
    async with async_client:
        thread = await async_client.beta.threads.create(metadata={"n": "2"})
    return thread.metadata

print(json.dumps(asyncio.run(first_async_request())))
"""


def run_fresh(src: Path, script: str, *args: str) -> list[Any]:
    """Run `script` in a new interpreter with the generated package importable; each line
    it prints, read as JSON."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_the_client_is_made_without_httpx_pydantic_or_asyncio_and_then_works(
    flagship_tree: Path, assistants_api: tuple[LoopbackServer, State]
) -> None:
    server, state = assistants_api
    src = flagship_tree / "python" / "src"
    loaded, sync_thread, async_thread = run_fresh(src, FIRST_USE, server.base_url, *DEFERRED)
    assert loaded == []
    assert (sync_thread, async_thread) == ({"n": "1"}, {"n": "2"})
    assert len(state.threads) == 2


def test_the_lazy_names_of_the_package_load_on_first_read(flagship_tree: Path, sdk: Any) -> None:
    script = """
import sys, json
import openai_assistants as sdk
before = "pydantic" in sys.modules
names = [sdk.BaseModel.__module__, sdk.Stream.__module__, sdk.AssistantEventHandler.__module__]
print(json.dumps([before, "pydantic" in sys.modules, names, "BaseModel" in vars(sdk)]))
from openai_assistants import *
print(json.dumps(sorted(set(sdk.__all__) - set(dir()))))
"""
    first, missing = run_fresh(flagship_tree / "python" / "src", script)
    names = ["openai_assistants._models", "openai_assistants._streaming",
             "openai_assistants.lib.streaming"]  # fmt: skip
    assert first == [False, True, names, True]
    assert missing == []  # `import *` gives every name of __all__, lazy ones too
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        _ = sdk.Nope


@pytest.mark.parametrize(
    "url",
    ["http://[::1", "http://api.example.com:port/v1", "http://256.0.0.1/v1",
     "https://api.example.com/v1\n"],
)  # fmt: skip
def test_a_base_url_httpx_refuses_is_refused_at_construction(sdk: Any, url: str) -> None:
    with pytest.raises(httpx.InvalidURL):
        sdk.OpenAI(api_key="k", base_url=url)
    client = sdk.AsyncOpenAI(api_key="k")
    with pytest.raises(httpx.InvalidURL):
        client.base_url = url


def test_the_base_url_is_httpx_s_reading_of_it(sdk: Any) -> None:
    client = sdk.OpenAI(api_key="k", base_url="HTTPS://API.Example.com:443/v1")
    assert client.base_url == httpx.URL("https://api.example.com/v1/")
    assert client._url_prefix == "https://api.example.com/v1/"
    client.base_url = "http://localhost:8080"
    assert client._url_prefix == "http://localhost:8080/"


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_url_taken_without_httpx_is_one_httpx_takes(sdk: Any, data: st.DataObject) -> None:
    """The shortcut that skips loading httpx at construction never lets a bad URL through."""
    url = data.draw(st.from_regex(sdk._base_client._PLAIN_URL, fullmatch=True))
    sdk._base_client.check_url(url)
    httpx.URL(url)  # raises for a URL it cannot take
