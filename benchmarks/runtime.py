"""Runtime speed of the generated flagship SDK against the official `openai` package.

    python benchmarks/runtime.py [--repeats N] [--items N] [--calls N] [--events N]

Renders the flagship SDK afresh from spec/openai-assistants/spec.yaml into a temporary
folder (as the tests do), then times, in one run, ours, the official package and a floor,
each over an in-memory MockTransport answering the same bytes:

  list parse   `client.beta.assistants.list()` on a page of --items realistic assistants,
               per item              floor: json.loads of the body
  overhead     `client.beta.threads.runs.retrieve(...)`, per call
                                     floor: a bare httpx client's GET over MockTransport
  sse          `client.beta.threads.runs.create(..., stream=True)` over --events events
               (run, run step and message events, message and step deltas), events/s
                                     floor: the body split into events and lines, and
                                     each event's data passed to json.loads

The three contenders of a measure run in turn, --repeats times (interleaved, so a load
change on the machine hits all three), and each figure is the median. Ratios are ours
against the official package's. Each line ends with the target of issue 11 and PASS or
FAIL; the exit code does not depend on them (figures vary with the machine).
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import httpx2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sdkgen.output import write_tree
from sdkgen.pipeline import Project, render_spec_file

FLAGSHIP = Project(ROOT, "openai-assistants")
CHUNK = 16 * 1024  # stream bodies arrive in chunks of this size, cut anywhere

# -- realistic data ---------------------------------------------------------------------

INSTRUCTIONS = (
    "You are a support assistant for an online bookshop. Answer questions about orders, "
    "shipping and returns. Look the order up with the tools before answering, quote the "
    "order number, and never promise a delivery date the carrier has not confirmed. "
) * 3

PARAMETERS = {
    "type": "object",
    "properties": {
        "order_id": {"type": "string", "description": "The order number, e.g. BK-10293."},
        "include_items": {"type": "boolean", "description": "Whether to list the items."},
        "fields": {
            "type": "array",
            "items": {"type": "string", "enum": ["status", "carrier", "eta", "total"]},
        },
    },
    "required": ["order_id"],
    "additionalProperties": False,
}


def assistant(i: int) -> dict[str, Any]:
    return {
        "id": f"asst_{i:024d}",
        "object": "assistant",
        "created_at": 1_700_000_000 + i,
        "name": f"Bookshop helper {i}",
        "description": "Answers customer questions about orders, shipping and returns.",
        "model": "gpt-4o",
        "instructions": INSTRUCTIONS,
        "tools": [
            {"type": "code_interpreter"},
            {
                "type": "file_search",
                "file_search": {
                    "max_num_results": 20,
                    "ranking_options": {"ranker": "auto", "score_threshold": 0.5},
                },
            },
            {
                "type": "function",
                "function": {
                    "name": "lookup_order",
                    "description": "Look an order up by its number.",
                    "parameters": PARAMETERS,
                    "strict": True,
                },
            },
        ],
        "tool_resources": {
            "code_interpreter": {"file_ids": [f"file-{i:020d}a", f"file-{i:020d}b"]},
            "file_search": {"vector_store_ids": [f"vs_{i:024d}"]},
        },
        "metadata": {"team": "support", "tier": "gold"},
        "top_p": 1.0,
        "temperature": 0.7,
        "response_format": "auto",
    }


def run(status: str = "queued") -> dict[str, Any]:
    return {
        "id": "run_abc123",
        "object": "thread.run",
        "created_at": 1_700_000_000,
        "assistant_id": "asst_abc123",
        "thread_id": "thread_abc123",
        "status": status,
        "started_at": 1_700_000_001,
        "expires_at": 1_700_000_600,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": 1_700_000_009 if status == "completed" else None,
        "required_action": None,
        "last_error": None,
        "model": "gpt-4o",
        "instructions": INSTRUCTIONS,
        "tools": assistant(0)["tools"],
        "metadata": {"ticket": "T-4411"},
        "incomplete_details": None,
        "usage": (
            {"prompt_tokens": 812, "completion_tokens": 143, "total_tokens": 955}
            if status == "completed"
            else None
        ),
        "temperature": 0.7,
        "top_p": 1.0,
        "max_prompt_tokens": 4000,
        "max_completion_tokens": 1000,
        "truncation_strategy": {"type": "auto", "last_messages": None},
        "response_format": "auto",
        "tool_choice": "auto",
        "parallel_tool_calls": True,
    }


def run_step(kind: str, status: str) -> dict[str, Any]:
    if kind == "message_creation":
        details: dict[str, Any] = {
            "type": "message_creation",
            "message_creation": {"message_id": "msg_abc123"},
        }
    else:
        details = {
            "type": "tool_calls",
            "tool_calls": [
                {
                    "id": "call_abc123",
                    "type": "function",
                    "function": {
                        "name": "lookup_order",
                        "arguments": '{"order_id": "BK-10293"}',
                        "output": None,
                    },
                }
            ],
        }
    return {
        "id": f"step_{kind}",
        "object": "thread.run.step",
        "created_at": 1_700_000_002,
        "run_id": "run_abc123",
        "assistant_id": "asst_abc123",
        "thread_id": "thread_abc123",
        "type": kind,
        "status": status,
        "cancelled_at": None,
        "completed_at": 1_700_000_008 if status == "completed" else None,
        "expired_at": None,
        "failed_at": None,
        "last_error": None,
        "step_details": details,
        "usage": None,
        "metadata": {},
    }


def message(status: str, text: str) -> dict[str, Any]:
    content = [{"type": "text", "text": {"value": text, "annotations": []}}] if text else []
    return {
        "id": "msg_abc123",
        "object": "thread.message",
        "created_at": 1_700_000_003,
        "assistant_id": "asst_abc123",
        "thread_id": "thread_abc123",
        "run_id": "run_abc123",
        "status": status,
        "incomplete_details": None,
        "completed_at": 1_700_000_008 if status == "completed" else None,
        "incomplete_at": None,
        "role": "assistant",
        "content": content,
        "attachments": [],
        "metadata": {},
    }


def text_delta(i: int) -> dict[str, Any]:
    text: dict[str, Any] = {"value": f" word{i}"}
    if i % 25 == 24:  # now and then a citation arrives with the text
        text["annotations"] = [
            {
                "index": 0,
                "type": "file_citation",
                "text": "【4:0†source】",
                "start_index": i,
                "end_index": i + 12,
                "file_citation": {"file_id": "file-abc123", "quote": "returns within 30 days"},
            }
        ]
    return {
        "id": "msg_abc123",
        "object": "thread.message.delta",
        "delta": {"content": [{"index": 0, "type": "text", "text": text}]},
    }


def arguments_delta(i: int) -> dict[str, Any]:
    call: dict[str, Any] = {"index": 0, "type": "function", "function": {"arguments": f'"p{i}'}}
    if i == 0:
        call.update(id="call_abc123", function={"name": "lookup_order", "arguments": ""})
    return {
        "id": "step_tool_calls",
        "object": "thread.run.step.delta",
        "delta": {"step_details": {"type": "tool_calls", "tool_calls": [call]}},
    }


def one_run_events() -> list[tuple[str, dict[str, Any]]]:
    """A run as a server streams it: 12 lifecycle events, 60 text deltas, 20 step deltas."""
    events: list[tuple[str, dict[str, Any]]] = [
        ("thread.run.created", run("queued")),
        ("thread.run.queued", run("queued")),
        ("thread.run.in_progress", run("in_progress")),
        ("thread.run.step.created", run_step("tool_calls", "in_progress")),
    ]
    events += [("thread.run.step.delta", arguments_delta(i)) for i in range(20)]
    events += [
        ("thread.run.step.completed", run_step("tool_calls", "completed")),
        ("thread.run.step.created", run_step("message_creation", "in_progress")),
        ("thread.message.created", message("in_progress", "")),
        ("thread.message.in_progress", message("in_progress", "")),
    ]
    events += [("thread.message.delta", text_delta(i)) for i in range(60)]
    words = "".join(f" word{i}" for i in range(60))
    events += [
        ("thread.message.completed", message("completed", words)),
        ("thread.run.step.completed", run_step("message_creation", "completed")),
        ("thread.run.completed", run("completed")),
    ]
    return events


def sse_body(count: int) -> bytes:
    cycle = one_run_events()
    blocks = [
        f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"
        for name, data in (cycle[i % len(cycle)] for i in range(count))
    ]
    blocks.append("event: done\ndata: [DONE]\n\n")
    return "".join(blocks).encode()


# -- measuring --------------------------------------------------------------------------


def interleaved(contenders: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median seconds of each contender, run in turn `repeats` times (after one warm-up)."""
    for action in contenders.values():
        action()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, action in contenders.items():
            gc.collect()
            start = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def report(
    label: str, ours: float, theirs: float, floor: float, unit: str, target: float, higher: bool
) -> None:
    ratio = ours / theirs
    passed = ratio >= target if higher else ratio <= target
    sign = ">=" if higher else "<="
    print(
        f"{label:<11} ours {ours:10.1f} {unit}  openai {theirs:10.1f} {unit}  ratio {ratio:6.2f}x"
        f"  floor {floor:10.1f} {unit}  target {sign} {target:.2f}x  {'PASS' if passed else 'FAIL'}"
    )


