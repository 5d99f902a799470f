"""The semantic diff behind `sdkgen sync`: each change class on a mini spec, the reports,
version bumps, stale overlay entries, and the two pinned snapshots of the OpenAI spec."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from sdkgen.config import load_config
from sdkgen.errors import InputError
from sdkgen.importers.openapi import import_openapi
from sdkgen.spec import Spec, parse_spec
from sdkgen.sync import (
    ADDITION,
    BREAKING,
    DOCS,
    Changelog,
    Entry,
    compare,
    next_version,
    to_json,
    to_markdown,
)

from .conftest import ROOT

# Thing and everything it reaches are only received (responses); ThingCreateParams is only
# sent (a request body); Owner and Color travel both ways.
BASE = """
api:
  name: demo
  title: Demo API
  version: 1.0.0
  description: A demo.
  base_url: https://api.example.com/v1
models:
  Thing:
    description: A thing.
    fields:
      id: {type: string, required: true}
      name: {type: "string?", required: true, description: Its name.}
      size: {type: number, default: 1, example: 2, constraints: {minimum: 0}}
      color: {type: Color}
      shape: {type: Shape}
      owner: {type: Owner}
      tags: {type: Tags}
  ThingCreateParams:
    fields:
      name: {type: string, required: true}
      count: {type: integer}
      note: {type: string}
      color: {type: Color}
      owner: {type: Owner}
      stream: {type: boolean}
  Owner:
    fields:
      id: {type: string, required: true}
      email: {type: string}
  ThingEvent:
    fields:
      event: {type: string, required: true}
  ThingList:
    fields:
      data: {type: "list[Thing]", required: true}
      has_more: {type: boolean, required: true}
  Circle:
    fields:
      kind: {type: 'literal["circle"]', required: true}
  Square:
    fields:
      kind: {type: 'literal["square"]', required: true}
enums:
  Color:
    description: A color.
    values: [red, green]
unions:
  Shape:
    discriminator: kind
    variants: [Circle, Square]
    mapping: {circle: Circle, square: Square}
aliases:
  Tags:
    type: map[string]
resources:
  things:
    description: Things.
    methods:
      create:
        http: POST /things
        operation_id: createThing
        title: Create thing
        body: {type: ThingCreateParams}
        response: Thing
        streaming: {param: stream, event: ThingEvent}
      retrieve:
        http: GET /things/{thing_id}
        path_params:
          thing_id: {type: string, required: true}
        query_params:
          expand: {type: string}
        response: Thing
      list:
        http: GET /things
        query_params:
          limit: {type: integer}
        response: ThingList
        pagination: {scheme: cursor, item: Thing}
      label:
        http: POST /things/{thing_id}/labels
        path_params:
          thing_id: {type: string, required: true}
        body: {type: "list[string]"}
