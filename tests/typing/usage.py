"""The generated SDK used as a user would, for the type checkers: tests/test_typing.py runs
`mypy --strict` and pyright (strict) on this file against the freshly rendered package and
expects no error. It is never run nor collected by pytest (no test_ prefix).

The Assistants operations are deprecated in the spec, so pyright's strict mode reports every
call to them (reportDeprecated); a user who keeps calling them opts out, as here.
"""

# pyright: reportDeprecated=false

from __future__ import annotations

from typing import Literal

import httpx
from openai_assistants import (
    NOT_GIVEN,
    APIResponse,
    APIStatusError,
    AsyncCursorPage,
    AsyncOpenAI,
    AsyncPaginator,
    AsyncStream,
    OpenAI,
    RateLimitError,
    Stream,
    SyncCursorPage,
)
from openai_assistants.types import (
    Assistant,
    AssistantDeleted,
    AssistantStreamEvent,
    CodeInterpreterTool,
    FileSearchTool,
    FunctionTool,
    Message,
    MessageDeleted,
    Run,
    RunStep,
    TextDeltaBlock,
    Thread,
    ThreadDeleted,
    ThreadMessageDelta,
    ThreadRunCompleted,
    ThreadRunCreated,
)
from openai_assistants.types.params import (
    AssistantToolParam,
    FunctionToolParam,
    MessageCreateParams,
    RunSubmitToolOutputsParamsToolOutput,
    TruncationStrategyParam,
)
from typing_extensions import assert_type


def make_clients() -> tuple[OpenAI, AsyncOpenAI]:
    client = OpenAI(
        api_key="sk-...",
        organization=None,
        base_url="https://example.test/v1",
        timeout=httpx.Timeout(30.0, connect=5.0),
        max_retries=3,
        default_headers={"X-Team": "search"},
        default_query={"tenant": "t1"},
    )
    async_client = AsyncOpenAI(api_key="sk-...", timeout=20.0, http_client=httpx.AsyncClient())
    return client, async_client


def runs(client: OpenAI, stream_it: bool) -> None:
    run = client.beta.threads.runs.create("t", assistant_id="a")
    assert_type(run, Run)
    assert_type(run.id, str)
    assert_type(run.thread_id, str)

    stream = client.beta.threads.runs.create("t", assistant_id="a", stream=True)
    assert_type(stream, Stream[AssistantStreamEvent])

    not_streamed = client.beta.threads.runs.create("t", assistant_id="a", stream=False)
    assert_type(not_streamed, Run)

    either = client.beta.threads.runs.create("t", assistant_id="a", stream=stream_it)
    assert_type(either, Run | Stream[AssistantStreamEvent])
    if isinstance(either, Run):
        assert_type(either, Run)
    else:
        assert_type(either, Stream[AssistantStreamEvent])

    assert_type(client.beta.threads.runs.retrieve("r", thread_id="t"), Run)
    assert_type(client.beta.threads.runs.update("r", thread_id="t", metadata={"k": "v"}), Run)
    assert_type(client.beta.threads.runs.cancel("r", thread_id="t"), Run)
    assert_type(client.beta.threads.runs.list("t", limit=10, order="asc"), SyncCursorPage[Run])

    outputs: list[RunSubmitToolOutputsParamsToolOutput] = [{"tool_call_id": "c", "output": "3"}]
    submitted = client.beta.threads.runs.submit_tool_outputs(
        "r", thread_id="t", tool_outputs=outputs
    )
    assert_type(submitted, Run)
    streamed = client.beta.threads.runs.submit_tool_outputs(
        "r", thread_id="t", tool_outputs=[{"tool_call_id": "c", "output": "3"}], stream=True
    )
    assert_type(streamed, Stream[AssistantStreamEvent])

    assert_type(client.beta.threads.create_and_run(assistant_id="a"), Run)
    assert_type(
        client.beta.threads.create_and_run(assistant_id="a", stream=True),
        Stream[AssistantStreamEvent],
    )

    step = client.beta.threads.runs.steps.retrieve(
        "s",
        thread_id="t",
        run_id="r",
        include=["step_details.tool_calls[*].file_search.results[*].content"],
    )
    assert_type(step, RunStep)
    assert_type(client.beta.threads.runs.steps.list("r", thread_id="t"), SyncCursorPage[RunStep])