def answering(module: Any, body: bytes, content_type: str, chunked: bool = False) -> Any:
    """A MockTransport handler (httpx or httpx2) answering `body` to every request."""

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), CHUNK):
            yield body[start : start + CHUNK]

    def handler(request: Any) -> Any:
        content = chunks() if chunked else body
        return module.Response(200, content=content, headers={"content-type": content_type})

    return handler


def clients(sdk: Any, body: bytes, content_type: str, chunked: bool = False) -> tuple[Any, Any]:
    import openai

    ours = sdk.OpenAI(
        api_key="sk-test",
        http_client=httpx.Client(
            transport=httpx.MockTransport(answering(httpx, body, content_type, chunked))
        ),
    )
    theirs = openai.OpenAI(
        api_key="sk-test",
        http_client=httpx2.Client(
            transport=httpx2.MockTransport(answering(httpx2, body, content_type, chunked))
        ),
    )
    return ours, theirs


def bench_list(sdk: Any, items: int, repeats: int) -> None:
    page = {
        "object": "list",
        "data": [assistant(i) for i in range(items)],
        "first_id": "asst_first",
        "last_id": "asst_last",
        "has_more": False,
    }
    body = json.dumps(page).encode()
    ours, theirs = clients(sdk, body, "application/json")
    rounds = 20

    def listing(client: Any) -> Callable[[], object]:
        def many() -> None:
            for _ in range(rounds):
                assert client.beta.assistants.list().data[-1].tools[2].function.name

        return many

    def floor() -> None:
        for _ in range(rounds):
            json.loads(body)

    got = interleaved({"ours": listing(ours), "theirs": listing(theirs), "floor": floor}, repeats)
    per = {name: value / rounds / items * 1e6 for name, value in got.items()}
    report("list parse", per["ours"], per["theirs"], per["floor"], "us/item", 0.30, False)


