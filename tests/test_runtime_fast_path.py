"""The runtime's fast paths in the freshly rendered flagship: what they take, what they leave
to the full lenient validator, and that both give the same objects.

`parse`, `parse_json` and `parse_envelope` first try a validator without the Python hooks
(salvage, open enums, tag callables); the full validator decides whenever that one refuses.
The figures are in benchmarks/runtime.py; here only behaviour is checked.
"""

import json
import subprocess
import sys
from typing import Annotated, Any, Literal

import httpx
import pytest
from pydantic import Tag

from .conftest import ROOT
from .test_generated_models import DRIFTED_EXAMPLES, EXAMPLES

VALID = [(op, type_name, data) for op, type_name, data in EXAMPLES if op not in DRIFTED_EXAMPLES]

RUN = {
    "id": "run_1", "object": "thread.run", "created_at": 1, "assistant_id": "asst_1",
    "thread_id": "thread_1", "status": "queued", "started_at": None, "expires_at": None,
    "cancelled_at": None, "failed_at": None, "completed_at": None, "required_action": None,
    "last_error": None, "model": "gpt-4o", "instructions": "Be brief.", "tools": [],
    "metadata": {}, "incomplete_details": None, "usage": None, "temperature": None,
    "top_p": None, "max_prompt_tokens": None, "max_completion_tokens": None,
    "truncation_strategy": {"type": "auto", "last_messages": None}, "response_format": "auto",
    "tool_choice": "auto", "parallel_tool_calls": True,
}  # fmt: skip
MESSAGE_DELTA = {
    "id": "msg_1",
    "object": "thread.message.delta",
    "delta": {"content": [{"index": 0, "type": "text", "text": {"value": "Hi"}}]},
}
STEP_DELTA = {
    "id": "step_1",
    "object": "thread.run.step.delta",
    "delta": {
        "step_details": {
            "type": "tool_calls",
            "tool_calls": [{"index": 0, "type": "function", "function": {"arguments": "{"}}],
        }
    },
}


def shape(value: Any) -> Any:
    """Everything that tells two parsed objects apart: classes, set fields, extras, values."""
    if hasattr(value, "model_fields_set"):
        fields = {name: shape(item) for name, item in value.__dict__.items()}
        extra = {name: shape(item) for name, item in (value.model_extra or {}).items()}
        return (type(value), sorted(value.model_fields_set), fields, extra)
    if isinstance(value, list):
        return [shape(item) for item in value]
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    return (type(value), value)


