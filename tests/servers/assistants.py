"""A small stateful Assistants API (v2) that streams runs as real server-sent events and
injects transport faults on demand: for what a Prism mock cannot do.

It keeps assistants, threads, messages, runs and run steps in memory, shaped like the real
objects, under `/v1`. A run makes up its answer: when its assistant (or the run) has a
`function` tool and no outputs were submitted yet, it stops at `requires_action`, asking
for a call of the first function with `{"query": <last user message>}`; otherwise the
assistant replies "You said: <last user message>", or "Tool said: <outputs>" after
`submit_tool_outputs`.

- `POST /threads/{id}/runs` (and `POST /threads/runs`, `submit_tool_outputs`) with
  `"stream": true` answer `text/event-stream`: `thread.run.created`, `thread.run.queued`,
  `thread.run.in_progress`, `thread.run.step.*`, `thread.message.created`,
  `thread.message.delta` (one a word), ..., then `thread.run.requires_action` or
  `thread.run.completed`, then `event: done` / `data: [DONE]`; one event a body chunk.
- Without `stream`, a run moves on one state each `GET .../runs/{id}`: queued ->
  in_progress -> requires_action or completed. Every run response carries
  `openai-poll-after-ms` (`State.poll_after_ms`).
- Every response carries `x-request-id: req_<n>`. Requests without `OpenAI-Beta:
  assistants=v2` get 400, without a bearer token 401, unknown ids 404, all with the API's
  error body.

Faults, by request header (the SDK sends them with `extra_headers=` or `default_headers=`):

- `x-fault: <name>`, applied to the first `x-fault-times` requests carrying it (default:
  all), so `x-fault-times: 1` lets the client's first retry through;
- `x-fault-after: <n>`: for the faults that cut a body, the body chunks sent first
  (default 1; a body in one chunk is cut at half its bytes);
- `x-fault-retry-after: <seconds>` for `429`/`429-date`/`503` (default 1);
- `x-fault-stall: <seconds>` for the stalls (default 10, or until the client hangs up).

| name | what the client gets |
|---|---|
| `429` | 429 with `Retry-After: <seconds>` |
| `429-date` | 429 with `Retry-After` as an HTTP date that many seconds ahead |
| `500`, `503` | that status (503 with `Retry-After`) |
| `reset` | the connection reset (RST) before any response |
| `reset-mid-body`, `reset-mid-stream` | headers and part of the body, then RST |
| `cut-chunked` | a chunked body, cut (clean FIN) before its last chunk |
| `stall` | nothing, for `x-fault-stall` seconds, then the normal response |
| `stall-mid-stream` | part of the body, then nothing |
| `error-event` | part of an event stream, then `event: error` and its end |

The fault happens after the API did its work (a run cut mid-stream exists), except for
the statuses, `reset` and `stall`, which answer before it. `State.requests` counts every
request by fault name (`""` without one), `State.injected` the faults applied.
"""

from __future__ import annotations

import asyncio
import email.utils
import itertools
import json
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from . import Connections

__all__ = ["State", "create_app"]

Json = dict[str, Any]
Scope = dict[str, Any]
Message = dict[str, Any]
Send = Callable[[Message], Any]
Receive = Callable[[], Any]

BODY_CUTS = {"reset-mid-body", "reset-mid-stream", "cut-chunked", "stall-mid-stream", "error-event"}
BEFORE = {"429", "429-date", "500", "503", "reset", "stall"}
FAULTS = BODY_CUTS | BEFORE


class ApiError(Exception):
    def __init__(self, status: int, message: str, type_: str = "invalid_request_error") -> None:
        super().__init__(message)
        self.status = status
        self.body = {"error": {"message": message, "type": type_, "param": None, "code": None}}


