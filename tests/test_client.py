"""The generated clients (`OpenAI`, `AsyncOpenAI`) over httpx.MockTransport: every method's
request on the wire, per-call options, client options, raw responses, pagination, retries
(on a fake clock), typed errors and deprecation warnings. Nothing touches the network.

Every behaviour is checked for the sync and the async client (the `mode` fixture).
"""

from __future__ import annotations

import asyncio
import email.utils
import inspect
import json
import time
import warnings
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

# Calls to the Assistants operations warn (they are deprecated in the spec); only
# test_assistants_methods_warn_deprecation looks at those warnings.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

API_KEY = "sk-test-SECRET-0123456789abcdef"
BASE = "https://api.openai.com/v1"
INCLUDE = "step_details.tool_calls[*].file_search.results[*].content"

# ---------------------------------------------------------------------------------------------
# Response payloads (each parses in strict mode: the clients below validate strictly)

ASSISTANT = {
    "id": "asst_1",
    "object": "assistant",
    "created_at": 1700000000,
    "name": "Math",
    "description": None,
    "model": "gpt-4o",
    "instructions": None,
    "tools": [
        {"type": "code_interpreter"},
        {"type": "function", "function": {"name": "add"}},
    ],
    "metadata": {},
}
THREAD = {
    "id": "thread_1",
    "object": "thread",
    "created_at": 1700000000,
    "tool_resources": None,
    "metadata": {},
}
RUN = {
    "id": "run_1",
    "object": "thread.run",
    "created_at": 1700000000,
    "thread_id": "thread_1",
    "assistant_id": "asst_1",
    "status": "queued",
    "required_action": None,
    "last_error": None,
    "expires_at": None,
    "started_at": None,
    "cancelled_at": None,
    "failed_at": None,
    "completed_at": None,
    "incomplete_details": None,
    "model": "gpt-4o",
    "instructions": "",
    "tools": [],
    "metadata": {},
    "usage": None,
    "temperature": 1.0,
    "top_p": 1.0,
    "max_prompt_tokens": None,
    "max_completion_tokens": None,
    "truncation_strategy": {"type": "auto", "last_messages": None},
    "tool_choice": "auto",
    "parallel_tool_calls": True,
    "response_format": "auto",
}
MESSAGE = {
    "id": "msg_1",
    "object": "thread.message",
    "created_at": 1700000000,
    "thread_id": "thread_1",
    "status": "completed",
    "incomplete_details": None,
    "completed_at": None,
    "incomplete_at": None,
    "role": "user",
    "content": [{"type": "text", "text": {"value": "hi", "annotations": []}}],
    "assistant_id": None,
    "run_id": None,
    "attachments": None,
    "metadata": {},
}
STEP = {
    "id": "step_1",
    "object": "thread.run.step",
    "created_at": 1700000000,
    "assistant_id": "asst_1",
    "thread_id": "thread_1",
    "run_id": "run_1",
    "type": "message_creation",
    "status": "completed",
    "step_details": {"type": "message_creation", "message_creation": {"message_id": "msg_1"}},
    "last_error": None,
    "expired_at": None,
    "cancelled_at": None,
    "failed_at": None,
    "completed_at": 1700000001,
    "metadata": {},
    "usage": None,
}


