"""The hand-written overlay (spec/<api>/config.yaml): what the OpenAPI input does not say.

    api: openai-assistants            # name of the output folder generated/<api>/
    source: ../upstream/openai.yaml   # the OpenAPI document, relative to this file
    upstream: https://.../openapi.yaml  # where `sdkgen sync` fetches new versions (or a path)
    version: 1.2.0                    # the SDK's version (default: the document's); sync bumps it
    select: {tags: [Assistants], paths: [], operations: []}
    include_schemas: [AssistantStreamEvent]   # components wanted beyond what operations reach
    python: {package, client, async_client, types: {AssistantStreamEvent: beta}}
    client: {base_url, default_headers, environment, option_headers, request_id_header}
    renames: {GeneratedName: BetterName}       # keys are the names the importer would give
    docs: {base_url: https://platform.openai.com, examples: {listAssistants: {response: FILE}}}
    pagination: {cursor: {cursor_param, cursor_field, items_field, has_more_field}}
    polling:                                   # resources whose objects `poll` waits for
      beta.threads.runs: {retrieve: retrieve, until: [completed, failed], status_field: status,
                          interval_header: openai-poll-after-ms, interval_ms: 1000}
    event_handlers:                            # classes streams are read with (see spec.model)
      AssistantEventHandler: {event: AssistantStreamEvent, snapshots: {run: {...}}}
    resources:                                 # dotted resource path -> method name -> operation
      beta.assistants:
        list: {operation: listAssistants, pagination: cursor}
        create: createAssistant
      beta.threads.runs:
        create: {operation: createRun, stream: AssistantStreamEvent, poll: beta.threads.runs,
                 stream_helpers: [stream]}

Everything but `source` is optional. Without `select`, every operation is generated; the
ones `resources` does not place go by their first tag, named after their operationId.

`python.types` places a type's module (`types/beta/assistant_stream_event.py`) where the
rule of `render/python_namespaces.py` would not: under the given dotted namespace.

A method with `poll: <resource>` gets a helper that calls it and then waits on the object it
returns with that resource's `poll`: `<name>_and_poll`, or `<name>_poll` when the name has an
`_and_` already (`create_and_run_poll`); `poll_helper` names it otherwise. Each name in
`stream_helpers` becomes a method that streams the call into the event handler of its events.

`client`: `default_headers` go with every request; `environment` maps a client option to
the environment variable it is read from (the credential options, one per security scheme
of the document, default to `<PACKAGE>_<OPTION>`, e.g. PETSTORE_API_KEY); `option_headers`
maps an option to the header it is sent in; `credentials` renames the option of a security
scheme (`{AdminApiKeyAuth: admin_key}`; for a basic scheme, the prefix of its `_username` and
`_password`); `request_id_header` names the response header
that errors and raw responses report as `request_id`, and the objects calls return as
`_request_id` (none by default).

`docs`: `base_url` is where site-relative links in descriptions (`/docs/models`) lead (without
it they keep their text only); `examples` pins the example an operation's reference shows,
by operationId, as JSON files relative to this one (`response`, `request`), in place of the
document's own.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import InputError
from .importers.documents import parse_yaml
from .spec.model import CURSOR_OPTIONS, EventHandler, Polling, Snapshot

# Keys read by their own code in load_config, beside the declared ones.
_OWN_KEYS = (
    "api",
    "source",
    "pagination",
    "polling",
    "event_handlers",
    "resources",
    "docs.examples",
    "refs.root",
    "refs.remote",
)
_METHOD_KEYS = ("operation", "pagination", "stream", "poll", "poll_helper", "stream_helpers")


@dataclass(frozen=True)
class MethodMap:
    resource: str  # dotted path, e.g. beta.threads.runs
    name: str
    operation: str
    pagination: str = ""
    stream: str = ""
    poll: str = ""  # the resource whose `poll` waits on the result
    poll_helper: str = ""
    stream_helpers: tuple[str, ...] = ()
    where: str = ""  # config path, for error messages


def _at(key: str, scalar: bool = False) -> dict[str, Any]:
    """Field metadata: read from the overlay key `key` (dotted: `python.package`); `scalar`
    reads a YAML number as text (`version: 1.2`)."""
    return {"key": key, "scalar": scalar}


# Each field of the overlay is declared once, here: its key in config.yaml is in the field's
# metadata, and `load_config` derives the allowed keys and the reading of every plain field
# (text, list of strings, map of strings) from these declarations. Fields without a key are
# read by their own code below (paths relative to the file, the resource tree, pagination).
@dataclass(frozen=True)
class Config:
    path: Path
    api: str
    source: Path
    upstream: str = field(default="", metadata=_at("upstream"))
    version: str = field(default="", metadata=_at("version", scalar=True))
    title: str = field(default="", metadata=_at("title"))
    tags: tuple[str, ...] = field(default=(), metadata=_at("select.tags"))
    paths: tuple[str, ...] = field(default=(), metadata=_at("select.paths"))
    operations: tuple[str, ...] = field(default=(), metadata=_at("select.operations"))
    include_schemas: tuple[str, ...] = field(default=(), metadata=_at("include_schemas"))
    package: str = field(default="", metadata=_at("python.package"))
    client: str = field(default="Client", metadata=_at("python.client"))
    async_client: str = field(default="AsyncClient", metadata=_at("python.async_client"))
    type_modules: dict[str, str] = field(default_factory=dict, metadata=_at("python.types"))
    base_url: str = field(default="", metadata=_at("client.base_url"))
    default_headers: dict[str, str] = field(
        default_factory=dict, metadata=_at("client.default_headers")
    )
    environment: dict[str, str] = field(default_factory=dict, metadata=_at("client.environment"))
    option_headers: dict[str, str] = field(
        default_factory=dict, metadata=_at("client.option_headers")
    )
    credentials: dict[str, str] = field(default_factory=dict, metadata=_at("client.credentials"))
    request_id_header: str = field(default="", metadata=_at("client.request_id_header"))
    renames: dict[str, str] = field(default_factory=dict, metadata=_at("renames"))
    pagination: dict[str, dict[str, str]] = field(default_factory=dict)  # scheme -> options
    methods: tuple[MethodMap, ...] = ()
    polling: dict[str, Polling] = field(default_factory=dict)  # resource path -> polling
    event_handlers: tuple[EventHandler, ...] = ()
    docs_base_url: str = field(default="", metadata=_at("docs.base_url"))
    docs_examples: dict[str, dict[str, Path]] = field(default_factory=dict)  # op -> kind -> file
    # Where `$ref`s may lead: files under `ref_root` (default: the source's folder), and
    # http(s) documents only when `remote_refs` allows it (overlay `refs:`).
    ref_root: Path | None = None
    remote_refs: bool = False
    source_url: str = ""  # the URL the source was fetched from: its relative refs start there

    @property
    def resource_order(self) -> list[str]:
        """Resource paths in the order the overlay lists them."""
        return list(dict.fromkeys(m.resource for m in self.methods))


def default_config(
    source: Path,
    package: str = "",
    client: str = "",
    *,
    ref_root: Path | None = None,
    remote_refs: bool = False,
    source_url: str = "",
) -> Config:
    """The overlay assumed when only an OpenAPI file is given (operations placed by tag)."""
    return Config(
        path=source,
        api=source.stem,
        source=source,
        package=package,
        client=client or "Client",
        async_client=f"Async{client}" if client else "AsyncClient",
        ref_root=ref_root.resolve() if ref_root is not None else None,
        remote_refs=remote_refs,
        source_url=source_url,
    )


def load_config(path: Path) -> Config:
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(where, f"cannot read config: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(where, "config is not UTF-8 text") from None
    # The documents' YAML checks (duplicate keys, alias bombs) hold for the overlay too.
    data = parse_yaml(text, where)
    if not isinstance(data, dict):
        raise InputError(where, "config must be a mapping")
    reader = _Reader(where)
    sections = _sections()
    reader.keys(data, "", tuple(sections))
    if "source" not in data:
        raise InputError(where, "source: missing (the OpenAPI document to import)")
    for section, keys in sections.items():
        if keys:
            reader.mapping(data.get(section), section, keys)
    docs = reader.mapping(data.get("docs"), "docs")
    refs = reader.mapping(data.get("refs"), "refs")
    return Config(
        path=path,
        api=reader.text(data.get("api", path.parent.name), "api"),
        source=(path.parent / reader.text(data["source"], "source")).resolve(),
        pagination=reader.pagination(data.get("pagination")),
        polling={
            resource: reader.record(Polling, options, f"polling.{resource}")
            for resource, options in reader.mapping(data.get("polling"), "polling").items()
        },
        event_handlers=tuple(
            reader.event_handler(name, options)
            for name, options in reader.mapping(
                data.get("event_handlers"), "event_handlers"
            ).items()
        ),
        methods=reader.methods(data.get("resources")),
        docs_examples=reader.examples(docs.get("examples"), path.parent),
        ref_root=(
            (path.parent / reader.text(refs["root"], "refs.root")).resolve()
            if "root" in refs
            else None
        ),
        remote_refs=reader.flag(refs.get("remote", False), "refs.remote"),
        **{f.name: reader.declared(data, f) for f in fields(Config) if "key" in f.metadata},
    )


def _sections() -> dict[str, tuple[str, ...]]:
    """Top-level keys of the overlay, each with the keys allowed under it (none: a value)."""
    found: dict[str, list[str]] = {}
    keys = [f.metadata["key"] for f in fields(Config) if "key" in f.metadata]
    for key in [*_OWN_KEYS, *keys]:
        section, _, inner = key.partition(".")
        found.setdefault(section, [])
        if inner:
            found[section].append(inner)
    return {section: tuple(inner) for section, inner in found.items()}


class _Reader:
    """Shape checks that stop at the first problem, naming its config path."""

    def __init__(self, where: str):
        self.where = where

    def fail(self, path: str, message: str) -> None:
        raise InputError(self.where, f"{path}: {message}")

    def keys(self, data: dict[str, Any], path: str, allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                self.fail(
                    f"{path}.{key}".lstrip("."),
                    f"unknown key (expected one of {', '.join(allowed)})",
                )

    def mapping(
        self, data: Any, path: str, allowed: tuple[str, ...] | None = None
    ) -> dict[str, Any]:
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.fail(path, "expected a mapping")
        if allowed is not None:
            self.keys(data, path, allowed)
        return {str(k): v for k, v in data.items()}

    def declared(self, data: dict[str, Any], item: Any) -> Any:
        """The value of a declared field, read by its type, or its default when absent."""
        key: str = item.metadata["key"]
        section, _, inner = key.partition(".")
        value = (data.get(section) or {}).get(inner) if inner else data.get(section)
        if value is None:
            return item.default_factory() if item.default is MISSING else item.default
        if item.metadata["scalar"] and isinstance(value, (int, float)):
            value = str(value)
        if item.type.startswith("tuple"):
            return self.strings(value, key)
        if item.type.startswith("dict"):
            return self.string_map(value, key)
        return self.text(value, key)

    def text(self, value: Any, path: str) -> str:
        if not isinstance(value, str):
            self.fail(path, "expected text")
        return str(value)

    def flag(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            self.fail(path, "must be true or false")
        return bool(value)

    def strings(self, value: Any, path: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(path, "expected a list of strings")
        return tuple(value)

    def string_map(self, value: Any, path: str) -> dict[str, str]:
        data = self.mapping(value, path)
        for key, item in data.items():
            self.text(item, f"{path}.{key}")
        return data

    def pagination(self, value: Any) -> dict[str, dict[str, str]]:
        schemes = {}
        for name, options in self.mapping(value, "pagination").items():
            opts = self.mapping(options, f"pagination.{name}", CURSOR_OPTIONS)
            schemes[name] = {k: self.text(v, f"pagination.{name}.{k}") for k, v in opts.items()}
        return schemes

    def record(self, cls: Any, value: Any, path: str, **given: Any) -> Any:
        """A record of the normalized spec (Polling, Snapshot) from the overlay: each key read
        by the type its field declares; keys without a default are required."""
        declared = {f.name: f for f in fields(cls) if f.name not in given}
        data = self.mapping(value, path, tuple(declared))
        values: dict[str, Any] = dict(given)
        for name, item in declared.items():
            where = f"{path}.{name}"
            if name not in data:
                if item.default is MISSING and item.default_factory is MISSING:
                    self.fail(where, "missing")
                continue
            kind = str(item.type)
            if kind == "bool" or kind == "int":
                expected = bool if kind == "bool" else int
                if type(data[name]) is not expected:
                    self.fail(
                        where, f"expected {'true or false' if kind == 'bool' else 'a number'}"
                    )
                values[name] = data[name]
            elif kind.startswith("tuple[str"):
                values[name] = self.strings(data[name], where)
            elif kind.startswith("dict"):
                values[name] = self.string_map(data[name], where)
            else:
                values[name] = self.text(data[name], where)
        return cls(**values)

    def event_handler(self, name: str, value: Any) -> EventHandler:
        path = f"event_handlers.{name}"
        data = self.mapping(value, path, ("event", "snapshots", "text_deltas"))
        snapshots = tuple(
            self.record(Snapshot, options, f"{path}.snapshots.{key}", name=key)
            for key, options in self.mapping(data.get("snapshots"), f"{path}.snapshots").items()
        )
        rest = {k: v for k, v in data.items() if k != "snapshots"}
        return self.record(EventHandler, rest, path, name=name, snapshots=snapshots)

    def examples(self, value: Any, folder: Path) -> dict[str, dict[str, Path]]:
        found = {}
        for operation, files in self.mapping(value, "docs.examples").items():
            where = f"docs.examples.{operation}"
            kinds = self.mapping(files, where, ("request", "response"))
            found[operation] = {
                kind: (folder / self.text(file, f"{where}.{kind}")).resolve()
                for kind, file in kinds.items()
            }
        return found

    def methods(self, value: Any) -> tuple[MethodMap, ...]:
        found = []
        for resource, methods in self.mapping(value, "resources").items():
            for name, spec in self.mapping(methods, f"resources.{resource}").items():
                where = f"resources.{resource}.{name}"
                if isinstance(spec, str):
                    spec = {"operation": spec}
                opts = self.mapping(spec, where, _METHOD_KEYS)
                if "operation" not in opts:
                    self.fail(where, "operation: missing")
                found.append(
                    MethodMap(
                        resource=resource,
                        name=name,
                        operation=self.text(opts["operation"], f"{where}.operation"),
                        pagination=self.text(opts.get("pagination", ""), f"{where}.pagination"),
                        stream=self.text(opts.get("stream", ""), f"{where}.stream"),
                        poll=self.text(opts.get("poll", ""), f"{where}.poll"),
                        poll_helper=self.text(opts.get("poll_helper", ""), f"{where}.poll_helper"),
                        stream_helpers=self.strings(
                            opts.get("stream_helpers"), f"{where}.stream_helpers"
                        ),
                        where=where,
                    )
                )
        return tuple(found)
