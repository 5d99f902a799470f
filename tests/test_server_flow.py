"""The flagship SDK against a real HTTP server (tests/servers/assistants.py): the whole
Assistants flow, sync and async, over sockets; the connection pool; cleanup.

Responses are read with strict validation, so an object the server shapes wrongly (or the
SDK reads wrongly) fails here rather than passing as a lenient fallback.
"""

from __future__ import annotations

import asyncio
import gc
import warnings
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
LOOKUP = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}

STARTED = ["thread.run.created", "thread.run.queued", "thread.run.in_progress"]
ANSWERED = [
    "thread.run.step.created",
    "thread.run.step.in_progress",
    "thread.message.created",
    "thread.message.in_progress",
]
FINISHED = ["thread.message.completed", "thread.run.step.completed", "thread.run.completed"]


def new_client(sdk: Any, run: Runner, server: LoopbackServer, **options: Any) -> Any:
    options = {"api_key": "sk-test", "base_url": server.base_url, "timeout": 5.0, **options}
    cls = sdk.OpenAI if run.mode == "sync" else sdk.AsyncOpenAI
    return cls(_strict_response_validation=True, **options)


def names(events: list[Any]) -> list[str]:
    return [event.event for event in events]


def text_of(events: list[Any]) -> str:
    return "".join(
        part.text.value
        for event in events
        if event.event == "thread.message.delta"
        for part in event.data.delta.content
    )


def test_the_whole_flow_with_a_tool_call(sdk: Any, runner: Runner, assistants_api: Api) -> None:
    server, state = assistants_api
    client = new_client(sdk, runner, server)
    beta = client.beta
    assistant = runner(beta.assistants.create, model="gpt-4o", name="Helper", tools=[LOOKUP])
    thread = runner(beta.threads.create)
    runner(beta.threads.messages.create, thread.id, role="user", content="what is six times seven")

    events: list[Any] = []
    runner.drain(
        runner(beta.threads.runs.create, thread.id, assistant_id=assistant.id, stream=True), events
    )
    steps = ["thread.run.step.created", "thread.run.step.in_progress", "thread.run.requires_action"]
    assert names(events) == STARTED + steps
    run = events[-1].data
    assert run.status == "requires_action"
    (call,) = run.required_action.submit_tool_outputs.tool_calls
    assert call.function.name == "lookup"
    assert call.function.arguments == '{"query": "what is six times seven"}'

    events = []
    outputs = [{"tool_call_id": call.id, "output": "42"}]
    stream = runner(
        beta.threads.runs.submit_tool_outputs,
        run.id,
        thread_id=thread.id,
        tool_outputs=outputs,
        stream=True,
    )
    runner.drain(stream, events)
    deltas = ["thread.message.delta"] * 3
    head = ["thread.run.step.completed", "thread.run.queued", "thread.run.in_progress"]
    assert names(events) == head + ANSWERED + deltas + FINISHED
    assert text_of(events) == "Tool said: 42"
    assert events[-1].data.status == "completed"

    assert runner(beta.threads.runs.retrieve, run.id, thread_id=thread.id).status == "completed"
    messages = runner(beta.threads.messages.list, thread.id)
    assert [(m.role, m.content[0].text.value) for m in messages.data] == [
        ("assistant", "Tool said: 42"),
        ("user", "what is six times seven"),
    ]
    run_steps = runner(beta.threads.runs.steps.list, run.id, thread_id=thread.id, order="asc")
    tool_step, message_step = run_steps.data
    assert tool_step.step_details.tool_calls[0].function.output == "42"
    assert message_step.step_details.message_creation.message_id == messages.data[0].id
    assert in_flight(client) == 0
    runner(client.close)
    assert server.wait_until_closed() == 0
    assert state.requests[""] == len(state.log) == 8  # no call was retried


def test_a_run_without_tools_streams_its_answer(
    sdk: Any, runner: Runner, assistants_api: Api
) -> None:
    server, _ = assistants_api
    client = new_client(sdk, runner, server)
    beta = client.beta
    assistant = runner(beta.assistants.create, model="gpt-4o")
    thread = runner(beta.threads.create, messages=[{"role": "user", "content": "hi"}])
    events: list[Any] = []
    runner.drain(
        runner(beta.threads.runs.create, thread.id, assistant_id=assistant.id, stream=True), events
    )
    assert names(events) == STARTED + ANSWERED + ["thread.message.delta"] * 3 + FINISHED
    assert text_of(events) == "You said: hi"
    runner(client.close)