"""

Edit = Callable[[dict[str, Any]], None]

THING = "models.Thing.fields"
PARAMS = "models.ThingCreateParams.fields"
OWNER = "models.Owner.fields"
METHODS = "resources.things.methods"


def put(path: str, value: Any) -> Edit:
    """Set the value at a dotted path of the spec data, creating mappings on the way."""

    def edit(data: dict[str, Any]) -> None:
        *parents, key = path.split(".")
        for part in parents:
            data = data.setdefault(part, {})
        data[key] = value

    return edit


def drop(path: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        *parents, key = path.split(".")
        for part in parents:
            data = data[part]
        del data[key]

    return edit


def spec_with(*edits: Edit) -> Spec:
    data = yaml.safe_load(BASE)
    for edit in edits:
        edit(data)
    return parse_spec(yaml.safe_dump(data))


def changes(before: list[Edit], after: list[Edit]) -> list[tuple[str, str, str]]:
    changelog = compare(spec_with(*before), spec_with(*after))
    return [(e.kind, e.location, e.message) for e in changelog.entries]


SPARE_MODEL = put("models.Spare", {"fields": {"a": {"type": "string"}}})
NOTE_OR_LIST = put("unions.NoteOrList", {"variants": ["string", "list[string]"]})

BREAKING_CASES = [
    pytest.param(
        [], [drop(f"{METHODS}.retrieve")], [(BREAKING, "things.retrieve", "method removed")],
        id="method removed",
    ),
    pytest.param([SPARE_MODEL], [], [(BREAKING, "Spare", "model removed")], id="model removed"),
    pytest.param(
        [put("enums.Level", {"values": ["low"]})], [], [(BREAKING, "Level", "enum removed")],
        id="enum removed",
    ),
    pytest.param(
        [NOTE_OR_LIST], [], [(BREAKING, "NoteOrList", "union removed")], id="union removed"
    ),
    pytest.param(
        [put("aliases.Ids", {"type": "list[string]"})], [], [(BREAKING, "Ids", "alias removed")],
        id="alias removed",
    ),
    pytest.param(
        [], [drop(f"{THING}.size")], [(BREAKING, "Thing.size", "field removed")],
        id="field removed",
    ),
    pytest.param(
        [], [drop(f"{METHODS}.retrieve.query_params.expand")],
        [(BREAKING, "things.retrieve.expand", "query parameter removed")],
        id="parameter removed",
    ),
    pytest.param(
        [], [put("enums.Color.values", ["red"])], [(BREAKING, "Color", 'value "green" removed')],
        id="enum value removed",
    ),
    pytest.param(
        [],
        [put("unions.Shape.variants", ["Circle"]), drop("unions.Shape.mapping.square")],
        [(BREAKING, "Shape", "member Square removed")],
        id="union member removed",
    ),
    pytest.param(
        [], [put(f"{PARAMS}.count.required", True)],
        [(BREAKING, "ThingCreateParams.count", "field is now required")],
        id="optional field became required",
    ),
    pytest.param(
        [], [put(f"{METHODS}.retrieve.query_params.expand.required", True)],
        [(BREAKING, "things.retrieve.expand", "query parameter is now required")],
        id="optional parameter became required",
    ),
    pytest.param(
        [], [put(f"{PARAMS}.size", {"type": "number", "required": True})],
        [(BREAKING, "ThingCreateParams.size", "new required field")],
        id="new required field on input",
    ),
    pytest.param(
        [], [put(f"{OWNER}.name", {"type": "string", "required": True})],
        [(BREAKING, "Owner.name", "new required field")],
        id="new required field on a model sent and received",
    ),
    pytest.param(
        [], [put(f"{METHODS}.list.query_params.order", {"type": "string", "required": True})],
        [(BREAKING, "things.list.order", "new required query parameter")],
        id="new required parameter",
    ),
    pytest.param(
        [], [put(f"{PARAMS}.count.type", "string")],
        [(BREAKING, "ThingCreateParams.count", "type changed from integer to string")],
        id="incompatible type of a sent field",
    ),
    pytest.param(
        [], [put(f"{PARAMS}.note.type", "Color")],
        [(BREAKING, "ThingCreateParams.note", "type changed from string to Color")],
        id="a sent field narrowed to an enum",
    ),
    pytest.param(
        [], [put(f"{THING}.name.type", "string"), put(f"{THING}.id.type", "string?")],
        [(BREAKING, "Thing.id", "type changed from string to string?"),
         (ADDITION, "Thing.name", "type changed from string? to string")],
        id="a received field widened breaks, narrowed does not",
    ),
    pytest.param(
        [], [put(f"{OWNER}.email.type", "string?")],
        [(BREAKING, "Owner.email", "type changed from string to string?")],
        id="sent and received: only identical types are compatible",
    ),
    pytest.param(
        [], [put(f"{METHODS}.retrieve.query_params.expand.type", "integer")],
        [(BREAKING, "things.retrieve.expand", "type changed from string to integer")],
        id="incompatible parameter type",
    ),
    pytest.param(
        [], [put(f"{METHODS}.retrieve.response", "Thing?")],
        [(BREAKING, "things.retrieve", "response type changed from Thing to Thing?")],
        id="response type widened",
    ),
    pytest.param(
        [], [put(f"{METHODS}.retrieve.response", "ThingList")],
        [(BREAKING, "things.retrieve", "response type changed from Thing to ThingList")],
        id="response type replaced",
    ),
    pytest.param(
        [], [put(f"{METHODS}.label.body.type", "list[integer]")],
        [(BREAKING, "things.label",
          "request body type changed from list[string] to list[integer]")],
        id="incompatible body type",
    ),
    pytest.param(
        [], [put(f"{METHODS}.retrieve.http", "GET /items/{thing_id}")],
        [(BREAKING, "things.retrieve", "now GET /items/{thing_id}, was GET /things/{thing_id}")],
        id="path changed",
    ),
    pytest.param(
        [], [put(f"{METHODS}.label.http", "PUT /things/{thing_id}/labels")],
        [(BREAKING, "things.label",
          "now PUT /things/{thing_id}/labels, was POST /things/{thing_id}/labels")],
        id="HTTP method changed",
    ),
    pytest.param(
        [], [drop("unions.Shape.discriminator"), drop("unions.Shape.mapping")],
        [(BREAKING, "Shape", "discriminator changed from kind to (none)")],
        id="union discriminator changed",
    ),
    pytest.param(
        [], [put("unions.Shape.mapping", {"round": "Circle", "square": "Square"}),
             put("models.Circle.fields.kind.type", 'literal["round"]')],
        [(BREAKING, "Circle.kind", 'type changed from literal["circle"] to literal["round"]'),
         (BREAKING, "Shape", "discriminator value 'circle' removed"),
         (ADDITION, "Shape", "discriminator value 'round' now picks Circle")],
        id="discriminator value renamed",
    ),
    pytest.param(
        [], [drop(f"{METHODS}.retrieve.response")],
        [(BREAKING, "things.retrieve", "no longer returns Thing")],
        id="response removed",
    ),
    pytest.param(
        [], [put(f"{METHODS}.retrieve.response_content_type", "application/vnd.things+json")],
        [(BREAKING, "things.retrieve",
          "response is now application/vnd.things+json, was application/json")],
        id="response content type changed",
    ),
    pytest.param(
        [], [drop(f"{METHODS}.label.body")], [(BREAKING, "things.label", "request body removed")],
        id="body removed",
    ),
    pytest.param(
        [], [put(f"{METHODS}.retrieve.body", {"type": "Owner"})],
        [(BREAKING, "things.retrieve", "new required request body")],
        id="new required body",
    ),
    pytest.param(
        [], [put(f"{METHODS}.label.body.content_type", "application/merge-patch+json")],
        [(BREAKING, "things.label",
          "request body is now application/merge-patch+json, was application/json")],
        id="body content type changed",
    ),
    pytest.param(
        [], [drop(f"{METHODS}.create.streaming")],
        [(BREAKING, "things.create", "no longer streams")],
        id="streaming removed",
    ),
    pytest.param(
        [], [drop(f"{METHODS}.list.pagination")],
        [(BREAKING, "things.list", "no longer paginated")],
        id="pagination removed",
    ),
    pytest.param(
        [], [drop("aliases.Tags"), put("models.Tags", {"fields": {"a": {"type": "string"}}})],
        [(BREAKING, "Tags", "changed from alias to model")],
        id="definition changed kind",
    ),
    pytest.param(
        [put("models.Owner.extra", "string")], [],
        [(BREAKING, "Owner", "no longer allows extra properties")],
        id="extra properties no longer allowed",
    ),
    pytest.param(
        [put("models.Thing.extra", "integer")], [put("models.Thing.extra", "number")],
        [(BREAKING, "Thing", "type of extra properties changed from integer to number")],
        id="received extra properties widened",
    ),
    pytest.param(
        [], [put("api.base_url", "https://api.example.com/v2")],
        [(BREAKING, "api",
          "base URL changed from https://api.example.com/v1 to https://api.example.com/v2")],
        id="base URL changed",
    ),
]  # fmt: skip

ADDITION_CASES = [
    pytest.param(
        [], [put(f"{METHODS}.archive", {"http": "POST /things/archive"})],
        [(ADDITION, "things.archive", "new method")],
        id="new method",
    ),
    pytest.param([], [SPARE_MODEL], [(ADDITION, "Spare", "new model")], id="new model"),
    pytest.param(
        [], [put("enums.Level", {"values": ["low"]})], [(ADDITION, "Level", "new enum")],
        id="new enum",
    ),
    pytest.param([], [NOTE_OR_LIST], [(ADDITION, "NoteOrList", "new union")], id="new union"),
    pytest.param(
        [], [put("aliases.Ids", {"type": "list[string]"})], [(ADDITION, "Ids", "new alias")],
        id="new alias",
    ),
    pytest.param(
        [], [put(f"{PARAMS}.weight", {"type": "number"})],
        [(ADDITION, "ThingCreateParams.weight", "new optional field")],
        id="new optional field",
    ),
    pytest.param(
        [], [put(f"{METHODS}.list.query_params.order", {"type": "string"})],
        [(ADDITION, "things.list.order", "new optional query parameter")],
        id="new optional parameter",
    ),
    pytest.param(
        [], [put("enums.Color.values", ["red", "green", "blue"])],
        [(ADDITION, "Color", 'new value "blue"')],
        id="new enum value",
    ),
    pytest.param(
        [], [
            put("models.Triangle.fields.kind", {"type": 'literal["triangle"]', "required": True}),
            put("unions.Shape.variants", ["Circle", "Square", "Triangle"]),
            put("unions.Shape.mapping.triangle", "Triangle"),
        ],
        [(ADDITION, "Shape", "new member Triangle"), (ADDITION, "Triangle", "new model")],
        id="new union member",
    ),
    pytest.param(
        [], [put(f"{PARAMS}.name.required", False)],
        [(ADDITION, "ThingCreateParams.name", "field is now optional")],
        id="required field became optional on input",
    ),
    pytest.param(
        [put(f"{METHODS}.retrieve.query_params.expand.required", True)], [],
        [(ADDITION, "things.retrieve.expand", "query parameter is now optional")],
        id="required parameter became optional",
    ),
    pytest.param(
        [], [put(f"{PARAMS}.note.type", "string?")],
        [(ADDITION, "ThingCreateParams.note", "type changed from string to string?")],
        id="sent: T to T?",
    ),
    pytest.param(
        [], [NOTE_OR_LIST, put(f"{PARAMS}.note.type", "NoteOrList")],
        [(ADDITION, "NoteOrList", "new union"),
         (ADDITION, "ThingCreateParams.note", "type changed from string to NoteOrList")],
        id="sent: T to a union containing T",
    ),
    pytest.param(
        [], [put(f"{PARAMS}.count.type", "number")],
        [(ADDITION, "ThingCreateParams.count", "type changed from integer to number")],
        id="sent: integer to number",
    ),
    pytest.param(
        [put(f"{PARAMS}.note.type", 'literal["x"]')], [],
        [(ADDITION, "ThingCreateParams.note", 'type changed from literal["x"] to string')],
        id="sent: a literal to its primitive",
    ),
    pytest.param(
        [put("enums.Mode.values", ["a"]), put(f"{PARAMS}.note.type", "Mode")],
        [put("enums.WideMode.values", ["a", "b"]), put(f"{PARAMS}.note.type", "WideMode")],
        [(BREAKING, "Mode", "enum removed"),
         (ADDITION, "ThingCreateParams.note", "type changed from Mode to WideMode"),
         (ADDITION, "WideMode", "new enum")],
        id="sent: an enum to one with more values",
    ),
    pytest.param(
        [], [put("models.Owner.extra", "string")],
        [(ADDITION, "Owner", "now allows extra properties of type string")],
        id="extra properties allowed",
    ),
    pytest.param(
        [], [put(f"{METHODS}.list.query_params.limit.type", "number")],
        [(ADDITION, "things.list.limit", "type changed from integer to number")],
        id="parameter: integer to number",
    ),
    pytest.param(
        [], [put(f"{METHODS}.label.body.type", "list[string?]")],
        [(ADDITION, "things.label",
          "request body type changed from list[string] to list[string?]")],
        id="body widened",
    ),
    pytest.param(
        [], [put(f"{THING}.size.type", "integer")],
        [(ADDITION, "Thing.size", "type changed from number to integer")],
        id="received: number to integer",
    ),
    pytest.param(
        [put(f"{METHODS}.retrieve.response", "Thing?")], [],
        [(ADDITION, "things.retrieve", "response type changed from Thing? to Thing")],
        id="received: response T? to T",
    ),
    pytest.param(
        [], [put(f"{THING}.weight", {"type": "number", "required": True})],
        [(ADDITION, "Thing.weight", "new required field")],
        id="new required field on a response-only model",
    ),
    pytest.param(
        [], [put(f"{THING}.size.required", True)],
        [(ADDITION, "Thing.size", "field is now required")],
        id="received field became always present",
    ),
    pytest.param(
        [drop(f"{METHODS}.create.streaming")], [],
        [(ADDITION, "things.create", "can now stream ThingEvent events")],
        id="new streaming",
    ),
]  # fmt: skip

DOCS_CASES = [
    pytest.param(
        [], [put("models.Thing.description", "A better thing.")],
        [(DOCS, "Thing", "description changed")],
        id="model description",
    ),
    pytest.param(
        [], [put("enums.Color.description", "Colour.")], [(DOCS, "Color", "description changed")],
        id="enum description",
    ),
    pytest.param(
        [], [put(f"{THING}.name.description", "What it is called.")],
        [(DOCS, "Thing.name", "description changed")],
        id="field description",
    ),
    pytest.param(
        [], [put(f"{THING}.size.example", 3), put(f"{THING}.size.default", 2)],
        [(DOCS, "Thing.size", "default changed from 1 to 2"),
         (DOCS, "Thing.size", "example changed")],
        id="field default and example",
    ),
    pytest.param(
        [], [put(f"{THING}.size.constraints", {"minimum": 1})],
        [(DOCS, "Thing.size", 'constraints changed from {"minimum": 0} to {"minimum": 1}')],
        id="field constraints",
    ),
    pytest.param(
        [],
        [put(f"{METHODS}.create.title", "Make thing"), put(f"{METHODS}.create.summary", "Makes.")],
        [(DOCS, "things.create", "summary changed"), (DOCS, "things.create", "title changed")],
        id="method title and summary",
    ),
    pytest.param(
        [], [put(f"{METHODS}.create.operation_id", "makeThing")],
        [(DOCS, "things.create", "operationId changed from createThing to makeThing")],
        id="operationId",
    ),
    pytest.param(
        [], [put("resources.things.description", "All things.")],
        [(DOCS, "things", "description changed")],
        id="resource description",
    ),
    pytest.param(
        [], [put("api.description", "A better demo."), put("api.version", "1.1.0")],
        [(DOCS, "api", "description changed"),
         (DOCS, "api", "version changed from 1.0.0 to 1.1.0")],
        id="api description and version",
    ),
    pytest.param(
        [], [put("models.Thing.deprecated", True), put(f"{METHODS}.list.deprecated", True)],
        [(DOCS, "Thing", "now deprecated"), (DOCS, "things.list", "now deprecated")],
        id="newly deprecated",
    ),
    pytest.param(
        [put(f"{THING}.size.deprecated", True)], [],
        [(DOCS, "Thing.size", "no longer deprecated")],
        id="no longer deprecated",
    ),
]  # fmt: skip


@pytest.mark.parametrize("before, after, expected", BREAKING_CASES + ADDITION_CASES + DOCS_CASES)
def test_change_class(
    before: list[Edit], after: list[Edit], expected: list[tuple[str, str, str]]
) -> None:
    assert changes(before, after) == expected


def test_no_change_at_all() -> None:
    changelog = compare(spec_with(), spec_with())
    assert (changelog.entries, changelog.exit_code, changelog.bump) == ((), 0, "")


def test_entries_are_sorted_by_kind_then_location() -> None:
    after = [
        put("models.Thing.description", "Docs."),
        SPARE_MODEL,
        drop(f"{METHODS}.label"),
        put("enums.Color.values", ["green", "blue"]),
    ]
    assert changes([], after) == [
        (BREAKING, "Color", 'value "red" removed'),
        (BREAKING, "things.label", "method removed"),
        (ADDITION, "Color", 'new value "blue"'),
        (ADDITION, "Spare", "new model"),
        (DOCS, "Thing", "description changed"),
    ]


@pytest.mark.parametrize(
    "kinds, overlay, exit_code, bump",
    [
        ((), [], 0, ""),
        ((DOCS,), [], 10, "patch"),
        ((ADDITION, DOCS), [], 10, "minor"),
        ((), ["renames.X: no schema gets this name (stale rename?)"], 10, ""),
        ((BREAKING, ADDITION), ["renames.X: stale"], 20, "major"),
    ],
)
def test_exit_code_and_bump(
    kinds: tuple[str, ...], overlay: list[str], exit_code: int, bump: str
) -> None:
    changelog = Changelog(tuple(Entry(kind, "X", "changed") for kind in kinds), overlay)
    assert (changelog.exit_code, changelog.bump) == (exit_code, bump)


@pytest.mark.parametrize(
    "version, bump, expected",
    [
        ("2.3.0", "major", "3.0.0"),
        ("2.3.4", "minor", "2.4.0"),
        ("2.3.4", "patch", "2.3.5"),
        ("2.3.4", "", "2.3.4"),
        ("0.4.2", "major", "0.5.0"),
        ("0.4.2", "minor", "0.5.0"),
        ("0.4.2", "patch", "0.4.3"),
        ("10.0.9", "patch", "10.0.10"),
    ],
)
def test_next_version(version: str, bump: str, expected: str) -> None:
    assert next_version(version, bump) == expected


@pytest.mark.parametrize("version", ["2.3", "v2.3.0", "2.3.0-beta.1", "02.3.0", ""])
def test_next_version_refuses_what_is_not_major_minor_patch(version: str) -> None:
    with pytest.raises(ValueError, match=r"is not MAJOR\.MINOR\.PATCH"):
        next_version(version, "minor")


def test_next_version_refuses_an_unknown_bump() -> None:
    with pytest.raises(ValueError, match="bump 'huge'"):
        next_version("1.0.0", "huge")


# -- reports --------------------------------------------------------------------------

SAMPLE = Changelog(
    (
        Entry(BREAKING, "things.retrieve", "method removed"),
        Entry(ADDITION, "Color", 'new value "blue"'),
        Entry(DOCS, "Thing", "description changed"),
    ),
    ["resources.things.gone.operation: no operation 'goneThing' in the document"],
)


def test_markdown_lists_each_non_empty_kind() -> None:
    assert to_markdown(SAMPLE, "demo 1.1.0") == (
        "## demo 1.1.0\n\n"
        "### Breaking changes\n\n- `things.retrieve`: method removed\n\n"
        '### Additions\n\n- `Color`: new value "blue"\n\n'
        "### Documentation\n\n- `Thing`: description changed\n\n"
        "### Overlay entries that no longer match anything\n\n"
        "- `resources.things.gone.operation`: no operation 'goneThing' in the document\n"
    )


def test_markdown_skips_empty_kinds_and_says_when_nothing_changed() -> None:
    docs_only = Changelog((Entry(DOCS, "Thing", "description changed"),))
    assert to_markdown(docs_only, "t") == (
        "## t\n\n### Documentation\n\n- `Thing`: description changed\n"
    )
    assert to_markdown(Changelog(), "t") == "## t\n\nNo changes.\n"


def test_json_is_stable_and_carries_exit_code_and_bump() -> None:
    text = to_json(SAMPLE)
    assert text == to_json(dataclasses.replace(SAMPLE))
    assert list(json.loads(text)) == ["bump", "entries", "exit_code", "overlay"]
    assert json.loads(text) == {
        "bump": "major",
        "exit_code": 20,
        "entries": [
            {"kind": "breaking", "location": "things.retrieve", "message": "method removed"},
            {"kind": "addition", "location": "Color", "message": 'new value "blue"'},
            {"kind": "docs", "location": "Thing", "message": "description changed"},
        ],
        "overlay": list(SAMPLE.overlay),
    }


# -- stale overlay entries ------------------------------------------------------------

STALE_DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "Demo", "version": "1"},
    "paths": {
        "/things": {
            "get": {
                "operationId": "listThings",
                "responses": {
                    "200": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        }
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "string"}}}}
    },
}

STALE_OVERLAY = {
    "source": "openapi.yaml",
    "include_schemas": ["Missing"],
    "renames": {"Thing": "Item", "Nope": "Never"},
    "resources": {
        "things": {
            "list": {"operation": "listThings", "stream": "NoSuchEvent"},
            "gone": "deleteThing",
        }
    },
}


@pytest.fixture
def stale_config(tmp_path: Path) -> Path:
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(STALE_DOCUMENT))
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(STALE_OVERLAY))
    return tmp_path / "config.yaml"


def test_stale_overlay_entries_are_collected_and_skipped(stale_config: Path) -> None:
    stale: list[str] = []
    spec = import_openapi(load_config(stale_config), stale)
    assert stale == [
        "resources.things.gone.operation: no operation 'deleteThing' in the document",
        "resources.things.list.stream: no schema 'NoSuchEvent' under components.schemas",
        "include_schemas: no schema 'Missing' under components.schemas",
        "renames.Nope: no schema gets this name (stale rename?)",
    ]
    [(path, method)] = spec.methods()
    assert (path, method.name, method.streaming, str(method.response)) == (
        "things",
        "list",
        None,
        "Item",
    )


def test_stale_overlay_entries_raise_without_a_list(stale_config: Path) -> None:
    with pytest.raises(InputError) as caught:
        import_openapi(load_config(stale_config))
    assert caught.value.where == str(stale_config)
    assert caught.value.message == (
        "resources.things.gone.operation: no operation 'deleteThing' in the document"
    )


# -- the two pinned snapshots of the OpenAI spec ---------------------------------------

UPSTREAM = ROOT / "spec" / "upstream"


@pytest.fixture(scope="module")
def snapshots() -> dict[str, Spec]:
    """The flagship overlay applied to each snapshot (about a second each)."""
    config = load_config(ROOT / "spec" / "openai-assistants" / "config.yaml")
    found = {}
    for date in ("2026-05-13", "2026-08-21"):
        stale: list[str] = []
        source = UPSTREAM / f"openai-openapi-{date}.yaml"
        found[date] = import_openapi(dataclasses.replace(config, source=source), stale)
        assert stale == []
    return found


def test_snapshots_may_gain_max_reasoning_effort(snapshots: dict[str, Spec]) -> None:
    # Within what the overlay selects, the only other upstream change is a 429 response on
    # every operation, and the normalized spec models success responses only.
    changelog = compare(snapshots["2026-05-13"], snapshots["2026-08-21"])
    assert [(e.kind, e.location, e.message) for e in changelog.entries] == [
        (ADDITION, "ReasoningEffort", 'new value "max"'),
        (DOCS, "ReasoningEffort", "description changed"),
    ]
    assert (changelog.exit_code, changelog.bump, changelog.overlay) == (10, "minor", [])
    assert next_version(snapshots["2026-05-13"].api.version, changelog.bump) == "2.4.0"


def test_snapshots_backwards_lose_max_reasoning_effort(snapshots: dict[str, Spec]) -> None:
    changelog = compare(snapshots["2026-08-21"], snapshots["2026-05-13"])
    assert [(e.kind, e.location, e.message) for e in changelog.entries] == [
        (BREAKING, "ReasoningEffort", 'value "max" removed'),
        (DOCS, "ReasoningEffort", "description changed"),
    ]
    assert (changelog.exit_code, changelog.bump) == (20, "major")


def test_a_snapshot_against_itself_is_unchanged(snapshots: dict[str, Spec]) -> None:
    old = snapshots["2026-05-13"]
    changelog = compare(old, copy.deepcopy(old))
    assert (changelog.entries, changelog.exit_code) == ((), 0)
