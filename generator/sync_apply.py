"""One API's spec sync: read the new upstream document, import it through the API's overlay,
compare it with the committed normalized spec (sync.py), and apply the result all or nothing.

Applying writes: the new document pinned under spec/upstream/, the overlay's `source` (and
`version`) lines, spec/<api>/spec.yaml, spec/<api>/CHANGELOG.md (newest entry first; the
SDK ships a copy), spec/<api>/openapi.json (the trimmed document) and generated/<api>/. Everything is computed in memory first; the
single files are written next, and the output tree last, and if any write fails the
single files get their old bytes back.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePath

import yaml

from .config import Config, load_config
from .errors import InputError
from .importers.openapi import import_openapi_document
from .output import sha256, write_file, write_tree
from .pipeline import Project, render
from .sources import Source, is_url, materialized, read_source
from .spec import dump_spec, load_spec
from .spec.model import Spec
from .sync import Changelog, compare, next_version, to_markdown

_CHANGELOG_TITLE = "# Changelog\n\n"


@dataclass(frozen=True)
class SyncPlan:
    """What a sync found for one API, and every byte applying it would write."""

    project: Project
    changelog: Changelog
    warnings: list[str]  # what the new document says that the SDK does not honor
    version: str  # the SDK's version after the sync
    writes: dict[
        Path, bytes
    ]  # single files: pinned document, overlay, spec, changelog, openapi.json
    output: dict[str, bytes]  # generated/<api>/


def plan_sync(project: Project, upstream: str | None, today: datetime.date) -> SyncPlan:
    """Compare the API's committed spec with the upstream document (`upstream`, else the
    overlay's `upstream:`). Pure: reads files, writes nothing."""
    config = load_config(project.config)
    location = upstream or _configured_upstream(config)
    old = load_spec(project.spec)
    source = read_source(location)
    stale: list[str] = []
    warnings: list[str] = []
    with materialized(source) as path:
        new, document = import_openapi_document(
            dataclasses.replace(config, source=path.resolve()), stale, warnings
        )
    changelog = compare(old, new, stale)
    version = _next_version(old, changelog)
    new = dataclasses.replace(new, api=dataclasses.replace(new.api, sdk_version=version))
    spec_text = dump_spec(new).encode("utf-8")
    pinned = _pinned_path(config, source, explicit=upstream is not None, today=today)
    entry = _changelog_entry(changelog, version, old, pinned.name, source)
    changelog_text = _prepend(project.changelog, entry)
    writes = {
        pinned: source.content,
        project.config: _rewrite_overlay(config, pinned, version),
        project.spec: spec_text,
        project.changelog: changelog_text,
        project.api_document: document,
    }
    output = render(new, spec_text, changelog_text, api_document=document)
    return SyncPlan(project, changelog, warnings, version, writes, output)


def apply_sync(plan: SyncPlan) -> None:
    """Write the plan: single files first, the output tree last; all or nothing."""
    backups = {path: path.read_bytes() if path.is_file() else None for path in plan.writes}
    try:
        for path, content in plan.writes.items():
            write_file(path, content)
        write_tree(plan.project.output, plan.output)
    except BaseException:
        for path, content in backups.items():
            if content is None:
                path.unlink(missing_ok=True)
            else:
                write_file(path, content)
        raise


def _configured_upstream(config: Config) -> str:
    if not config.upstream:
        raise InputError(
            str(config.path),
            "upstream: not set; name the document to sync from there or with --upstream",
        )
    if is_url(config.upstream):
        return config.upstream
    return str((config.path.parent / config.upstream).resolve())


def _pinned_path(config: Config, source: Source, explicit: bool, today: datetime.date) -> Path:
    """Where the new document is pinned. A file named on the command line keeps its name
    (snapshots named by date, as spec/upstream/ holds them); a fetched document gets the
    API's name and the day it was fetched; the overlay's own upstream file replaces the
    pinned copy in place."""
    folder = config.source.parent
    if is_url(source.origin):
        suffix = PurePath(source.name).suffix or ".yaml"
        return folder / f"{config.api}-{today.isoformat()}{suffix}"
    if explicit:
        return folder / source.name
    return config.source


def _next_version(old: Spec, changelog: Changelog) -> str:
    current = old.api.sdk_version or old.api.version
    try:
        return next_version(current, changelog.bump)
    except ValueError as exc:
        raise InputError("version", f"{exc}; set `version:` in the overlay") from None


def _changelog_entry(
    changelog: Changelog, version: str, old: Spec, pinned: str, source: Source
) -> str:
    before = old.api.sdk_version or old.api.version
    bump = changelog.bump or "none"
    lead = (
        f"Upstream: `{pinned}` (sha256 `{sha256(source.content)[:12]}`). "
        f"Version bump: {bump} ({before} -> {version}).\n\n"
    )
    section = to_markdown(changelog, version)
    heading, _, body = section.partition("\n\n")
    return f"{heading}\n\n{lead}{body.rstrip()}\n"


def _prepend(path: Path, entry: str) -> bytes:
    old = path.read_text(encoding="utf-8") if path.is_file() else _CHANGELOG_TITLE
    rest = old.removeprefix(_CHANGELOG_TITLE)
    return (_CHANGELOG_TITLE + entry + ("\n" + rest if rest.strip() else "")).encode("utf-8")


def _rewrite_overlay(config: Config, pinned: Path, version: str) -> bytes:
    """The overlay with `source:` pointing at the pinned document and `version:` set,
    every other line (comments included) as it was; checked by parsing both."""
    text = config.path.read_text(encoding="utf-8")
    source = Path(os.path.relpath(pinned, config.path.parent)).as_posix()
    updated = _set_top_level(text, "source", source, after="source")
    updated = _set_top_level(updated, "version", version, after="source")
    want = {**(yaml.safe_load(text) or {}), "source": source, "version": version}
    if yaml.safe_load(updated) != want:
        raise InputError(str(config.path), "cannot update source:/version: in place; edit by hand")
    return updated.encode("utf-8")


def _set_top_level(text: str, key: str, value: str, after: str) -> str:
    line = f"{key}: {_scalar(value)}"
    pattern = re.compile(rf"^{re.escape(key)}:.*$", re.MULTILINE)
    if pattern.search(text):
        return pattern.sub(lambda _: line, text, count=1)
    anchor = re.compile(rf"^{re.escape(after)}:.*$", re.MULTILINE).search(text)
    if anchor is None:
        return text.rstrip("\n") + "\n" + line + "\n"
    return text[: anchor.end()] + "\n" + line + text[anchor.end() :]


def _scalar(value: str) -> str:
    """`value` as a YAML scalar: plain where YAML reads it back as this string, else quoted."""
    try:
        if yaml.safe_load(f"k: {value}") == {"k": value}:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value)
