"""The polling and stream helpers, side by side with the official `openai` package.

Both clients read the same server answers (an httpx MockTransport): a run that settles
after a few fetches, and a streamed run whose message text and tool-call arguments come in
deltas. The official package is the reference: the requests the helpers send, the hooks an
event handler sees (in order, with what they are given), and the objects it builds.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable
from typing import Any

import httpx
import openai
import pytest
from openai.lib.streaming import AssistantEventHandler as OfficialHandler
from openai.lib.streaming import AsyncAssistantEventHandler as OfficialAsyncHandler

from .test_client import MESSAGE as BASE_MESSAGE
from .test_client import RUN

MESSAGE = {**BASE_MESSAGE, "status": "in_progress", "content": [], "completed_at": None}
STEP = {
    "id": "step_1",
    "object": "thread.run.step",
    "created_at": 3,
    "assistant_id": "asst_1",
    "thread_id": "thread_1",
    "run_id": "run_1",
    "type": "tool_calls",
    "status": "in_progress",
    "step_details": {"type": "tool_calls", "tool_calls": []},
    "last_error": None,
    "expired_at": None,
    "cancelled_at": None,
    "failed_at": None,
    "completed_at": None,
    "metadata": {},
    "usage": None,
}


def text_delta(index: int, value: str) -> dict[str, Any]:
    block = {"index": index, "type": "text", "text": {"value": value, "annotations": []}}
    return {"id": "msg_1", "object": "thread.message.delta", "delta": {"content": [block]}}


def call_delta(index: int, **function: str) -> dict[str, Any]:
    call: dict[str, Any] = {"index": index, "type": "function", "function": function}
    if "name" in function:
        call["id"] = f"call_{index}"
    details = {"type": "tool_calls", "tool_calls": [call]}
    return {"id": "step_1", "object": "thread.run.step.delta", "delta": {"step_details": details}}


def completed_message() -> dict[str, Any]:
    text = {"value": "Hello there", "annotations": []}
    image = {"file_id": "file_1", "detail": "auto"}
    content = [{"type": "text", "text": text}, {"type": "image_file", "image_file": image}]
    return {**MESSAGE, "status": "completed", "completed_at": 5, "content": content}


def completed_step() -> dict[str, Any]:
    calls = [
        {
            "id": f"call_{i}",
            "type": "function",
            "function": {"name": name, "arguments": args, "output": None},
        }
        for i, (name, args) in enumerate([("lookup", '{"q": 1}'), ("other", "{}")])
    ]
    details = {"type": "tool_calls", "tool_calls": calls}
    return {**STEP, "status": "completed", "completed_at": 6, "step_details": details}


EVENTS: list[tuple[str, Any]] = [
    ("thread.run.created", RUN),
    ("thread.run.queued", RUN),
    ("thread.run.in_progress", {**RUN, "status": "in_progress"}),
    ("thread.message.created", MESSAGE),
    ("thread.message.in_progress", MESSAGE),
    ("thread.message.delta", text_delta(0, "Hel")),
    ("thread.message.delta", text_delta(0, "lo")),
    ("thread.message.delta", text_delta(0, " there")),
    (
        "thread.message.delta",
        {
            "id": "msg_1",
            "object": "thread.message.delta",
            "delta": {
                "content": [{"index": 1, "type": "image_file", "image_file": {"file_id": "file_1"}}]
            },
        },
    ),
    ("thread.message.completed", completed_message()),
    ("thread.run.step.created", STEP),
    ("thread.run.step.in_progress", STEP),
    ("thread.run.step.delta", call_delta(0, name="lookup", arguments="")),
    ("thread.run.step.delta", call_delta(0, arguments='{"q"')),
    ("thread.run.step.delta", call_delta(0, arguments=": 1}")),
    ("thread.run.step.delta", call_delta(1, name="other", arguments="{}")),
    ("thread.run.step.completed", completed_step()),
    ("thread.run.requires_action", {**RUN, "status": "requires_action"}),
]


def sse_body() -> bytes:
    frames = [f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in EVENTS]
    return ("".join(frames) + "event: done\ndata: [DONE]\n\n").encode()


class Server:
    """Answers like the API: runs settle after `pending` fetches; a streamed request gets
    EVENTS. Records every request."""

    def __init__(self, pending: int = 2, poll_after_ms: str | None = "25") -> None:
        self.requests: list[httpx.Request] = []
        self.pending = pending
        self.poll_after_ms = poll_after_ms

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        body = json.loads(request.content) if request.content else {}
        if body.get("stream"):
            headers = {"content-type": "text/event-stream"}
            return httpx.Response(200, headers=headers, content=sse_body())
        fetches = sum(1 for r in self.requests if r.method == "GET")
        status = "in_progress" if request.method == "GET" and fetches <= self.pending else "queued"
        if request.method == "GET" and fetches > self.pending:
            status = "completed"
        headers = {"openai-poll-after-ms": self.poll_after_ms} if self.poll_after_ms else {}
        return httpx.Response(200, json={**RUN, "status": status}, headers=headers)

    def wire(self) -> list[tuple[str, str, Any]]:
        """What went out: method, path and query, JSON body."""
        return [
            (
                r.method,
                str(r.url.copy_with(scheme="http", host="x", port=None)),
                json.loads(r.content) if r.content else None,
            )
            for r in self.requests
        ]


def make_clients(sdk: Any, server: Server, is_async: bool) -> tuple[Any, Any, list[float]]:
    """Our client and the official one over the same server, neither really sleeping: the
    waits both ask for are recorded instead."""
    waits: list[float] = []
    transport = httpx.MockTransport(server)
    options: dict[str, Any] = {"api_key": "sk-test", "base_url": "http://x/v1", "max_retries": 0}
    if is_async:
        ours = sdk.AsyncOpenAI(**options, http_client=httpx.AsyncClient(transport=transport))
        theirs = openai.AsyncOpenAI(**options, http_client=httpx.AsyncClient(transport=transport))

        async def sleep(seconds: float) -> None:
            waits.append(seconds)

        ours._sleep = sleep
        theirs.beta.threads.runs._sleep = sleep
    else:
        ours = sdk.OpenAI(**options, http_client=httpx.Client(transport=transport))
        theirs = openai.OpenAI(**options, http_client=httpx.Client(transport=transport))
        ours._sleep = waits.append
        theirs.beta.threads.runs._sleep = waits.append
    return ours, theirs, waits


POLL_CALLS: list[tuple[str, Callable[[Any], Any]]] = [
    (
        "create_and_poll",
        lambda runs: runs.create_and_poll(thread_id="thread_1", assistant_id="asst_1"),
    ),
    ("poll", lambda runs: runs.poll("run_1", "thread_1")),
    (
        "poll with interval",
        lambda runs: runs.poll(run_id="run_1", thread_id="thread_1", poll_interval_ms=300),
    ),
    (
        "submit_tool_outputs_and_poll",
        lambda runs: runs.submit_tool_outputs_and_poll(
            run_id="run_1",
            thread_id="thread_1",
            tool_outputs=[{"tool_call_id": "c", "output": "1"}],
        ),
    ),
]


def run_maybe_async(value: Any) -> Any:
    return asyncio.run(value) if asyncio.iscoroutine(value) else value


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("name, call", POLL_CALLS, ids=[n for n, _ in POLL_CALLS])
@pytest.mark.parametrize("header", ["25", None], ids=["server-interval", "default-interval"])
def test_polling_helpers_match_the_official_package(
    sdk: Any, name: str, call: Callable[[Any], Any], is_async: bool, header: str | None
) -> None:
    found = []
    for side in (0, 1):
        server = Server(poll_after_ms=header)
        clients = make_clients(sdk, server, is_async)
        run = run_maybe_async(call(clients[side].beta.threads.runs))
        assert run.status == "completed"
        found.append((server.wire(), clients[2]))
    (our_wire, our_waits), (their_wire, their_waits) = found
    # The official helpers add X-Stainless-* headers; the requests otherwise agree.
    assert our_wire == their_wire
    assert [m for m, _, _ in our_wire].count("GET") == 3
    assert our_waits == their_waits
    assert our_waits == (
        [0.3, 0.3] if "interval" in name else [0.025, 0.025] if header else [1.0, 1.0]
    )


def test_create_and_run_poll_polls_the_run_of_the_new_thread(sdk: Any) -> None:
    server = Server()
    ours, _, waits = make_clients(sdk, server, False)
    run = ours.beta.threads.create_and_run_poll(assistant_id="asst_1")
    assert run.status == "completed"
    assert [(m, u) for m, u, _ in server.wire()] == [
        ("POST", "http://x/v1/threads/runs"),
        *[("GET", "http://x/v1/threads/thread_1/runs/run_1")] * 3,
    ]
    assert waits == [0.025, 0.025]


def dump(value: Any) -> Any:
    """A model as plain data, for comparing ours with theirs (unset fields left out)."""
    if isinstance(value, list):
        return [dump(v) for v in value]
    if hasattr(value, "model_dump"):
        return value.model_dump(exclude_unset=True, mode="json", by_alias=True)
    return value


HOOKS = [
    "on_event",
    "on_end",
    "on_run_step_created",
    "on_run_step_delta",
    "on_run_step_done",
    "on_tool_call_created",
    "on_tool_call_delta",
    "on_tool_call_done",
    "on_message_created",
    "on_message_delta",
    "on_message_done",
    "on_text_created",
    "on_text_delta",
    "on_text_done",
]


def recording(base: type, is_async: bool) -> Any:
    """A handler subclass that logs each hook with what it was given."""
    log: list[tuple[str, Any]] = []

    def hook(name: str) -> Any:
        def record(self: Any, *args: Any) -> None:
            if name == "on_event":
                log.append((name, args[0].event))
            else:
                log.append((name, dump(list(args))))

        async def arecord(self: Any, *args: Any) -> None:
            record(self, *args)

        return arecord if is_async else record

    cls = type("Recording", (base,), {name: hook(name) for name in HOOKS})
    handler = cls()
    handler.log = log
    return handler


def stream_through(runs: Any, handler: Any, is_async: bool, helper: str) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"thread_id": "thread_1", "event_handler": handler}
    if helper == "submit_tool_outputs_stream":
        kwargs |= {"run_id": "run_1", "tool_outputs": []}
    else:
        kwargs |= {"assistant_id": "asst_1"}
    manager = getattr(runs, helper)(**kwargs)

    if not is_async:
        with manager as stream:
            texts = list(stream.text_deltas)
            return {
                "texts": texts,
                "run": dump(stream.get_final_run()),
                "messages": dump(stream.get_final_messages()),
                "steps": dump(stream.get_final_run_steps()),
                "current": dump(stream.current_message_snapshot),
            }

    async def go() -> dict[str, Any]:
        async with manager as stream:
            texts = [t async for t in stream.text_deltas]
            return {
                "texts": texts,
                "run": dump(await stream.get_final_run()),
                "messages": dump(await stream.get_final_messages()),
                "steps": dump(await stream.get_final_run_steps()),
                "current": dump(stream.current_message_snapshot),
            }

    return asyncio.run(go())


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("helper", ["stream", "create_and_stream", "submit_tool_outputs_stream"])
def test_stream_helpers_match_the_official_package(sdk: Any, is_async: bool, helper: str) -> None:
    results, logs, wires = [], [], []
    for side, base in enumerate(
        [
            sdk.AsyncAssistantEventHandler if is_async else sdk.AssistantEventHandler,
            OfficialAsyncHandler if is_async else OfficialHandler,
        ]
    ):
        server = Server()
        runs = make_clients(sdk, server, is_async)[side].beta.threads.runs
        handler = recording(base, is_async)
        results.append(stream_through(runs, handler, is_async, helper))
        logs.append(handler.log)
        wires.append(server.wire())
    ours, theirs = results
    assert ours["texts"] == theirs["texts"] == ["Hel", "lo", " there"]
    assert ours["run"] == theirs["run"]
    assert ours["run"]["status"] == "requires_action"
    assert ours["messages"] == theirs["messages"]
    assert ours["current"] == theirs["current"]
    # A finished step is the one its `completed` event carries; the official handler keeps
    # the one its deltas built (status still in_progress). The tool calls agree.
    assert [s["status"] for s in ours["steps"]] == ["completed"]
    assert tool_calls(ours["steps"]) == tool_calls(theirs["steps"])
    assert wires[0] == wires[1]
    assert wires[0][0][2]["stream"] is True
    # The official handler reports the last tool call done twice (again when the run
    # requires action); ours once. A finished tool call is, again, the one the step's
    # `completed` event carries (with `output: null`, without the deltas' `index`).
    theirs_once = [entry for i, entry in enumerate(logs[1]) if not is_repeat(logs[1], i)]
    assert len(theirs_once) == len(logs[1]) - 1
    assert plain(logs[0]) == plain(theirs_once)


def tool_calls(steps: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    calls = [c for s in steps for c in s["step_details"]["tool_calls"]]
    return [(c["id"], c["function"]["name"], c["function"]["arguments"]) for c in calls]


def plain(value: Any) -> Any:
    """Data without `index` keys and null values (the two ways a finished part differs)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != "index" and v is not None}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def is_repeat(log: list[tuple[str, Any]], index: int) -> bool:
    """A tool call reported done again, after the step that held it was done."""
    name, value = log[index]
    done_before = [v for n, v in log[:index] if n == "on_tool_call_done"]
    return name == "on_tool_call_done" and value in done_before


