"""The stages wired together: import -> normalized spec -> render -> files.

Each function is pure in its inputs (paths are only read); writing is the CLI's job.
"""

from __future__ import annotations

import json
import os
import pickle
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from . import __version__
from .cache import Cache, Entry, file_hash, inputs_unchanged
from .cache import key as cache_key
from .config import Config, load_config
from .output import MANIFEST, manifest
from .spec import dump_spec, load_spec, parse_spec
from .spec.model import Spec
from .timings import timed


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


def import_spec(
    config: Config, warnings: list[str] | None = None, read: list[Path] | None = None
) -> str:
    """The normalized spec, as the YAML text committed in spec/<api>/spec.yaml."""
    return _import(config, warnings, read).text


class Imported(NamedTuple):
    text: str  # as committed in spec/<api>/spec.yaml ("" when not asked for, see import_cached)
    document: bytes  # the trimmed OpenAPI document, as committed in spec/<api>/openapi.json
    spec: Spec | None  # the spec; None when it came from the cache
    # Without the text, with a cache: what names the spec for the render's cache entry (the
    # import's entry key and the hashes of every file it read), and the spec as cached.
    key: str = ""
    pickled: bytes = b""

    def parsed(self, source: str) -> Spec:
        """The spec, from whichever form this import has."""
        if self.spec is not None:
            return self.spec
        if self.pickled:
            # (the cache is the user's own folder, each entry checksummed, as trusted as the
            # .pyc files beside sdkgen's code)
            spec: Spec = pickle.loads(self.pickled)
            return spec
        return parse_spec(self.text, source)


def _import(
    config: Config,
    warnings: list[str] | None = None,
    read: list[Path] | None = None,
    as_text: bool = True,
) -> Imported:
    from .importers.openapi import import_openapi_document  # not loaded to render

    spec, document = import_openapi_document(config, warnings=warnings, read=read)
    with timed("import"):
        return Imported(dump_spec(spec) if as_text else "", document, spec)


def import_project(
    project: Project, warnings: list[str] | None = None, cache: Cache | None = None
) -> Imported:
    config = load_config(project.config)
    return import_cached(config, cache or Cache(None), warnings)


def import_cached(
    config: Config, cache: Cache, warnings: list[str] | None = None, as_text: bool = True
) -> Imported:
    """The import through the cache. The key is the overlay as loaded (with the working
    folder its relative paths start from); an entry also lists every file the import read
    with its hash, and is used only while they all still hash the same.

    Without `as_text` (`generate --openapi`, which renders the spec itself) the spec is
    never written as YAML (`text` is ""): PyYAML's emitter took 1.25 s of the whole OpenAI
    spec, more than half of a cold generation. With a cache the entry holds the spec
    pickled (0.03 s), and `key` names it for the render's entry."""
    with timed("cache"):
        # (no key without a cache: it hashes sdkgen's own code and templates)
        entry_key = (
            cache_key("import", os.getcwd(), repr(config), "yaml" if as_text else "pickle")
            if cache.folder
            else ""
        )
        entry = cache.get("import", entry_key, lambda e: inputs_unchanged(e.meta.get("read")))
    if entry is not None:
        if warnings is not None:
            recorded = entry.meta.get("warnings")
            warnings.extend(str(w) for w in (recorded if isinstance(recorded, list) else []))
        if not as_text:
            key = _spec_key(entry_key, entry.meta.get("read"))
            return Imported("", entry.blobs[API_DOCUMENT], None, key, entry.blobs["spec.pickle"])
        spec_text = entry.blobs["spec.yaml"].decode("utf-8")
        return Imported(spec_text, entry.blobs[API_DOCUMENT], None)
    found: list[str] = []
    read: list[Path] = []
    imported = _import(config, found, read, as_text)
    if warnings is not None:
        warnings.extend(found)
    if cache.folder is None:
        return imported
    with timed("cache"):
        hashes = [[str(p.resolve()), file_hash(p)] for p in dict.fromkeys(read)]
        meta: dict[str, object] = {"read": hashes, "warnings": found}
        blobs = {API_DOCUMENT: imported.document}
        if as_text:
            blobs["spec.yaml"] = imported.text.encode("utf-8")
        else:
            blobs["spec.pickle"] = pickle.dumps(imported.spec, pickle.HIGHEST_PROTOCOL)
            imported = imported._replace(key=_spec_key(entry_key, hashes))
        cache.put("import", entry_key, Entry(meta, blobs))
    return imported