def page_of(items: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
    return {
        "object": "list",
        "data": items,
        "first_id": items[0]["id"] if items else "",
        "last_id": items[-1]["id"] if items else "",
        "has_more": has_more,
    }


PAYLOADS: dict[str, Any] = {
    "Assistant": ASSISTANT,
    "AssistantDeleted": {"id": "asst_1", "object": "assistant.deleted", "deleted": True},
    "Thread": THREAD,
    "ThreadDeleted": {"id": "thread_1", "object": "thread.deleted", "deleted": True},
    "Run": RUN,
    "Message": MESSAGE,
    "MessageDeleted": {"id": "msg_1", "object": "thread.message.deleted", "deleted": True},
    "RunStep": STEP,
}
for _name in ("Assistant", "Run", "Message", "RunStep"):
    PAYLOADS[f"page:{_name}"] = page_of([PAYLOADS[_name]], has_more=False)

# ---------------------------------------------------------------------------------------------
# A scripted transport and helpers to drive the sync and the async client the same way

Answer = Callable[[httpx.Request], httpx.Response]


def ok(payload: Any = None, *, headers: dict[str, str] | None = None) -> Answer:
    return lambda request: httpx.Response(200, json=payload, headers=headers)


def status(
    code: int, payload: Any = None, *, headers: dict[str, str] | None = None, text: str = ""
) -> Answer:
    if payload is None:
        return lambda request: httpx.Response(code, text=text, headers=headers)
    return lambda request: httpx.Response(code, json=payload, headers=headers)


def raises(exc_type: type[httpx.RequestError], message: str = "boom") -> Answer:
    def answer(request: httpx.Request) -> httpx.Response:
        raise exc_type(message, request=request)

    return answer


class Transport:
    """A MockTransport handler: records every request and answers from a script (the last
    answer repeats)."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers) or [ok({})]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        return answer(request)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def new_client(sdk: Any, mode: str, transport: Transport | None = None, **options: Any) -> Any:
    options.setdefault("api_key", API_KEY)
    handler = httpx.MockTransport(transport or Transport())
    if mode == "sync":
        return sdk.OpenAI(http_client=httpx.Client(transport=handler), **options)
    return sdk.AsyncOpenAI(http_client=httpx.AsyncClient(transport=handler), **options)


def run_async(coro: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(coro)


def invoke(mode: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a client method; for the async client, await what it returns (a coroutine, or an
    AsyncPaginator, which gives its first page)."""
    if mode == "sync":
        return fn(*args, **kwargs)

    async def go() -> Any:
        result = fn(*args, **kwargs)
        return await result if inspect.isawaitable(result) else result

    return run_async(go())


def resolve(root: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        root = getattr(root, part)
    return root


def fake_clock(client: Any, mode: str) -> list[float]:
    """Replace the client's sleep with one that only records how long it was asked to wait."""
    sleeps: list[float] = []
    if mode == "sync":
        client._sleep = sleeps.append
    else:

        async def sleep(seconds: float) -> None:
            sleeps.append(seconds)

        client._sleep = sleep
    return sleeps


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content) if request.content else None


def backoff_bounds(attempt: int) -> tuple[float, float]:
    """The jittered default wait before retry number `attempt` (0-based)."""
    base = min(0.5 * 2**attempt, 8.0)
    return 0.75 * base, base


# ---------------------------------------------------------------------------------------------
# The 23 methods: one minimal call (required arguments only) and one full call each


@dataclass(frozen=True)
class Call:
    id: str
    method: str  # below client.beta
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    http: str
    path: str  # below the base URL
    returns: str  # a model name, or "page:<item model>" for a list
    query: list[tuple[str, str]] = field(default_factory=list[tuple[str, str]])
    body: dict[str, Any] | None = None  # None: no body at all
    path_params: tuple[str, ...] = ()  # the positional one first


TOOLS = [
    {"type": "code_interpreter"},
    {"type": "file_search", "file_search": {"max_num_results": 5}},
    {
        "type": "function",
        "function": {"name": "add", "parameters": {"type": "object"}, "strict": None},
    },
]
MESSAGES = [{"role": "user", "content": "hi", "attachments": None, "metadata": {"k": "v"}}]

ASSISTANT_ARGS = {
    "name": None,  # None is sent as null, not dropped
    "description": "adds numbers",
    "instructions": None,
    "reasoning_effort": "low",
    "tools": TOOLS,
    "tool_resources": {"code_interpreter": {"file_ids": ["file_1"]}},
    "metadata": {"team": "math"},
    "temperature": 0.2,
    "top_p": None,
    "response_format": {"type": "json_object"},
}
RUN_ARGS = {
    "model": None,
    "instructions": "be brief",
    "tools": TOOLS,
    "metadata": None,
    "temperature": 0.5,
    "top_p": None,
    "max_prompt_tokens": 1000,
    "max_completion_tokens": None,
    "truncation_strategy": {"type": "last_messages", "last_messages": 3},
    "tool_choice": {"type": "function", "function": {"name": "add"}},
    "parallel_tool_calls": False,
    "response_format": "auto",
}
LIST_ARGS = {"limit": 2, "order": "asc", "after": "obj_a", "before": "obj_b"}
LIST_QUERY = [("limit", "2"), ("order", "asc"), ("after", "obj_a"), ("before", "obj_b")]

# fmt: off
CALLS = [
    # beta.assistants
    Call("assistants.create-min", "assistants.create", (), {"model": "gpt-4o"},
         "POST", "/assistants", "Assistant", body={"model": "gpt-4o"}),
    Call("assistants.create-full", "assistants.create", (), {"model": "gpt-4o", **ASSISTANT_ARGS},
         "POST", "/assistants", "Assistant", body={"model": "gpt-4o", **ASSISTANT_ARGS}),
    Call("assistants.retrieve", "assistants.retrieve", ("asst_1",), {},
         "GET", "/assistants/asst_1", "Assistant", path_params=("assistant_id",)),
    Call("assistants.update-min", "assistants.update", ("asst_1",), {},
         "POST", "/assistants/asst_1", "Assistant", body={}, path_params=("assistant_id",)),
    Call("assistants.update-full", "assistants.update", ("asst_1",), {"model": "o1", **ASSISTANT_ARGS},
         "POST", "/assistants/asst_1", "Assistant", body={"model": "o1", **ASSISTANT_ARGS},
         path_params=("assistant_id",)),
    Call("assistants.list-min", "assistants.list", (), {}, "GET", "/assistants", "page:Assistant"),
    Call("assistants.list-full", "assistants.list", (), LIST_ARGS,
         "GET", "/assistants", "page:Assistant", query=LIST_QUERY),
    Call("assistants.delete", "assistants.delete", ("asst_1",), {},
         "DELETE", "/assistants/asst_1", "AssistantDeleted", path_params=("assistant_id",)),
    # beta.threads
    Call("threads.create-min", "threads.create", (), {}, "POST", "/threads", "Thread", body={}),
    Call("threads.create-full", "threads.create", (),
         {"messages": MESSAGES, "tool_resources": None, "metadata": {"a": "b"}},
         "POST", "/threads", "Thread",
         body={"messages": MESSAGES, "tool_resources": None, "metadata": {"a": "b"}}),
    Call("threads.retrieve", "threads.retrieve", ("thread_1",), {},
         "GET", "/threads/thread_1", "Thread", path_params=("thread_id",)),
    Call("threads.update-min", "threads.update", ("thread_1",), {},
         "POST", "/threads/thread_1", "Thread", body={}, path_params=("thread_id",)),
    Call("threads.update-full", "threads.update", ("thread_1",),
         {"metadata": None, "tool_resources": {"code_interpreter": {"file_ids": []}}},
         "POST", "/threads/thread_1", "Thread",
         body={"metadata": None, "tool_resources": {"code_interpreter": {"file_ids": []}}},
         path_params=("thread_id",)),
    Call("threads.delete", "threads.delete", ("thread_1",), {},
         "DELETE", "/threads/thread_1", "ThreadDeleted", path_params=("thread_id",)),
    Call("threads.create_and_run-min", "threads.create_and_run", (), {"assistant_id": "asst_1"},
         "POST", "/threads/runs", "Run", body={"assistant_id": "asst_1"}),
    Call("threads.create_and_run-full", "threads.create_and_run", (),
         {"assistant_id": "asst_1", "thread": {"messages": MESSAGES}, "tool_resources": None,
          "stream": False, **RUN_ARGS},
         "POST", "/threads/runs", "Run",
         body={"assistant_id": "asst_1", "thread": {"messages": MESSAGES}, "tool_resources": None,
               "stream": False, **RUN_ARGS}),
    # beta.threads.runs
    Call("runs.create-min", "threads.runs.create", ("thread_1",), {"assistant_id": "asst_1"},
         "POST", "/threads/thread_1/runs", "Run", body={"assistant_id": "asst_1"},
         path_params=("thread_id",)),
    Call("runs.create-full", "threads.runs.create", ("thread_1",),
         {"assistant_id": "asst_1", "include": [INCLUDE], "reasoning_effort": None,
          "additional_instructions": "and kind", "additional_messages": MESSAGES,
          "stream": None, **RUN_ARGS},
         "POST", "/threads/thread_1/runs", "Run", query=[("include[]", INCLUDE)],
         body={"assistant_id": "asst_1", "reasoning_effort": None,
               "additional_instructions": "and kind", "additional_messages": MESSAGES,
               "stream": None, **RUN_ARGS},
         path_params=("thread_id",)),
    Call("runs.retrieve", "threads.runs.retrieve", ("run_1",), {"thread_id": "thread_1"},
         "GET", "/threads/thread_1/runs/run_1", "Run", path_params=("run_id", "thread_id")),
    Call("runs.update-min", "threads.runs.update", ("run_1",), {"thread_id": "thread_1"},
         "POST", "/threads/thread_1/runs/run_1", "Run", body={},
         path_params=("run_id", "thread_id")),
    Call("runs.update-full", "threads.runs.update", ("run_1",),
         {"thread_id": "thread_1", "metadata": None},
         "POST", "/threads/thread_1/runs/run_1", "Run", body={"metadata": None},
         path_params=("run_id", "thread_id")),
    Call("runs.list-min", "threads.runs.list", ("thread_1",), {},
         "GET", "/threads/thread_1/runs", "page:Run", path_params=("thread_id",)),
    Call("runs.list-full", "threads.runs.list", ("thread_1",), LIST_ARGS,
         "GET", "/threads/thread_1/runs", "page:Run", query=LIST_QUERY,
         path_params=("thread_id",)),
    Call("runs.cancel", "threads.runs.cancel", ("run_1",), {"thread_id": "thread_1"},
         "POST", "/threads/thread_1/runs/run_1/cancel", "Run",
         path_params=("run_id", "thread_id")),
    Call("runs.submit_tool_outputs-min", "threads.runs.submit_tool_outputs", ("run_1",),
         {"thread_id": "thread_1", "tool_outputs": [{"tool_call_id": "call_1", "output": "3"}]},
         "POST", "/threads/thread_1/runs/run_1/submit_tool_outputs", "Run",
         body={"tool_outputs": [{"tool_call_id": "call_1", "output": "3"}]},
         path_params=("run_id", "thread_id")),
    Call("runs.submit_tool_outputs-full", "threads.runs.submit_tool_outputs", ("run_1",),
         {"thread_id": "thread_1", "tool_outputs": [{"output": "3"}], "stream": False},
         "POST", "/threads/thread_1/runs/run_1/submit_tool_outputs", "Run",
         body={"tool_outputs": [{"output": "3"}], "stream": False},
         path_params=("run_id", "thread_id")),
    # beta.threads.runs.steps
    Call("steps.retrieve-min", "threads.runs.steps.retrieve", ("step_1",),
         {"thread_id": "thread_1", "run_id": "run_1"},
         "GET", "/threads/thread_1/runs/run_1/steps/step_1", "RunStep",
         path_params=("step_id", "thread_id", "run_id")),
    Call("steps.retrieve-full", "threads.runs.steps.retrieve", ("step_1",),
         {"thread_id": "thread_1", "run_id": "run_1", "include": [INCLUDE]},
         "GET", "/threads/thread_1/runs/run_1/steps/step_1", "RunStep",
         query=[("include[]", INCLUDE)], path_params=("step_id", "thread_id", "run_id")),
    Call("steps.list-min", "threads.runs.steps.list", ("run_1",), {"thread_id": "thread_1"},
         "GET", "/threads/thread_1/runs/run_1/steps", "page:RunStep",
         path_params=("run_id", "thread_id")),
    Call("steps.list-full", "threads.runs.steps.list", ("run_1",),
         {"thread_id": "thread_1", "include": [INCLUDE], **LIST_ARGS},
         "GET", "/threads/thread_1/runs/run_1/steps", "page:RunStep",
         query=[*LIST_QUERY, ("include[]", INCLUDE)], path_params=("run_id", "thread_id")),
    # beta.threads.messages
    Call("messages.create-min", "threads.messages.create", ("thread_1",),
         {"role": "user", "content": "hi"},
         "POST", "/threads/thread_1/messages", "Message", body={"role": "user", "content": "hi"},
         path_params=("thread_id",)),
    Call("messages.create-full", "threads.messages.create", ("thread_1",),
         {"role": "assistant", "content": [{"type": "text", "text": "hi"}],
          "attachments": None, "metadata": {"k": "v"}},
         "POST", "/threads/thread_1/messages", "Message",
         body={"role": "assistant", "content": [{"type": "text", "text": "hi"}],
               "attachments": None, "metadata": {"k": "v"}},
         path_params=("thread_id",)),
    Call("messages.retrieve", "threads.messages.retrieve", ("msg_1",), {"thread_id": "thread_1"},
         "GET", "/threads/thread_1/messages/msg_1", "Message",
         path_params=("message_id", "thread_id")),
    Call("messages.update-min", "threads.messages.update", ("msg_1",), {"thread_id": "thread_1"},
         "POST", "/threads/thread_1/messages/msg_1", "Message", body={},
         path_params=("message_id", "thread_id")),
    Call("messages.update-full", "threads.messages.update", ("msg_1",),
         {"thread_id": "thread_1", "metadata": {"k": "v"}},
         "POST", "/threads/thread_1/messages/msg_1", "Message", body={"metadata": {"k": "v"}},
         path_params=("message_id", "thread_id")),
    Call("messages.list-min", "threads.messages.list", ("thread_1",), {},
         "GET", "/threads/thread_1/messages", "page:Message", path_params=("thread_id",)),
    Call("messages.list-full", "threads.messages.list", ("thread_1",),
         {"run_id": "run_1", **LIST_ARGS},
         "GET", "/threads/thread_1/messages", "page:Message",
         query=[*LIST_QUERY, ("run_id", "run_1")], path_params=("thread_id",)),
    Call("messages.delete", "threads.messages.delete", ("msg_1",), {"thread_id": "thread_1"},
         "DELETE", "/threads/thread_1/messages/msg_1", "MessageDeleted",
         path_params=("message_id", "thread_id")),
]
# fmt: on

METHODS = sorted({call.method for call in CALLS})
# The first call listed for each method has only the required arguments.
MINIMAL = {call.method: call for call in reversed(CALLS)}


def test_the_table_covers_the_23_methods_of_the_spec(sdk: Any) -> None:
    assert len(METHODS) == 23
    client = sdk.OpenAI(api_key=API_KEY)
    found = set()
    for resource in ("assistants", "threads", "threads.runs", "threads.runs.steps",
                     "threads.messages"):  # fmt: skip
        obj = resolve(client.beta, resource)
        for name in ("create", "retrieve", "update", "list", "delete", "cancel",
                     "create_and_run", "submit_tool_outputs"):  # fmt: skip
            if callable(getattr(obj, name, None)):
                found.add(f"{resource}.{name}")
    assert found == set(METHODS)


def check_result(sdk: Any, mode: str, call: Call, result: Any) -> None:
    if call.returns.startswith("page:"):
        item = call.returns.removeprefix("page:")
        page_type = sdk.SyncCursorPage if mode == "sync" else sdk.AsyncCursorPage
        assert isinstance(result, page_type)
        assert [type(x) for x in result.data] == [getattr(sdk.types, item)]
        assert result.has_more is False
    else:
        assert isinstance(result, getattr(sdk.types, call.returns))
        assert result.model_dump(exclude_unset=True) == PAYLOADS[call.returns]


@pytest.mark.parametrize("call", CALLS, ids=[c.id for c in CALLS])
def test_method_request_on_the_wire(sdk: Any, mode: str, call: Call) -> None:
    transport = Transport(ok(PAYLOADS[call.returns]))
    client = new_client(sdk, mode, transport, _strict_response_validation=True)
    result = invoke(mode, resolve(client.beta, call.method), *call.args, **call.kwargs)

    assert len(transport.requests) == 1
    request = transport.last
    assert request.method == call.http
    assert str(request.url.copy_with(query=None)) == BASE + call.path
    assert sorted(request.url.params.multi_items()) == sorted(call.query)
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.headers["OpenAI-Beta"] == "assistants=v2"
    assert request.headers["Accept"] == "application/json"
    if call.body is None:
        assert request.content == b""
    else:
        assert request.headers["Content-Type"] == "application/json"
        assert body_of(request) == call.body  # omitted arguments absent, None sent as null
    check_result(sdk, mode, call, result)


PATH_CALLS = [call for call in MINIMAL.values() if call.path_params]


@pytest.mark.parametrize("call", PATH_CALLS, ids=[c.method for c in PATH_CALLS])
@pytest.mark.parametrize("bad", ["", None], ids=["empty", "None"])
def test_empty_path_param_raises_before_any_request(
    sdk: Any, mode: str, call: Call, bad: str | None
) -> None:
    for name in call.path_params:
        transport = Transport(ok(PAYLOADS[call.returns]))
        client = new_client(sdk, mode, transport)
        args, kwargs = call.args, dict(call.kwargs)
        if name == call.path_params[0]:
            args = (bad,)
        else:
            kwargs[name] = bad
        with pytest.raises(ValueError, match=name):
            invoke(mode, resolve(client.beta, call.method), *args, **kwargs)
        assert transport.requests == [], name


@pytest.mark.parametrize("method", METHODS)
def test_only_the_last_path_param_is_positional(sdk: Any, mode: str, method: str) -> None:
    call = MINIMAL[method]
    transport = Transport(ok(PAYLOADS[call.returns]))
    client = new_client(sdk, mode, transport)
    fn = resolve(client.beta, method)

    params = list(inspect.signature(fn).parameters.values())
    positional = [p.name for p in params if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    assert positional == list(call.path_params[:1])

    # Any further positional argument is rejected before any request: the other path params
    # (runs.retrieve("run_1", "thread_1")), or a body or query argument.
    keywords = {k: v for k, v in call.kwargs.items() if k not in call.path_params}
    extra = [call.kwargs[name] for name in call.path_params[1:]] or ["x"]
    with pytest.raises(TypeError):
        invoke(mode, fn, *call.args, *extra, **keywords)
    if len(call.path_params) > 1:  # all of them, in URL order: runs.retrieve("t", "r")
        values = [call.args[0], *extra]
        in_url_order = sorted(values, key=lambda value: call.path.index(f"/{value}"))
        with pytest.raises(TypeError):
            invoke(mode, fn, *in_url_order, **keywords)
    assert transport.requests == []


def test_method_signatures_match_the_official_openai_package(sdk: Any) -> None:
    """Call-compatible with `openai`'s client.beta.*: same parameter names, same kinds."""
    openai = pytest.importorskip("openai")
    ours = sdk.OpenAI(api_key=API_KEY)
    theirs = openai.OpenAI(api_key=API_KEY)
    for method in METHODS:
        mine = inspect.signature(resolve(ours.beta, method)).parameters
        official = inspect.signature(resolve(theirs.beta, method)).parameters
        assert {(n, p.kind) for n, p in mine.items()} == {
            (n, p.kind) for n, p in official.items()
        }, method


def test_path_params_are_percent_encoded(sdk: Any, mode: str) -> None:
    """An ID is one path segment: `/`, `?` and `#` in it must not change the URL's shape
    (the official package percent-encodes them)."""
    transport = Transport(ok(RUN))
    client = new_client(sdk, mode, transport)
    invoke(mode, client.beta.threads.runs.retrieve, "run/1?x=1#f", thread_id="th/../1")
    url = transport.last.url
    assert url.path == "/v1/threads/th/../1/runs/run/1?x=1#f"
    assert url.query == b""
    assert url.fragment == ""


# ---------------------------------------------------------------------------------------------
# Streaming methods

SSE = (
    f"event: thread.run.created\ndata: {json.dumps(RUN)}\n\n"
    ": a comment\n\n"
    "event: thread.message.delta\n"
    'data: {"id": "msg_1", "object": "thread.message.delta",\n'
    'data: "delta": {"content": [{"index": 0, "type": "text", "text": {"value": "Hi"}}]}}\n\n'
    "event: done\ndata: [DONE]\n\n"
).encode()

STREAMING = {
    "threads.runs.create": (("thread_1",), {"assistant_id": "asst_1"}),
    "threads.create_and_run": ((), {"assistant_id": "asst_1"}),
    "threads.runs.submit_tool_outputs": (
        ("run_1",),
        {"thread_id": "thread_1", "tool_outputs": [{"tool_call_id": "c", "output": "o"}]},
    ),
}


def sse_answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=SSE, headers={"Content-Type": "text/event-stream"})


@pytest.mark.parametrize("method", list(STREAMING))
def test_stream_true_gives_typed_events(sdk: Any, mode: str, method: str) -> None:
    args, kwargs = STREAMING[method]
    transport = Transport(sse_answer)
    client = new_client(sdk, mode, transport, _strict_response_validation=True)
    fn = resolve(client.beta, method)

    if mode == "sync":
        stream = fn(*args, stream=True, **kwargs)
        assert isinstance(stream, sdk.Stream)
        events = list(stream)
    else:

        async def consume() -> list[Any]:
            stream = await fn(*args, stream=True, **kwargs)
            assert isinstance(stream, sdk.AsyncStream)
            return [event async for event in stream]

        events = run_async(consume())

    assert body_of(transport.last)["stream"] is True
    assert [type(e).__name__ for e in events] == ["ThreadRunCreated", "ThreadMessageDelta"]
    assert [e.event for e in events] == ["thread.run.created", "thread.message.delta"]
    assert isinstance(events[0].data, sdk.types.Run)
    assert events[1].data.delta.content[0].text.value == "Hi"


# ---------------------------------------------------------------------------------------------
# Per-call options


def test_extra_headers_query_body_and_timeout(sdk: Any, mode: str) -> None:
    transport = Transport(ok(RUN))
    client = new_client(sdk, mode, transport)
    invoke(
        mode,
        client.beta.threads.runs.create,
        "thread_1",
        assistant_id="asst_1",
        include=[INCLUDE],
        extra_headers={"X-Trace": "abc", "OpenAI-Beta": "assistants=v9"},
        extra_query={"debug": "1"},
        extra_body={"assistant_id": "asst_2", "experimental": {"x": [1, 2]}},
        timeout=12.5,
    )
    request = transport.last
    assert request.headers["X-Trace"] == "abc"
    assert request.headers["OpenAI-Beta"] == "assistants=v9"
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert sorted(request.url.params.multi_items()) == [("debug", "1"), ("include[]", INCLUDE)]
    assert body_of(request) == {"assistant_id": "asst_2", "experimental": {"x": [1, 2]}}
    assert request.extensions["timeout"] == dict.fromkeys(
        ("connect", "read", "write", "pool"), 12.5
    )


def test_extra_headers_not_given_removes_a_default_header(sdk: Any, mode: str) -> None:
    transport = Transport(ok(THREAD))
    client = new_client(sdk, mode, transport)
    invoke(
        mode, client.beta.threads.retrieve, "thread_1", extra_headers={"OpenAI-Beta": sdk.NOT_GIVEN}
    )
    assert "OpenAI-Beta" not in transport.last.headers


def test_extra_body_on_a_method_without_body(sdk: Any, mode: str) -> None:
    transport = Transport(ok(RUN))
    client = new_client(sdk, mode, transport)
    invoke(mode, client.beta.threads.runs.cancel, "run_1", thread_id="t", extra_body={"why": "x"})
    assert body_of(transport.last) == {"why": "x"}


def test_timeout_default_client_level_and_per_call(sdk: Any, mode: str) -> None:
    transport = Transport(ok(THREAD))
    client = new_client(sdk, mode, transport)
    invoke(mode, client.beta.threads.retrieve, "thread_1")
    assert transport.last.extensions["timeout"] == {
        "connect": 5.0, "read": 600.0, "write": 600.0, "pool": 600.0
    }  # fmt: skip
    invoke(mode, client.beta.threads.retrieve, "thread_1", timeout=httpx.Timeout(3.0, connect=1.0))
    assert transport.last.extensions["timeout"] == {
        "connect": 1.0, "read": 3.0, "write": 3.0, "pool": 3.0
    }  # fmt: skip
    invoke(mode, client.beta.threads.retrieve, "thread_1", timeout=None)
    assert transport.last.extensions["timeout"] == dict.fromkeys(
        ("connect", "read", "write", "pool"), None
    )

    transport = Transport(ok(THREAD))
    client = new_client(sdk, mode, transport, timeout=7.0)
    invoke(mode, client.beta.threads.retrieve, "thread_1")
    assert transport.last.extensions["timeout"] == dict.fromkeys(
        ("connect", "read", "write", "pool"), 7.0
    )


# ---------------------------------------------------------------------------------------------
# Client options


def client_class(sdk: Any, mode: str) -> Any:
    return sdk.OpenAI if mode == "sync" else sdk.AsyncOpenAI


def http_client(mode: str, transport: Transport) -> Any:
    handler = httpx.MockTransport(transport)
    if mode == "sync":
        return httpx.Client(transport=handler)
    return httpx.AsyncClient(transport=handler)


def test_options_from_the_environment(sdk: Any, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("OPENAI_ORG_ID", "org-env")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-env")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://localhost:8080/proxy/v1")
    transport = Transport(ok(THREAD))
    client = client_class(sdk, mode)(http_client=http_client(mode, transport))
    assert client.api_key == "sk-from-env"
    assert client.organization == "org-env"
    assert client.project == "proj-env"
    invoke(mode, client.beta.threads.retrieve, "thread_1")
    request = transport.last
    assert str(request.url) == "http://localhost:8080/proxy/v1/threads/thread_1"
    assert request.headers["Authorization"] == "Bearer sk-from-env"
    assert request.headers["OpenAI-Organization"] == "org-env"
    assert request.headers["OpenAI-Project"] == "proj-env"


def test_arguments_override_the_environment(
    sdk: Any, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("OPENAI_ORG_ID", "org-env")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://env.invalid/v1")
    transport = Transport(ok(THREAD))
    client = client_class(sdk, mode)(
        api_key="sk-arg",
        organization="org-arg",
        base_url="http://arg.invalid/v2/",
        http_client=http_client(mode, transport),
    )
    invoke(mode, client.beta.threads.retrieve, "thread_1")
    request = transport.last
    assert str(request.url) == "http://arg.invalid/v2/threads/thread_1"
    assert request.headers["Authorization"] == "Bearer sk-arg"
    assert request.headers["OpenAI-Organization"] == "org-arg"
    assert "OpenAI-Project" not in request.headers


def test_without_organization_or_project_no_such_headers(sdk: Any, mode: str) -> None:
    transport = Transport(ok(THREAD))
    invoke(mode, new_client(sdk, mode, transport).beta.threads.retrieve, "thread_1")
    assert "OpenAI-Organization" not in transport.last.headers
    assert "OpenAI-Project" not in transport.last.headers


def test_missing_api_key_is_a_clear_error(sdk: Any, mode: str) -> None:
    with pytest.raises(sdk.OpenAIError, match="OPENAI_API_KEY"):
        client_class(sdk, mode)()


def test_api_key_never_in_repr(sdk: Any, mode: str) -> None:
    client = new_client(sdk, mode)
    assert API_KEY not in repr(client)
    assert API_KEY not in str(client)
    assert "api.openai.com" in repr(client)


def test_default_headers_and_default_query(sdk: Any, mode: str) -> None:
    transport = Transport(ok(page_of([MESSAGE], has_more=False)))
    client = new_client(
        sdk,
        mode,
        transport,
        default_headers={"X-Team": "search", "OpenAI-Beta": "assistants=v3"},
        default_query={"tenant": "t1"},
    )
    invoke(mode, client.beta.threads.messages.list, "thread_1", limit=5)
    request = transport.last
    assert request.headers["X-Team"] == "search"
    assert request.headers["OpenAI-Beta"] == "assistants=v3"
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert sorted(request.url.params.multi_items()) == [("limit", "5"), ("tenant", "t1")]
    # a per-call header wins over a default one
    invoke(mode, client.beta.threads.messages.list, "thread_1", extra_headers={"X-Team": "b"})
    assert transport.last.headers["X-Team"] == "b"


def test_context_manager_and_close_close_an_owned_client(sdk: Any, mode: str) -> None:
    if mode == "sync":
        with sdk.OpenAI(api_key=API_KEY) as client:
            inner = client._client
            assert not inner.is_closed
        assert inner.is_closed

        client = sdk.OpenAI(api_key=API_KEY)
        client.close()
        assert client._client.is_closed

        mine = httpx.Client()
        with sdk.OpenAI(api_key=API_KEY, http_client=mine):
            pass
        assert not mine.is_closed  # the caller's client is the caller's to close
        mine.close()
    else:

        async def go() -> None:
            async with sdk.AsyncOpenAI(api_key=API_KEY) as client:
                inner = client._client
                assert not inner.is_closed
            assert inner.is_closed

            client = sdk.AsyncOpenAI(api_key=API_KEY)
            await client.close()
            assert client._client.is_closed

            mine = httpx.AsyncClient()
            async with sdk.AsyncOpenAI(api_key=API_KEY, http_client=mine):
                pass
            assert not mine.is_closed
            await mine.aclose()

        run_async(go())


# ---------------------------------------------------------------------------------------------
# with_raw_response


def test_with_raw_response(sdk: Any, mode: str) -> None:
    headers = {"x-request-id": "req_123", "openai-processing-ms": "42"}
    transport = Transport(ok(THREAD, headers=headers), ok(RUN))
    client = new_client(sdk, mode, transport, _strict_response_validation=True)
    raw = invoke(mode, client.beta.threads.with_raw_response.retrieve, "thread_1")
    assert isinstance(raw, sdk.APIResponse)
    assert raw.status_code == 200
    assert raw.headers["openai-processing-ms"] == "42"
    assert raw.request_id == "req_123"
    thread = raw.parse()
    assert isinstance(thread, sdk.types.Thread)
    assert thread.id == "thread_1"
    # the marker header that asks for the raw response never reaches the server
    assert not any(k.lower().startswith("x-sdkgen") for k in transport.last.headers)

    raw = invoke(
        mode, client.beta.with_raw_response.threads.runs.retrieve, "run_1", thread_id="thread_1"
    )
    assert isinstance(raw.parse(), sdk.types.Run)
    assert str(transport.last.url) == f"{BASE}/threads/thread_1/runs/run_1"


def test_with_raw_response_for_a_list_method(sdk: Any, mode: str) -> None:
    transport = Transport(ok(page_of([MESSAGE], has_more=False), headers={"x-request-id": "r"}))
    client = new_client(sdk, mode, transport)
    raw = invoke(mode, client.beta.threads.messages.with_raw_response.list, "thread_1", limit=1)
    assert raw.status_code == 200
    assert raw.headers["x-request-id"] == "r"
    page = raw.parse()
    assert isinstance(page, sdk.SyncCursorPage if mode == "sync" else sdk.AsyncCursorPage)
    assert [m.id for m in page.data] == ["msg_1"]
    assert page.has_more is False
    assert transport.last.url.params["limit"] == "1"


# ---------------------------------------------------------------------------------------------
# Pagination


def assistant(n: int) -> dict[str, Any]:
    return {**ASSISTANT, "id": f"asst_{n}"}


PAGES = {
    None: page_of([assistant(1), assistant(2)], has_more=True),
    "asst_2": page_of([assistant(3), assistant(4)], has_more=True),
    "asst_4": page_of([assistant(5)], has_more=False),
}


def paged(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=PAGES[request.url.params.get("after")])


def test_iterating_a_list_goes_through_every_page(sdk: Any, mode: str) -> None:
    transport = Transport(paged)
    client = new_client(sdk, mode, transport, _strict_response_validation=True)
    if mode == "sync":
        ids = [a.id for a in client.beta.assistants.list(limit=2, order="asc")]
    else:

        async def collect() -> list[str]:
            return [a.id async for a in client.beta.assistants.list(limit=2, order="asc")]

        ids = run_async(collect())
    assert ids == [f"asst_{n}" for n in range(1, 6)]
    assert [r.url.params.get("after") for r in transport.requests] == [None, "asst_2", "asst_4"]
    # the other parameters stay on every page's request
    assert {r.url.params["limit"] for r in transport.requests} == {"2"}
    assert {r.url.params["order"] for r in transport.requests} == {"asc"}
    assert all(r.url.path == "/v1/assistants" for r in transport.requests)


def test_pages_one_at_a_time(sdk: Any, mode: str) -> None:
    transport = Transport(paged)
    client = new_client(sdk, mode, transport)

    def check_pages(first: Any, second: Any, third: Any) -> None:
        assert [a.id for a in first.data] == ["asst_1", "asst_2"]
        assert first.has_more is True
        assert first.has_next_page()
        assert [a.id for a in second.data] == ["asst_3", "asst_4"]
        assert [a.id for a in third.data] == ["asst_5"]
        assert third.has_more is False
        assert not third.has_next_page()
        assert [r.url.params.get("after") for r in transport.requests] == [
            None,
            "asst_2",
            "asst_4",
        ]

    if mode == "sync":
        first = client.beta.assistants.list(limit=2)
        assert isinstance(first, sdk.SyncCursorPage)
        second = first.get_next_page()
        third = second.get_next_page()
        check_pages(first, second, third)
        with pytest.raises(RuntimeError):
            third.get_next_page()
        assert first.last_id == "asst_2"  # the list response's other fields stay reachable
    else:

        async def go() -> None:
            first = await client.beta.assistants.list(limit=2)
            assert isinstance(first, sdk.AsyncCursorPage)
            second = await first.get_next_page()
            third = await second.get_next_page()
            check_pages(first, second, third)
            with pytest.raises(RuntimeError):
                await third.get_next_page()
            # `async for` over a page starts from that page
            assert [a.id async for a in second] == ["asst_3", "asst_4", "asst_5"]

        run_async(go())


def test_an_empty_last_page(sdk: Any, mode: str) -> None:
    transport = Transport(ok(page_of([], has_more=True)))
    client = new_client(sdk, mode, transport)
    page = invoke(mode, client.beta.threads.runs.list, "thread_1")
    assert page.data == []
    assert not page.has_next_page()  # has_more with no item to continue from


# ---------------------------------------------------------------------------------------------
# Retries, on a fake clock

RETRYABLE = [
    (429, "RateLimitError"),
    (500, "InternalServerError"),
    (503, "InternalServerError"),
    (408, "APIStatusError"),
    (409, "ConflictError"),
]


def error_payload(message: str = "nope", code: str | None = "some_code") -> dict[str, Any]:
    return {
        "error": {"message": message, "type": "invalid_request_error", "param": "x", "code": code}
    }


@pytest.mark.parametrize(("code", "error"), RETRYABLE, ids=[str(c) for c, _ in RETRYABLE])
def test_retryable_statuses_are_retried_then_raise(
    sdk: Any, mode: str, code: int, error: str
) -> None:
    transport = Transport(status(code, error_payload()))
    client = new_client(sdk, mode, transport)
    sleeps = fake_clock(client, mode)
    started = time.monotonic()
    with pytest.raises(getattr(sdk, error)) as raised:
        invoke(mode, client.beta.threads.retrieve, "thread_1")
    assert time.monotonic() - started < 2  # nothing really slept
    assert type(raised.value).__name__ == error
    assert raised.value.status_code == code
    assert len(transport.requests) == 3  # max_retries defaults to 2
    assert len(sleeps) == 2
    for attempt, slept in enumerate(sleeps):
        low, high = backoff_bounds(attempt)
        assert low <= slept <= high


def test_a_retry_that_succeeds(sdk: Any, mode: str) -> None:
    transport = Transport(status(503), status(429), ok(THREAD))
    client = new_client(sdk, mode, transport)
    sleeps = fake_clock(client, mode)
    thread = invoke(mode, client.beta.threads.retrieve, "thread_1")
    assert thread.id == "thread_1"
    assert len(transport.requests) == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize("max_retries", [0, 1, 5])
def test_max_retries(sdk: Any, mode: str, max_retries: int) -> None:
    transport = Transport(status(500))
    client = new_client(sdk, mode, transport, max_retries=max_retries)
    sleeps = fake_clock(client, mode)
    with pytest.raises(sdk.InternalServerError):
        invoke(mode, client.beta.threads.retrieve, "thread_1")
    assert len(transport.requests) == max_retries + 1
    assert len(sleeps) == max_retries


def test_backoff_grows_and_is_capped_at_8_seconds(sdk: Any, mode: str) -> None:
    transport = Transport(status(500))
    client = new_client(sdk, mode, transport, max_retries=7)
    sleeps = fake_clock(client, mode)
    with pytest.raises(sdk.InternalServerError):
        invoke(mode, client.beta.threads.retrieve, "thread_1")
    assert len(sleeps) == 7
    for attempt, slept in enumerate(sleeps):
        low, high = backoff_bounds(attempt)
        assert low <= slept <= high, (attempt, slept)
    assert max(sleeps) <= 8.0


@pytest.mark.parametrize("code", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retried(sdk: Any, mode: str, code: int) -> None:
    transport = Transport(status(code, error_payload()))
    client = new_client(sdk, mode, transport)
    sleeps = fake_clock(client, mode)
    with pytest.raises(sdk.APIStatusError):
        invoke(mode, client.beta.threads.retrieve, "thread_1")
    assert len(transport.requests) == 1
    assert sleeps == []


def http_date(seconds_from_now: float) -> str:
    return email.utils.formatdate(time.time() + seconds_from_now, usegmt=True)


@pytest.mark.parametrize(
    ("headers", "low", "high"),
    [
        ({"retry-after": "2"}, 2.0, 2.0),
        ({"retry-after": "1.5"}, 1.5, 1.5),
        ({"retry-after-ms": "250"}, 0.25, 0.25),
        ({"retry-after-ms": "1500", "retry-after": "30"}, 1.5, 1.5),  # ms wins
        ({"retry-after": "60"}, 60.0, 60.0),
    ],
    ids=["seconds", "fractional", "ms", "ms-first", "sixty"],
)
def test_retry_after_is_honored(
    sdk: Any, mode: str, headers: dict[str, str], low: float, high: float
) -> None:
    transport = Transport(status(429, error_payload(), headers=headers))
    client = new_client(sdk, mode, transport)
    sleeps = fake_clock(client, mode)
    with pytest.raises(sdk.RateLimitError):
        invoke(mode, client.beta.threads.retrieve, "thread_1")
    assert len(sleeps) == 2
    assert all(low <= s <= high for s in sleeps), sleeps


def test_retry_after_http_date_is_honored(sdk: Any, mode: str) -> None:
    transport = Transport(lambda r: httpx.Response(503, headers={"Retry-After": http_date(30)}))
    client = new_client(sdk, mode, transport, max_retries=1)
    sleeps = fake_clock(client, mode)
    with pytest.raises(sdk.InternalServerError):
        invoke(mode, client.beta.threads.retrieve, "thread_1")
    assert len(sleeps) == 1
    assert 28.0 <= sleeps[0] <= 30.0


def test_retry_after_seconds_function(sdk: Any) -> None:
    retry_after_seconds = sdk._base_client.retry_after_seconds
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 20, usegmt=True)
    assert retry_after_seconds(httpx.Headers({"retry-after": date}), now=now) == 20.0
    assert retry_after_seconds(httpx.Headers({"retry-after": "3"})) == 3.0
    assert retry_after_seconds(httpx.Headers({"retry-after-ms": "10"})) == 0.01
    for absurd in ("3600", "0", "-5", "soon", email.utils.formatdate(now - 20, usegmt=True)):
        assert retry_after_seconds(httpx.Headers({"retry-after": absurd}), now=now) is None


@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "3600"},
        {"retry-after": http_date(3600)},
        {"retry-after-ms": "600000"},
        {"retry-after": "0"},
        {"retry-after": "-1"},
        {"retry-after": "garbage"},
    ],
    ids=["3600s", "date-in-an-hour", "600000ms", "zero", "negative", "garbage"],
)
def test_absurd_retry_after_falls_back_to_backoff(
    sdk: Any, mode: str, headers: dict[str, str]
) -> None:
    transport = Transport(status(429, error_payload(), headers=headers))
    client = new_client(sdk, mode, transport)
    sleeps = fake_clock(client, mode)
    with pytest.raises(sdk.RateLimitError):
        invoke(mode, client.beta.threads.retrieve, "thread_1")
    assert len(sleeps) == 2
    for attempt, slept in enumerate(sleeps):
        low, high = backoff_bounds(attempt)
        assert low <= slept <= high <= 8.0


