"""Property test: random valid OpenAPI documents, named from a hostile alphabet, give a
package that imports and passes the generated project's own checkers.

The documents hold nested objects, arrays, enums, unions, nullables, references between
components, and operations with path, query and header parameters, bodies and responses;
every name (schemas, properties, enum values, operationIds, tags, parameters) comes from a
pool of keywords, builtins, runtime and pydantic members, client options, Unicode, digits,
punctuation and names that meet after normalization.

Two tiers: the fast one checks a few documents one by one (import and generate in process,
import the package, ruff and black --check); the slow one generates a batch into one folder
and runs mypy --strict once over all of it.
"""

from __future__ import annotations

import importlib
import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruff.__main__ import find_ruff_bin

from sdkgen.config import default_config
from sdkgen.importers.openapi import import_openapi
from sdkgen.output import write_tree
from sdkgen.pipeline import render_spec_file
from sdkgen.spec import dump_spec

from .conftest import MYPY, black_differences

KEYWORDS = ["class", "def", "from", "import", "None", "True", "False", "async", "await",
            "lambda", "match", "case", "type", "_", "global", "pass", "yield"]  # fmt: skip
BUILTINS = ["str", "int", "float", "bool", "list", "dict", "object", "bytes", "id", "print",
            "len", "range", "set", "tuple", "super", "property", "Exception"]  # fmt: skip
RUNTIME = ["BaseModel", "Field", "Literal", "Optional", "Any", "NotGiven", "NOT_GIVEN",
           "Annotated", "TypeAlias", "TypedDict", "Required", "Iterable", "Tag", "OpenEnum",
           "UnknownVariant", "UNKNOWN_TAG", "datetime", "httpx", "os", "cast", "overload",
           "Request", "Styled", "path_param", "Stream", "AsyncStream", "SyncCursorPage", "Body",
           "Query", "Headers", "FileTypes", "FileContent", "deprecated", "cached_property",
           "annotations", "choose_by_shape", "discriminate_by"]  # fmt: skip
PYDANTIC = ["schema", "json", "copy", "dict", "model_dump", "model_config", "model_fields",
            "validate", "construct", "fields", "parse_obj", "model_extra", "__init__",
            "__class__", "__fields__", "model_post_init"]  # fmt: skip
CLIENT = ["request", "send", "close", "stream", "page", "timeout", "max_retries", "base_url",
          "api_key", "with_raw_response", "with_streaming_response", "_client", "_get", "_post",
          "self", "cls", "client", "extra_headers", "extra_query", "extra_body", "resources",
          "types", "beta", "default_headers", "http_client", "auth_headers"]  # fmt: skip
ODD = ["ünïcode", "名前", "Σigma", "ﬁle", "1st", "123", "9lives", "a-b", "a.b", "a b", "x~y",
       "$ref", "", '"quote"', "back\\slash", "tab\tbed", "emoji😀", "__dunder__", "_private",
       "Foo", "foo", "FOO", "fooBar", "foo_bar", "FooBar", "foo-bar", "Item", "Inline",
       "FooBar2", "x" * 60]  # fmt: skip
NAMES = KEYWORDS + BUILTINS + RUNTIME + PYDANTIC + CLIENT + ODD
TEXTS = ['"""', "'''", "\\", "\\n", "{{ x }}", "{% raw %}", "</script><b>", "`code`", "*", "#",
         "]]>", "\u2028", "end\\", 'x"""y', "|", "<!--"]  # fmt: skip

names = st.sampled_from(NAMES) | st.text(st.sampled_from("aZ_9-. üß名"), min_size=1, max_size=6)
texts = st.lists(st.sampled_from(TEXTS) | st.text(max_size=4), max_size=4).map("".join)
path_names = names.filter(lambda n: n and not any(c in n for c in "{}/?#%"))
scalars = st.one_of(st.sampled_from(NAMES + TEXTS), st.integers(-(2**40), 2**40), st.booleans())


@st.composite
def leaf_schema(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(["string", "integer", "number", "boolean", "date", "enum", "const"])
    )
    if kind == "enum":
        values = draw(
            st.lists(st.sampled_from(NAMES + TEXTS) | st.integers(-5, 5), min_size=2, max_size=5,
                     unique_by=lambda v: (type(v), v))
        )  # fmt: skip
        return {"enum": values}
    if kind == "const":
        return {"const": draw(scalars)}
    if kind == "date":
        return {"type": "string", "format": "date-time"}
    schema: dict[str, Any] = {"type": kind}
    if kind == "string" and draw(st.booleans()):
        schema["default"] = draw(texts)
    return schema


@st.composite
def schema(draw: st.DrawFn, refs: list[str], depth: int = 2) -> dict[str, Any]:
    choices = ["leaf", "leaf"] + (["ref"] if refs else [])
    if depth > 0:
        choices += ["object", "object", "array", "union", "nullable", "map"]
    kind = draw(st.sampled_from(choices))
    if kind == "leaf":
        found = draw(leaf_schema())
    elif kind == "ref":
        found = {"$ref": "#/components/schemas/" + _escape(draw(st.sampled_from(refs)))}
    elif kind == "object":
        keys = draw(st.lists(names, min_size=1, max_size=4, unique=True))
        found = {
            "type": "object",
            "properties": {k: draw(schema(refs, depth - 1)) for k in keys},
            "required": draw(st.lists(st.sampled_from(keys), unique=True)),
        }
    elif kind == "array":
        found = {"type": "array", "items": draw(schema(refs, depth - 1))}
    elif kind == "map":
        found = {"type": "object", "additionalProperties": draw(schema(refs, depth - 1))}
    elif kind == "union":
        key = draw(st.sampled_from(["oneOf", "anyOf"]))
        found = {key: draw(st.lists(schema(refs, depth - 1), min_size=2, max_size=3))}
    else:
        found = {"anyOf": [draw(schema(refs, depth - 1)), {"type": "null"}]}
    if "$ref" not in found and draw(st.booleans()):
        found["description"] = draw(texts)
    if "$ref" not in found and draw(st.integers(0, 4)) == 0:
        found["title"] = draw(texts)
    return found


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


