"""OpenAPI documents on disk and the `$ref`s between them.

A location is (file, JSON pointer). Files are read once; a `$ref` is resolved relative to
the file it appears in. Every failure names the file and the pointer of the `$ref`.

Whatever a document holds, reading it takes bounded time and memory, or fails with one
line naming the file and the place in it:

- A file larger than `MAX_DOCUMENT_BYTES` is refused unread; all files of one import
  together may not pass `MAX_TOTAL_BYTES`.
- YAML: duplicate keys are refused with their line (YAML's last-wins would silently drop
  the first); aliases may add at most `MAX_ALIAS_NODES` nodes to the document (a few
  kilobytes of nested anchors otherwise expand to gigabytes in every later walk), and an
  alias may not refer to a node that contains it. libyaml limits nesting to 1000 levels.
- JSON: duplicate keys are refused with their pointer; nesting beyond `MAX_DEPTH` levels
  is refused (the same limit as libyaml's), never a RecursionError.
- Text that cannot be encoded as UTF-8 (a lone surrogate such as `\\ud800` from an escape)
  is refused with its pointer, at import rather than when the output is written.

`$ref` follows relative file paths that stay inside the root document's folder (its
subfolders included; symbolic links are followed and must land inside too), or inside the
folder the overlay's `refs: {root: ...}` (`--ref-root`) names instead. Absolute paths,
`file:` and other non-http URLs, and paths leading out of that folder are refused. Remote
(`http(s)`) references, and relative ones in a document that was fetched, are refused
without a network request unless `refs: {remote: true}` (`--remote-refs`) allows them;
then each document is fetched once, with the size limits of a local one.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import InputError
from ..timings import timed

try:  # libyaml's loader parses the 2.8 MB OpenAI spec in 0.5 s instead of 12 s
    _Loader: Any = yaml.CSafeLoader
    _EVENTS = True  # see _read_events
except AttributeError:  # pragma: no cover - pyyaml built without libyaml
    _Loader = yaml.SafeLoader
    _EVENTS = False

Location = tuple[Path, str]

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024  # one file; the same bound as a fetched document's
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # every file one import reads
MAX_DEPTH = 1000  # nesting of mappings and lists: libyaml's own limit, applied to JSON too
# Nodes that YAML aliases may add to a document. Legitimate reuse (a shared response, a
# parameter list) adds hundreds to thousands; every added node can reach the spec and the
# docs (measured: a default and an example aliasing one 87,000-node tree took 2.4 s to
# generate, 11 MB; a 350,000-node tree 9.7 s, 45 MB), so the worst accepted case stays
# at a few seconds.
MAX_ALIAS_NODES = 100_000

_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
# The tags a plain scalar may resolve to that the event reader builds itself, with the same
# constructors as the checked path; any other (merge `<<`, value `=`) goes to that path.
_BUILT_TAGS = frozenset(
    f"tag:yaml.org,2002:{kind}" for kind in ("null", "bool", "int", "float", "timestamp")
)
# An escape that can produce a lone surrogate: JSON's \uD800, YAML's \uD800 or \U0000D800.
_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F]")


def escape_pointer(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _unescape_pointer(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


class Documents:
    def __init__(
        self,
        root: Path,
        ref_root: Path | None = None,
        remote: bool = False,
        root_url: str = "",
    ):
        self.root = root.resolve()
        # `$ref`s may lead anywhere under this folder only
        self.base = ref_root.resolve() if ref_root is not None else self.root.parent
        self.remote = remote
        self._files: dict[Path, Any] = {}
        self._bytes_read = 0
        # Fetched documents are read from a private folder; each knows its URL, from which
        # its own relative refs start (as the root's does when the root was fetched).
        self._urls: dict[Path, str] = {self.root: root_url} if root_url else {}
        self._fetched: dict[str, Path] = {}
        self._downloads: tempfile.TemporaryDirectory[str] | None = None

    @property
    def files(self) -> list[Path]:
        """Every file read so far (the root document and those its `$ref`s reached)."""
        return list(self._files)

    def display(self, location: Location) -> str:
        """`file.yaml: #/pointer` with the file named relative to the root document."""
        path, pointer = location
        if path in self._urls and path != self.root:
            return f"{self._urls[path]}: #{pointer}"
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
        if path in self._files:  # already resolved: every `$ref` in a file lands here
            return self._files[path]
        path = path.resolve()
        if path not in self._files:
            self._bytes_read += _size(path)
            if self._bytes_read > MAX_TOTAL_BYTES:
                raise InputError(
                    str(path), f"the documents of this import pass {megabytes(MAX_TOTAL_BYTES)}"
                )
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
        path = self._file(file_part, ref, at) if file_part else at[0]
        if pointer and not pointer.startswith("/"):
            raise self.error(at, f"$ref {ref!r}: only JSON pointers (#/...) are supported")
        try:
            self.node((path, pointer))
        except KeyError:
            raise self.error(at, f"$ref {ref!r} points to nothing") from None
        except InputError as exc:
            raise self.error(at, f"$ref {ref!r}: {exc.message}") from None
        return (path, pointer)

    def _file(self, file_part: str, ref: str, at: Location) -> Path:
        """The file a `$ref`'s file part names, if it is one sdkgen may read."""
        parts = urlsplit(file_part)
        referrer_url = self._urls.get(at[0].resolve(), "")
        if parts.scheme in ("http", "https") or parts.netloc or referrer_url:
            return self._remote(urljoin(referrer_url, file_part), ref, at)
        if len(parts.scheme) > 1:  # file:, urn:, ... (one letter is a Windows drive)
            raise self.error(at, f"$ref {ref!r}: only relative file paths are followed")
        if Path(file_part).is_absolute() or file_part.startswith(("/", "\\")):
            raise self.error(
                at, f"$ref {ref!r}: absolute paths are not followed; use a relative path"
            )
        try:
            path = (at[0].parent / file_part).resolve()
            inside = path.is_relative_to(self.base)
            found = inside and path.is_file()
        except (OSError, ValueError) as exc:  # an embedded NUL, a path too long, a loop
            raise self.error(at, f"$ref {ref!r}: not a usable file path ({exc})") from None
        if not inside:
            raise self.error(
                at,
                f"$ref {ref!r} leads outside the folder {self.base}; only files in it or "
                "below it are followed (the overlay's `refs: {root: ...}` or --ref-root "
                "names a wider one)",
            )
        if not found:
            raise self.error(at, f"$ref {ref!r}: file {file_part!r} not found")
        return path

    def _remote(self, url: str, ref: str, at: Location) -> Path:
        """The local copy of the document at `url`, fetched once, if remote refs are on."""
        if not self.remote:
            raise self.error(
                at,
                f"$ref {ref!r}: remote references are not followed unless allowed (the "
                "overlay's `refs: {remote: true}` or --remote-refs); or save the file beside "
                "the document and refer to it by a relative path",
            )
        if urlsplit(url).scheme not in ("http", "https"):
            raise self.error(at, f"$ref {ref!r}: only relative paths and http(s) URLs are followed")
        if url not in self._fetched:
            from ..sources import fetch  # httpx loads only for an import that fetches

            try:
                content = fetch(url)
            except InputError as exc:
                raise self.error(at, f"$ref {ref!r}: {exc.message}") from None
            if self._downloads is None:
                self._downloads = tempfile.TemporaryDirectory(prefix="sdkgen-refs-")
            suffix = PurePosixPath(urlsplit(url).path).suffix  # .json is parsed as JSON
            suffix = suffix if suffix in (".json", ".yaml", ".yml") else ".yaml"
            path = (Path(self._downloads.name) / f"{len(self._fetched)}{suffix}").resolve()
            path.write_bytes(content)
            self._fetched[url] = path
            self._urls[path] = url
        return self._fetched[url]

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


def megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        raise InputError(str(path), "file not found") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read file: {exc.strerror or exc}") from None


def _read(path: Path) -> Any:
    name = str(path)
    if _size(path) > MAX_DOCUMENT_BYTES:
        raise InputError(name, f"document is larger than {megabytes(MAX_DOCUMENT_BYTES)}")
    try:
        with path.open("rb") as handle:  # a file that grows after stat is cut at the limit
            raw = handle.read(MAX_DOCUMENT_BYTES + 1)
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise InputError(name, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(name, f"cannot read file: {exc}") from None
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise InputError(name, f"document is larger than {megabytes(MAX_DOCUMENT_BYTES)}")
    if not text.strip():
        raise InputError(name, "file is empty")
    with timed("load"):
        data = _load_json(text, name) if path.suffix == ".json" else parse_yaml(text, name)
    if _SURROGATE_ESCAPE.search(text):
        _refuse_unencodable(data, name)
    return data


def _load_json(text: str, name: str) -> Any:
    try:
        data = json.loads(text, object_pairs_hook=_json_object)
    except json.JSONDecodeError as exc:
        raise InputError(name, f"line {exc.lineno}: not valid JSON: {exc.msg}") from None
    except RecursionError:  # the parser's own limit, below MAX_DEPTH on some Pythons
        raise InputError(name, f"document nests deeper than {MAX_DEPTH} levels") from None
    for value, depth, path in _walk(data):
        if depth > MAX_DEPTH:
            raise InputError(name, f"document nests deeper than {MAX_DEPTH} levels")
        if isinstance(value, _Duplicated):
            raise InputError(name, f"#{_pointer(path)}: duplicate key {value.duplicate!r}")
    return data


class _Duplicated(dict):  # type: ignore[type-arg]
    """A JSON object that named a key twice (found after parsing, to report its place)."""

    duplicate: str = ""


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) == len(pairs):
        return data
    marked = _Duplicated(data)
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            marked.duplicate = key
            break
        seen.add(key)
    return marked