@pytest.mark.parametrize(
    ("code", "verdict", "attempts"),
    [(400, "true", 3), (404, "True", 3), (429, "false", 1), (503, "false", 1), (500, "maybe", 3)],
)
def test_x_should_retry_overrides_the_status(
    sdk: Any, mode: str, code: int, verdict: str, attempts: int
) -> None:
    transport = Transport(status(code, error_payload(), headers={"x-should-retry": verdict}))
    client = new_client(sdk, mode, transport)
    sleeps = fake_clock(client, mode)
    with pytest.raises(sdk.APIStatusError) as raised:
        invoke(mode, client.beta.threads.retrieve, "thread_1")
    assert raised.value.status_code == code
    assert len(transport.requests) == attempts
    assert len(sleeps) == attempts - 1


def test_connection_errors_are_retried_then_raise(sdk: Any, mode: str) -> None:
    transport = Transport(raises(httpx.ConnectError, "connection refused"))
    client = new_client(sdk, mode, transport)
    sleeps = fake_clock(client, mode)
    with pytest.raises(sdk.APIConnectionError) as raised:
        invoke(mode, client.beta.threads.retrieve, "thread_1")
    assert not isinstance(raised.value, sdk.APITimeoutError)
    assert isinstance(raised.value.__cause__, httpx.ConnectError)
    assert len(transport.requests) == 3
    assert len(sleeps) == 2
    for attempt, slept in enumerate(sleeps):
        low, high = backoff_bounds(attempt)
        assert low <= slept <= high


