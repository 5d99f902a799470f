"""OpenAPI documents on disk and the `$ref`s between them.

A location is (file, JSON pointer). Files are read once; a `$ref` is resolved relative to
the file it appears in. Every failure names the file and the pointer of the `$ref`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError

try:  # libyaml's loader parses the 2.8 MB OpenAI spec in 0.5 s instead of 12 s
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pyyaml built without libyaml
    _Loader = yaml.SafeLoader

Location = tuple[Path, str]


def escape_pointer(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _unescape_pointer(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


class Documents:
    def __init__(self, root: Path):
        self.root = root.resolve()
        self._files: dict[Path, Any] = {}

    def display(self, location: Location) -> str:
        """`file.yaml: #/pointer` with the file named relative to the root document."""
        path, pointer = location
        try:
            name = str(path.relative_to(self.root.parent))
        except ValueError:
            name = str(path)
        return f"{name}: #{pointer}"

    def error(self, location: Location, message: str) -> InputError:
        where = self.display(location)
        file, _, pointer = where.partition(": ")
        return InputError(file, f"{pointer}: {message}")

    def load(self, path: Path) -> Any:
        path = path.resolve()
        if path not in self._files:
            self._files[path] = _read(path)
        return self._files[path]

    def node(self, location: Location) -> Any:
        path, pointer = location
        node = self.load(path)
        for segment in pointer.split("/")[1:] if pointer else []:
            key = _unescape_pointer(segment)
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                raise KeyError(pointer)
        return node

    def target(self, ref: Any, at: Location) -> Location:
        """Where `ref`, found at `at`, points; raises InputError if it points nowhere."""
        if not isinstance(ref, str):
            raise self.error(at, "$ref must be a string")
        file_part, _, pointer = ref.partition("#")
        path = (at[0].parent / file_part).resolve() if file_part else at[0]
        if file_part and not path.is_file():
            raise self.error(at, f"$ref {ref!r}: file {file_part!r} not found")
        if pointer and not pointer.startswith("/"):
            raise self.error(at, f"$ref {ref!r}: only JSON pointers (#/...) are supported")
        try:
            self.node((path, pointer))
        except KeyError:
            raise self.error(at, f"$ref {ref!r} points to nothing") from None
        except InputError as exc:
            raise self.error(at, f"$ref {ref!r}: {exc.message}") from None
        return (path, pointer)

    def resolve(self, node: Any, at: Location) -> tuple[Any, Location]:
        """Follow a chain of `$ref`s to a node that is not a reference."""
        seen = {at}
        while isinstance(node, dict) and "$ref" in node:
            at = self.target(node["$ref"], at)
            if at in seen:
                raise self.error(at, "$ref cycle with no schema in it")
            seen.add(at)
            node = self.node(at)
        return node, at


def _read(path: Path) -> Any:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(name, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(name, f"cannot read file: {exc}") from None
    if not text.strip():
        raise InputError(name, "file is empty")
    try:
        if path.suffix == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=_Loader)
    except json.JSONDecodeError as exc:
        raise InputError(name, f"line {exc.lineno}: not valid JSON: {exc.msg}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark else ""
        raise InputError(
            name, f"{line}not valid YAML: {getattr(exc, 'problem', None) or exc}"
        ) from None