@dataclass
class State:
    """Everything the server holds; tests read the counters and call `clear()` between."""

    poll_after_ms: int = 5
    assistants: dict[str, Json] = field(default_factory=dict)
    threads: dict[str, Json] = field(default_factory=dict)
    messages: dict[str, list[Json]] = field(default_factory=dict)  # by thread
    runs: dict[str, list[Json]] = field(default_factory=dict)  # by thread
    steps: dict[str, list[Json]] = field(default_factory=dict)  # by run
    requests: Counter[str] = field(default_factory=Counter)
    injected: Counter[str] = field(default_factory=Counter)
    log: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, fault
    request_ids: list[str] = field(default_factory=list)  # x-request-id of each response
    _ids: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def clear(self) -> None:
        with self._lock:
            for store in (self.assistants, self.threads, self.messages, self.runs, self.steps):
                store.clear()
            for counter in (self.requests, self.injected, self._ids):
                counter.clear()
            self.log.clear()
            self.request_ids.clear()

    def new_id(self, prefix: str) -> str:
        with self._lock:
            self._ids[prefix] += 1
            return f"{prefix}_{self._ids[prefix]:04d}"

    def take_fault(self, name: str, times: int | None) -> bool:
        """Count a request carrying fault `name`; whether the fault applies to it."""
        with self._lock:
            self.requests[name] += 1
            if times is not None and self.requests[name] > times:
                return False
            self.injected[name] += 1
            return True


def _now() -> int:
    return int(time.time())


# ---------------------------------------------------------------------------------------------
# The objects, shaped like the API's


def _text_content(text: str) -> list[Json]:
    return [{"type": "text", "text": {"value": text, "annotations": []}}]


def _text_of(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            p["text"] for p in content if isinstance(p, dict) and p.get("type") == "text"
        )
    return ""


def _assistant(state: State, body: Json) -> Json:
    if not body.get("model"):
        raise ApiError(400, "Missing required parameter: 'model'.")
    return {
        "id": state.new_id("asst"),
        "object": "assistant",
        "created_at": _now(),
        "name": body.get("name"),
        "description": body.get("description"),
        "model": body["model"],
        "instructions": body.get("instructions"),
        "tools": body.get("tools", []),
        "tool_resources": body.get("tool_resources") or {},
        "metadata": body.get("metadata") or {},
        "temperature": body.get("temperature", 1.0),
        "top_p": body.get("top_p", 1.0),
        "response_format": body.get("response_format", "auto"),
    }


def _thread(state: State, body: Json) -> Json:
    thread = {
        "id": state.new_id("thread"),
        "object": "thread",
        "created_at": _now(),
        "metadata": body.get("metadata") or {},
        "tool_resources": body.get("tool_resources") or {},
    }
    state.threads[thread["id"]] = thread
    state.messages[thread["id"]] = []
    state.runs[thread["id"]] = []
    for message in body.get("messages") or []:
        _add_message(state, thread["id"], message)
    return thread


def _message(state: State, thread_id: str, role: str, text: str, **extra: Any) -> Json:
    return {
        "id": state.new_id("msg"),
        "object": "thread.message",
        "created_at": _now(),
        "thread_id": thread_id,
        "status": "completed",
        "incomplete_details": None,
        "completed_at": _now(),
        "incomplete_at": None,
        "role": role,
        "content": _text_content(text),
        "assistant_id": None,
        "run_id": None,
        "attachments": [],
        "metadata": {},
        **extra,
    }


def _add_message(state: State, thread_id: str, body: Json) -> Json:
    if body.get("role") not in ("user", "assistant"):
        raise ApiError(400, "Invalid value for 'role': expected 'user' or 'assistant'.")
    message = _message(state, thread_id, body["role"], _text_of(body.get("content")))
    message["attachments"] = body.get("attachments") or []
    message["metadata"] = body.get("metadata") or {}
    state.messages[thread_id].append(message)
    return message