def test_a_connection_error_then_success(sdk: Any, mode: str) -> None:
    transport = Transport(raises(httpx.ConnectError), raises(httpx.ReadError), ok(THREAD))
    client = new_client(sdk, mode, transport)
    fake_clock(client, mode)
    assert invoke(mode, client.beta.threads.retrieve, "thread_1").id == "thread_1"
    assert len(transport.requests) == 3


def test_timeouts_are_retried_then_raise_api_timeout_error(sdk: Any, mode: str) -> None:
    transport = Transport(raises(httpx.ReadTimeout, "timed out"))
    client = new_client(sdk, mode, transport)
    sleeps = fake_clock(client, mode)
    with pytest.raises(sdk.APITimeoutError) as raised:
        invoke(mode, client.beta.threads.retrieve, "thread_1")
    assert isinstance(raised.value, sdk.APIConnectionError)
    assert isinstance(raised.value.__cause__, httpx.ReadTimeout)
    assert len(transport.requests) == 3
    assert len(sleeps) == 2


def test_the_same_body_is_sent_on_every_attempt(sdk: Any, mode: str) -> None:
    transport = Transport(status(500), status(500), ok(RUN))
    client = new_client(sdk, mode, transport)
    fake_clock(client, mode)
    invoke(
        mode,
        client.beta.threads.runs.create,
        "thread_1",
        assistant_id="asst_1",
        additional_messages=MESSAGES,
        tools=TOOLS,
        metadata={"k": "v"},
        include=[INCLUDE],
    )
    assert len(transport.requests) == 3
    assert len({r.content for r in transport.requests}) == 1
    assert len({str(r.url) for r in transport.requests}) == 1
    assert body_of(transport.requests[0])["tools"] == TOOLS


