"""The generated flagship models, imported and exercised: examples, unions, enums, strictness."""

from __future__ import annotations

import ast
import inspect
import json
from typing import Any

import pytest
import yaml

from sdkgen.spec import load_spec

from .conftest import FLAGSHIP

# Examples in the upstream spec that do not match its own schemas. Lenient parsing must
# absorb them; strict parsing must name them. Keyed by operationId.
DRIFTED_EXAMPLES = {
    "createThreadAndRun": "the run carries tool_resources, which the Run schema does not declare",
    "cancelRun": "the run carries tool_resources, which the Run schema does not declare",
    "listMessages": "messages lack the required status",
    "createMessage": "the message lacks the required status",
    "getMessage": "the message lacks the required status",
    "modifyMessage": "the message lacks the required status",
    "listRuns": "instructions is null, the schema says string",
    "createRun": "instructions is null, the schema says string",
    "getRun": "instructions is null, the schema says string",
    "modifyRun": "instructions is null, the schema says string",
    "submitToolOuputsToRun": "instructions is null, the schema says string",
    "listRunSteps": "run steps lack the required metadata",
    "getRunStep": "the run step lacks the required metadata",
}


def json_examples() -> list[tuple[str, str, Any]]:
    """(operationId, response type, example) for every JSON example response of the flagship."""
    spec = load_spec(FLAGSHIP.spec)
    response_of = {m.operation_id: str(m.response) for _, m in spec.methods()}
    doc = yaml.load(
        (FLAGSHIP.root / "spec/upstream/openai-openapi-2026-05-13.yaml").read_text(),
        Loader=yaml.CSafeLoader,
    )
    found = []
    for item in doc["paths"].values():
        for op in item.values():
            if not isinstance(op, dict) or op.get("operationId") not in response_of:
                continue
            examples = op.get("x-oaiMeta", {}).get("examples", [])
            for example in examples if isinstance(examples, list) else [examples]:
                try:
                    data = json.loads(example["response"])
                except (json.JSONDecodeError, KeyError, TypeError):
                    continue  # server-sent event transcripts: covered with streaming
                found.append((op["operationId"], response_of[op["operationId"]], data))
    return found


EXAMPLES = json_examples()


def test_there_are_25_json_examples() -> None:
    assert len(EXAMPLES) == 25
    assert len({op for op, _, _ in EXAMPLES}) == 23  # streaming operations have a plain example too


@pytest.mark.parametrize(
    ("operation", "type_name", "data"),
    EXAMPLES,
    ids=[f"{e[0]}-{i}" for i, e in enumerate(EXAMPLES)],
)
def test_examples_parse_and_round_trip(sdk: Any, operation: str, type_name: str, data: Any) -> None:
    model = sdk.parse(getattr(sdk.types, type_name), data)
    assert type(model).__name__ == type_name
    assert model.model_dump(exclude_unset=True) == data


def test_strict_mode_names_exactly_the_drifted_examples(sdk: Any) -> None:
    rejected = set()
    for operation, type_name, data in EXAMPLES:
        try:
            sdk.parse(getattr(sdk.types, type_name), data, strict=True)
        except Exception:  # noqa: BLE001 - pydantic.ValidationError from the generated package
            rejected.add(operation)
    assert rejected == set(DRIFTED_EXAMPLES)


ASSISTANT = {
    "id": "asst_1", "object": "assistant", "created_at": 1, "name": None, "description": None,
    "model": "gpt-4o", "instructions": None, "tools": [], "metadata": {},
}  # fmt: skip


def test_unknown_tool_becomes_a_marked_fallback_keeping_raw_data(sdk: Any) -> None:
    tools = [
        {"type": "code_interpreter"},
        {"type": "web_browser", "budget": 3},
        {"type": "function", "function": {"name": "f"}},
    ]
    assistant = sdk.parse(sdk.types.Assistant, {**ASSISTANT, "tools": tools})
    known, unknown, function = assistant.tools
    assert type(known).__name__ == "CodeInterpreterTool"
    assert type(function).__name__ == "FunctionTool" and function.function.name == "f"
    assert isinstance(unknown, sdk.UnknownVariant) and unknown.is_unknown_variant
    assert type(unknown).__name__ == "AssistantToolUnknown"
    assert (unknown.type, unknown.raw) == ("web_browser", {"type": "web_browser", "budget": 3})
    assert assistant.model_dump(exclude_unset=True)["tools"] == tools
    with pytest.raises(Exception, match="unknown union variant"):
        sdk.parse(sdk.types.Assistant, {**ASSISTANT, "tools": tools}, strict=True)


def test_enum_accepts_a_value_added_later_except_in_strict_mode(sdk: Any) -> None:
    message = {
        "id": "m", "object": "thread.message", "created_at": 1, "thread_id": "t", "status": "paused",
        "incomplete_details": None, "completed_at": None, "incomplete_at": None, "role": "user",
        "content": [], "assistant_id": None, "run_id": None, "attachments": None, "metadata": None,
    }  # fmt: skip
    assert sdk.parse(sdk.types.Message, message).status == "paused"
    assert (
        sdk.parse(sdk.types.Message, {**message, "status": "completed"}, strict=True).status
        == "completed"
    )
    with pytest.raises(Exception, match="status"):
        sdk.parse(sdk.types.Message, message, strict=True)


def test_unknown_fields_are_kept_except_in_strict_mode(sdk: Any) -> None:
    assistant = sdk.parse(sdk.types.Assistant, {**ASSISTANT, "new_field": {"a": 1}})
    assert assistant.model_extra == {"new_field": {"a": 1}}
    with pytest.raises(Exception, match="unknown field"):
        sdk.parse(sdk.types.Assistant, {**ASSISTANT, "new_field": 1}, strict=True)


