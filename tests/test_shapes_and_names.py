"""Issue 10, the rest: whatever `import` writes, `generate` accepts; the shape table; the
reserved-name tables cover what the runtime defines."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pydantic
import pytest
import yaml

from sdkgen import reserved
from sdkgen.config import default_config
from sdkgen.errors import InputError
from sdkgen.importers import shapes
from sdkgen.importers.documents import Documents
from sdkgen.importers.openapi import import_openapi
from sdkgen.pipeline import render_spec_file
from sdkgen.render.environment import target_root
from sdkgen.spec import dump_spec

TESTS = Path(__file__).resolve().parent
DOCUMENTS = sorted(
    p
    for folder in (TESTS / "corpus", TESTS / "hostile" / "malformed", TESTS / "hostile" / "tricky")
    for p in folder.glob("*/openapi.*")
)


@pytest.mark.slow
@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.parent.name)
def test_what_import_writes_generate_accepts(document: Path, tmp_path: Path) -> None:
    """Every catalog and corpus document that imports: its normalized spec, read back from
    the file `import` writes, renders."""
    try:
        spec = import_openapi(default_config(document, package="sdk"))
    except InputError:
        assert "malformed" in document.parts, f"{document} should import"
        return
    path = tmp_path / "spec.yaml"
    path.write_text(dump_spec(spec), encoding="utf-8")
    files = render_spec_file(path)
    assert "python/src/sdk/__init__.py" in files


def test_documents_are_found() -> None:
    assert len(DOCUMENTS) >= 80


def test_the_shape_table_names_only_known_objects() -> None:
    """Every shape in the table parses (an object it names exists)."""
    for fields in shapes.OBJECTS.values():
        for text in fields.values():
            shapes._parse(text)  # raises KeyError for a typo
    for text in shapes._KEYED.values():
        shapes._parse(text)


def _import(tmp_path: Path, document: dict[str, Any]) -> None:
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    import_openapi(default_config(path, package="sdk"))


FLAGSHIP_SOURCE = (
    Path(__file__).resolve().parent.parent / "spec/upstream/openai-openapi-2026-05-13.yaml"
)
BASE: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}}


WRONG_KINDS = [
        ({"paths": []}, "#/paths", "expected a mapping, got a list"),
        ({"paths": {"/a": {"get": {"responses": {"200": {"content": []}}}}}},
         "#/paths/~1a/get/responses/200/content", "expected a mapping, got a list"),
        ({"paths": {"/a": {"get": {"operationId": 7}}}}, "#/paths/~1a/get/operationId",
         "expected a string, got a number"),
        ({"paths": {"/a": {"get": {"deprecated": "no"}}}}, "#/paths/~1a/get/deprecated",
         "expected true or false, got a string"),
        ({"paths": {"/a": {"parameters": [{"name": "x", "in": "query", "schema": "int"}]}}},
         "#/paths/~1a/parameters/0/schema",
         "expected a schema (a mapping or true/false), got a string"),
        ({"components": {"schemas": {"A": {"type": 3}}}}, "#/components/schemas/A/type",
         "expected a string or a list, got a number"),
        ({"components": {"schemas": {"A": {"maxLength": 1.5}}}},
         "#/components/schemas/A/maxLength", "expected an integer, got a number"),
        ({"components": {"schemas": {"A": {"minimum": True}}}},
         "#/components/schemas/A/minimum", "expected a number, got true or false"),
        ({"components": {"schemas": {"A": {"discriminator": {"mapping": {"a": 1}}}}}},
         "#/components/schemas/A/discriminator/mapping/a", "expected a string, got a number"),
        ({"tags": [{"name": "x", "description": ["y"]}]}, "#/tags/0/description",
         "expected a string, got a list"),
        ({"info": {"title": None, "version": "1"}}, "#/info/title", "expected a string, got null"),
        ({"components": {"schemas": {"A": {"$ref": "#/components/schemas/B"},
                                     "B": {"properties": {"b": 1}}}}},
         "#/components/schemas/B/properties/b",
         "expected a schema (a mapping or true/false), got a number"),
]  # fmt: skip


@pytest.mark.parametrize(("document", "pointer", "message"), WRONG_KINDS)
def test_a_node_of_the_wrong_kind_is_named_with_its_pointer(
    document: dict[str, Any], pointer: str, message: str, tmp_path: Path
) -> None:
    with pytest.raises(InputError) as caught:
        _import(tmp_path, {**BASE, **document})
    assert caught.value.message == f"{pointer}: {message}"


def test_legal_variants_pass_the_shape_check(tmp_path: Path) -> None:
    """What OpenAPI allows in one place in several forms is not refused."""
    _import(
        tmp_path,
        {
            **BASE,
            "info": {"title": "T", "version": 1.0},  # YAML reads `version: 1.0` as a number
            "paths": {"/a": {"get": {"responses": {200: {"description": "ok"}}}}},
            "components": {
                "schemas": {
                    "A": {"type": ["string", "null"], "exclusiveMinimum": 1},
                    "B": {"additionalProperties": False, "exclusiveMaximum": True},
                    "C": {"items": True, "x-anything": [1, {"$ref": 5}]},
                    "D": {"allOf": [{"$ref": "#/components/schemas/A"}], "description": "d"},
                }
            },
        },
    )


def _fast_walk_fits(tmp_path: Path, document: dict[str, Any]) -> bool:
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    docs = Documents(path)
    return shapes._all_fit(docs, docs.load(path))


@pytest.mark.parametrize(("document", "pointer", "message"), WRONG_KINDS)
def test_the_fast_walk_sees_each_wrong_kind(
    document: dict[str, Any], pointer: str, message: str, tmp_path: Path
) -> None:
    """The walk that keeps no places must miss nothing: the ordered walk that names the
    place runs only when it finds a misfit."""
    assert not _fast_walk_fits(tmp_path, {**BASE, **document})


def test_the_fast_walk_passes_legal_documents(tmp_path: Path) -> None:
    legal = {**BASE, "components": {"schemas": {"A": {"type": ["string", "null"]}}}}
    assert _fast_walk_fits(tmp_path, legal)
    upstream = Documents(FLAGSHIP_SOURCE)
    assert shapes._all_fit(upstream, upstream.load(FLAGSHIP_SOURCE))


def test_a_deep_legal_document_is_checked_without_recursion(tmp_path: Path) -> None:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(900):  # below libyaml's and the JSON loader's nesting limit
        schema = {"type": "array", "items": schema}
    shapes.check_shapes(_docs(tmp_path), {**BASE, "components": {"schemas": {"A": schema}}})


def _docs(tmp_path: Path) -> Any:
    from sdkgen.importers.documents import Documents

    path = tmp_path / "openapi.yaml"
    path.write_text("openapi: 3.1.0\n", encoding="utf-8")
    return Documents(path)


# -- the reserved-name tables cover the runtime --------------------------------------------


def _members(module: str, classes: set[str], private: bool = False) -> set[str]:
    """Methods, properties and annotated attributes defined in `classes` of a runtime module."""
    tree = ast.parse((target_root("python") / "src/package" / module).read_text())
    found = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name in classes:
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found.add(item.name)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    found.add(item.target.id)
    return {n for n in found if private or not n.startswith("_")}


def test_client_table_covers_the_runtime_client() -> None:
    client = _members("_base_client.py", {"_BaseClient", "SyncAPIClient", "AsyncAPIClient"})
    assert client and client <= reserved.CLIENT | reserved.CLIENT_OPTIONS, sorted(
        client - reserved.CLIENT
    )


def test_resource_table_covers_the_runtime_resource() -> None:
    resource = _members("_resource.py", {"SyncAPIResource", "AsyncAPIResource"}, private=True)
    resource -= {"__init__"}
    assert resource and resource <= reserved.RESOURCE, sorted(resource - reserved.RESOURCE)


def test_model_field_table_covers_pydantic_and_the_runtime_base_model() -> None:
    public = {n for n in dir(pydantic.BaseModel) if not n.startswith("_")}
    public |= _members("_models.py", {"BaseModel", "UnknownVariant"})
    assert public <= reserved.MODEL_FIELDS, sorted(public - reserved.MODEL_FIELDS)


def test_module_tables_are_read_from_the_templates() -> None:
    assert {"Request", "Stream", "AsyncPaginator", "Styled", "cast", "httpx", "Query"} <= (
        reserved.resource_module()
    )
    assert {"os", "httpx", "Mapping", "NotGiven", "cached_property"} <= reserved.client_module()


def test_keywords_and_constants_are_reserved_for_resource_classes() -> None:
    assert {"None", "True", "False", "class", "str", "object"} <= (
        reserved.KEYWORDS | reserved.BUILTINS
    )
