"""Deliberate misuse of the generated SDK: tests/test_typing.py expects mypy --strict and
pyright (strict) to report an error on every line marked `# E`. Never run nor collected."""

from __future__ import annotations

from openai_assistants import AsyncOpenAI, OpenAI, SyncCursorPage
from openai_assistants.types import Assistant, Run, Thread
from typing_extensions import assert_type


def misuse(client: OpenAI) -> None:
    client.beta.threads.runs.retrieve("t", "r")  # E: thread_id is keyword-only
    client.beta.threads.runs.steps.retrieve("t", "r", "s")  # E: only step_id is positional
    client.beta.threads.messages.create("t", role="user")  # E: content is required
    client.beta.threads.runs.create("t", assistant_id=1)  # E: an ID is a str
    client.beta.threads.runs.create("t", assistant_id="a", temprature=1)  # E: no such argument
    client.beta.threads.runs.list("t", order="sideways")  # E: asc or desc
    client.beta.threads.create(messages=[{"role": "robot", "content": "hi"}])  # E: bad role
    client.beta.threads.runs.create("t", assistant_id="a", tools=[{"type": "web"}])  # E
    stream = client.beta.threads.runs.create("t", assistant_id="a", stream=True)
    assert_type(stream, Run)  # E: it is a Stream
    assert_type(client.beta.threads.retrieve("t"), Run)  # E: it is a Thread
    assert_type(client.beta.threads.messages.list("t"), SyncCursorPage[Assistant])  # E


async def async_misuse(client: AsyncOpenAI) -> None:
    thread: Thread = client.beta.threads.retrieve("t")  # E: not awaited
    print(thread)
    print(list(client.beta.threads.messages.list("t")))  # E: an async paginator