def test_an_iterable_argument_is_sent_whole_on_every_attempt(sdk: Any, mode: str) -> None:
    """`tool_outputs` is typed Iterable: a generator must not be used up by the first attempt."""
    outputs = [{"tool_call_id": "call_1", "output": "3"}, {"tool_call_id": "call_2", "output": "4"}]
    transport = Transport(status(503), ok(RUN))
    client = new_client(sdk, mode, transport)
    fake_clock(client, mode)
    invoke(
        mode,
        client.beta.threads.runs.submit_tool_outputs,
        "run_1",
        thread_id="thread_1",
        tool_outputs=(o for o in outputs),
    )
    assert [body_of(r)["tool_outputs"] for r in transport.requests] == [outputs, outputs]


# ---------------------------------------------------------------------------------------------
# Errors

ERRORS = [
    (400, "BadRequestError"),
    (401, "AuthenticationError"),
    (403, "PermissionDeniedError"),
    (404, "NotFoundError"),
    (409, "ConflictError"),
    (422, "UnprocessableEntityError"),
    (429, "RateLimitError"),
    (500, "InternalServerError"),
    (503, "InternalServerError"),
]


@pytest.mark.parametrize(("code", "error"), ERRORS, ids=[str(c) for c, _ in ERRORS])
def test_error_class_per_status(sdk: Any, mode: str, code: int, error: str) -> None:
    payload = error_payload(f"status {code} happened", code="the_code")
    transport = Transport(status(code, payload, headers={"x-request-id": f"req_{code}"}))
    client = new_client(sdk, mode, transport, max_retries=0)
    with pytest.raises(sdk.APIStatusError) as raised:
        invoke(mode, client.beta.threads.messages.retrieve, "msg_1", thread_id="thread_1")
    err = raised.value
    assert type(err) is getattr(sdk, error)
    assert isinstance(err, sdk.APIError) and isinstance(err, sdk.OpenAIError)
    assert err.status_code == code
    assert err.response.status_code == code
    assert err.response.headers["x-request-id"] == f"req_{code}"
    assert err.request_id == f"req_{code}"
    assert err.body == payload["error"]
    assert err.code == "the_code"
    assert err.param == "x"
    assert err.type == "invalid_request_error"
    assert f"status {code} happened" in err.message
    assert str(code) in err.message
    assert str(err) == err.message
    assert err.request.url.path == "/v1/threads/thread_1/messages/msg_1"