def _spec_key(entry_key: str, read: object) -> str:
    """The import's inputs, which decide its spec: the entry key (sdkgen itself and the
    overlay) and the hash of every file the import read."""
    return f"{entry_key}\n{json.dumps(read, sort_keys=True)}"


# The API's changelog (written by `sdkgen sync` beside spec.yaml), shipped in the SDK project.
CHANGELOG = "CHANGELOG.md"
# The API's own OpenAPI document, trimmed to the imported operations (written by `sdkgen
# import` beside spec.yaml), shipped in the SDK project for its tests' mock server.
API_DOCUMENT = "openapi.json"

# How a manifest names the source document of `generate --openapi` among its inputs.
SOURCE_PREFIX = "source/"

# The steps of a render, in order, for progress reports.
RENDER_STEPS = ("python", "format", "docs")


def render(
    spec: Spec,
    spec_text: bytes,
    changelog: bytes | None = None,
    progress: Callable[[str], None] = lambda step: None,
    api_document: bytes | None = None,
    spec_name: str = "spec.yaml",
    stage: Callable[[dict[str, bytes]], None] = lambda files: None,
) -> dict[str, bytes]:
    """Every file of generated/<api>/, formatted, with the manifest. The API document
    (see API_DOCUMENT), when given, goes into the SDK project beside its tests. The
    manifest names `spec_text` as the input `spec_name`: the normalized spec, or for
    `generate --openapi` the source document (SOURCE_PREFIX + its name). Files are handed
    to `stage` as soon as they are final (see output.TreeWrite); all are returned."""
    # The renderers (Jinja, markdown-it) load here, not at the top: a command that only
    # imports or checks a spec, or fails on bad input, or hits the cache, starts faster.
    from .parallel import alongside
    from .render.environment import keep_compiled

    files, (docs, compiled) = alongside(lambda: _sdk(spec, progress, stage), lambda: _docs(spec))
    keep_compiled(compiled)
    files.update(docs)
    progress("docs")
    inputs = {spec_name: spec_text}
    if changelog is not None:
        files[f"python/{CHANGELOG}"] = inputs[CHANGELOG] = changelog
    if api_document is not None:
        files[f"python/{API_DOCUMENT}"] = inputs[API_DOCUMENT] = api_document
    files[MANIFEST] = manifest(files, f"sdkgen {__version__}", inputs)
    return files


def _sdk(
    spec: Spec, progress: Callable[[str], None], stage: Callable[[dict[str, bytes]], None]
) -> dict[str, bytes]:
    from .render.format import format_python
    from .render.python import is_reexport_module, render_python

    with timed("render python"):
        files = {f"python/{path}": content for path, content in render_python(spec).items()}
    progress("python")
    # The thousands of one-import modules are final as rendered: written while ruff runs.
    stage({path: content for path, content in files.items() if is_reexport_module(path)})
    with timed("format"):
        files = format_python(files, is_reexport_module)
    progress("format")
    stage(files)
    return files


def _docs(spec: Spec) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The docs, and the templates compiled for them (to keep when this ran in a child)."""
    from .render.docs import render_docs
    from .render.environment import compiled_templates

    files = {f"docs/{path}": content for path, content in render_docs(spec).items()}
    return files, compiled_templates()


def render_cached(
    spec_text: bytes,
    changelog: bytes | None,
    load: Callable[[], Spec],
    cache: Cache,
    variant: str = "",
    progress: Callable[[Spec], AbstractContextManager[Callable[[str], None]]] | None = None,
    api_document: bytes | None = None,
    spec_name: str = "spec.yaml",
    key_text: bytes | None = None,
    stage: Callable[[dict[str, bytes]], None] = lambda files: None,
) -> dict[str, bytes]:
    """`render` of the spec `load` gives, whose text is `spec_text`, through the cache.

    The key is the spec's text (with `key_text`, what decided the spec, when `spec_text` is
    the source document: see `Imported.key`), the changelog, the API document and `variant`
    (what else changes the spec `load` returns, such as package and client names given on
    the command line); on a hit the spec is not even parsed. `progress` wraps a render that
    misses."""
    with timed("cache"):
        entry_key = (
            cache_key("render", key_text, spec_text, changelog, api_document, variant, spec_name)
            if cache.folder
            else ""
        )
        entry = cache.get("render", entry_key)
    if entry is not None:
        return entry.blobs
    spec = load()
    with progress(spec) if progress else nullcontext(lambda step: None) as report:
        files = render(spec, spec_text, changelog, report, api_document, spec_name, stage)
    with timed("cache"):
        cache.put("render", entry_key, Entry({}, files))
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