def test_one_handler_reads_one_stream(sdk: Any) -> None:
    ours = make_clients(sdk, Server(), False)[0]
    handler = sdk.AssistantEventHandler()
    runs = ours.beta.threads.runs
    with runs.stream(thread_id="t", assistant_id="a", event_handler=handler) as stream:
        assert stream is handler
        second = runs.stream(thread_id="t", assistant_id="a", event_handler=handler)
        with pytest.raises(RuntimeError, match="one stream"), second:
            pass


RESOURCES = ["assistants", "threads", "threads.runs", "threads.runs.steps", "threads.messages"]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("path", RESOURCES)
def test_every_official_method_is_there_and_takes_the_same_arguments(
    sdk: Any, path: str, is_async: bool
) -> None:
    """The whole official surface of client.beta.*, helpers included: each public method
    exists, and each of its parameters exists here with the same kind (we may take more:
    runs.create_and_stream also takes `include`, as runs.create does)."""
    clients = [
        (sdk.AsyncOpenAI if is_async else sdk.OpenAI)(api_key="sk-test"),
        (openai.AsyncOpenAI if is_async else openai.OpenAI)(api_key="sk-test"),
    ]
    ours, theirs = (client.beta for client in clients)
    for part in path.split("."):
        ours, theirs = getattr(ours, part), getattr(theirs, part)
    names = [n for n in dir(theirs) if not n.startswith("_") and callable(getattr(theirs, n))]
    assert len(names) >= 2 and hasattr(ours, "with_streaming_response")
    for name in names:
        assert hasattr(ours, name), f"{path}.{name}"
        if name.startswith("with_"):
            continue
        mine = inspect.signature(getattr(ours, name)).parameters
        official = inspect.signature(getattr(theirs, name)).parameters
        assert [(n, p.kind) for n, p in official.items() if mine.get(n, p).kind != p.kind] == []
        assert set(official) <= set(mine), f"{path}.{name}"
