"""Types importable where users import them: namespaces that follow the resource tree and a
module per type, re-exporting the one class defined in types.models / types.params.

The flagship is held to the official `openai` package's layout (`openai.types.beta.threads`
and its modules); the rule itself is checked on a small API with nested resources.
"""

from __future__ import annotations

import importlib
import pkgutil
import typing
import warnings
from pathlib import Path
from typing import Any

import pytest

from sdkgen import naming
from sdkgen.config import load_config
from sdkgen.importers.openapi import import_openapi
from sdkgen.output import write_tree
from sdkgen.pipeline import render
from sdkgen.render.python import render_python
from sdkgen.spec.dump import dump_spec

from .conftest import import_package

NAMESPACES = ["beta", "beta.threads", "beta.threads.runs"]


def test_the_include_values_are_one_type_as_officially(sdk: Any) -> None:
    """The document declares them inline in three query parameters; the overlay names them
    `RunStepInclude` (a one-value enum is otherwise a constant)."""
    ours = importlib.import_module(f"{sdk.__name__}.types.beta.threads.runs").RunStepInclude
    theirs = official("beta.threads.runs").RunStepInclude
    literal = typing.get_args(ours)[0]  # Annotated[Literal[...], OpenEnum]
    assert typing.get_args(literal) == typing.get_args(theirs)
    for method in (sdk.OpenAI(api_key="k").beta.threads.runs.steps.list,):
        hints = typing.get_type_hints(method, include_extras=True)
        assert ours in typing.get_args(typing.get_args(hints["include"])[0])