def _run(state: State, thread_id: str, body: Json) -> Json:
    assistant = _get(state.assistants, body.get("assistant_id"), "assistant")
    tools = body.get("tools") if body.get("tools") is not None else assistant["tools"]
    run = {
        "id": state.new_id("run"),
        "object": "thread.run",
        "created_at": _now(),
        "thread_id": thread_id,
        "assistant_id": assistant["id"],
        "status": "queued",
        "required_action": None,
        "last_error": None,
        "expires_at": _now() + 600,
        "started_at": None,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "incomplete_details": None,
        "model": body.get("model") or assistant["model"],
        "instructions": body.get("instructions") or assistant["instructions"] or "",
        "tools": tools,
        "metadata": body.get("metadata") or {},
        "usage": None,
        "temperature": body.get("temperature", assistant["temperature"]),
        "top_p": body.get("top_p", assistant["top_p"]),
        "max_prompt_tokens": body.get("max_prompt_tokens"),
        "max_completion_tokens": body.get("max_completion_tokens"),
        "truncation_strategy": body.get("truncation_strategy")
        or {"type": "auto", "last_messages": None},
        "tool_choice": body.get("tool_choice", "auto"),
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "response_format": body.get("response_format", "auto"),
    }
    for message in body.get("additional_messages") or []:
        _add_message(state, thread_id, message)
    state.runs[thread_id].append(run)
    state.steps[run["id"]] = []
    return run


def _step(state: State, run: Json, details: Json) -> Json:
    step = {
        "id": state.new_id("step"),
        "object": "thread.run.step",
        "created_at": _now(),
        "run_id": run["id"],
        "assistant_id": run["assistant_id"],
        "thread_id": run["thread_id"],
        "type": details["type"],
        "status": "in_progress",
        "cancelled_at": None,
        "completed_at": None,
        "expired_at": None,
        "failed_at": None,
        "last_error": None,
        "step_details": details,
        "usage": None,
        "metadata": {},
    }
    state.steps[run["id"]].append(step)
    return step


def _usage() -> Json:
    return {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}


# ---------------------------------------------------------------------------------------------
# A run's progress, as a list of (event name, object snapshot): streamed as it is, or applied
# one state a poll


def _snapshot(obj: Json) -> Json:
    return json.loads(json.dumps(obj))


def _function_tool(run: Json) -> Json | None:
    for tool in run["tools"]:
        if tool.get("type") == "function":
            function: Json = tool["function"]
            return function
    return None


def _start(run: Json) -> list[tuple[str, Json]]:
    events = [("thread.run.created", _snapshot(run)), ("thread.run.queued", _snapshot(run))]
    run.update(status="in_progress", started_at=_now())
    events.append(("thread.run.in_progress", _snapshot(run)))
    return events


def _work(state: State, run: Json) -> list[tuple[str, Json]]:
    """From in_progress: call a tool (requires_action), or answer and complete."""
    events: list[tuple[str, Json]] = []
    steps = state.steps[run["id"]]
    pending = [s for s in steps if s["type"] == "tool_calls" and s["status"] == "in_progress"]
    function = _function_tool(run)
    if function is not None and not pending and not any(s["type"] == "tool_calls" for s in steps):
        question = next(
            (
                _text_of_message(m)
                for m in reversed(state.messages[run["thread_id"]])
                if m["role"] == "user"
            ),
            "",
        )
        call = {
            "id": state.new_id("call"),
            "type": "function",
            "function": {"name": function["name"], "arguments": json.dumps({"query": question})},
        }
        step = _step(
            state,
            run,
            {
                "type": "tool_calls",
                "tool_calls": [{**call, "function": {**call["function"], "output": None}}],
            },
        )
        events += [
            ("thread.run.step.created", _snapshot(step)),
            ("thread.run.step.in_progress", _snapshot(step)),
        ]
        run.update(
            status="requires_action",
            required_action={
                "type": "submit_tool_outputs",
                "submit_tool_outputs": {"tool_calls": [call]},
            },
        )
        events.append(("thread.run.requires_action", _snapshot(run)))
        return events
    return events + _answer(state, run)


def _text_of_message(message: Json) -> str:
    return " ".join(p["text"]["value"] for p in message["content"] if p.get("type") == "text")


