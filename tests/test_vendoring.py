"""Vendoring: an SDK generated for a dotted package (`corp.clients.pets`) lives at that import
path, imports its own modules relatively, and two copies of one API generated at different
paths work side by side in one process, against a real HTTP server on loopback."""

from __future__ import annotations

import ast
import asyncio
import dataclasses
import importlib
import json
import shutil
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from ruff.__main__ import find_ruff_bin

from sdkgen.config import default_config
from sdkgen.importers.openapi import import_openapi
from sdkgen.output import write_tree
from sdkgen.pipeline import render
from sdkgen.render.python import render_python
from sdkgen.render.python_types import RenderError
from sdkgen.spec import SpecError, parse_spec
from sdkgen.spec.model import Spec

PETSTORE = """\
openapi: 3.1.0
info: {title: Petstore, version: 1.2.0}
servers: [{url: "https://pets.invalid/v1"}]
security: [{bearer: []}]
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: species, in: query, schema: {type: string}}
      responses:
        "200":
          description: The pets.
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
    post:
      operationId: createPet
      tags: [pets]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewPet"}
      responses:
        "201":
          description: The new pet.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
  /pets/{pet_id}:
    get:
      operationId: getPet
      tags: [pets]
      parameters:
        - {name: pet_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The pet.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
        species: {type: string, enum: [cat, dog]}
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        species: {type: string, enum: [cat, dog]}
"""

PACKAGES = ("vendor_a.sdk", "corp.clients.pets")
# Imports a generated package may make besides its own modules (always relative).
THIRD_PARTY = {"httpx", "pydantic", "pydantic_core", "typing_extensions"}


@pytest.fixture(scope="module")
def petstore(tmp_path_factory: pytest.TempPathFactory) -> Spec:
    source = tmp_path_factory.mktemp("openapi") / "petstore.yaml"
    source.write_text(PETSTORE, encoding="utf-8")
    return import_openapi(default_config(source))


def at(spec: Spec, package: str) -> Spec:
    return dataclasses.replace(spec, api=dataclasses.replace(spec.api, package=package))


@pytest.fixture(scope="module")
def outputs(petstore: Spec) -> dict[str, dict[str, bytes]]:
    """Each package's rendered files, by relative path."""
    return {package: render(at(petstore, package), b"") for package in PACKAGES}