def official(namespace: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module(f"openai.types.{namespace}")


def assistants_names(module: Any, ours_flat: set[str]) -> set[str]:
    """The official namespace's public names that belong to the Assistants API: those our
    flat `types` has too (the official beta namespace also holds other beta APIs)."""
    names = {n for n in dir(module) if n[:1].isupper()}
    return names & ours_flat


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_the_official_namespaces_hold_the_same_types(sdk: Any, namespace: str) -> None:
    ours = importlib.import_module(f"{sdk.__name__}.types.{namespace}")
    flat = importlib.import_module(f"{sdk.__name__}.types")
    theirs = official(namespace)
    expected = assistants_names(theirs, set(flat.__all__))
    assert len(expected) >= 15
    assert expected - set(ours.__all__) == set()
    for name in expected:  # one class, wherever it is imported from
        assert getattr(ours, name) is getattr(flat, name)


def test_flagship_types_import_from_their_official_paths(sdk: Any) -> None:
    package = sdk.__name__
    paths = {
        "beta": ["Assistant", "AssistantStreamEvent", "AssistantTool", "Thread"],
        "beta.threads": ["Run", "Message", "MessageContent", "Text", "MessageDeltaEvent"],
        "beta.threads.runs": ["RunStep", "ToolCall", "RunStepDeltaEvent", "FunctionToolCall"],
    }
    for namespace, names in paths.items():
        module = importlib.import_module(f"{package}.types.{namespace}")
        for name in names:
            assert hasattr(module, name), f"{namespace}.{name}"
    run = importlib.import_module(f"{package}.types.beta.threads.run")
    params = importlib.import_module(f"{package}.types.beta.assistant_create_params")
    assert run.Run is sdk.types.models.Run
    assert params.AssistantCreateParams is sdk.types.params.AssistantCreateParams


def test_each_official_type_module_has_its_types(sdk: Any) -> None:
    """`from openai.types.beta.threads.run import Run` has a counterpart for each official
    type module whose main type we have, with each of its types we have too."""
    checked, different = 0, []
    flat = set(importlib.import_module(f"{sdk.__name__}.types").__all__)
    for namespace in NAMESPACES:
        theirs = official(namespace)
        for info in pkgutil.iter_modules(theirs.__path__):
            if info.ispkg:
                continue
            module = official(f"{namespace}.{info.name}")
            defined = [
                n
                for n in dir(module)
                if n[:1].isupper()
                and getattr(getattr(module, n), "__module__", "") == module.__name__
            ]
            if not any(naming.snake(n) == info.name and n in flat for n in defined):
                continue  # a module of another beta API, or of a type we do not have
            ours = importlib.import_module(f"{sdk.__name__}.types.{namespace}.{info.name}")
            for name in set(defined) & flat:  # not the official nested classes we lack
                checked += 1
                if not hasattr(ours, name):
                    different.append(f"{info.name}.{name}")
    assert checked >= 70
    # Official nested classes that share a name with a type of ours (their
    # thread_create_params.Message is the message a new thread starts with, not a Message;
    # file_search_tool_param.FileSearchRankingOptions is our FileSearchRankingOptionsParam),
    # or that a part of a part names.
    assert sorted(different) == [
        "code_interpreter_tool_call.CodeInterpreterOutputImageImage",
        "file_search_tool_call.FileSearchRankingOptions",
        "file_search_tool_param.FileSearchRankingOptions",
        "thread_create_params.Message",
        "thread_create_params.MessageAttachment",
    ]


NESTED = """
openapi: 3.0.3
info: {title: Shop, version: "1"}
paths:
  /stores/{store_id}/orders:
    post:
      operationId: createOrder
      tags: [Orders]
      parameters: [{name: store_id, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [item]
              properties:
                item: {type: string}
                gift: {type: object, properties: {note: {type: string}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}}
  /stores/{store_id}:
    get:
      operationId: getStore
      tags: [Stores]
      parameters: [{name: store_id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Store"}}}}
components:
  schemas:
    Store:
      type: object
      properties:
        id: {type: string}
        address: {$ref: "#/components/schemas/Address"}
    Address: {type: object, properties: {city: {type: string}}}
    Order:
      type: object
      properties:
        id: {type: string}
        status: {type: string, enum: [open, shipped]}
        shipping: {$ref: "#/components/schemas/Address"}
"""

OVERLAY = """
api: shop
source: shop.yaml
python: {package: shop}
resources:
  stores:
    retrieve: getStore
  stores.orders:
    create: createOrder
"""


def test_the_rule_places_types_by_resource_in_any_api(tmp_path: Path) -> None:
    """stores.orders keeps its types in namespace `stores`; types shared with `stores` (whose
    namespace is types/ itself) go to their common parent; parts go with their schema."""
    (tmp_path / "shop.yaml").write_text(NESTED)
    (tmp_path / "config.yaml").write_text(OVERLAY)
    spec = import_openapi(load_config(tmp_path / "config.yaml"))
    files = render_python(spec)
    types = {p.split("/types/", 1)[1] for p in files if "/types/" in p}
    assert "stores/__init__.py" in types
    assert "stores/order.py" in types  # named only by stores.orders.create
    assert "store.py" in types and "address.py" in types  # stores.retrieve: types/ itself
    namespace = files["src/shop/types/stores/__init__.py"].decode()
    assert "Order" in namespace and "OrderCreateParams" in namespace
    order = files["src/shop/types/stores/order.py"].decode()
    assert "OrderStatus" in order  # an inline part, in its schema's module
    write_tree(tmp_path / "out", render(spec, dump_spec(spec).encode("utf-8")), force=True)
    for sdk in import_package(tmp_path / "out" / "python" / "src", "shop"):
        nested = importlib.import_module("shop.types.stores")
        assert nested.Order is sdk.types.Order
        assert (
            importlib.import_module("shop.types.stores.order").OrderStatus is sdk.types.OrderStatus
        )


@pytest.mark.parametrize(
    "namespace, name",
    [
        ("beta", "AssistantListParams"),
        ("beta.threads", "MessageListParams"),
        ("beta.threads", "RunListParams"),
        ("beta.threads.runs", "StepListParams"),
        ("beta.threads.runs", "StepRetrieveParams"),
    ],
)
def test_argument_typeddicts_have_the_official_keys(sdk: Any, namespace: str, name: str) -> None:
    ours = getattr(importlib.import_module(f"{sdk.__name__}.types.{namespace}"), name)
    theirs = getattr(official(namespace), name)
    assert set(ours.__annotations__) == set(theirs.__annotations__)
    assert ours.__required_keys__ == theirs.__required_keys__