def test_a_polled_run_moves_on_each_retrieve(sdk: Any, runner: Runner, assistants_api: Api) -> None:
    server, state = assistants_api
    state.poll_after_ms = 7
    client = new_client(sdk, runner, server)
    beta = client.beta
    assistant = runner(beta.assistants.create, model="gpt-4o", tools=[LOOKUP])
    thread = runner(beta.threads.create, messages=[{"role": "user", "content": "hi"}])
    run = runner(beta.threads.runs.create, thread.id, assistant_id=assistant.id)
    assert run.status == "queued"

    def poll() -> Any:
        response = runner(beta.threads.runs.with_raw_response.retrieve, run.id, thread_id=thread.id)
        assert response.headers["openai-poll-after-ms"] == "7"
        return response.parse()

    assert [poll().status for _ in range(3)] == [
        "in_progress",
        "requires_action",
        "requires_action",
    ]
    (call,) = poll().required_action.submit_tool_outputs.tool_calls
    outputs = [{"tool_call_id": call.id, "output": "sunny"}]
    submitted = runner(
        beta.threads.runs.submit_tool_outputs, run.id, thread_id=thread.id, tool_outputs=outputs
    )
    assert submitted.status == "queued"
    assert [poll().status for _ in range(2)] == ["in_progress", "completed"]
    messages = runner(beta.threads.messages.list, thread.id, run_id=run.id)
    assert [m.content[0].text.value for m in messages.data] == ["Tool said: sunny"]
    runs = runner(beta.threads.runs.list, thread.id)
    assert [r.id for r in runs.data] == [run.id]
    runner(client.close)


def test_lists_page_across_the_server(sdk: Any, runner: Runner, assistants_api: Api) -> None:
    server, _ = assistants_api
    client = new_client(sdk, runner, server)
    created = [
        runner(client.beta.assistants.create, model="gpt-4o", name=f"a{i}").id for i in range(5)
    ]
    first = runner(client.beta.assistants.list, limit=2)
    assert [a.id for a in first.data] == created[::-1][:2]
    assert first.has_more

    seen: list[str] = []
    if runner.mode == "sync":
        seen = [a.id for a in client.beta.assistants.list(limit=2)]
    else:

        async def every() -> None:
            async for a in client.beta.assistants.list(limit=2):
                seen.append(a.id)

        runner(every)
    assert seen == created[::-1]
    runner(client.close)


def test_an_unknown_id_is_a_typed_404(sdk: Any, runner: Runner, assistants_api: Api) -> None:
    server, state = assistants_api
    client = new_client(sdk, runner, server)
    with pytest.raises(sdk.NotFoundError) as raised:
        runner(client.beta.threads.retrieve, "thread_nope")
    assert raised.value.status_code == 404
    assert raised.value.request_id == state.request_ids[-1]
    assert raised.value.message == "Error code: 404 - No thread found with id 'thread_nope'."
    assert in_flight(client) == 0
    runner(client.close)


def test_a_streamed_run_read_as_raw_lines(sdk: Any, runner: Runner, assistants_api: Api) -> None:
    server, _ = assistants_api
    client = new_client(sdk, runner, server)
    assistant = runner(client.beta.assistants.create, model="gpt-4o")
    thread = runner(client.beta.threads.create, messages=[{"role": "user", "content": "hi"}])
    lines: list[str] = []
    runs = client.beta.threads.runs.with_streaming_response
    if runner.mode == "sync":
        with runs.create(thread.id, assistant_id=assistant.id, stream=True) as response:
            lines = list(response.iter_lines())
    else:

        async def read() -> None:
            async with runs.create(thread.id, assistant_id=assistant.id, stream=True) as response:
                async for line in response.iter_lines():
                    lines.append(line)

        runner(read)
    assert lines[0] == "event: thread.run.created"
    assert lines[-2:] == ["data: [DONE]", ""]
    assert in_flight(client) == 0
    runner(client.close)


# ---------------------------------------------------------------------------------------------
# The connection pool and cleanup