@pytest.fixture()
def no_full_validator(sdk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything reaches the full (hooked) validator."""

    def refuse(type_: Any, data: Any, strict: bool) -> Any:
        raise AssertionError(f"the full validator ran for {type_!r}")

    monkeypatch.setattr(sdk._models, "_full", refuse)


@pytest.mark.parametrize(("operation", "type_name", "data"), VALID, ids=[v[0] for v in VALID])
def test_valid_examples_take_the_fast_path_from_python_and_json(
    sdk: Any, no_full_validator: None, operation: str, type_name: str, data: Any
) -> None:
    type_ = getattr(sdk.types, type_name)
    assert type(sdk.parse(type_, data)).__name__ == type_name
    assert type(sdk._models.parse_json(type_, json.dumps(data).encode())).__name__ == type_name


@pytest.mark.parametrize(
    "type_name", ["Assistant", "Run", "Message", "RunStep", "AssistantStreamEvent"]
)
def test_the_fast_validator_has_no_python_hooks_but_shape_matching(
    sdk: Any, type_name: str
) -> None:
    """Salvage, open enums and tag lookups are native there; only `choose_by_shape` (a
    union with no tag property) keeps its Python discriminator."""
    type_ = getattr(sdk.types, type_name)
    fast = repr(sdk._models._fast(type_))  # completes a model class first
    full = repr(
        getattr(type_, "__pydantic_validator__", None) or sdk._models._adapter(type_).validator
    )
    for hook in ("_lenient_or_strict", "_accept_new_values", "tag_by_property"):
        assert hook in full
        assert hook not in fast


@pytest.mark.parametrize(("operation", "type_name", "data"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_fast_and_full_validators_build_the_same_objects(
    sdk: Any, operation: str, type_name: str, data: Any
) -> None:
    """Drifted examples go to the full validator anyway; valid ones must not differ."""
    type_ = getattr(sdk.types, type_name)
    full = sdk._models._full(type_, data, False)
    assert shape(sdk._models.parse_json(type_, json.dumps(data))) == shape(full)
    assert shape(sdk.parse(type_, data)) == shape(full)


@pytest.mark.parametrize(
    ("change", "check"),
    [
        (  # an unknown tool inside a list: that item becomes the fallback, the rest parse
            {"tools": [{"type": "web_browser", "budget": 3}, {"type": "code_interpreter"}]},
            lambda run: [type(t).__name__ for t in run.tools]
            == ["AssistantToolUnknown", "CodeInterpreterTool"]
            and run.tools[0].raw == {"type": "web_browser", "budget": 3},
        ),
        ({"status": "paused"}, lambda run: run.status == "paused"),  # an enum value added later
        ({"instructions": None}, lambda run: run.instructions is None),  # drift: salvaged
        ({"created_at": "soon"}, lambda run: run.created_at == "soon" and run.id == "run_1"),
    ],
    ids=["unknown-variant", "new-enum-value", "null-for-string", "wrong-type"],
)
def test_what_the_fast_path_refuses_the_lenient_one_still_parses(
    sdk: Any, change: dict[str, Any], check: Any
) -> None:
    body = json.dumps({**RUN, **change}).encode()
    client = sdk.OpenAI(
        api_key="k",
        http_client=httpx.Client(
            transport=httpx.MockTransport(lambda request: httpx.Response(200, content=body))
        ),
    )
    run = client.beta.threads.runs.retrieve("run_1", thread_id="thread_1")
    assert type(run).__name__ == "Run" and check(run)
    with pytest.raises(Exception, match="validation error"):
        sdk._models.parse_json(sdk.types.Run, body, strict=True)


def test_a_response_that_is_not_json_is_still_a_typed_error(sdk: Any) -> None:
    client = sdk.OpenAI(
        api_key="k",
        http_client=httpx.Client(
            transport=httpx.MockTransport(lambda request: httpx.Response(200, content=b"<html>"))
        ),
    )
    with pytest.raises(sdk.APIResponseValidationError, match="not JSON"):
        client.beta.threads.runs.retrieve("run_1", thread_id="thread_1")


@pytest.mark.parametrize(
    ("event", "data", "expected"),
    [
        ("thread.run.created", RUN, "ThreadRunCreated"),
        ("thread.message.delta", MESSAGE_DELTA, "ThreadMessageDelta"),
        ("thread.run.step.delta", STEP_DELTA, "ThreadRunStepDelta"),
    ],
)
def test_a_stream_event_is_validated_against_its_own_member_only(
    sdk: Any, monkeypatch: pytest.MonkeyPatch, event: str, data: Any, expected: str
) -> None:
    """Neither the union's tag callable nor the full validator runs for a known event."""
    union = sdk.types.AssistantStreamEvent
    sdk._models.parse_envelope(union, event, json.dumps(data))  # builds the member table

    def refuse(*args: Any) -> Any:
        raise AssertionError("the whole union was consulted")

    monkeypatch.setattr(sdk._models._TagOf, "__call__", refuse)
    monkeypatch.setattr(sdk._models, "_full", refuse)
    parsed = sdk._models.parse_envelope(union, event, json.dumps(data))
    assert (type(parsed).__name__, parsed.event) == (expected, event)
    full = sdk._models.parse_envelope(union, event, json.dumps(data), strict=False)
    assert shape(parsed) == shape(full)


def test_stream_events_the_fast_path_refuses_keep_their_lenient_meaning(sdk: Any) -> None:
    union = sdk.types.AssistantStreamEvent
    envelope = sdk._models.parse_envelope
    unknown = envelope(union, "thread.run.paused", '{"id": "r"}')
    assert type(unknown).__name__ == "AssistantStreamEventUnknown"
    assert unknown.raw == {"event": "thread.run.paused", "data": {"id": "r"}}
    # data that does not fit the member its name tags is salvaged into that member
    drifted = envelope(union, "thread.run.created", json.dumps({**RUN, "created_at": "soon"}))
    assert type(drifted).__name__ == "ThreadRunCreated" and drifted.data.created_at == "soon"
    with pytest.raises(Exception, match="validation error"):
        envelope(union, "thread.run.created", json.dumps({**RUN, "created_at": "x"}), strict=True)
    with pytest.raises(json.JSONDecodeError):
        envelope(union, "thread.run.created", "{not json")


def test_envelope_members_keep_their_data_fields_discriminator(sdk: Any) -> None:
    """The data validator of a member is its field's type, discriminator included."""
    m = sdk._models

    class A(m.BaseModel):
        type: Literal["a"]
        x: int

    class B(m.BaseModel):
        type: Literal["b", "bee"]
        y: str

    class PayloadUnknown(m.UnknownVariant):
        type: str

    payload = Annotated[
        Annotated[A, Tag("a")]
        | Annotated[B, Tag("b")]
        | Annotated[PayloadUnknown, Tag(m.UNKNOWN_TAG)],
        m.discriminate_by("type", ["a", "b"], {"bee": "b"}),
    ]

    class One(m.BaseModel):
        event: Literal["one"]
        data: payload

    class Two(m.BaseModel):
        event: Literal["two"]
        data: list[int]

    class EventUnknown(m.UnknownVariant):
        event: str
        data: object = None

    events = Annotated[
        Annotated[One, Tag("one")]
        | Annotated[Two, Tag("two")]
        | Annotated[EventUnknown, Tag(m.UNKNOWN_TAG)],
        m.discriminate_by("event", ["one", "two"]),
    ]
    parse = m.parse_envelope
    assert type(parse(events, "one", '{"type": "b", "y": "s"}').data) is B
    assert type(parse(events, "one", '{"type": "bee", "y": "s"}').data) is B  # an alias
    assert type(parse(events, "one", '{"type": "c", "z": 1}').data) is PayloadUnknown
    assert parse(events, "two", "[1, 2]").data == [1, 2]
    assert type(parse(events, "three", "{}")) is EventUnknown
    assert m._envelope(events, "one") is not None and m._envelope(events, "two") is not None
    assert m._envelope(events, "three") is None


def test_a_new_enum_value_in_a_stream_event_passes(sdk: Any) -> None:
    delta = {**STEP_DELTA, "delta": {"step_details": {"type": "tool_calls", "tool_calls": [
        {"index": 0, "type": "function", "function": {"arguments": "{"}}]}, "status": "paused"}}  # fmt: skip
    parsed = sdk._models.parse_envelope(
        sdk.types.AssistantStreamEvent, "thread.run.step.delta", json.dumps(delta)
    )
    assert parsed.data.delta.model_extra == {"status": "paused"}


def test_a_url_is_the_base_url_and_the_path(sdk: Any) -> None:
    client = sdk.OpenAI(api_key="k", base_url="https://example.test/api")
    request = sdk._base_client.Request("GET", "/models/gpt:latest")  # not a scheme
    assert (
        str(client._build(request, client._client).url)
        == "https://example.test/api/models/gpt:latest"
    )
    client.base_url = "http://other.test/v2/"
    assert (
        str(client._build(request, client._client).url) == "http://other.test/v2/models/gpt:latest"
    )
    query = sdk._base_client.Request("GET", "/things", query={"a": "x y", "b": None})
    assert str(client._build(query, client._client).url) == "http://other.test/v2/things?a=x%20y"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("run_abc-1.2~", "run_abc-1.2~"), (".", "%2E"), ("..", "%2E%2E"), (".x", ".x"), ("a/b", "a%2Fb"),
     ("", ""), ("é", "%C3%A9"), (7, "7")],
)  # fmt: skip
def test_path_param_plain_values_and_the_rest(sdk: Any, value: object, expected: str) -> None:
    assert sdk._params.path_param(value) == expected


def test_a_retry_field_takes_ascii_digits_only(sdk: Any) -> None:
    decoder = sdk._streaming.SSEDecoder()
    events = decoder.feed("retry: ²\ndata: x\n\nretry: 12\ndata: y\n\n".encode())
    assert [(e.data, e.retry) for e in events] == [("x", None), ("y", 12)]


@pytest.mark.slow
def test_the_runtime_benchmark_runs() -> None:
    """The script's own checks (event counts, parsed fields) pass on a tiny run."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "runtime.py"), "--repeats", "1",
         "--items", "3", "--calls", "2", "--events", "200"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == [
        "list",
        "overhead",
        "sse",
    ]