def test_a_non_json_error_body_keeps_the_text(sdk: Any, mode: str) -> None:
    html = "<html><body>502 Bad Gateway</body></html>"
    transport = Transport(status(502, text=html, headers={"Content-Type": "text/html"}))
    client = new_client(sdk, mode, transport, max_retries=0)
    with pytest.raises(sdk.APIStatusError) as raised:
        invoke(mode, client.beta.threads.retrieve, "thread_1")
    assert isinstance(raised.value, sdk.InternalServerError)
    assert raised.value.body == html
    assert not isinstance(raised.value, json.JSONDecodeError)
    assert raised.value.code is None


def test_an_unknown_status_with_invalid_json_is_an_api_status_error(sdk: Any, mode: str) -> None:
    transport = Transport(
        status(418, text='{"error": tea', headers={"Content-Type": "application/json"})
    )
    client = new_client(sdk, mode, transport, max_retries=0)
    with pytest.raises(sdk.APIStatusError) as raised:
        invoke(mode, client.beta.threads.retrieve, "thread_1")
    assert type(raised.value) is sdk.APIStatusError
    assert raised.value.body == '{"error": tea'
    assert raised.value.status_code == 418


def test_an_error_payload_without_an_error_object(sdk: Any, mode: str) -> None:
    transport = Transport(status(400, {"detail": "bad"}))
    client = new_client(sdk, mode, transport, max_retries=0)
    with pytest.raises(sdk.BadRequestError) as raised:
        invoke(mode, client.beta.threads.retrieve, "thread_1")
    assert raised.value.body == {"detail": "bad"}
    assert raised.value.code is None


