"""The stages wired together: import -> normalized spec -> render -> files.

Each function is pure in its inputs (paths are only read); writing is the CLI's job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .config import Config, load_config
from .importers.openapi import import_openapi
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
    def output(self) -> Path:
        return self.root / "generated" / self.api


def discover(root: Path) -> list[Project]:
    return [Project(root, p.parent.name) for p in sorted((root / "spec").glob("*/config.yaml"))]


def import_spec(config: Config, warnings: list[str] | None = None) -> str:
    """The normalized spec, as the YAML text committed in spec/<api>/spec.yaml."""
    return dump_spec(import_openapi(config, warnings=warnings))


def import_project(project: Project, warnings: list[str] | None = None) -> str:
    return import_spec(load_config(project.config), warnings)


# The API's changelog (written by `sdkgen sync` beside spec.yaml), shipped in the SDK project.
CHANGELOG = "CHANGELOG.md"

# The steps of a render, in order, for progress reports.
RENDER_STEPS = ("python", "format", "docs")


def render(
    spec: Spec,
    spec_text: bytes,
    changelog: bytes | None = None,
    progress: Callable[[str], None] = lambda step: None,
) -> dict[str, bytes]:
    """Every file of generated/<api>/, formatted, with the manifest."""
    files = {f"python/{path}": content for path, content in render_python(spec).items()}
    progress("python")
    files = format_python(files, is_reexport_module)
    progress("format")
    files.update({f"docs/{path}": content for path, content in render_docs(spec).items()})
    progress("docs")
    inputs = {"spec.yaml": spec_text}
    if changelog is not None:
        files[f"python/{CHANGELOG}"] = inputs[CHANGELOG] = changelog
    files[MANIFEST] = manifest(files, f"sdkgen {__version__}", inputs)
    return files


def render_spec_file(
    path: Path, progress: Callable[[str], None] = lambda step: None
) -> dict[str, bytes]:
    """Render a normalized spec file, with the changelog beside it if there is one."""
    return render(load_spec(path), path.read_bytes(), changelog_beside(path), progress)


def changelog_beside(spec_path: Path) -> bytes | None:
    changelog = spec_path.parent / CHANGELOG
    return changelog.read_bytes() if changelog.is_file() else None
