"""What `sdkgen init` writes for a new API, besides its spec and output: the starter overlay
(spec/<api>/config.yaml, commented, holding the resource tree the importer inferred) and the
spec-sync CI job (templates/project/).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from . import __version__
from .render.environment import render_target
from .spec.model import Spec

API_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

_HEADER = """\
# Overlay for {title}: what the OpenAPI document does not say. Started by `sdkgen init`;
# edit freely, then run `sdkgen import {api} && sdkgen generate {api}` (or `sdkgen check`).
"""

# A comment above each top-level key of the starter overlay.
_COMMENTS = {
    "source": "The pinned OpenAPI document (relative to this file). `sdkgen sync` replaces it.",
    "upstream": "Where `sdkgen sync` fetches the newest version of the document.",
    "python": "The SDK's import path (dotted for vendoring, e.g. acme.clients.pets) and classes.",
    "resources": (
        "The client tree: dotted resource path -> method name -> operationId. Inferred from\n"
        "tags and operationIds; rename methods or move them between resources here. Options:\n"
        "  name: {operation: listPets, pagination: cursor, stream: EventUnion}\n"
        "Operations not listed here are still generated, placed by their first tag."
    ),
}

_LATER = """\
# Also available (see the sdkgen README):
#   select: {tags: [...], paths: [...], operations: [...]}   # generate only these
#   client: {base_url, default_headers, environment: {api_key: MY_API_KEY}, request_id_header}
#   pagination: {cursor: {cursor_param, cursor_field, items_field, has_more_field}}
#   renames: {ImporterName: BetterName}
#   version: 1.0.0   # the SDK's version (default: the document's info.version)
"""


def starter_overlay(api: str, source: str, upstream: str, spec: Spec) -> str:
    """The commented config.yaml for a new API, from the spec imported with no overlay."""
    data: dict[str, Any] = {"api": api, "source": source}
    if upstream:
        data["upstream"] = upstream
    data["python"] = {
        "package": spec.api.package,
        "client": spec.api.client,
        "async_client": spec.api.async_client,
    }
    resources: dict[str, dict[str, str]] = {}
    for resource, method in spec.methods():
        resources.setdefault(resource, {})[method.name] = method.operation_id
    if resources:
        data["resources"] = resources
    parts = [_HEADER.format(title=spec.api.title or api, api=api)]
    for key, value in data.items():
        if key in _COMMENTS:
            parts.append("\n" + _comment(_COMMENTS[key]))
        parts.append(yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, width=100))
        if key == "source" and not upstream:
            parts.append("\n" + _comment(_COMMENTS["upstream"] + "\nupstream: https://..."))
    return "".join(parts) + "\n" + _LATER


def _comment(text: str) -> str:
    return "".join(f"# {line}\n" for line in text.splitlines())


def ci_files(api: str) -> dict[str, bytes]:
    """The spec-sync workflow for `api` and the script it runs, by path from the repo root.
    The job installs this release of sdkgen (from the index pip is configured with)."""
    context = {"api": api, "install": f"sdkgen=={__version__}"}
    return render_target("project", context, lambda path: path.replace("__api__", api))