def test_a_2xx_with_a_non_json_body_is_a_validation_error(sdk: Any, mode: str) -> None:
    transport = Transport(lambda r: httpx.Response(200, text="<html>hello</html>"))
    client = new_client(sdk, mode, transport)
    with pytest.raises(sdk.APIResponseValidationError) as raised:
        invoke(mode, client.beta.threads.retrieve, "thread_1")
    assert raised.value.status_code == 200
    assert raised.value.body == "<html>hello</html>"
    assert isinstance(raised.value, sdk.APIError)
    assert len(transport.requests) == 1


def test_the_api_key_is_never_in_errors(sdk: Any, mode: str) -> None:
    answers = [
        status(401, error_payload("Incorrect API key provided")),
        status(500, text="oops"),
        raises(httpx.ConnectError),
        raises(httpx.ReadTimeout),
        lambda r: httpx.Response(200, text="not json"),
    ]
    for answer in answers:
        client = new_client(sdk, mode, Transport(answer), max_retries=0)
        with pytest.raises(sdk.APIError) as raised:
            invoke(mode, client.beta.threads.retrieve, "thread_1")
        err = raised.value
        for text in (str(err), repr(err), err.message, str(err.args)):
            assert API_KEY not in text, (type(err).__name__, text)


# ---------------------------------------------------------------------------------------------
# Deprecation: the spec marks the Assistants operations deprecated

