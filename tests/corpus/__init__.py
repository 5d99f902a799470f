"""The general-case corpus: small OpenAPI documents (one folder each, `openapi.yaml`) and a
harness that generates an SDK from one and imports it, for behavior tests through
`httpx.MockTransport` (the exact request on the wire, the parsed response).

    with generated_sdk(CORPUS / "security_bearer", tmp_path) as sdk:
        seen = []
        client = sdk.Client(http_client=recording_client(seen, json_response({...})), ...)
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

from sdkgen.config import default_config
from sdkgen.importers.openapi import import_openapi
from sdkgen.output import write_tree
from sdkgen.pipeline import render
from sdkgen.spec import dump_spec
from sdkgen.spec.model import Spec

CORPUS = Path(__file__).resolve().parent


def import_document(document: Path | str, tmp_path: Path, package: str = "sdk") -> Spec:
    """A corpus folder (or a document's text) imported with no overlay."""
    if isinstance(document, str):
        path = tmp_path / "openapi.yaml"
        path.write_text(document, encoding="utf-8")
    else:
        path = document / "openapi.yaml" if document.is_dir() else document
    return import_openapi(default_config(path, package=package))


@contextmanager
def generated_sdk(
    document: Path | str, tmp_path: Path, package: str = "sdk"
) -> Iterator[ModuleType]:
    """Generate the SDK of `document` into tmp_path, import it, and forget it afterwards."""
    spec = import_document(document, tmp_path, package)
    out = tmp_path / "out"
    write_tree(out, render(spec, dump_spec(spec).encode("utf-8")), force=True)
    src = str(out / "python" / "src")
    sys.path.insert(0, src)
    try:
        module = importlib.import_module(package)
        importlib.import_module(f"{package}.types")  # `sdk.types` as users reach it
        yield module
    finally:
        sys.path.remove(src)
        top = package.split(".")[0]
        for name in [m for m in sys.modules if m == top or m.startswith(top + ".")]:
            del sys.modules[name]


def module_sdk(tmp_path_factory: Any, folder: str) -> Iterator[ModuleType]:
    """A module-scoped fixture's body: the SDK of one corpus folder, under a package name of
    its own (the folder's), so several can be imported at once."""
    with generated_sdk(CORPUS / folder, tmp_path_factory.mktemp(folder), package=folder) as sdk:
        yield sdk


Handler = Callable[[httpx.Request], httpx.Response]


def recording_client(seen: list[httpx.Request], handler: Handler) -> httpx.Client:
    """An httpx client whose transport records each request and answers with `handler`."""

    def transport(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return handler(request)

    return httpx.Client(transport=httpx.MockTransport(transport))


def json_response(body: Any, status: int = 200) -> Handler:
    return lambda request: httpx.Response(status, json=body)
