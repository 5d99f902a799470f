"""The test suite generated into every SDK (templates/python/tests/), and the trimmed OpenAPI
document it serves through Prism (spec/<api>/openapi.json).

The slow tests run generated suites with pytest in a subprocess against Prism, which
.ci/run installs into .ci/node/ (or set PRISM to a prism binary).
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ruff.__main__ import find_ruff_bin

from sdkgen.config import default_config
from sdkgen.importers.openapi import import_openapi_document
from sdkgen.importers.trim import trimmed_document
from sdkgen.output import write_tree
from sdkgen.pipeline import API_DOCUMENT, render
from sdkgen.render.examples import Synthesizer
from sdkgen.render.python_tests import PRISM_VERSION
from sdkgen.spec import dump_spec, load_spec
from sdkgen.spec.load import parse_spec
from sdkgen.spec.model import Model
from tests.conftest import FLAGSHIP, ROOT, black_differences, sdkgen
from tests.corpus import CORPUS, import_document

PRISM_IN_REPO = ROOT / ".ci" / "node" / "node_modules" / ".bin" / "prism"
# Corpus documents Prism serves, with path, query, JSON and multipart bodies between them.
SUITES = ["params_path_styles", "params_query_styles", "body_multipart_files"]


def prism() -> str:
    """Prism as .ci/run installs it (or as PRISM names it); missing is a failure, not a skip:
    CI installs it, and a skipped suite would pass unseen."""
    found = os.environ.get("PRISM") or (str(PRISM_IN_REPO) if PRISM_IN_REPO.is_file() else "")
    if not found:
        pytest.fail(
            "Prism not found: run .ci/run, or `npm install --prefix .ci/node"
            f" @stoplight/prism-cli@{PRISM_VERSION}`, or set PRISM",
            pytrace=False,
        )
    return found


def generated(document: Path, tmp_path: Path, package: str) -> Path:
    """The SDK project of a corpus document (its python/ folder), as `generate --openapi`
    writes it: the trimmed document included."""
    spec, api_document = import_openapi_document(
        default_config(document / "openapi.yaml", package=package)
    )
    files = render(spec, dump_spec(spec).encode("utf-8"), api_document=api_document)
    write_tree(tmp_path / "out", files, force=True)
    return tmp_path / "out" / "python"


def run_suite(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project / "src"), **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def counts(output: str) -> dict[str, int]:
    """pytest's last line as numbers: {'passed': 242, 'skipped': 2}."""
    last = output.strip().splitlines()[-1]
    return {word: int(n) for n, word in re.findall(r"(\d+) (\w+)", last)}


# -- the generated suites against Prism ------------------------------------------------


@pytest.mark.slow
def test_the_flagship_suite_passes_against_prism(flagship_tree: Path) -> None:
    result = run_suite(flagship_tree / "python", {"PRISM": prism()})
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    found = counts(result.stdout)
    # 23 methods x 8 calls, plus the empty path parameter checks; nothing skipped.
    assert found.get("passed", 0) >= 23 * 8 and "skipped" not in found, result.stdout[-500:]


@pytest.mark.slow
@pytest.mark.parametrize("folder", SUITES)
def test_corpus_suites_pass_against_prism(folder: str, tmp_path: Path) -> None:
    project = generated(CORPUS / folder, tmp_path, folder)
    result = run_suite(project, {"PRISM": prism()})
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert counts(result.stdout).get("passed", 0) > 0


@pytest.mark.slow
def test_a_missing_prism_fails_the_session_saying_how_to_install(tmp_path: Path) -> None:
    project = generated(CORPUS / "security_bearer", tmp_path, "security_bearer")
    # No PRISM, a PATH without prism, no node_modules above the project.
    env = {"PRISM": "", "PATH": str(Path(sys.executable).parent)}
    result = run_suite(project, env)
    assert result.returncode == 4, result.stdout[-3000:]
    assert f"npm install --prefix <folder> @stoplight/prism-cli@{PRISM_VERSION}" in result.stdout
    assert "passed" not in result.stdout


@pytest.mark.slow
def test_prism_dying_at_start_fails_fast_with_its_output(tmp_path: Path) -> None:
    project = generated(CORPUS / "security_bearer", tmp_path, "security_bearer")
    fake = tmp_path / "prism"
    fake.write_text("#!/bin/sh\necho 'cannot parse the document' >&2\nexit 3\n")
    fake.chmod(0o755)
    result = run_suite(project, {"PRISM": str(fake)})
    assert result.returncode == 4, result.stdout[-3000:]
    assert "Prism exited with 3" in result.stdout
    assert "cannot parse the document" in result.stdout


