"""Deprecation in the spec reaches users: docstrings say so, and use warns."""

from __future__ import annotations

import inspect
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml

from sdkgen.config import default_config
from sdkgen.importers.openapi import import_openapi
from sdkgen.output import write_tree
from sdkgen.pipeline import render
from sdkgen.spec import dump_spec

from .conftest import import_package

DOC = {
    "openapi": "3.0.3",
    "info": {"title": "Old things", "version": "1.0"},
    "paths": {
        "/things/{id}": {
            "get": {
                "operationId": "getThing",
                "tags": ["Things"],
                "deprecated": True,
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
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
        "schemas": {
            "Thing": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "legacy": {"type": "string", "deprecated": True, "description": "Use id."},
                },
            }
        }
    },
}


@pytest.fixture(scope="module")
def old_sdk(tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield from _build(tmp_path_factory.mktemp("deprecated"))


@pytest.fixture()
def fresh_sdk(tmp_path: Path) -> Any:
    """A package of its own, so no class was completed by an earlier test."""
    yield from _build(tmp_path)


def _build(root: Path) -> Any:
    source = root / "openapi.yaml"
    source.write_text(yaml.safe_dump(DOC))
    text = dump_spec(import_openapi(default_config(source)))
    from sdkgen.spec import parse_spec

    write_tree(root / "out", render(parse_spec(text), text.encode()))
    yield from import_package(Path(root / "out" / "python" / "src"), "openapi")


def test_deprecated_field_warns_on_read_and_says_so(old_sdk: Any) -> None:
    thing = old_sdk.parse(old_sdk.types.Thing, {"id": "t", "legacy": "x"})
    with pytest.warns(DeprecationWarning):
        assert thing.legacy == "x"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert thing.id == "t"
    source = inspect.getsource(old_sdk.types.models)
    assert '"""Use id.\n\n    Deprecated.\n    """' in source


def test_deprecated_operation_warns_when_called(old_sdk: Any) -> None:
    import httpx

    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"id": "t"}))
    client = old_sdk.Client(base_url="http://test", http_client=httpx.Client(transport=transport))
    with pytest.warns(DeprecationWarning, match="deprecated"):
        thing = client.things.get("t")
    assert thing.id == "t"
    assert "Deprecated." in (client.things.get.__doc__ or "")


def test_deprecated_field_inside_a_list_warns_too(fresh_sdk: Any) -> None:
    (thing,) = fresh_sdk.parse(list[fresh_sdk.types.Thing], [{"id": "t", "legacy": "x"}])
    with pytest.warns(DeprecationWarning):
        assert thing.legacy == "x"