def parse_yaml(text: str, name: str) -> Any:
    """YAML text as data, with the checks above (for any YAML sdkgen reads from users)."""
    if _EVENTS:
        try:
            return _read_events(text)
        except (_Unvouched, yaml.YAMLError):
            pass  # read again by the checked path, which refuses or reports with the line
    return _read_nodes(text, name)


class _Unvouched(Exception):
    """The event reader met what only the checked path handles: an anchor or alias, a tag,
    a merge key, a duplicate or complex key, a second document, deep nesting."""


def _read_events(text: str) -> Any:
    """The data `_read_nodes` gives, built straight from libyaml's events.

    The same parser, resolver and scalar constructors, without the node tree: composing it
    (a Python resolver call a scalar) and constructing from it (generators a mapping) took
    0.9 s of the 1.1 s the whole OpenAI spec took to load, the events alone 0.16 s. An alias
    gives the object its anchor built, shared as the checked path shares it, and adds its
    expanded size to a count held to the same limit. Anything the checked path refuses or
    reports with its line raises _Unvouched (a YAML error propagates), and the caller
    reads the text that way."""
    loader = _Loader(text)
    try:
        return _EventReader(loader).document()
    finally:
        loader.dispose()


class _EventReader:
    def __init__(self, loader: Any):
        self.loader = loader
        self.plain = _PlainScalars(loader)
        self.root: Any = None
        self.open: list[Any] = []  # the mappings and sequences being filled, innermost last
        self.pending: list[Any] = []  # per open container: its mapping's key awaiting a value
        self.keys: list[set[tuple[str, str]]] = []  # per open container: its mapping's keys
        self.started: list[int] = []  # per open container: `expanded` when it started
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor: (object, expanded size)
        self.open_anchors: list[str | None] = []  # per open container: its anchor
        self.distinct = 0  # nodes in the text
        self.expanded = 0  # nodes with every alias expanded

    def document(self) -> Any:
        documents = 0
        get_event = self.loader.get_event
        while True:
            event = get_event()
            kind = type(event)
            if kind is ScalarEvent:
                self.scalar(event)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                self.start(event, {} if kind is MappingStartEvent else [])
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                self.end()
            elif kind is AliasEvent:
                self.alias(event.anchor)
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:  # refused by the checked path
                    raise _Unvouched
            elif kind is StreamEndEvent:
                if self.expanded > self.distinct + MAX_ALIAS_NODES:
                    raise _Unvouched  # refused, as a YAML bomb, by the checked path
                return self.root

    def scalar(self, event: ScalarEvent) -> None:
        if event.tag is not None:
            raise _Unvouched
        if event.implicit[0]:
            tag, value = self.plain(event.value)
        else:
            tag, value = _STR_TAG, event.value
        self.distinct += 1
        self.expanded += 1
        self.place(value, (tag, event.value))
        if event.anchor is not None:
            self.anchor(event.anchor, value, 1)

    def start(self, event: MappingStartEvent | SequenceStartEvent, container: Any) -> None:
        if event.tag is not None or len(self.open) >= MAX_DEPTH:
            raise _Unvouched
        if event.anchor is not None and event.anchor in self.anchors:
            raise _Unvouched  # a duplicate anchor, refused by the parser's composer
        self.place(container, None)
        self.distinct += 1
        self.started.append(self.expanded)
        self.expanded += 1
        self.open.append(container)
        self.pending.append(_NO_KEY)
        self.keys.append(set())
        self.open_anchors.append(event.anchor)

    def end(self) -> None:
        container = self.open.pop()
        self.pending.pop()
        self.keys.pop()
        anchor = self.open_anchors.pop()
        size = self.expanded - self.started.pop()
        if anchor is not None:
            self.anchor(anchor, container, size)

    def anchor(self, name: str, value: Any, size: int) -> None:
        if name in self.anchors:
            raise _Unvouched
        self.anchors[name] = (value, size)

    def alias(self, name: str) -> None:
        if name not in self.anchors:  # undefined, or a container holding an alias to itself
            raise _Unvouched
        value, size = self.anchors[name]
        self.expanded += size
        self.place(value, None)

    def place(self, value: Any, key: tuple[str, str] | None) -> None:
        """Put `value` where the document says: the root, the next item of a sequence, a
        mapping's next key (`key`: its tag and text, None for what cannot be one here) or
        the value of its pending key."""
        if not self.open:
            self.root = value
            return
        container = self.open[-1]
        if type(container) is list:
            container.append(value)
        elif self.pending[-1] is not _NO_KEY:
            container[self.pending[-1]] = value
            self.pending[-1] = _NO_KEY
        elif key is not None and key not in self.keys[-1]:
            self.keys[-1].add(key)
            self.pending[-1] = value
        else:  # a duplicate key (refused with its line), a mapping, list or alias as a key
            raise _Unvouched


