"""The stages wired together: import -> normalized spec -> render -> files.

Each function is pure in its inputs (paths are only read); writing is the CLI's job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .config import Config, load_config
from .importers.openapi import import_openapi, import_openapi_document
from .output import MANIFEST, manifest
from .render.docs import render_docs
from .render.format import format_python
from .render.python import is_reexport_module, render_python
from .spec import dump_spec, load_spec
from .spec.model import Spec


@dataclass(frozen=True)
class Project:
    """Where one API's files live: spec/<api>/config.yaml, spec/<api>/spec.yaml, generated/<api>/."""

    root: Path
    api: str

    @property
    def config(self) -> Path:
        return self.root / "spec" / self.api / "config.yaml"

    @property
    def spec(self) -> Path:
        return self.root / "spec" / self.api / "spec.yaml"

    @property
    def changelog(self) -> Path:
        return self.root / "spec" / self.api / CHANGELOG

    @property
    def api_document(self) -> Path:
        return self.root / "spec" / self.api / API_DOCUMENT

    @property
    def output(self) -> Path:
        return self.root / "generated" / self.api


def discover(root: Path) -> list[Project]:
    return [Project(root, p.parent.name) for p in sorted((root / "spec").glob("*/config.yaml"))]


def import_spec(config: Config, warnings: list[str] | None = None) -> str:
    """The normalized spec, as the YAML text committed in spec/<api>/spec.yaml."""
    return dump_spec(import_openapi(config, warnings=warnings))


def import_api(config: Config, warnings: list[str] | None = None) -> tuple[str, bytes]:
    """The normalized spec's YAML text, and the trimmed OpenAPI document (openapi.json)."""
    spec, document = import_openapi_document(config, warnings=warnings)
    return dump_spec(spec), document


def import_project(project: Project, warnings: list[str] | None = None) -> tuple[str, bytes]:
    return import_api(load_config(project.config), warnings)


# The API's changelog (written by `sdkgen sync` beside spec.yaml), shipped in the SDK project.
CHANGELOG = "CHANGELOG.md"
# The API's own OpenAPI document, trimmed to the imported operations (written by `sdkgen
# import` beside spec.yaml), shipped in the SDK project for its tests' mock server.
API_DOCUMENT = "openapi.json"

# The steps of a render, in order, for progress reports.
RENDER_STEPS = ("python", "format", "docs")


def render(
    spec: Spec,
    spec_text: bytes,
    changelog: bytes | None = None,
    progress: Callable[[str], None] = lambda step: None,
    api_document: bytes | None = None,
) -> dict[str, bytes]:
    """Every file of generated/<api>/, formatted, with the manifest. The API document
    (see API_DOCUMENT), when given, goes into the SDK project beside its tests."""
    files = {f"python/{path}": content for path, content in render_python(spec).items()}
    progress("python")
    files = format_python(files, is_reexport_module)
    progress("format")
    files.update({f"docs/{path}": content for path, content in render_docs(spec).items()})
    progress("docs")
    inputs = {"spec.yaml": spec_text}
    if changelog is not None:
        files[f"python/{CHANGELOG}"] = inputs[CHANGELOG] = changelog
    if api_document is not None:
        files[f"python/{API_DOCUMENT}"] = inputs[API_DOCUMENT] = api_document
    files[MANIFEST] = manifest(files, f"sdkgen {__version__}", inputs)
    return files


def render_spec_file(
    path: Path, progress: Callable[[str], None] = lambda step: None
) -> dict[str, bytes]:
    """Render a normalized spec file, with the changelog and API document beside it if
    there are."""
    return render(
        load_spec(path),
        path.read_bytes(),
        changelog_beside(path),
        progress,
        document_beside(path),
    )


def changelog_beside(spec_path: Path) -> bytes | None:
    changelog = spec_path.parent / CHANGELOG
    return changelog.read_bytes() if changelog.is_file() else None


def document_beside(spec_path: Path) -> bytes | None:
    document = spec_path.parent / API_DOCUMENT
    return document.read_bytes() if document.is_file() else None