@pytest.mark.parametrize(
    ("event", "data", "expected"),
    [
        (
            "thread.created",
            {
                "id": "t",
                "object": "thread",
                "created_at": 1,
                "tool_resources": None,
                "metadata": None,
            },
            "ThreadCreated",
        ),
        (
            "thread.run.step.delta",
            {"id": "s", "object": "thread.run.step.delta", "delta": {}},
            "ThreadRunStepDelta",
        ),
        (
            "thread.message.delta",
            {"id": "m", "object": "thread.message.delta", "delta": {"content": []}},
            "ThreadMessageDelta",
        ),
        (
            "error",
            {"code": "x", "message": "boom", "param": None, "type": "server_error"},
            "ErrorEvent",
        ),
        ("done", "[DONE]", "DoneEvent"),
        ("thread.run.paused", {"id": "r"}, "AssistantStreamEventUnknown"),
    ],
)
def test_stream_events_are_picked_by_their_event_tag(
    sdk: Any, event: str, data: Any, expected: str
) -> None:
    parsed = sdk.parse(sdk.types.AssistantStreamEvent, {"event": event, "data": data})
    assert type(parsed).__name__ == expected
    assert parsed.event == event


def test_content_parts_and_step_details_are_discriminated(sdk: Any) -> None:
    text = {"type": "text", "text": {"value": "hi", "annotations": [
        {"type": "file_path", "text": "x", "start_index": 0, "end_index": 1, "file_path": {"file_id": "f"}},
    ]}}  # fmt: skip
    part = sdk.parse(sdk.types.MessageContent, text)
    assert type(part).__name__ == "TextContentBlock"
    assert type(part.text.annotations[0]).__name__ == "FilePathAnnotation"
    details = sdk.parse(sdk.types.RunStepStepDetails, {"type": "tool_calls", "tool_calls": [
        {"id": "c", "type": "function", "function": {"name": "f", "arguments": "{}", "output": None}},
    ]})  # fmt: skip
    assert type(details).__name__ == "ToolCallsStepDetails"
    assert type(details.tool_calls[0]).__name__ == "FunctionToolCall"


def test_field_names_match_the_official_openai_types(sdk: Any) -> None:
    from openai.types import beta
    from openai.types.beta import threads
    from openai.types.beta.threads import runs

    official = {
        "Assistant": beta.Assistant, "AssistantDeleted": beta.AssistantDeleted, "Thread": beta.Thread,
        "ThreadDeleted": beta.ThreadDeleted, "Message": threads.Message, "MessageDeleted": threads.MessageDeleted,
        "Run": threads.Run, "RunStep": runs.RunStep, "CodeInterpreterTool": beta.CodeInterpreterTool,
        "FileSearchTool": beta.FileSearchTool, "FunctionTool": beta.FunctionTool,
        "TextContentBlock": threads.TextContentBlock, "ImageFileContentBlock": threads.ImageFileContentBlock,
        "ImageURLContentBlock": threads.ImageURLContentBlock, "RefusalContentBlock": threads.RefusalContentBlock,
        "FileCitationAnnotation": threads.FileCitationAnnotation, "FilePathAnnotation": threads.FilePathAnnotation,
        "MessageDeltaEvent": threads.MessageDeltaEvent, "RunStepDeltaEvent": runs.RunStepDeltaEvent,
        "CodeInterpreterToolCall": runs.CodeInterpreterToolCall, "FileSearchToolCall": runs.FileSearchToolCall,
        "FunctionToolCall": runs.FunctionToolCall, "ToolCallsStepDetails": runs.ToolCallsStepDetails,
        "MessageCreationStepDetails": runs.MessageCreationStepDetails,
        "RequiredActionFunctionToolCall": threads.RequiredActionFunctionToolCall,
    }  # fmt: skip
    for name, theirs in official.items():
        assert set(getattr(sdk.types, name).model_fields) == set(theirs.model_fields), name
    from openai.types.beta import assistant_stream_event

    for event_class in (
        "ThreadCreated",
        "ThreadRunCreated",
        "ThreadRunStepDelta",
        "ThreadMessageDelta",
        "ErrorEvent",
    ):
        assert hasattr(assistant_stream_event, event_class) and hasattr(sdk.types, event_class)


def test_descriptions_become_docstrings(sdk: Any) -> None:
    spec = load_spec(FLAGSHIP.spec)
    assistant = spec.definitions()["Assistant"]
    assert inspect.getdoc(sdk.types.Assistant).startswith(assistant.description)  # type: ignore[union-attr]
    tree = ast.parse(inspect.getsource(sdk.types.models))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Assistant")
    docs = {}
    for before, after in zip(cls.body, cls.body[1:]):
        if (
            isinstance(before, ast.AnnAssign)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
        ):
            docs[before.target.id] = after.value.value  # type: ignore[attr-defined]
    for field in assistant.fields:  # type: ignore[union-attr]
        if field.description:
            assert inspect.cleandoc(docs[field.name]) == field.description


def required_keys(typed_dict: Any) -> set[str]:
    """Keys marked Required[...] (annotations are lazy strings, as in the official package)."""
    from typing import get_origin

    from typing_extensions import Required, get_type_hints

    hints = get_type_hints(typed_dict, include_extras=True)
    return {key for key, hint in hints.items() if get_origin(hint) is Required}


def test_request_params_are_typed_dicts(sdk: Any) -> None:
    params = sdk.types.AssistantCreateParams
    assert required_keys(params) == {"model"}
    assert {"name", "tools", "tool_resources", "metadata"} <= set(params.__annotations__)
    assert required_keys(sdk.types.CodeInterpreterToolParam) == {"type"}