def bench_overhead(sdk: Any, calls: int, repeats: int) -> None:
    body = json.dumps(run("in_progress")).encode()
    ours, theirs = clients(sdk, body, "application/json")
    bare = httpx.Client(transport=httpx.MockTransport(answering(httpx, body, "application/json")))

    def retrieving(client: Any) -> Callable[[], object]:
        def many() -> None:
            for _ in range(calls):
                client.beta.threads.runs.retrieve("run_abc123", thread_id="thread_abc123")

        return many

    def floor() -> None:
        for _ in range(calls):
            bare.get("https://api.openai.com/v1/threads/thread_abc123/runs/run_abc123")

    got = interleaved(
        {"ours": retrieving(ours), "theirs": retrieving(theirs), "floor": floor}, repeats
    )
    per = {name: value / calls * 1e6 for name, value in got.items()}
    report("overhead", per["ours"], per["theirs"], per["floor"], "us/call", 0.30, False)


def bench_sse(sdk: Any, events: int, repeats: int) -> None:
    body = sse_body(events)
    ours, theirs = clients(sdk, body, "text/event-stream", chunked=True)

    def streaming(client: Any) -> Callable[[], object]:
        def consume() -> None:
            stream = client.beta.threads.runs.create(
                "thread_abc123", assistant_id="asst_abc123", stream=True
            )
            count = sum(1 for _ in stream)
            assert count == events, count

        return consume

    def floor() -> None:
        count = 0
        for block in body.split(b"\n\n"):
            for line in block.split(b"\n"):
                if line.startswith(b"data: ") and line != b"data: [DONE]":
                    json.loads(line[6:])
                    count += 1
        assert count == events, count

    got = interleaved(
        {"ours": streaming(ours), "theirs": streaming(theirs), "floor": floor}, repeats
    )
    rate = {name: events / seconds / 1000 for name, seconds in got.items()}
    report("sse", rate["ours"], rate["theirs"], rate["floor"], "k ev/s", 10.0, True)


def rendered_sdk(folder: Path) -> Any:
    """The flagship SDK rendered from the committed normalized spec, imported."""
    out = folder / "openai-assistants"
    write_tree(out, render_spec_file(FLAGSHIP.spec))
    sys.path.insert(0, str(out / "python" / "src"))
    import openai_assistants

    return openai_assistants


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9, help="interleaved rounds (median)")
    parser.add_argument("--items", type=int, default=100, help="assistants on the page")
    parser.add_argument("--calls", type=int, default=500, help="retrieve calls per round")
    parser.add_argument("--events", type=int, default=20_000, help="events in the stream")
    args = parser.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)  # assistants are deprecated upstream
    with tempfile.TemporaryDirectory() as tmp:
        sdk = rendered_sdk(Path(tmp))
        print(f"Python {sys.version.split()[0]}, medians of {args.repeats} interleaved rounds")
        bench_list(sdk, args.items, args.repeats)
        bench_overhead(sdk, args.calls, args.repeats)
        bench_sse(sdk, args.events, args.repeats)


if __name__ == "__main__":
    main()
