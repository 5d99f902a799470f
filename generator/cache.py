"""A content-addressed cache of imports and renders, shared by `import`, `generate` and `check`.

An entry is found by a key hashed from everything its result depends on: the input bytes
(the overlay, the OpenAPI documents the import read, the normalized spec, the changelog), the
options, and `fingerprint()`, a hash of sdkgen's own code and templates and of the versions of
the libraries that shape the output. Any changed byte of any of them is another key, so an
entry is never stale; an import entry also lists every file the import read, with its hash,
and is only used while each still hashes the same (a `$ref`ed file or an example file the
overlay names may change without the overlay changing).

Where: `$SDKGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/sdkgen`, else `~/.cache/sdkgen`: outside
the repository, so nothing needs ignoring and a vendored or CI checkout stays clean (CI may
keep the folder between runs by pointing SDKGEN_CACHE_DIR at a cached path). An entry is
written to a temporary file and renamed into place, and carries the hash of its body: a
partial, corrupted or foreign file is ignored (and replaced by the next write), never
trusted. Only the newest `KEEP` entries of each kind are kept. `sdkgen --no-cache` or
`SDKGEN_CACHE_DIR=off` turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from . import __version__

ENV_DIR = "SDKGEN_CACHE_DIR"
_OFF = "off"
KEEP = 8  # entries per kind: a few APIs and branches, and a bound on the folder's size
_MAGIC = b"sdkgen-cache 1\n"
# Libraries whose version can change what sdkgen writes (the formatter above all).
_LIBRARIES = ("ruff", "jinja2", "pyyaml", "markdown-it-py")


def default_folder() -> Path | None:
    chosen = os.environ.get(ENV_DIR)
    if chosen is not None:
        return None if chosen in ("", _OFF) else Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "sdkgen"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of the sdkgen that runs (see `fingerprint_of`), computed once a process."""
    templates = Path(str(resources.files("sdkgen.templates")))
    return fingerprint_of(Path(__file__).resolve().parent, templates)


def fingerprint_of(code: Path, templates: Path) -> str:
    """A hash of sdkgen's version, every source file under `code` and every file under
    `templates`, the versions of the libraries that shape its output, and Python's version."""
    from importlib import metadata  # here: 20 ms of start-up that only a cache lookup needs

    digest = hashlib.sha256(f"sdkgen {__version__} {sys.version_info[:2]}\n".encode())
    for name in _LIBRARIES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{name} {metadata.version(name)}\n".encode())
    for label, root, pattern in (("code", code, "*.py"), ("templates", templates, "*")):
        for path in sorted(root.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                relative = path.relative_to(root).as_posix()
                digest.update(f"{label}/{relative}\n".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def key(kind: str, *parts: bytes | str | None) -> str:
    """The key of an entry: the kind, sdkgen's fingerprint and each part, unambiguously
    (each part is length-prefixed, and None differs from empty)."""
    digest = hashlib.sha256(f"{kind}\n{fingerprint()}\n".encode())
    for part in parts:
        if part is None:
            digest.update(b"-\n")
            continue
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(f"{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def file_hash(path: Path) -> str:
    """The hash of a file's bytes, or "missing" if it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


@dataclass
class Entry:
    """What an entry holds: text metadata and named byte strings."""

    meta: dict[str, object]
    blobs: dict[str, bytes]


@dataclass
class Cache:
    """The cache folder (None: off), with hit and miss counts by kind for reports and tests."""

    folder: Path | None
    hits: dict[str, int] = field(default_factory=dict)
    misses: dict[str, int] = field(default_factory=dict)

    def get(
        self, kind: str, entry_key: str, valid: Callable[[Entry], bool] = lambda entry: True
    ) -> Entry | None:
        """The entry stored under the key, if there is an intact one that `valid` accepts."""
        entry = self._read(kind, entry_key) if self.folder else None
        if entry is not None and not valid(entry):
            entry = None
        counts = self.hits if entry else self.misses
        counts[kind] = counts.get(kind, 0) + 1
        return entry

    def put(self, kind: str, entry_key: str, entry: Entry) -> None:
        """Store an entry; a cache that cannot be written is skipped, never an error."""
        if self.folder is None:
            return
        folder = self.folder / kind
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(_encode(entry))
                os.replace(temporary, folder / entry_key)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
            self._prune(folder)
        except OSError:
            pass

    def describe(self) -> list[str]:
        kinds = sorted(set(self.hits) | set(self.misses))
        state = "off" if self.folder is None else str(self.folder)
        return [
            f"cache {kind}: {self.hits.get(kind, 0)} hit, {self.misses.get(kind, 0)} miss ({state})"
            for kind in kinds
        ]

    def _read(self, kind: str, entry_key: str) -> Entry | None:
        assert self.folder is not None
        path = self.folder / kind / entry_key
        try:
            data = path.read_bytes()
        except OSError:
            return None
        entry = _decode(data)
        if entry is None:  # damaged: drop it so the next write starts afresh
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept by _prune
        return entry

    def _prune(self, folder: Path) -> None:
        entries = [p for p in folder.iterdir() if not p.name.startswith(".tmp-")]
        entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in entries[KEEP:]:
            with contextlib.suppress(OSError):
                stale.unlink()


def _encode(entry: Entry) -> bytes:
    names = sorted(entry.blobs)
    header = json.dumps(
        {"meta": entry.meta, "blobs": [[n, len(entry.blobs[n])] for n in names]},
        sort_keys=True,
    ).encode("utf-8")
    body = b"".join([str(len(header)).encode() + b"\n", header, *(entry.blobs[n] for n in names)])
    return _MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def _decode(data: bytes) -> Entry | None:
    """The entry, or None for anything that is not a whole, intact entry."""
    if not data.startswith(_MAGIC):
        return None
    checksum, _, body = data[len(_MAGIC) :].partition(b"\n")
    if hashlib.sha256(body).hexdigest().encode() != checksum:
        return None
    try:
        size, _, rest = body.partition(b"\n")
        header = json.loads(rest[: int(size)])
        offset = int(size)
        blobs = {}
        for name, length in header["blobs"]:
            blobs[str(name)] = rest[offset : offset + int(length)]
            offset += int(length)
        return Entry(dict(header["meta"]), blobs) if offset == len(rest) else None
    except (ValueError, KeyError, TypeError):
        return None


def inputs_unchanged(recorded: object) -> bool:
    """Whether each `[path, hash]` an entry recorded still hashes the same."""
    if not isinstance(recorded, list):
        return False
    for item in recorded:
        if not (isinstance(item, list) and len(item) == 2):
            return False
        if file_hash(Path(str(item[0]))) != item[1]:
            return False
    return True