def params_as_typed_dict_literals(client: OpenAI) -> None:
    function_tool: FunctionToolParam = {
        "type": "function",
        "function": {
            "name": "add",
            "description": "Add two numbers",
            "parameters": {"type": "object", "properties": {"a": {"type": "number"}}},
            "strict": True,
        },
    }
    tools: list[AssistantToolParam] = [
        {"type": "code_interpreter"},
        {"type": "file_search", "file_search": {"max_num_results": 5}},
        function_tool,
    ]
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        name="Math",
        description=None,
        tools=tools,
        tool_resources={"code_interpreter": {"file_ids": ["file_1"]}},
        metadata={"team": "math"},
        temperature=0.2,
        response_format={"type": "json_schema", "json_schema": {"name": "answer", "strict": True}},
    )
    assert_type(assistant, Assistant)

    first: MessageCreateParams = {"role": "user", "content": "What is 1 + 2?"}
    thread = client.beta.threads.create(
        messages=[
            first,
            {
                "role": "assistant",
                "content": [{"type": "text", "text": "Let me see."}],
                "attachments": [{"file_id": "file_1", "tools": [{"type": "file_search"}]}],
            },
        ],
        metadata={"topic": "math"},
    )
    assert_type(thread, Thread)

    truncation: TruncationStrategyParam = {"type": "last_messages", "last_messages": 4}
    run = client.beta.threads.runs.create(
        thread.id,
        assistant_id=assistant.id,
        additional_messages=[{"role": "user", "content": "Quickly."}],
        tools=[{"type": "code_interpreter"}],
        truncation_strategy=truncation,
        tool_choice={"type": "function", "function": {"name": "add"}},
        response_format="auto",
        parallel_tool_calls=False,
        max_prompt_tokens=None,
        model=NOT_GIVEN,
    )
    assert_type(run, Run)

    message = client.beta.threads.messages.create(thread.id, role="user", content="Thanks")
    assert_type(message, Message)
    assert_type(message.role, Literal["user", "assistant"])


def other_methods(client: OpenAI) -> None:
    assert_type(client.beta.assistants.retrieve("a"), Assistant)
    assert_type(client.beta.assistants.update("a", name=None, model="gpt-4o"), Assistant)
    assert_type(client.beta.assistants.delete("a"), AssistantDeleted)
    assert_type(client.beta.threads.retrieve("t"), Thread)
    assert_type(client.beta.threads.update("t", metadata=None), Thread)
    assert_type(client.beta.threads.delete("t"), ThreadDeleted)
    assert_type(client.beta.threads.messages.retrieve("m", thread_id="t"), Message)
    assert_type(client.beta.threads.messages.update("m", thread_id="t", metadata={}), Message)
    assert_type(client.beta.threads.messages.delete("m", thread_id="t"), MessageDeleted)
    assert_type(
        client.beta.threads.messages.list("t", run_id="r", extra_query={"x": 1}, timeout=5.0),
        SyncCursorPage[Message],
    )


def pagination(client: OpenAI) -> None:
    page = client.beta.assistants.list(limit=20, order="desc")
    assert_type(page, SyncCursorPage[Assistant])
    assert_type(page.data, list[Assistant])
    assert_type(page.has_more, bool)
    for item in page:
        assert_type(item, Assistant)
    if page.has_next_page():
        assert_type(page.get_next_page(), SyncCursorPage[Assistant])
    for each_page in page.iter_pages():
        assert_type(each_page, SyncCursorPage[Assistant])