def test_pool_limits_and_timeout_are_the_official_packages(
    sdk: Any, runner: Runner, assistants_api: Api
) -> None:
    from openai._constants import DEFAULT_CONNECTION_LIMITS, DEFAULT_TIMEOUT

    server, _ = assistants_api
    client = new_client(sdk, runner, server, timeout=sdk._types.NOT_GIVEN)
    pool = client._client._transport._pool
    assert pool._max_connections == DEFAULT_CONNECTION_LIMITS.max_connections == 1000
    assert (
        pool._max_keepalive_connections
        == DEFAULT_CONNECTION_LIMITS.max_keepalive_connections
        == 100
    )
    assert client.timeout.as_dict() == client._client.timeout.as_dict() == DEFAULT_TIMEOUT.as_dict()
    runner(client.close)


def test_a_timeout_set_on_your_http_client_is_used(
    sdk: Any, runner: Runner, assistants_api: Api
) -> None:
    server, _ = assistants_api
    http_cls = httpx.Client if runner.mode == "sync" else httpx.AsyncClient
    with_timeout = new_client(
        sdk, runner, server, timeout=sdk._types.NOT_GIVEN, http_client=http_cls(timeout=3.0)
    )
    assert with_timeout.timeout == httpx.Timeout(3.0)
    plain = new_client(sdk, runner, server, timeout=sdk._types.NOT_GIVEN, http_client=http_cls())
    assert plain.timeout.read == 600.0  # httpx's own 5 s default is not taken for the API's
    for client in (with_timeout, plain):
        runner(client._client.aclose if runner.mode == "async" else client._client.close)


def test_close_and_exit_close_the_connections(
    sdk: Any, runner: Runner, assistants_api: Api
) -> None:
    server, _ = assistants_api
    client = new_client(sdk, runner, server)
    for _ in range(2):
        runner(client.beta.threads.create)
    assert server.connections.count() == 1  # kept alive, reused
    if runner.mode == "sync":
        with client:
            client.beta.threads.create()
    else:

        async def use() -> None:
            async with client:
                await client.beta.threads.create()

        runner(use)
    assert client._client.is_closed
    assert server.wait_until_closed() == 0


def test_a_client_never_closed_closes_its_connections_when_collected(
    sdk: Any, assistants_api: Api
) -> None:
    server, _ = assistants_api

    def use() -> None:
        client = sdk.OpenAI(api_key="sk-test", base_url=server.base_url)
        client.beta.threads.create()
        assert server.connections.count() == 1

    use()
    gc.collect()  # the client and its resources hold each other: only the collector frees it
    assert server.wait_until_closed() == 0


def test_an_async_client_never_closed_closes_its_connections_when_collected_in_the_loop(
    sdk: Any, assistants_api: Api
) -> None:
    server, _ = assistants_api

    async def use() -> None:
        client = sdk.AsyncOpenAI(api_key="sk-test", base_url=server.base_url)
        await client.beta.threads.create()

    async def main() -> None:
        await use()
        gc.collect()
        for _ in range(3):  # the closing task it scheduled runs
            await asyncio.sleep(0)

    asyncio.run(main())
    assert server.wait_until_closed() == 0


def test_a_copy_keeps_the_connections_it_shares_open(sdk: Any, assistants_api: Api) -> None:
    """`with_options` shares the client's connections: the client it was made from, if
    dropped, must not close them under the copy (it closes them when collected)."""
    server, _ = assistants_api

    def copy() -> Any:
        client = sdk.OpenAI(api_key="sk-test", base_url=server.base_url)
        client.beta.threads.create()
        return client.with_options(max_retries=0)

    copied = copy()
    gc.collect()
    assert copied.beta.threads.create().id
    assert server.connections.count() == 1  # the same connection, still open
    del copied
    gc.collect()
    assert server.wait_until_closed() == 0


def test_your_http_client_is_never_closed(sdk: Any, assistants_api: Api) -> None:
    server, _ = assistants_api
    mine = httpx.Client()
    client = sdk.OpenAI(api_key="sk-test", base_url=server.base_url, http_client=mine)
    client.beta.threads.create()
    client.close()
    del client
    gc.collect()
    assert not mine.is_closed
    assert mine.get(f"{server.base_url}/threads/x").status_code == 401  # still usable
    mine.close()
    assert server.wait_until_closed() == 0