ASSISTANT_METHODS = [m for m in METHODS if m.startswith("assistants.")]


@pytest.mark.parametrize("method", ASSISTANT_METHODS)
def test_assistants_methods_warn_deprecation(sdk: Any, mode: str, method: str) -> None:
    call = MINIMAL[method]
    client = new_client(sdk, mode, Transport(ok(PAYLOADS[call.returns])))
    with pytest.warns(DeprecationWarning, match="deprecated"):
        invoke(mode, resolve(client.beta, method), *call.args, **call.kwargs)
    raw = resolve(client.beta.with_raw_response, method)
    with pytest.warns(DeprecationWarning, match="deprecated"):
        invoke(mode, raw, *call.args, **call.kwargs)


@pytest.mark.parametrize("method", [m for m in METHODS if not m.startswith("assistants.")])
def test_other_methods_do_not_warn(sdk: Any, mode: str, method: str) -> None:
    call = MINIMAL[method]
    client = new_client(sdk, mode, Transport(ok(PAYLOADS[call.returns])))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        invoke(mode, resolve(client.beta, method), *call.args, **call.kwargs)
    assert [w for w in caught if issubclass(w.category, DeprecationWarning)] == []


def test_calls_table_is_consistent() -> None:
    """The table's own sanity: every path param's value appears in the expected path."""
    for call in CALLS:
        for name in call.path_params:
            value = call.args[0] if name == call.path_params[0] else call.kwargs[name]
            assert f"/{value}" in call.path, call.id