@pytest.fixture(scope="module")
def trees(
    outputs: dict[str, dict[str, bytes]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Each package's output written to a folder of its own (generated/<api>/ layout)."""
    found = {}
    for package, files in outputs.items():
        found[package] = tmp_path_factory.mktemp(package.replace(".", "_")) / "petstore"
        write_tree(found[package], files)
    return found


def package_dir(package: str) -> str:
    return "python/src/" + package.replace(".", "/")


@contextmanager
def imported(roots: list[Path], packages: list[str]) -> Iterator[list[ModuleType]]:
    """Import `packages` (and their .types) from `roots`, then forget every module under
    their top-level names, namespace parents included, and the roots."""
    added = [str(root) for root in roots]
    sys.path[:0] = added
    tops = {package.split(".")[0] for package in packages}
    try:
        modules = [importlib.import_module(package) for package in packages]
        for package in packages:
            importlib.import_module(f"{package}.types")
        yield modules
    finally:
        for root in added:
            sys.path.remove(root)
        for name in [m for m in sys.modules if m.split(".")[0] in tops]:
            del sys.modules[name]
        importlib.invalidate_caches()


# ---------------------------------------------------------------------------------------------
# The loopback server: a tiny pet store that records every request


@dataclass
class Loopback:
    url: str = ""
    requests: list[tuple[str, str, dict[str, list[str]], dict[str, str], bytes]] = field(
        default_factory=list
    )


def make_handler(state: Loopback) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def record(self) -> tuple[str, bytes]:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            url = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            state.requests.append((self.command, url.path, parse_qs(url.query), headers, body))
            return url.path, body

        def send_json(self, status: int, payload: object) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            path, _ = self.record()
            if path == "/v1/pets":
                pets = [{"id": "p1", "name": "Tom", "species": "cat"}, {"id": "p2", "name": "Kit"}]
                self.send_json(200, pets)
            elif path == "/v1/pets/missing":
                self.send_json(404, {"error": {"message": "No such pet.", "type": "not_found"}})
            elif path.startswith("/v1/pets/"):
                pet_id = unquote(path.rsplit("/", 1)[1])
                self.send_json(200, {"id": pet_id, "name": "Rex", "species": "dog"})
            else:
                self.send_json(404, {"error": {"message": "No route.", "type": "invalid"}})

        def do_POST(self) -> None:
            path, body = self.record()
            if path != "/v1/pets":
                self.send_json(404, {"error": {"message": "No route.", "type": "invalid"}})
                return
            self.send_json(201, {"id": "p_new", **json.loads(body)})

    return Handler


@pytest.fixture
def server() -> Iterator[Loopback]:
    state = Loopback()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    httpd.daemon_threads = True
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def client_for(sdk: ModuleType, server: Loopback, api_key: str) -> Any:
    return sdk.Client(
        api_key=api_key,
        base_url=server.url,
        timeout=5.0,
        max_retries=0,
        _strict_response_validation=True,
    )


# ---------------------------------------------------------------------------------------------
# Layout, imports, project metadata


@pytest.mark.parametrize("package", PACKAGES)
def test_files_live_at_the_dotted_path_under_namespace_parents(
    outputs: dict[str, dict[str, bytes]], package: str
) -> None:
    files = outputs[package]
    python = sorted(path for path in files if path.startswith("python/src/"))
    assert python and all(path.startswith(package_dir(package) + "/") for path in python)
    for module in ("__init__.py", "py.typed", "_client.py", "resources/pets.py", "types/models.py"):
        assert f"{package_dir(package)}/{module}" in files
    parts = package.split(".")
    for depth in range(1, len(parts)):
        parent = "python/src/" + "/".join(parts[:depth])
        assert f"{parent}/__init__.py" not in files, "a parent must stay a namespace package"


@pytest.mark.parametrize("package", PACKAGES)
def test_the_package_imports_only_itself_relatively(
    outputs: dict[str, dict[str, bytes]], package: str
) -> None:
    """Every absolute import is of the standard library or a declared dependency: nothing
    names the package (or its top-level parent), so the folder works at any import path.
    (The project's tests/ import the package by name, as its users do.)"""
    allowed = set(sys.stdlib_module_names) | THIRD_PARTY
    checked = 0
    for path, content in outputs[package].items():
        if not path.endswith(".py") or not path.startswith("python/src/"):
            continue
        checked += 1
        for node in ast.walk(ast.parse(content, filename=path)):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path}:{node.lineno}: import of {name}"
                assert not name.startswith(package.split(".")[0]), f"{path}:{node.lineno}"
    assert checked >= 10


def test_pyproject_is_valid_toml_and_setuptools_finds_the_package(trees: dict[str, Path]) -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    read_configuration = pytest.importorskip("setuptools.config.pyprojecttoml").read_configuration
    for package, distribution in zip(PACKAGES, ("vendor-a-sdk", "corp-clients-pets")):
        pyproject = trees[package] / "python" / "pyproject.toml"
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        assert data["project"]["name"] == distribution
        assert data["tool"]["setuptools"]["package-data"] == {package: ["py.typed"]}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # [tool.setuptools] is "beta" in older setuptools
            found = read_configuration(pyproject)["tool"]["setuptools"]["packages"]
        parts = package.split(".")
        parents = {".".join(parts[:i]) for i in range(1, len(parts))}
        assert set(found) == parents | {package, f"{package}.resources", f"{package}.types"}


def test_readme_and_docs_show_the_full_import_path(outputs: dict[str, dict[str, bytes]]) -> None:
    files = outputs["corp.clients.pets"]
    readme = files["python/README.md"].decode()
    assert "from corp.clients.pets import Client\n" in readme
    assert "from corp.clients.pets.types import " in readme
    assert "`src/corp/clients/pets/`" in readme
    assert "from corp.clients.pets import Client\n" in files["docs/pets.md"].decode()
    assert " \n" not in readme  # no trailing spaces (the client line had one without env vars)


# ---------------------------------------------------------------------------------------------
# Two vendored copies in one process, over HTTP


def test_two_vendored_copies_call_a_loopback_server_side_by_side(
    trees: dict[str, Path], server: Loopback
) -> None:
    roots = [trees[package] / "python" / "src" for package in PACKAGES]
    with imported(roots, list(PACKAGES)) as (sdk_a, sdk_b):
        assert sdk_a.Client is not sdk_b.Client
        assert sdk_a.__file__ and Path(sdk_a.__file__).is_relative_to(roots[0])
        assert sdk_b.__file__ and Path(sdk_b.__file__).is_relative_to(roots[1])
        with client_for(sdk_a, server, "key-a") as a, client_for(sdk_b, server, "key-b") as b:
            listed = a.pets.list(limit=2, species="cat")
            fetched = b.pets.get("p 7/x")
            created = b.pets.create(name="Bella", species="dog")
            with pytest.raises(sdk_a.NotFoundError) as missing:
                a.pets.get("missing")

        assert [type(p).__module__ for p in listed] == ["vendor_a.sdk.types.models"] * 2
        assert [(p.id, p.name, p.species) for p in listed] == [
            ("p1", "Tom", "cat"),
            ("p2", "Kit", None),
        ]
        assert isinstance(fetched, sdk_b.types.Pet) and not isinstance(fetched, sdk_a.types.Pet)
        assert type(fetched).__module__ == "corp.clients.pets.types.models"
        assert fetched.id == "p 7/x"
        assert type(created).__module__ == "corp.clients.pets.types.models"
        assert (created.id, created.name, created.species) == ("p_new", "Bella", "dog")
        assert type(missing.value).__module__.startswith("vendor_a.sdk.")
        assert not isinstance(missing.value, sdk_b.NotFoundError)
        assert missing.value.status_code == 404

    seen = [
        (method, path, query, json.loads(body) if body else None)
        for method, path, query, _, body in server.requests
    ]
    assert seen == [
        ("GET", "/v1/pets", {"limit": ["2"], "species": ["cat"]}, None),
        ("GET", "/v1/pets/p%207%2Fx", {}, None),
        ("POST", "/v1/pets", {}, {"name": "Bella", "species": "dog"}),
        ("GET", "/v1/pets/missing", {}, None),
    ]
    keys = [headers["authorization"] for _, _, _, headers, _ in server.requests]
    assert keys == ["Bearer key-a", "Bearer key-b", "Bearer key-b", "Bearer key-a"]
    assert server.requests[2][3]["content-type"] == "application/json"
    assert not any(m.startswith(("vendor_a", "corp")) for m in sys.modules)


def test_async_client_of_a_vendored_copy(trees: dict[str, Path], server: Loopback) -> None:
    package = "corp.clients.pets"

    async def go(sdk: ModuleType) -> Any:
        async with sdk.AsyncClient(
            api_key="key-async", base_url=server.url, timeout=5.0, max_retries=0
        ) as client:
            return await client.pets.create(name="Momo")

    with imported([trees[package] / "python" / "src"], [package]) as (sdk,):
        created = asyncio.run(go(sdk))
        assert isinstance(created, sdk.types.Pet) and created.name == "Momo"
    method, path, _, headers, body = server.requests[-1]
    assert (method, path, json.loads(body)) == ("POST", "/v1/pets", {"name": "Momo"})
    assert headers["authorization"] == "Bearer key-async"


def test_the_folder_works_copied_into_a_users_own_package(
    trees: dict[str, Path], server: Loopback, tmp_path: Path
) -> None:
    """Relative imports only: the generated folder works wherever it is dropped, even under
    a regular package of the user's and a name it was not generated for."""
    app = tmp_path / "app"
    (app / "myapp").mkdir(parents=True)
    (app / "myapp" / "__init__.py").write_text("", encoding="utf-8")
    shutil.copytree(trees["vendor_a.sdk"] / package_dir("vendor_a.sdk"), app / "myapp/_vendor/pets")
    with imported([app], ["myapp._vendor.pets"]) as (sdk,):
        with client_for(sdk, server, "key-app") as client:
            pet = client.pets.get("p3")
        assert type(pet).__module__ == "myapp._vendor.pets.types.models"
        assert (pet.id, pet.name) == ("p3", "Rex")
    assert server.requests[-1][:2] == ("GET", "/v1/pets/p3")


# ---------------------------------------------------------------------------------------------
# Package names the loader and the renderer accept


def spec_text(package: str) -> str:
    return f"api:\n  name: petstore\n  package: {json.dumps(package)}\nresources: {{}}\n"


def test_the_loader_accepts_a_dotted_package() -> None:
    assert parse_spec(spec_text("acme.vendor.petstore")).api.package == "acme.vendor.petstore"


@pytest.mark.parametrize(
    "package", ["acme..x", "acme.", ".acme", "acme.class", "acme.1x", "acme-x", "acme x", ""]
)
def test_the_loader_and_renderer_reject_a_bad_package(petstore: Spec, package: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(spec_text(package), "spec.yaml")
    assert caught.value.problems == [
        (
            "api.package",
            f"{package!r} is not a dotted Python name (identifiers joined by dots, none a keyword)",
        )
    ]
    with pytest.raises(RenderError, match="is not a dotted Python name"):
        render_python(at(petstore, package))


# ---------------------------------------------------------------------------------------------
# The generated project's own linters


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_black_and_ruff_accept_a_dotted_package(trees: dict[str, Path]) -> None:
    project = trees["corp.clients.pets"] / "python"
    black = run([sys.executable, "-m", "black", "--check", "--diff", "."], project)
    assert black.returncode == 0, black.stdout[-4000:] + black.stderr[-2000:]
    ruff = run([find_ruff_bin(), "check", "--no-cache", "."], project)
    assert ruff.returncode == 0, ruff.stdout[-4000:]