@st.composite
def parameter(draw: st.DrawFn, where: str, refs: list[str]) -> dict[str, Any]:
    return {
        "name": draw(path_names if where == "path" else names.filter(bool)),
        "in": where,
        "required": True if where == "path" else draw(st.booleans()),
        "description": draw(texts),
        "schema": draw(schema(refs, 0)) if where != "query" else draw(schema(refs, 1)),
    }


@st.composite
def document(draw: st.DrawFn) -> dict[str, Any]:
    keys = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    components = {key: draw(schema(keys[:i])) for i, key in enumerate(keys)}
    paths: dict[str, Any] = {}
    operation_ids = draw(st.lists(names.filter(bool), min_size=1, max_size=3, unique=True))
    for index, op_id in enumerate(operation_ids):
        path_param = draw(parameter("path", keys)) if draw(st.booleans()) else None
        path = f"/r{index}" + (f"/{{{path_param['name']}}}" if path_param else "")
        verb = draw(st.sampled_from(["get", "post", "put", "delete"]))
        params = [path_param] if path_param else []
        params += draw(
            st.lists(parameter("query", keys), max_size=2, unique_by=lambda p: p["name"])
        )
        params += draw(st.lists(parameter("header", keys), max_size=1))
        operation: dict[str, Any] = {
            "operationId": op_id,
            "summary": draw(texts),
            "description": draw(texts),
            "parameters": params,
            "responses": {"200": {"description": draw(texts), "content": {
                "application/json": {"schema": draw(schema(keys, 1))}}}},
        }  # fmt: skip
        if draw(st.booleans()):
            operation["tags"] = [draw(names.filter(bool))]
        if verb != "get" and draw(st.booleans()):
            body = draw(schema(keys, 2).filter(lambda s: s.get("type") == "object" or "$ref" in s))
            operation["requestBody"] = {"content": {"application/json": {"schema": body}}}
        paths[path] = {verb: operation}
    return {
        "openapi": "3.1.0",
        "info": {"title": draw(texts) or "T", "version": draw(texts), "description": draw(texts)},
        "servers": [{"url": "https://example.com/" + draw(texts).replace("\\", "")}],
        "paths": paths,
        "components": {"schemas": components},
    }


_counter = itertools.count()


def generate(doc: dict[str, Any], folder: Path) -> tuple[str, Path]:
    """Import the document, write its normalized spec, generate from that file (so what
    import writes is what generate reads) and return the package name and its `src`."""
    package = f"prop_{next(_counter)}"
    folder.mkdir(parents=True)
    source = folder / "openapi.json"
    source.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    spec = import_openapi(default_config(source, package=package))
    (folder / "spec.yaml").write_text(dump_spec(spec), encoding="utf-8")
    write_tree(folder / "out", render_spec_file(folder / "spec.yaml"), force=True)
    return package, folder / "out" / "python" / "src"


def import_package(package: str, src: Path) -> None:
    sys.path.insert(0, str(src))
    try:
        importlib.import_module(package)
        importlib.import_module(f"{package}.types")
        importlib.import_module(f"{package}.resources")
    finally:
        sys.path.remove(str(src))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


def run(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    assert (
        result.returncode == 0
    ), f"{' '.join(command[:4])}:\n{result.stdout[-6000:]}{result.stderr[-3000:]}"


def lint(python: Path) -> None:
    run([find_ruff_bin(), "check", "--no-cache", "--quiet", "."], python)
    differences = black_differences(python, rendered_only=True)
    assert not differences, differences[-6000:]


def _show(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False)


# Both tiers draw the same documents every run, so a red run is a regression, not a draw;
# SDKGEN_EXPLORE=1 makes the slow tier draw new ones (how the bugs that hostile cases 27
# and 28 keep were found).
EXPLORE = bool(os.environ.get("SDKGEN_EXPLORE"))


@settings(
    max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(doc=document())
def test_random_documents_give_an_importable_lint_clean_package(
    doc: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("prop")
    package, src = generate(doc, folder / "case")
    import_package(package, src)
    lint(src.parent)


@pytest.mark.slow
def test_a_batch_of_random_documents_passes_mypy_strict(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    batch = tmp_path_factory.mktemp("batch")
    together = batch / "src"
    together.mkdir()
    packages: list[str] = []

    @settings(
        max_examples=40 if EXPLORE else 12,  # 12 packages through mypy: about 28 s
        deadline=None,
        derandomize=not EXPLORE,
        suppress_health_check=list(HealthCheck),
    )
    @given(doc=document())
    def collect(doc: dict[str, Any]) -> None:
        # numbered apart from `packages`: hypothesis replays a failing document, and its
        # folder must not be taken by the first attempt
        package, src = generate(doc, batch / f"case_{next(_counter)}")
        import_package(package, src)
        shutil.copytree(src / package, together / package)
        packages.append(package)

    collect()
    assert packages
    shutil.copy(next(batch.glob("case_*/out/python/pyproject.toml")), batch)
    lint(batch)
    run(
        [*MYPY, "--strict"] + [arg for p in packages for arg in ("-p", p)],
        together,
    )
