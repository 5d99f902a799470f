"""Names a Python user would write, and every schema of the document generated: corpus
documents with no overlay, exercised through httpx.MockTransport."""

from __future__ import annotations

import inspect
import subprocess
from pathlib import Path

import httpx
import pytest
from ruff.__main__ import find_ruff_bin

from .conftest import MYPY
from .corpus import CORPUS, generated_sdk, import_document, recording_client


def test_a_document_of_components_only_gives_every_model(tmp_path: Path) -> None:
    with generated_sdk(CORPUS / "names_components_only", tmp_path) as sdk:
        types = sdk.types
        circle = sdk.parse(types.Shape, {"kind": "circle", "radius": 2})
        assert type(circle) is types.Circle and circle.radius == 2
        assert sdk.parse(types.Square, {"kind": "square", "side": 1}).side == 1
        assert {"Shape", "Circle", "Square", "Unit"} <= set(types.__all__)


def test_webhook_payloads_and_unreached_schemas_are_models_and_documented(
    tmp_path: Path,
) -> None:
    with generated_sdk(CORPUS / "names_webhooks", tmp_path) as sdk:
        types = sdk.types
        event = sdk.parse(types.PetAddedEvent, {"id": "e1", "pet": {"name": "Rex"}})
        assert type(event.pet) is types.Pet and event.pet.name == "Rex"
        assert sdk.parse(types.SaleEvent, {"price": 3.5}).price == 3.5
        assert "note" in types.Orphan.model_fields
    docs = (tmp_path / "out/docs/types.md").read_text()
    for name in ("PetAddedEvent", "SaleEvent", "Orphan"):
        assert f'<a id="type-{name}"></a>' in docs


def test_paths_without_tags_or_operation_ids_get_crud_names(tmp_path: Path) -> None:
    spec = import_document(CORPUS / "names_path_only", tmp_path)
    assert sorted(f"{r}.{m.name}" for r, m in spec.methods()) == [
        "todos.create",
        "todos.delete",
        "todos.list",
        "todos.post_complete",
        "todos.retrieve",
    ]
    seen: list[httpx.Request] = []
    todo = {"id": "t1", "title": "write", "done": True}
    with generated_sdk(CORPUS / "names_path_only", tmp_path / "sdk") as sdk:
        http = recording_client(seen, lambda request: httpx.Response(200, json=todo))
        client = sdk.Client(http_client=http)
        assert client.todos.retrieve("t1").title == "write"
        assert client.todos.post_complete("t/1").done is True
        assert next(iter(inspect.signature(client.todos.retrieve).parameters)) == "todo_id"
    assert [(r.method, r.url.raw_path.decode()) for r in seen] == [
        ("GET", "/api/v1/todos/t1"),
        ("POST", "/api/v1/todos/t%2F1/complete"),
    ]


def test_a_shared_parameter_enum_is_defined_once_after_its_key(tmp_path: Path) -> None:
    spec = import_document(CORPUS / "names_shared_parameters", tmp_path)
    assert [e.name for e in spec.enums if e.source.startswith("#/components/")] == ["Order"]
    orders = {str(p.type) for _, m in spec.methods() for p in m.query_params if p.name == "order"}
    assert orders == {"Order"}
    seen: list[httpx.Request] = []
    with generated_sdk(CORPUS / "names_shared_parameters", tmp_path / "sdk") as sdk:
        http = recording_client(seen, lambda r: httpx.Response(204))
        with pytest.raises(sdk.ClientError, match="base_url client option must be set"):
            sdk.Client(http_client=http)
        client = sdk.Client(base_url="https://shared.example.com", http_client=http)
        client.a.list(order="desc", limit=2)
        client.b.list(order="asc", sort="desc")
    assert [r.url.query.decode() for r in seen] == ["order=desc&limit=2", "order=asc&sort=desc"]


NUMBERED = """
openapi: 3.1.0
info: {title: Numbered, version: "1"}
paths: {}
components:
  schemas:
""" + "".join(
    f"    Link{i}: {{type: object, properties: {{n: {{type: integer}}}}}}\n" for i in (1, 2, 10, 11)
)


def test_numbered_names_sort_as_the_generated_projects_ruff_wants(tmp_path: Path) -> None:
    with generated_sdk(NUMBERED, tmp_path) as sdk:
        assert [n for n in sdk.types.__all__ if n.startswith("Link")] == [
            "Link1",
            "Link2",
            "Link10",
            "Link11",
        ]
    project = tmp_path / "out/python"
    result = subprocess.run(
        [find_ruff_bin(), "check", "--no-cache", "."],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:]


COLLISIONS = CORPUS / "names_runtime_collisions"


def test_names_of_client_members_keywords_and_runtime_types_get_out_of_the_way(
    tmp_path: Path,
) -> None:
    seen: list[httpx.Request] = []
    with generated_sdk(COLLISIONS, tmp_path) as sdk:
        http = recording_client(seen, lambda request: httpx.Response(200, json={"x": "1"}))
        client = sdk.Client(http_client=http)
        assert callable(client.request) and callable(client.send)  # the runtime's own
        assert type(client.request_.send()) is sdk.types.NotGiven
        assert client.base_url_.class_(class_="c", self_="s") is None
        client.api_key_.with_raw_response_()
        client.max_retries_.close()
        assert isinstance(client.max_retries, int)  # not hidden by the max_retries resource
    assert [(r.method, r.url.path) for r in seen] == [
        ("GET", "/a"),
        ("POST", "/c"),
        ("GET", "/b"),
        ("GET", "/e"),
    ]
    assert seen[1].read() == b'{"class":"c","self":"s"}'


@pytest.mark.slow
def test_the_collisions_package_passes_mypy_strict_and_its_own_ruff(tmp_path: Path) -> None:
    with generated_sdk(COLLISIONS, tmp_path):
        pass
    project = tmp_path / "out/python"
    for command in (
        [*MYPY, "--strict", "src"],
        [find_ruff_bin(), "check", "--no-cache", "."],
    ):
        result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout[-3000:]