_NO_KEY = object()


class _PlainScalars:
    """A plain scalar's tag and value as the checked path gives them: PyYAML's resolver,
    asked only when a resolver starts with the scalar's first character (most words
    never resolve), and its constructors, each text built once (the values are
    immutable)."""

    def __init__(self, loader: Any):
        self.loader = loader
        self.first = frozenset(loader.yaml_implicit_resolvers)
        self.built: dict[str, tuple[str, Any]] = {}
        if None in self.first:  # a resolver for any first character: ask it every time
            self.first = _Everything()

    def __call__(self, text: str) -> tuple[str, Any]:
        if text[:1] not in self.first:
            return _STR_TAG, text
        found = self.built.get(text)
        if found is None:
            found = self.built[text] = self._build(text)
        return found

    def _build(self, text: str) -> tuple[str, Any]:
        tag = self.loader.resolve(ScalarNode, text, (True, False))
        if tag == _STR_TAG:
            return tag, text
        if tag not in _BUILT_TAGS:
            raise _Unvouched
        return tag, self.loader.yaml_constructors[tag](self.loader, ScalarNode(tag, text))


class _Everything:
    def __contains__(self, item: object) -> bool:
        return True


def _read_nodes(text: str, name: str) -> Any:
    """The checked path: the node tree, checked (see `_check_nodes`), then constructed."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        _check_nodes(root, name)
        return loader.construct_document(root)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark else ""
        raise InputError(
            name, f"{line}not valid YAML: {getattr(exc, 'problem', None) or exc}"
        ) from None
    except RecursionError:  # the pure-Python parser, without libyaml
        raise InputError(name, f"document nests deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [item for pair in node.value for item in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _check_nodes(root: Node, name: str) -> None:
    """Refuse duplicate keys; then, if any node is reached twice (an alias), refuse
    recursive aliases and expansion beyond MAX_ALIAS_NODES. One pass without aliases."""
    seen: set[int] = set()
    shared = False
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            shared = True
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            _refuse_duplicate_keys(node, name)
        stack.extend(reversed(_children(node)))  # document order, for the first duplicate
    if shared:
        _check_aliases(root, len(seen), name)


def _refuse_duplicate_keys(node: MappingNode, name: str) -> None:
    keys: set[tuple[str, str]] = set()
    for key, _ in node.value:
        if isinstance(key, ScalarNode) and key.tag != _MERGE_TAG:
            if (key.tag, key.value) in keys:
                line = key.start_mark.line + 1
                raise InputError(name, f"line {line}: duplicate key {key.value!r}")
            keys.add((key.tag, key.value))


def _check_aliases(root: Node, distinct: int, name: str) -> None:
    """The document's size with every alias expanded, counted once per node (linear time
    however large the expansion), stopping at the limit; a node inside itself is refused."""
    limit = distinct + MAX_ALIAS_NODES
    size: dict[int, int] = {}
    open_: set[int] = set()  # the nodes whose subtree is being counted: the current path
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, counted = stack.pop()
        key = id(node)
        if counted:
            open_.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in _children(node))
            if size[key] > limit:
                raise InputError(
                    name,
                    f"document expands YAML aliases beyond {MAX_ALIAS_NODES} nodes (a YAML bomb?)",
                )
        elif key in open_:
            line = node.start_mark.line + 1
            raise InputError(
                name, f"line {line}: this anchored node holds an alias to itself (endless)"
            )
        elif key not in size:
            open_.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node))


def _walk(data: Any) -> Iterator[tuple[Any, int, Any]]:
    """Every value under `data` with its depth and path (a linked list, see `_pointer`);
    iterative, so depth costs no Python stack."""
    stack: list[tuple[Any, int, Any]] = [(data, 0, None)]
    while stack:
        value, depth, path = stack.pop()
        yield value, depth, path
        if isinstance(value, dict):
            stack.extend((v, depth + 1, (k, path)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, depth + 1, (i, path)) for i, v in enumerate(value))


def _pointer(path: Any) -> str:
    segments: list[str] = []
    while path is not None:
        key, path = path
        segments.append(escape_pointer(str(key)))
    return "".join("/" + segment for segment in reversed(segments))


def _refuse_unencodable(data: Any, name: str) -> None:
    """Refuse a string (key or value) that UTF-8 cannot encode, naming its pointer."""
    for value, _, path in _walk(data):
        texts = [value] if isinstance(value, str) else []
        if isinstance(value, dict):
            texts = [key for key in value if isinstance(key, str)]
        for text in texts:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as exc:
                where = _pointer(path) if text is value else _pointer((text, path))
                where = where.encode("utf-8", "backslashreplace").decode("utf-8")
                bad = text[exc.start : exc.end].encode("unicode_escape").decode("ascii")
                raise InputError(
                    name, f"#{where}: text cannot be encoded as UTF-8 (lone surrogate {bad})"
                ) from None