def narrowing_a_tool_union(client: OpenAI) -> list[str]:
    names: list[str] = []
    for tool in client.beta.assistants.retrieve("a").tools:
        if isinstance(tool, FunctionTool):
            assert_type(tool, FunctionTool)
            names.append(tool.function.name)
            assert_type(tool.function.description, str | None)
        elif isinstance(tool, CodeInterpreterTool):
            assert_type(tool.type, Literal["code_interpreter"])
        elif isinstance(tool, FileSearchTool):
            if tool.file_search is not None:
                assert_type(tool.file_search.max_num_results, int | None)
        else:
            names.append(tool.type)  # a tool this SDK does not know yet
    return names


def reading_a_stream(client: OpenAI) -> str:
    text = ""
    with client.beta.threads.runs.create("t", assistant_id="a", stream=True) as stream:
        for event in stream:
            # Every event has an `event` and a `data` (the spec says so, and the official
            # package types them so), whether or not this SDK knows the event yet.
            name: str = event.event
            data: object = event.data
            print(name, data)
            if isinstance(event, ThreadRunCreated):
                assert_type(event.data, Run)
            elif isinstance(event, ThreadMessageDelta):
                for part in event.data.delta.content or []:
                    if isinstance(part, TextDeltaBlock) and part.text is not None:
                        text += part.text.value or ""
            elif isinstance(event, ThreadRunCompleted):
                status: str = event.data.status
                print(status)
    return text


def raw_responses(client: OpenAI) -> None:
    raw = client.beta.threads.with_raw_response.retrieve("t")
    assert_type(raw, APIResponse[Thread])
    assert_type(raw.status_code, int)
    assert_type(raw.headers, httpx.Headers)
    assert_type(raw.parse(), Thread)
    raw_page = client.beta.threads.messages.with_raw_response.list("t")
    assert_type(raw_page.parse(), SyncCursorPage[Message])
    raw_run = client.beta.with_raw_response.threads.runs.retrieve("r", thread_id="t")
    assert_type(raw_run.parse(), Run)


def errors(client: OpenAI) -> None:
    try:
        client.beta.threads.retrieve("t")
    except RateLimitError as err:
        assert_type(err.status_code, int)
        assert_type(err.request_id, str | None)
        assert_type(err.response, httpx.Response)
    except APIStatusError as err:
        assert_type(err.body, object | None)
        assert_type(err.code, str | None)
        assert_type(err.message, str)


async def async_usage(client: AsyncOpenAI, stream_it: bool) -> None:
    run = await client.beta.threads.runs.create("t", assistant_id="a")
    assert_type(run, Run)
    stream = await client.beta.threads.runs.create("t", assistant_id="a", stream=True)
    assert_type(stream, AsyncStream[AssistantStreamEvent])
    either = await client.beta.threads.runs.create("t", assistant_id="a", stream=stream_it)
    assert_type(either, Run | AsyncStream[AssistantStreamEvent])
    async with stream:
        async for event in stream:
            if isinstance(event, ThreadRunCreated):
                assert_type(event.data, Run)

    paginator = client.beta.assistants.list(limit=2)
    assert_type(paginator, AsyncPaginator[Assistant])
    page = await paginator
    assert_type(page, AsyncCursorPage[Assistant])
    assert_type(page.data, list[Assistant])
    if page.has_next_page():
        assert_type(await page.get_next_page(), AsyncCursorPage[Assistant])
    async for assistant in client.beta.assistants.list():
        assert_type(assistant, Assistant)
    async for message in client.beta.threads.messages.list("t"):
        assert_type(message, Message)

    assert_type(await client.beta.threads.retrieve("t"), Thread)
    assert_type(
        await client.beta.threads.runs.steps.retrieve("s", thread_id="t", run_id="r"), RunStep
    )
    assert_type(
        await client.beta.threads.runs.submit_tool_outputs(
            "r", thread_id="t", tool_outputs=[{"output": "x"}], stream=True
        ),
        AsyncStream[AssistantStreamEvent],
    )
    raw = await client.beta.threads.with_raw_response.retrieve("t")
    assert_type(raw, APIResponse[Thread])
    async with client:
        pass
    await client.close()