def _answer(state: State, run: Json) -> list[tuple[str, Json]]:
    events: list[tuple[str, Json]] = []
    outputs = [
        call["function"]["output"]
        for s in state.steps[run["id"]]
        if s["type"] == "tool_calls"
        for call in s["step_details"]["tool_calls"]
    ]
    if outputs:
        text = "Tool said: " + " ".join(str(o) for o in outputs)
    else:
        users = [m for m in state.messages[run["thread_id"]] if m["role"] == "user"]
        text = "You said: " + (_text_of_message(users[-1]) if users else "nothing")
    message = _message(
        state,
        run["thread_id"],
        "assistant",
        "",
        status="in_progress",
        completed_at=None,
        assistant_id=run["assistant_id"],
        run_id=run["id"],
    )
    message["content"] = []
    state.messages[run["thread_id"]].append(message)
    step = _step(
        state, run, {"type": "message_creation", "message_creation": {"message_id": message["id"]}}
    )
    events += [
        ("thread.run.step.created", _snapshot(step)),
        ("thread.run.step.in_progress", _snapshot(step)),
        ("thread.message.created", _snapshot(message)),
        ("thread.message.in_progress", _snapshot(message)),
    ]
    words = text.split(" ")
    for index, word in enumerate(words):
        piece = word if index == 0 else " " + word
        delta = {"index": 0, "type": "text", "text": {"value": piece, "annotations": []}}
        events.append(
            (
                "thread.message.delta",
                {
                    "id": message["id"],
                    "object": "thread.message.delta",
                    "delta": {"content": [delta]},
                },
            )
        )
    message.update(status="completed", completed_at=_now(), content=_text_content(text))
    events.append(("thread.message.completed", _snapshot(message)))
    step.update(status="completed", completed_at=_now(), usage=_usage())
    events.append(("thread.run.step.completed", _snapshot(step)))
    run.update(status="completed", completed_at=_now(), required_action=None, usage=_usage())
    events.append(("thread.run.completed", _snapshot(run)))
    return events


def _submit(state: State, run: Json, outputs: list[Json]) -> list[tuple[str, Json]]:
    """Takes the outputs: the run is queued again (and goes on when streamed or polled)."""
    if run["status"] != "requires_action":
        raise ApiError(400, f"Runs in status \"{run['status']}\" do not accept tool outputs.")
    by_call = {o.get("tool_call_id"): o.get("output") for o in outputs}
    expected = [c["id"] for c in run["required_action"]["submit_tool_outputs"]["tool_calls"]]
    missing = [c for c in expected if c not in by_call]
    if missing:
        raise ApiError(
            400, f"Expected tool outputs for call_ids {expected}, got {sorted(by_call)}."
        )
    events: list[tuple[str, Json]] = []
    for step in state.steps[run["id"]]:
        if step["type"] == "tool_calls" and step["status"] == "in_progress":
            for call in step["step_details"]["tool_calls"]:
                call["function"]["output"] = by_call.get(call["id"])
            step.update(status="completed", completed_at=_now())
            events.append(("thread.run.step.completed", _snapshot(step)))
    run.update(status="queued", required_action=None)
    events.append(("thread.run.queued", _snapshot(run)))
    return events


def _resume(state: State, run: Json) -> list[tuple[str, Json]]:
    run.update(status="in_progress")
    return [("thread.run.in_progress", _snapshot(run)), *_work(state, run)]


def _advance(state: State, run: Json) -> None:
    """One poll's worth of progress of a run not streamed."""
    if run["status"] == "queued":
        run.update(status="in_progress", started_at=run["started_at"] or _now())
    elif run["status"] == "in_progress":
        _work(state, run)
    elif run["status"] == "cancelling":
        run.update(status="cancelled", cancelled_at=_now())


# ---------------------------------------------------------------------------------------------
# HTTP


def _get(store: dict[str, Json], key: object, kind: str) -> Json:
    if not isinstance(key, str) or key not in store:
        raise ApiError(404, f"No {kind} found with id '{key}'.")
    return store[key]