def test_ci_installs_the_prism_version_the_generated_tests_name() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"PRISM_VERSION={PRISM_VERSION}\n" in script
    assert ".ci/node/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


# -- what the generated suite holds -------------------------------------------------------


def test_each_flagship_method_has_its_tests(flagship_tree: Path) -> None:
    """Per method of the spec: four calls sync and four async, and one check per string
    path parameter; no test for anything else."""
    spec = load_spec(FLAGSHIP.spec)
    expected: dict[str, set[str]] = {}
    for path, method in spec.methods():
        names = expected.setdefault(path.replace(".", "_"), set())
        names |= {
            f"test_method_{method.name}",
            f"test_method_{method.name}_with_all_params",
            f"test_raw_response_{method.name}",
            f"test_streaming_response_{method.name}",
        }
        names |= {f"test_path_params_{method.name}_{p.name}" for p in method.path_params}
    tests = flagship_tree / "python" / "tests"
    found_modules = {p.stem.removeprefix("test_") for p in tests.glob("test_*.py")}
    assert found_modules == set(expected)
    total = 0
    for module, names in expected.items():
        tree = ast.parse((tests / f"test_{module}.py").read_text(encoding="utf-8"))
        classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
        assert len(classes) == 2, module  # sync and async
        for cls in classes:
            functions = {
                f.name for f in cls.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
            }
            assert functions == names, (module, cls.name)
            total += len(functions)
    path_params = sum(len(m.path_params) for _, m in spec.methods())
    # Path parameters by hand: assistants 3, threads 3, runs 10, steps 5, messages 8.
    assert total == 2 * (4 * len(spec.methods()) + path_params) == 2 * (4 * 23 + 29)


