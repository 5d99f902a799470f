"""Transport faults against a real server (tests/servers/assistants.py), sync and async:
each ends in the documented typed error, chained to the httpx error, or in a successful
retry the server saw, and no connection is left in use or to the garbage collector.

Where the official package retries: a request that got no (whole) response, and the
statuses 408, 409, 429 and 5xx. Not retried: a failure while reading a stream or a
`.with_streaming_response` body, once part of it was handed over.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .servers import LoopbackServer
from .servers.assistants import State
from .servers.fixtures import (
    Runner,
    assistants_api,
    assistants_server,
    in_flight,
    no_resource_warnings,
    runner,
)

__all__ = ["assistants_api", "assistants_server", "no_resource_warnings", "runner"]  # fixtures

pytestmark = pytest.mark.usefixtures("no_resource_warnings")

Api = tuple[LoopbackServer, State]
TIMEOUT = 0.5  # the stalls last 10 s: each attempt times out after this


def new_client(sdk: Any, run: Runner, server: LoopbackServer, **options: Any) -> Any:
    options = {
        "api_key": "sk-test",
        "base_url": server.base_url,
        "timeout": TIMEOUT,
        "max_retries": 1,
        **options,
    }
    cls = sdk.OpenAI if run.mode == "sync" else sdk.AsyncOpenAI
    return cls(_strict_response_validation=True, **options)


def fault(name: str, times: int | None = None, **more: str) -> dict[str, str]:
    headers = {"x-fault": name, **{f"x-fault-{k.replace('_', '-')}": v for k, v in more.items()}}
    if times is not None:
        headers["x-fault-times"] = str(times)
    return headers


@pytest.fixture()
def setup(sdk: Any, runner: Runner, assistants_api: Api) -> Any:
    """A client (one retry, sleeps recorded not slept) and a thread to run on."""
    server, _ = assistants_api
    client = new_client(sdk, runner, server)
    sleeps = runner.fake_sleep(client)
    assistant = runner(client.beta.assistants.create, model="gpt-4o")
    thread = runner(
        client.beta.threads.create, messages=[{"role": "user", "content": "a b c d e f"}]
    )
    yield client, sleeps, assistant, thread
    assert in_flight(client) == 0  # every response was closed, whatever happened
    runner(client.close)
    assert server.wait_until_closed() == 0


# ---------------------------------------------------------------------------------------------
# Statuses: retried, Retry-After honored


def test_429_with_retry_after_seconds_is_retried_after_that_wait(
    runner: Runner, setup: Any, assistants_api: Api
) -> None:
    client, sleeps, _, thread = setup
    _, state = assistants_api
    found = runner(
        client.beta.threads.retrieve,
        thread.id,
        extra_headers=fault("429", times=1, retry_after="3"),
    )
    assert found.id == thread.id
    assert sleeps == [3.0]
    assert (state.requests["429"], state.injected["429"]) == (2, 1)


def test_429_with_retry_after_as_a_date_is_retried_after_that_wait(
    runner: Runner, setup: Any, assistants_api: Api
) -> None:
    client, sleeps, _, thread = setup
    _, state = assistants_api
    headers = fault("429-date", times=1, retry_after="30")
    assert runner(client.beta.threads.retrieve, thread.id, extra_headers=headers).id == thread.id
    (slept,) = sleeps
    assert 28.0 < slept <= 30.0  # the date has whole seconds
    assert state.requests["429-date"] == 2


@pytest.mark.parametrize("status", ["500", "503"])
def test_5xx_then_success(runner: Runner, setup: Any, assistants_api: Api, status: str) -> None:
    client, sleeps, _, thread = setup
    _, state = assistants_api
    assert (
        runner(client.beta.threads.retrieve, thread.id, extra_headers=fault(status, times=1)).id
        == thread.id
    )
    assert len(sleeps) == 1
    assert (state.requests[status], state.injected[status]) == (2, 1)


@pytest.mark.parametrize(
    ("status", "error"),
    [("429", "RateLimitError"), ("500", "InternalServerError"), ("503", "InternalServerError")],
)
def test_a_status_that_persists_is_its_typed_error(
    sdk: Any, runner: Runner, setup: Any, assistants_api: Api, status: str, error: str
) -> None:
    client, sleeps, _, thread = setup
    _, state = assistants_api
    with pytest.raises(getattr(sdk, error)) as raised:
        runner(client.beta.threads.retrieve, thread.id, extra_headers=fault(status))
    assert type(raised.value).__name__ == error
    assert raised.value.status_code == int(status)
    assert raised.value.request_id == state.request_ids[-1]
    assert raised.value.message == f"Error code: {status} - Injected {status}."
    assert state.requests[status] == 2  # max_retries=1
    assert len(sleeps) == 1


# ---------------------------------------------------------------------------------------------
# No (whole) response: retried, then APIConnectionError / APITimeoutError


CONNECTION_FAULTS = [
    ("reset", httpx.ReadError),
    ("reset-mid-body", httpx.ReadError),
    ("cut-chunked", httpx.RemoteProtocolError),
    ("stall", httpx.ReadTimeout),
]


@pytest.mark.parametrize(("name", "cause"), CONNECTION_FAULTS)
def test_a_request_cut_once_is_retried(
    runner: Runner, setup: Any, assistants_api: Api, name: str, cause: type
) -> None:
    client, sleeps, _, thread = setup
    _, state = assistants_api
    assert (
        runner(client.beta.threads.retrieve, thread.id, extra_headers=fault(name, times=1)).id
        == thread.id
    )
    assert (state.requests[name], state.injected[name]) == (2, 1)
    assert len(sleeps) == 1


@pytest.mark.parametrize(("name", "cause"), CONNECTION_FAULTS)
def test_a_request_always_cut_is_a_connection_error(
    sdk: Any, runner: Runner, setup: Any, assistants_api: Api, name: str, cause: type
) -> None:
    client, _, _, thread = setup
    _, state = assistants_api
    expected = sdk.APITimeoutError if name == "stall" else sdk.APIConnectionError
    with pytest.raises(sdk.APIConnectionError) as raised:
        runner(client.beta.threads.retrieve, thread.id, extra_headers=fault(name))
    assert type(raised.value) is expected
    assert type(raised.value.__cause__) is cause
    assert raised.value.request.url.path == f"/v1/threads/{thread.id}"
    assert state.requests[name] == 2


def test_a_post_cut_mid_body_is_retried_and_the_server_did_it_twice(
    runner: Runner, setup: Any, assistants_api: Api
) -> None:
    """As the official package does: the retry resends the POST (the first one took effect)."""
    client, _, _, _ = setup
    _, state = assistants_api
    thread = runner(client.beta.threads.create, extra_headers=fault("reset-mid-body", times=1))
    assert state.requests["reset-mid-body"] == 2
    assert len(state.threads) == 3 and thread.id in state.threads


# ---------------------------------------------------------------------------------------------
# Mid-stream: the events so far, then the typed error, no retry


STREAM_FAULTS = [
    ("reset-mid-stream", "APIConnectionError", httpx.ReadError),
    ("cut-chunked", "APIConnectionError", httpx.RemoteProtocolError),
    ("stall-mid-stream", "APITimeoutError", httpx.ReadTimeout),
]


@pytest.mark.parametrize(("name", "error", "cause"), STREAM_FAULTS)
def test_a_stream_cut_mid_way_raises_the_typed_error(
    sdk: Any, runner: Runner, setup: Any, assistants_api: Api, name: str, error: str, cause: type
) -> None:
    client, sleeps, assistant, thread = setup
    _, state = assistants_api
    events: list[Any] = []
    headers = fault(name, after="4")
    stream = runner(
        client.beta.threads.runs.create,
        thread.id,
        assistant_id=assistant.id,
        stream=True,
        extra_headers=headers,
    )
    with pytest.raises(sdk.APIConnectionError) as raised:
        runner.drain(stream, events)
    assert type(raised.value).__name__ == error
    assert type(raised.value.__cause__) is cause
    assert [e.event for e in events] == [
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress",
        "thread.run.step.created",
    ]
    assert state.requests[name] == 1 and sleeps == []  # not retried: events were handed over


def test_an_error_event_raises_api_error(
    sdk: Any, runner: Runner, setup: Any, assistants_api: Api
) -> None:
    client, _, assistant, thread = setup
    _, state = assistants_api
    events: list[Any] = []
    stream = runner(
        client.beta.threads.runs.create,
        thread.id,
        assistant_id=assistant.id,
        stream=True,
        extra_headers=fault("error-event", after="2"),
    )
    with pytest.raises(sdk.APIError) as raised:
        runner.drain(stream, events)
    assert type(raised.value) is sdk.APIError
    assert raised.value.message == "Injected stream error."
    assert raised.value.type == "server_error"
    assert len(events) == 2
    assert state.requests["error-event"] == 1


def test_a_stream_whose_first_answer_is_cut_is_retried(
    runner: Runner, setup: Any, assistants_api: Api
) -> None:
    """No event was handed over yet: the request is sent again, as any other."""
    client, _, assistant, thread = setup
    _, state = assistants_api
    events: list[Any] = []
    stream = runner(
        client.beta.threads.runs.create,
        thread.id,
        assistant_id=assistant.id,
        stream=True,
        extra_headers=fault("reset", times=1),
    )
    runner.drain(stream, events)
    assert events[-1].event == "thread.run.completed"
    assert state.requests["reset"] == 2


@pytest.mark.parametrize(("name", "error", "cause"), STREAM_FAULTS)
def test_a_streamed_body_cut_mid_way_raises_the_typed_error(
    sdk: Any, runner: Runner, setup: Any, assistants_api: Api, name: str, error: str, cause: type
) -> None:
    """`.with_streaming_response`: the body is read after the call returned, chunk by chunk."""
    client, _, _, thread = setup
    _, state = assistants_api
    chunks: list[bytes] = []
    messages = client.beta.threads.messages.with_streaming_response
    with pytest.raises(sdk.APIConnectionError) as raised:
        if runner.mode == "sync":
            with messages.list(thread.id, extra_headers=fault(name)) as response:
                chunks.extend(response.iter_bytes())
        else:

            async def read() -> None:
                async with messages.list(thread.id, extra_headers=fault(name)) as response:
                    async for chunk in response.iter_bytes():
                        chunks.append(chunk)

            runner(read)
    assert type(raised.value).__name__ == error
    assert type(raised.value.__cause__) is cause
    assert chunks and b"".join(chunks).startswith(b'{"object":"list"')  # half the body came
    assert state.requests[name] == 1


def test_a_streamed_body_read_whole_raises_the_typed_error(
    sdk: Any, runner: Runner, setup: Any
) -> None:
    client, _, _, thread = setup
    messages = client.beta.threads.messages.with_streaming_response
    with pytest.raises(sdk.APIConnectionError) as raised:
        if runner.mode == "sync":
            with messages.list(thread.id, extra_headers=fault("reset-mid-body")) as response:
                response.parse()
        else:

            async def read() -> None:
                async with messages.list(
                    thread.id, extra_headers=fault("reset-mid-body")
                ) as response:
                    await response.parse()

            runner(read)
    assert type(raised.value.__cause__) is httpx.ReadError
