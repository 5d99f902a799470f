"""The OpenAPI importer, on inline mini-specs and on the flagship input."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from sdkgen.config import Config, default_config, load_config
from sdkgen.errors import InputError
from sdkgen.importers.openapi import import_openapi
from sdkgen.spec import load_spec
from sdkgen.spec.model import Enum, Model, Spec, Union_

from .conftest import FLAGSHIP


def import_doc(
    tmp_path: Path, schemas: dict[str, Any], version: str = "3.1.0", **config: Any
) -> Spec:
    """Import an OpenAPI document holding `schemas` and one operation returning `Root`."""
    doc = {
        "openapi": version,
        "info": {"title": "Demo", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "tags": ["Things"],
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Root"}
                                }
                            }
                        }
                    },
                }
            }
        },
        "components": {"schemas": schemas},
    }
    source = tmp_path / "openapi.yaml"
    source.write_text(yaml.safe_dump(doc))
    if not config:
        return import_openapi(default_config(source))
    overlay = tmp_path / "config.yaml"
    overlay.write_text(yaml.safe_dump({"source": "openapi.yaml", **config}))
    return import_openapi(load_config(overlay))


def definition(spec: Spec, name: str) -> Any:
    return spec.definitions()[name]


def field_types(model: Model) -> dict[str, str]:
    return {f.name: str(f.type) for f in model.fields}


def test_every_way_of_saying_null_folds_into_nullable(tmp_path: Path) -> None:
    spec = import_doc(
        tmp_path,
        {
            "Root": {
                "type": "object",
                "properties": {
                    "a": {"type": "string", "nullable": True},
                    "b": {"type": ["integer", "null"]},
                    "c": {
                        "anyOf": [
                            {"type": "string", "maxLength": 3, "description": "inner"},
                            {"type": "null"},
                        ]
                    },
                    "d": {"oneOf": [{"$ref": "#/components/schemas/Leaf"}, {"type": "null"}]},
                    "e": {"allOf": [{"$ref": "#/components/schemas/Leaf"}, {"nullable": True}]},
                    "f": {"type": "string", "enum": ["x", "y", None]},
                    "g": {"$ref": "#/components/schemas/Maybe"},
                },
            },
            "Leaf": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Maybe": {"anyOf": [{"$ref": "#/components/schemas/Leaf"}, {"type": "null"}]},
        },
    )
    root = definition(spec, "Root")
    assert field_types(root) == {
        "a": "string?", "b": "integer?", "c": "string?", "d": "Leaf?", "e": "Leaf?", "f": "RootF?", "g": "Maybe",
    }  # fmt: skip
    c = next(f for f in root.fields if f.name == "c")
    assert (c.description, c.constraints) == ("inner", {"max_length": 3})
    assert str(definition(spec, "Maybe").type) == "Leaf?"


def test_all_of_merges_properties_and_required(tmp_path: Path) -> None:
    spec = import_doc(
        tmp_path,
        {
            "Base": {
                "type": "object",
                "properties": {"id": {"type": "string"}},
                "required": ["id"],
            },
            "Root": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {
                        "type": "object",
                        "properties": {"name": {"type": "string"}},
                        "required": ["name"],
                    },
                ],
                "description": "merged",
            },
        },
    )
    root = definition(spec, "Root")
    assert [(f.name, f.required) for f in root.fields] == [("id", True), ("name", True)]
    assert root.description == "merged"


def test_discriminator_is_inferred_from_one_value_tags_and_nested_unions_flatten(
    tmp_path: Path,
) -> None:
    tagged = lambda tag: {
        "type": "object",
        "properties": {"kind": {"type": "string", "enum": [tag]}, "data": {"type": "string"}},
        "required": ["kind"],
    }
    spec = import_doc(
        tmp_path,
        {
            "Root": {"oneOf": [{"$ref": "#/components/schemas/Family"}, tagged("solo")]},
            "Family": {"oneOf": [tagged("first.one"), tagged("second")]},
        },
    )
    root = definition(spec, "Root")
    assert isinstance(root, Union_)
    assert root.discriminator == "kind"
    assert root.mapping == {
        "first.one": "FamilyFirstOne",
        "second": "FamilySecond",
        "solo": "RootSolo",
    }
    assert definition(spec, "Family").discriminator == "kind"


def test_union_without_a_shared_tag_is_told_apart_by_shape(tmp_path: Path) -> None:
    spec = import_doc(
        tmp_path,
        {
            "Root": {
                "oneOf": [
                    {"type": "string", "enum": ["auto", "none"]},
                    {"type": "array", "items": {"type": "string"}},
                ]
            }
        },
    )
    root = definition(spec, "Root")
    assert root.discriminator == "" and [str(v) for v in root.variants] == [
        "RootString",
        "list[string]",
    ]
    assert isinstance(definition(spec, "RootString"), Enum)


def test_inline_schemas_are_named_by_parent_path(tmp_path: Path) -> None:
    spec = import_doc(
        tmp_path,
        {
            "Root": {
                "type": "object",
                "properties": {
                    "tool_resources": {
                        "type": "object",
                        "properties": {
                            "code_interpreter": {
                                "type": "object",
                                "properties": {
                                    "ids": {"type": "array", "items": {"type": "string"}}
                                },
                            }
                        },
                    },
                    "tools": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "title": "Text",
                            "properties": {"x": {"type": "string"}},
                        },
                    },
                    "entries": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "title": "Text",
                            "properties": {"y": {"type": "string"}},
                        },
                    },
                    "status": {"type": "string", "enum": ["a", "b"]},
                },
            }
        },
    )
    names = set(spec.definitions())
    assert {
        "RootToolResources",
        "RootToolResourcesCodeInterpreter",
        "RootTool",
        "RootEntry",
        "RootStatus",
    } <= names
    assert not any(re.search(r"\d$", n) for n in names)


def test_renames_exact_and_prefix_and_stale(tmp_path: Path) -> None:
    schemas = {
        "Root": {"oneOf": [
            {"type": "object", "properties": {"event": {"enum": ["run.created"]}}},
            {"type": "object", "properties": {"event": {"enum": ["run.done"]}}},
        ]},
    }  # fmt: skip
    spec = import_doc(tmp_path, schemas, renames={"Root": "Event", "Event*": "*"})
    assert set(spec.definitions()) == {"Event", "RunCreated", "RunDone"}
    with pytest.raises(InputError, match=r"renames\.Nope: no schema gets this name"):
        import_doc(tmp_path, schemas, renames={"Nope": "X"})


def test_a_one_value_enum_is_a_constant_unless_the_overlay_names_it(tmp_path: Path) -> None:
    schemas = {
        "Root": {"type": "object", "properties": {
            "include": {"type": "array", "items": {"enum": ["a.b[*]"]}},
            "object": {"enum": ["root"]},
        }},
        "RootObject": {"type": "string"},
    }  # fmt: skip
    spec = import_doc(tmp_path, schemas)
    assert field_types(definition(spec, "Root")) == {
        "include": 'list[literal["a.b[*]"]]',
        "object": 'literal["root"]',
    }
    # `RootObject` renames the component; the constant whose derived name matches stays one
    spec = import_doc(tmp_path, schemas, renames={"RootIncludeItem": "Include", "RootObject": "O"})
    assert field_types(definition(spec, "Root")) == {
        "include": "list[Include]",
        "object": 'literal["root"]',
    }
    assert definition(spec, "Include").values == ("a.b[*]",)


@pytest.mark.parametrize("reverse", [False, True])
def test_schemas_that_normalize_to_one_name_are_numbered_by_key(
    tmp_path: Path, reverse: bool
) -> None:
    """The key spelled like the name keeps it, the others follow by code point (`Name2`,
    `Name3`, skipping names other keys have), whatever order the document lists them in."""

    def obj(prop: str) -> dict[str, Any]:
        return {"type": "object", "properties": {prop: {"type": "string"}}}

    keys = {"foo_bar": obj("a"), "FooBar": obj("b"), "foo-bar": obj("c"), "FooBar2": obj("d")}
    schemas: dict[str, Any] = {
        "Root": {
            "type": "object",
            "properties": {
                f"p{i}": {"$ref": f"#/components/schemas/{k}"} for i, k in enumerate(keys)
            },
        },
        **dict(reversed(keys.items()) if reverse else keys.items()),
    }
    spec = import_doc(tmp_path, schemas)
    fields = {d.name: [f.name for f in d.fields] for d in spec.models}
    assert fields["FooBar"] == ["b"]  # spelled like the name
    assert fields["FooBar2"] == ["d"]  # a key of its own
    assert fields["FooBar3"] == ["c"]  # "foo-bar" < "foo_bar"
    assert fields["FooBar4"] == ["a"]
    root = {f.name: f.type.name for f in next(d for d in spec.models if d.name == "Root").fields}
    assert root == {"p0": "FooBar4", "p1": "FooBar", "p2": "FooBar3", "p3": "FooBar2"}


def test_inline_schemas_that_meet_on_one_name_are_numbered_in_document_order(
    tmp_path: Path,
) -> None:
    schemas = {
        "Root": {
            "type": "object",
            "properties": {
                "a_b": {"type": "object", "properties": {"x": {"type": "string"}}},
                "aB": {"type": "object", "properties": {"y": {"type": "integer"}}},
                "ab_same": {"enum": ["p", "q"]},
                "abSame": {"enum": ["p", "q"]},
            },
        },
    }
    spec = import_doc(tmp_path, schemas)
    fields = {
        d.name: [f.name for f in d.fields] for d in spec.models
    }  # written with sorted keys: `aB` first
    assert fields["RootAB"] == ["y"] and fields["RootAB2"] == ["x"]
    root = {f.name: f.type.name for f in next(d for d in spec.models if d.name == "Root").fields}
    # Two identical schemas on one name are one definition.
    assert root == {
        "a_b": "RootAB2",
        "aB": "RootAB",
        "ab_same": "RootAbSame",
        "abSame": "RootAbSame",
    }
    assert [e.name for e in spec.enums] == ["RootAbSame"]


def test_openapi_3_0_exclusive_bounds_and_deprecation(tmp_path: Path) -> None:
    spec = import_doc(
        tmp_path,
        {"Root": {"type": "object", "deprecated": True, "properties": {
            "n": {"type": "number", "minimum": 0, "exclusiveMinimum": True, "deprecated": True, "default": 1, "example": 2},
        }}},
        version="3.0.3",
    )  # fmt: skip
    root = definition(spec, "Root")
    (n,) = root.fields
    assert root.deprecated and n.deprecated
    assert (n.constraints, n.default, n.example) == ({"exclusive_minimum": 0}, 1, 2)


def test_operations_placed_by_tag_without_an_overlay(tmp_path: Path) -> None:
    spec = import_doc(tmp_path, {"Root": {"type": "object", "properties": {}}})
    (resource,) = spec.resources
    assert resource.name == "things"
    assert [(m.name, m.http_method, m.path, str(m.response)) for m in resource.methods] == [
        ("list", "GET", "/things", "Root")
    ]
    assert str(definition(spec, "Root").type) == "map[any]"  # an object with no properties


# -- the flagship --------------------------------------------------------------------

OFFICIAL_SURFACE = {
    "beta.assistants": ["create", "retrieve", "update", "list", "delete"],
    "beta.threads": ["create", "retrieve", "update", "delete", "create_and_run"],
    "beta.threads.runs": ["create", "retrieve", "update", "list", "cancel", "submit_tool_outputs"],
    "beta.threads.runs.steps": ["retrieve", "list"],
    "beta.threads.messages": ["create", "retrieve", "update", "list", "delete"],
}


@pytest.fixture(scope="module")
def flagship() -> Spec:
    return load_spec(FLAGSHIP.spec)


def test_flagship_has_all_23_operations_in_the_official_tree(flagship: Spec) -> None:
    found: dict[str, list[str]] = {}
    for path, method in flagship.methods():
        found.setdefault(path, []).append(method.name)
    assert found == OFFICIAL_SURFACE
    assert sum(map(len, found.values())) == 23


def test_flagship_pagination_and_streaming_come_from_the_overlay(flagship: Spec) -> None:
    methods = {f"{path}.{m.name}": m for path, m in flagship.methods()}
    paged = {k for k, m in methods.items() if m.pagination}
    assert paged == {f"{p}.list" for p in OFFICIAL_SURFACE if "list" in OFFICIAL_SURFACE[p]}
    assert str(methods["beta.assistants.list"].pagination.item) == "Assistant"  # type: ignore[union-attr]
    streaming = {k for k, m in methods.items() if m.streaming}
    assert streaming == {
        "beta.threads.create_and_run",
        "beta.threads.runs.create",
        "beta.threads.runs.submit_tool_outputs",
    }
    assert flagship.api.default_headers == {"OpenAI-Beta": "assistants=v2"}


@pytest.mark.parametrize(
    ("union", "discriminator", "size"),
    [
        ("AssistantTool", "type", 3),
        ("AssistantStreamEvent", "event", 25),
        ("MessageContent", "type", 4),
        ("MessageContentDelta", "type", 4),
        ("RunStepStepDetails", "type", 2),
        ("ToolCall", "type", 3),
        ("ToolCallDelta", "type", 3),
        ("Annotation", "type", 2),
    ],
)
def test_flagship_unions_are_discriminated(
    flagship: Spec, union: str, discriminator: str, size: int
) -> None:
    found = flagship.definitions()[union]
    assert isinstance(found, Union_)
    assert (found.discriminator, len(found.variants)) == (discriminator, size)


def test_flagship_stream_events_carry_the_official_names(flagship: Spec) -> None:
    events = flagship.definitions()["AssistantStreamEvent"]
    assert isinstance(events, Union_)
    assert events.mapping["thread.created"] == "ThreadCreated"
    assert events.mapping["thread.run.step.delta"] == "ThreadRunStepDelta"
    assert events.mapping["thread.message.delta"] == "ThreadMessageDelta"
    assert events.mapping["error"] == "ErrorEvent"


def test_flagship_reaches_every_schema_of_the_assistants_operations(flagship: Spec) -> None:
    """Each component reached from the 23 operations and AssistantStreamEvent is named in spec.yaml."""
    doc = yaml.load(
        (FLAGSHIP.root / "spec/upstream/openai-openapi-2026-05-13.yaml").read_text(),
        Loader=yaml.CSafeLoader,
    )
    schemas = doc["components"]["schemas"]
    reached: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.split("/")[-1] not in reached:
                reached.add(ref.split("/")[-1])
                walk(schemas[ref.split("/")[-1]])
            for key, value in node.items():
                if key != "x-oaiMeta":
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for item in doc["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and "Assistants" in op.get("tags", []):
                walk(op)
    walk({"$ref": "#/components/schemas/AssistantStreamEvent"})
    # A component is named itself, or (nullable or one-member wrappers) by the schema it wraps.
    sources = {
        d.source.split("/")[3]
        for d in flagship.definitions().values()
        if d.source.startswith("#/components/")
    }
    assert len(reached) > 80
    assert reached <= sources


def test_flagship_import_is_deterministic_and_matches_committed_spec() -> None:
    config: Config = load_config(FLAGSHIP.config)
    from sdkgen.pipeline import import_spec

    assert import_spec(config) == FLAGSHIP.spec.read_text(encoding="utf-8")