def test_unclosed_clients_would_warn_without_the_finalizer(sdk: Any, assistants_api: Api) -> None:
    """The control for the two tests above: an httpx client left open does warn here."""
    server, _ = assistants_api
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)

        def use() -> None:
            bare = httpx.Client()
            bare.get(f"{server.base_url}/threads/x")

        use()
        gc.collect()
    assert any(issubclass(w.category, ResourceWarning) for w in caught)


def test_the_polling_helpers_wait_as_the_server_asks(
    sdk: Any, runner: Runner, assistants_api: Api
) -> None:
    """create_and_poll and submit_tool_outputs_and_poll over sockets: each fetches the run
    until it settles, sleeping what `openai-poll-after-ms` says between fetches."""
    server, state = assistants_api
    state.poll_after_ms = 7
    client = new_client(sdk, runner, server)
    sleeps = runner.fake_sleep(client)
    beta = client.beta
    assistant = runner(beta.assistants.create, model="gpt-4o", tools=[LOOKUP])
    thread = runner(beta.threads.create, messages=[{"role": "user", "content": "hi"}])
    run = runner(beta.threads.runs.create_and_poll, thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    assert sleeps == [0.007]  # queued -> in_progress (wait) -> requires_action
    (call,) = run.required_action.submit_tool_outputs.tool_calls
    done = runner(
        beta.threads.runs.submit_tool_outputs_and_poll,
        run_id=run.id,
        thread_id=thread.id,
        tool_outputs=[{"tool_call_id": call.id, "output": "sunny"}],
        poll_interval_ms=300,
    )
    assert done.status == "completed"
    assert sleeps == [0.007, 0.3]
    new = runner(beta.threads.create_and_run_poll, assistant_id=assistant.id)
    assert new.status == "requires_action" and new.thread_id != thread.id
    runner(client.close)
    assert server.wait_until_closed() == 0


def test_the_stream_helpers_build_the_run_and_messages(
    sdk: Any, runner: Runner, assistants_api: Api
) -> None:
    """runs.stream into an event handler, then submit_tool_outputs_stream: the handler's
    hooks fire as the events come, and its final run and messages are what the server made."""
    server, _ = assistants_api
    client = new_client(sdk, runner, server)
    beta = client.beta
    assistant = runner(beta.assistants.create, model="gpt-4o", tools=[LOOKUP])
    thread = runner(beta.threads.create, messages=[{"role": "user", "content": "hi"}])
    seen: list[str] = []
    base = sdk.AssistantEventHandler if runner.mode == "sync" else sdk.AsyncAssistantEventHandler

    def on_event(self: Any, event: Any) -> Any:
        seen.append(event.event)
        return asyncio.sleep(0) if runner.mode == "async" else None

    handler_class = type("Seeing", (base,), {"on_event": on_event})

    def final_run(manager: Any) -> Any:
        if runner.mode == "sync":
            with manager as stream:
                return stream.get_final_run()

        async def go() -> Any:
            async with manager as stream:
                return await stream.get_final_run()

        return go()

    manager = beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, event_handler=handler_class()
    )
    run = runner(final_run, manager)
    assert run.status == "requires_action"
    assert seen[:3] == STARTED and seen[-1] == "thread.run.requires_action"
    (call,) = run.required_action.submit_tool_outputs.tool_calls
    seen.clear()
    texts: list[str] = []

    def finish(manager: Any) -> Any:
        if runner.mode == "sync":
            with manager as stream:
                texts.extend(stream.text_deltas)
                return stream.get_final_run(), stream.get_final_messages()

        async def go() -> Any:
            async with manager as stream:
                texts.extend([t async for t in stream.text_deltas])
                return await stream.get_final_run(), await stream.get_final_messages()

        return go()

    manager = beta.threads.runs.submit_tool_outputs_stream(
        run_id=run.id,
        thread_id=thread.id,
        tool_outputs=[{"tool_call_id": call.id, "output": "sunny"}],
        event_handler=handler_class(),
    )
    final, messages = runner(finish, manager)
    assert final.status == "completed" and seen[-1] == "thread.run.completed"
    assert "".join(texts) == "Tool said: sunny"
    assert [m.content[0].text.value for m in messages] == ["Tool said: sunny"]
    assert [m.status for m in messages] == ["completed"]
    runner(client.close)
    assert server.wait_until_closed() == 0