@pytest.mark.slow
def test_generated_tests_pass_black_and_ruff(flagship_tree: Path, tmp_path: Path) -> None:
    projects = [flagship_tree / "python"]
    projects += [generated(CORPUS / f, tmp_path / f, f) for f in ["response_sse", *SUITES]]
    for project in projects:
        differences = black_differences(project, "tests")
        assert not differences, differences[-3000:]
        ruff = subprocess.run(
            [find_ruff_bin(), "check", "--no-cache", "tests"],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert ruff.returncode == 0, ruff.stdout[-3000:]


def test_what_prism_cannot_do_is_skipped_saying_why(tmp_path: Path) -> None:
    project = generated(CORPUS / "response_sse", tmp_path / "sse", "response_sse")
    text = "\n".join(p.read_text() for p in (project / "tests").glob("test_*.py"))
    assert 'reason="Prism cannot stream server-sent events"' in text
    project = generated(CORPUS / "params_header_cookie", tmp_path / "hc", "params_header_cookie")
    text = (project / "tests" / "test_wire.py").read_text()
    assert "crashes on an operation with an array header parameter (X-Colors" in text
    # The checks of empty path values send nothing, so they run everywhere.
    project = generated(CORPUS / "params_path_styles", tmp_path / "ps", "params_path_styles")
    text = (project / "tests" / "test_paths.py").read_text()
    check = text.index("def test_path_params_simple_object_color")
    assert "@pytest.mark.skip" not in text[text.rindex("\n\n", 0, check) : check]


# -- the trimmed document --------------------------------------------------------------

_DOCUMENT = """
openapi: 3.0.3
info: {title: Trim, version: "1"}
servers: [{url: https://trim.invalid/v1}]
security: [{key: []}]
tags: [{name: pets}, {name: stores}]
webhooks: {}
x-vendor: {big: true}
paths:
  /pets/{id}:
    parameters: [{$ref: "#/components/parameters/Id"}]
    get:
      operationId: getPet
      tags: [pets]
      responses:
        "200": {$ref: "#/components/responses/PetResponse"}
    delete:
      operationId: deletePet
      tags: [pets]
      security: [{basic: []}]
      responses: {"204": {description: gone}}
  /stores:
    get:
      operationId: listStores
      tags: [stores]
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Store"}}}
components:
  parameters:
    Id: {name: id, in: path, required: true, schema: {$ref: "#/components/schemas/Id"}}
  responses:
    PetResponse:
      description: ok
      content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
  schemas:
    Id: {type: string}
    Pet:
      type: object
      properties:
        owner: {$ref: "#/components/schemas/Owner"}
    Owner: {type: object, properties: {name: {type: string}}}
    Store: {type: object}
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    basic: {type: http, scheme: basic}
    unused: {type: http, scheme: bearer}
"""


def test_the_trimmed_document_keeps_the_operations_and_what_they_reach() -> None:
    root = yaml.safe_load(_DOCUMENT)
    trimmed = trimmed_document(root, [("/pets/{id}", "get")])
    assert list(trimmed) == [
        "openapi",
        "info",
        "servers",
        "security",
        "paths",
        "components",
        "tags",
    ]
    assert trimmed["paths"] == {
        "/pets/{id}": {"parameters": root["paths"]["/pets/{id}"]["parameters"],
                       "get": root["paths"]["/pets/{id}"]["get"]}
    }  # fmt: skip
    components = trimmed["components"]
    assert {kind: list(group) for kind, group in components.items()} == {
        "parameters": ["Id"],
        "responses": ["PetResponse"],
        "schemas": ["Id", "Pet", "Owner"],  # the document's order, reached through refs
        "securitySchemes": ["key"],  # the top-level requirement names it
    }
    assert trimmed["tags"] == [{"name": "pets"}]
    both = trimmed_document(root, [("/pets/{id}", "get"), ("/pets/{id}", "delete")])
    assert list(both["components"]["securitySchemes"]) == ["key", "basic"]


def test_import_writes_the_trimmed_flagship_document_beside_its_spec() -> None:
    document = json.loads(FLAGSHIP.api_document.read_text(encoding="utf-8"))
    spec = load_spec(FLAGSHIP.spec)
    served = {(verb, path) for path, item in document["paths"].items() for verb in item}
    assert served == {(m.http_method.lower(), m.path) for _, m in spec.methods()}
    assert "webhooks" not in document
    # The Assistants subset of the 81,000-line upstream document: a few hundred kilobytes.
    assert len(FLAGSHIP.api_document.read_bytes()) < 400_000


def test_the_generated_project_ships_the_document(flagship_files: dict[str, bytes]) -> None:
    assert flagship_files[f"python/{API_DOCUMENT}"] == FLAGSHIP.api_document.read_bytes()
    manifest = json.loads(flagship_files["manifest.json"])
    assert API_DOCUMENT in json.dumps(manifest)


# -- fields that exclude each other --------------------------------------------------------

_EXCLUSIVE = """
openapi: 3.1.0
info: {title: Exclusive, version: "1"}
paths:
  /stores:
    post:
      operationId: createStore
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                ids: {type: array, items: {type: string}}
                specs: {type: array, items: {type: string}}
                name: {type: string}
              oneOf: [{required: [ids]}, {required: [specs]}]
      responses: {"204": {description: ok}}
"""


def test_one_of_required_groups_are_kept_and_examples_take_the_first(tmp_path: Path) -> None:
    spec = import_document(_EXCLUSIVE, tmp_path)
    model = next(m for m in spec.models if m.name.endswith("Params") or m.name.endswith("Body"))
    assert isinstance(model, Model) and model.exclusive == (("ids",), ("specs",))
    assert parse_spec(dump_spec(spec)) == spec  # round trip
    _, method = spec.methods()[0]
    assert method.body is not None
    example = Synthesizer(spec).value(method.body.type, sent=True)
    assert set(example) == {"ids", "name"}


def test_generate_from_a_document_ships_its_trimmed_copy(tmp_path: Path) -> None:
    document = CORPUS / "params_query_styles" / "openapi.yaml"
    result = sdkgen("generate", "--openapi", document, "--out", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    shipped = json.loads((tmp_path / "out" / "python" / API_DOCUMENT).read_text("utf-8"))
    source = yaml.safe_load(document.read_text("utf-8"))
    assert shipped["paths"] == source["paths"]  # every operation is imported: all kept


def test_check_reports_a_hand_edited_api_document(repo: Path) -> None:
    path = repo / "spec" / "openai-assistants" / API_DOCUMENT
    path.write_text(path.read_text("utf-8").replace('"openapi": "3', '"openapi": "9', 1))
    result = sdkgen("check", cwd=repo)
    assert result.returncode == 1
    assert f"--- spec/openai-assistants/{API_DOCUMENT}" in result.stdout
    assert '-  "openapi": "9' in result.stdout