def _find(items: list[Json], key: str, kind: str) -> Json:
    for item in items:
        if item["id"] == key:
            return item
    raise ApiError(404, f"No {kind} found with id '{key}'.")


def _page(request: Request, items: list[Json]) -> Json:
    query = request.query_params
    limit = int(query.get("limit", "20"))
    ordered = items if query.get("order", "desc") == "asc" else list(reversed(items))
    ids = [i["id"] for i in ordered]
    start = ids.index(query["after"]) + 1 if query.get("after") in ids else 0
    end = ids.index(query["before"]) if query.get("before") in ids else len(ordered)
    data = ordered[start:end][:limit]
    return {
        "object": "list",
        "data": data,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
        "has_more": start + len(data) < end,
    }


def _sse(events: list[tuple[str, Json]]) -> StreamingResponse:
    async def body() -> AsyncIterator[bytes]:
        for name, data in events:
            yield f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()
        yield b"event: done\ndata: [DONE]\n\n"

    return StreamingResponse(body(), media_type="text/event-stream")


def _updated(obj: Json, body: Json, fields: tuple[str, ...]) -> Json:
    for name in fields:
        if name in body:
            obj[name] = body[name]
    return obj


def create_app(state: State, connections: Connections) -> Any:
    """The ASGI app: the API under /v1, wrapped in the fault injector."""

    def run_response(run: Json) -> JSONResponse:
        return JSONResponse(run, headers={"openai-poll-after-ms": str(state.poll_after_ms)})

    async def assistants(request: Request) -> Response:
        if request.method == "POST":
            assistant = _assistant(state, await request.json())
            state.assistants[assistant["id"]] = assistant
            return JSONResponse(assistant)
        return JSONResponse(_page(request, list(state.assistants.values())))

    async def assistant(request: Request) -> Response:
        found = _get(state.assistants, request.path_params["id"], "assistant")
        if request.method == "DELETE":
            del state.assistants[found["id"]]
            return JSONResponse({"id": found["id"], "object": "assistant.deleted", "deleted": True})
        if request.method == "POST":
            fields = (
                "name",
                "description",
                "model",
                "instructions",
                "tools",
                "metadata",
                "temperature",
                "top_p",
            )
            _updated(found, await request.json(), fields)
        return JSONResponse(found)

    async def threads(request: Request) -> Response:
        body = await request.body()
        return JSONResponse(_thread(state, json.loads(body) if body else {}))

    async def thread(request: Request) -> Response:
        found = _get(state.threads, request.path_params["thread_id"], "thread")
        if request.method == "DELETE":
            del state.threads[found["id"]]
            return JSONResponse({"id": found["id"], "object": "thread.deleted", "deleted": True})
        if request.method == "POST":
            _updated(found, await request.json(), ("metadata", "tool_resources"))
        return JSONResponse(found)

    async def messages(request: Request) -> Response:
        thread_id = _get(state.threads, request.path_params["thread_id"], "thread")["id"]
        if request.method == "POST":
            return JSONResponse(_add_message(state, thread_id, await request.json()))
        items = state.messages[thread_id]
        run_id = request.query_params.get("run_id")
        return JSONResponse(_page(request, [m for m in items if run_id in (None, m["run_id"])]))

    async def message(request: Request) -> Response:
        thread_id = _get(state.threads, request.path_params["thread_id"], "thread")["id"]
        found = _find(state.messages[thread_id], request.path_params["id"], "message")
        if request.method == "DELETE":
            state.messages[thread_id].remove(found)
            return JSONResponse(
                {"id": found["id"], "object": "thread.message.deleted", "deleted": True}
            )
        if request.method == "POST":
            _updated(found, await request.json(), ("metadata",))
        return JSONResponse(found)

    async def start_run(thread_id: str, body: Json) -> Response:
        run = _run(state, thread_id, body)
        if body.get("stream"):
            return _sse(_start(run) + _work(state, run))
        return run_response(run)

    async def runs(request: Request) -> Response:
        thread_id = _get(state.threads, request.path_params["thread_id"], "thread")["id"]
        if request.method == "POST":
            return await start_run(thread_id, await request.json())
        return JSONResponse(_page(request, state.runs[thread_id]))

    async def thread_and_run(request: Request) -> Response:
        body = await request.json()
        thread_id = _thread(state, body.get("thread") or {})["id"]
        return await start_run(thread_id, body)

    def the_run(request: Request) -> Json:
        thread_id = _get(state.threads, request.path_params["thread_id"], "thread")["id"]
        return _find(state.runs[thread_id], request.path_params["run_id"], "run")

    async def run(request: Request) -> Response:
        found = the_run(request)
        if request.method == "POST":
            _updated(found, await request.json(), ("metadata",))
        else:
            _advance(state, found)
        return run_response(found)

    async def submit_tool_outputs(request: Request) -> Response:
        found = the_run(request)
        body = await request.json()
        events = _submit(state, found, body.get("tool_outputs") or [])
        if body.get("stream"):
            return _sse(events + _resume(state, found))
        return run_response(found)

    async def cancel(request: Request) -> Response:
        found = the_run(request)
        if found["status"] in ("queued", "in_progress", "requires_action"):
            found.update(status="cancelling", required_action=None)
        return run_response(found)

    async def steps(request: Request) -> Response:
        return JSONResponse(_page(request, state.steps[the_run(request)["id"]]))

    async def step(request: Request) -> Response:
        return JSONResponse(
            _find(state.steps[the_run(request)["id"]], request.path_params["step_id"], "run step")
        )

    both = ["GET", "POST"]
    routes = [
        Route("/v1/assistants", assistants, methods=both),
        Route("/v1/assistants/{id}", assistant, methods=[*both, "DELETE"]),
        Route("/v1/threads", threads, methods=["POST"]),
        Route("/v1/threads/runs", thread_and_run, methods=["POST"]),
        Route("/v1/threads/{thread_id}", thread, methods=[*both, "DELETE"]),
        Route("/v1/threads/{thread_id}/messages", messages, methods=both),
        Route("/v1/threads/{thread_id}/messages/{id}", message, methods=[*both, "DELETE"]),
        Route("/v1/threads/{thread_id}/runs", runs, methods=both),
        Route("/v1/threads/{thread_id}/runs/{run_id}", run, methods=both),
        Route(
            "/v1/threads/{thread_id}/runs/{run_id}/submit_tool_outputs",
            submit_tool_outputs,
            methods=["POST"],
        ),
        Route("/v1/threads/{thread_id}/runs/{run_id}/cancel", cancel, methods=["POST"]),
        Route("/v1/threads/{thread_id}/runs/{run_id}/steps", steps, methods=["GET"]),
        Route("/v1/threads/{thread_id}/runs/{run_id}/steps/{step_id}", step, methods=["GET"]),
    ]

    def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return JSONResponse(exc.body, status_code=exc.status)

    api = Starlette(routes=routes, exception_handlers={ApiError: api_error})
    return Faults(_Checks(api), state, connections)


