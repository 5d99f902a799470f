"""Resource and method names for operations the overlay does not place (placement.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sdkgen.importers.placement import (
    CLIENT_MEMBERS,
    RESOURCE_MEMBERS,
    Operation,
    method_names,
    resource_of,
)
from sdkgen.render.environment import target_root

from .corpus import import_document


def op(
    operation_id: str, verb: str = "get", path: str = "/x", tags: tuple[str, ...] = ()
) -> Operation:
    return Operation(operation_id or f"{verb} {path}", verb, path, operation_id, tags)


@pytest.mark.parametrize(
    ("operation", "resource"),
    [
        (op("a", tags=("Pet Store", "other")), "pet_store"),
        (op("a", path="/api/v2/pets/{id}"), "pets"),
        (op("a", path="/v1.2/orders"), "orders"),
        (op("a", path="/{tenant}/invoices"), "invoices"),
        (op("a", path="/api"), "api"),
        (op("a", path="/"), "root"),
    ],
)
def test_the_resource_is_the_first_tag_else_the_first_path_word(
    operation: Operation, resource: str
) -> None:
    assert resource_of(operation) == resource


def test_method_names_drop_the_resource_words() -> None:
    names = method_names(
        "pets",
        [op("listPets"), op("createPet", "post"), op("showPetById", path="/x/{id}"), op("items_pets_feed")],
    )  # fmt: skip
    assert names == {
        "listPets": "list",
        "createPet": "create",
        "showPetById": "show_by_id",
        "items_pets_feed": "items_feed",
    }


def test_a_name_of_only_resource_words_keeps_the_operation_id() -> None:
    assert method_names("pets", [op("pets")]) == {"pets": "pets"}


@pytest.mark.parametrize(
    ("verb", "path", "name"),
    [
        ("get", "/pets", "list"),
        ("post", "/pets", "create"),
        ("get", "/pets/{petId}", "retrieve"),
        ("put", "/pets/{petId}", "update"),
        ("patch", "/pets/{petId}", "update"),
        ("delete", "/pets/{petId}", "delete"),
        ("post", "/pets/{petId}/feed", "post_feed"),
        ("head", "/pets", "head"),
    ],
)
def test_operations_without_an_operation_id_are_named_by_their_shape(
    verb: str, path: str, name: str
) -> None:
    assert method_names("pets", [op("", verb, path)]) == {f"{verb} {path}": name}


def test_collisions_fall_back_to_the_full_name_then_a_number() -> None:
    names = method_names(
        "pets",
        [op("getPets", path="/a"), op("getPet", path="/b"), op("get_pets", path="/c"), op("other")],
        taken=frozenset({"other"}),
    )
    assert names == {
        "getPets": "get_pets",
        "getPet": "get_pet",
        "get_pets": "get_pets_2",
        "other": "other_2",
    }


def test_keywords_get_a_trailing_underscore() -> None:
    assert method_names("items", [op("importItems", "post")]) == {"importItems": "import_"}


def test_names_do_not_depend_on_document_order() -> None:
    forward = [op("getPets", path="/a"), op("getPet", path="/b"), op("get_pets", path="/c")]
    assert method_names("pets", forward) == method_names("pets", list(reversed(forward)))


DOCUMENT = """
openapi: 3.1.0
info: {title: Tasks, version: "1"}
paths:
  /api/v1/tasks:
    get: {operationId: tasks_tasks_list, tags: [tasks], responses: {"204": {description: ok}}}
    post: {responses: {"204": {description: ok}}}
  /api/v1/tasks/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"204": {description: ok}}
"""


def test_a_document_without_an_overlay_gets_short_names(tmp_path: Path) -> None:
    spec = import_document(DOCUMENT, tmp_path)
    assert sorted((r, m.name) for r, m in spec.methods()) == [
        ("tasks", "create"),
        ("tasks", "list"),
        ("tasks", "retrieve"),
    ]


def _public_members(module: str, classes: set[str]) -> set[str]:
    """Methods and properties defined in the bodies of `classes` of a runtime module."""
    tree = ast.parse((target_root("python") / "src/package" / module).read_text())
    return {
        item.name
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name in classes
        for item in node.body
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
        and not item.name.startswith("_")
    }


def test_the_reserved_lists_cover_the_runtime_core() -> None:
    client = _public_members("_base_client.py", {"_BaseClient", "SyncAPIClient", "AsyncAPIClient"})
    assert client and client <= CLIENT_MEMBERS, sorted(client - CLIENT_MEMBERS)
    resource = _public_members("_resource.py", {"SyncAPIResource", "AsyncAPIResource"})
    assert resource <= RESOURCE_MEMBERS, sorted(resource - RESOURCE_MEMBERS)