class _Checks:
    """What the API checks of every request before the route: a bearer token, the beta header."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        problem: ApiError | None = None
        if not headers.get("authorization", "").startswith("Bearer "):
            problem = ApiError(401, "You didn't provide an API key.")
        elif headers.get("openai-beta") != "assistants=v2":
            problem = ApiError(
                400, "You must provide the 'OpenAI-Beta' header to access the Assistants API."
            )
        if problem is None:
            await self.app(scope, receive, send)
        else:
            await JSONResponse(problem.body, status_code=problem.status)(scope, receive, send)


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


async def _hang_up(receive: Receive, seconds: float) -> bool:
    """Wait until the client disconnects (True) or `seconds` pass (False)."""

    async def disconnected() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    try:
        await asyncio.wait_for(disconnected(), seconds)
    except asyncio.TimeoutError:
        return False
    return True


class Faults:
    """ASGI middleware: numbers every response (`x-request-id`) and injects the fault a
    request asks for (see the module docstring)."""

    def __init__(self, app: Any, state: State, connections: Connections) -> None:
        self.app = app
        self.state = state
        self.connections = connections
        self._numbers = itertools.count(1)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request_id = f"req_{next(self._numbers)}"
        self.state.request_ids.append(request_id)

        async def numbered(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": [
                        *message.get("headers", []),
                        (b"x-request-id", request_id.encode()),
                    ],
                }
            await send(message)

        headers = _headers(scope)
        name = headers.get("x-fault", "")
        times = int(headers["x-fault-times"]) if "x-fault-times" in headers else None
        applies = self.state.take_fault(name, times) if name else False
        if not name:
            self.state.requests[""] += 1
        self.state.log.append((scope["method"], scope["path"], name if applies else ""))
        if not applies:
            await self.app(scope, receive, numbered)
        elif name not in FAULTS:
            await JSONResponse({"error": {"message": f"unknown fault {name!r}"}}, 418)(
                scope, receive, numbered
            )
        elif name in BEFORE:
            await self._before(name, headers, scope, receive, numbered)
        else:
            await self.app(scope, receive, self._cutting(name, headers, scope, receive, numbered))

    async def _before(
        self, name: str, headers: dict[str, str], scope: Scope, receive: Receive, send: Send
    ) -> None:
        wait = headers.get("x-fault-retry-after", "1")
        if name == "reset":
            self.connections.reset(scope)
        elif name == "stall":
            if not await _hang_up(receive, float(headers.get("x-fault-stall", "10"))):
                await self.app(scope, receive, send)
        else:
            status = 429 if name.startswith("429") else int(name)
            extra: dict[str, str] = {}
            if name == "429-date":
                extra["retry-after"] = email.utils.formatdate(
                    time.time() + float(wait), usegmt=True
                )
            elif name in ("429", "503"):
                extra["retry-after"] = wait
            kind = "requests" if status == 429 else "server_error"
            body = {
                "error": {"message": f"Injected {name}.", "type": kind, "param": None, "code": None}
            }
            await JSONResponse(body, status, headers=extra)(scope, receive, send)

    def _cutting(
        self, name: str, headers: dict[str, str], scope: Scope, receive: Receive, send: Send
    ) -> Send:
        """A `send` that passes the response on until its cut point, then does the fault."""
        after = int(headers.get("x-fault-after", "1"))
        stall = float(headers.get("x-fault-stall", "10"))
        chunks = 0
        done = False

        async def cut() -> None:
            await asyncio.sleep(0.05)  # let what was sent reach the client before the RST
            if name.startswith("reset"):
                self.connections.reset(scope)
            elif name == "cut-chunked":
                self.connections.close(scope)
            elif name == "stall-mid-stream":
                await _hang_up(receive, stall)
                self.connections.close(scope)
            else:  # error-event
                error = {
                    "error": {
                        "message": "Injected stream error.",
                        "type": "server_error",
                        "param": None,
                        "code": None,
                    }
                }
                event = f"event: error\ndata: {json.dumps(error)}\n\n".encode()
                await send({"type": "http.response.body", "body": event, "more_body": False})

        async def cutting(message: Message) -> None:
            nonlocal chunks, done
            if done:
                return
            if message["type"] == "http.response.start":
                if name == "cut-chunked":  # no length: the body goes out in chunks
                    kept = [
                        (k, v)
                        for k, v in message.get("headers", [])
                        if k.lower() != b"content-length"
                    ]
                    message = {**message, "headers": kept}
                await send(message)
                return
            body: bytes = message.get("body", b"")
            if not message.get("more_body", False) and chunks == 0:  # the body in one piece
                done = True
                await send(
                    {
                        "type": "http.response.body",
                        "body": body[: len(body) // 2],
                        "more_body": True,
                    }
                )
                await cut()
                return
            if body:
                chunks += 1
            await send(message)
            if chunks >= after and message.get("more_body", False):
                done = True
                await cut()

        return cutting
