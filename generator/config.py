"""The hand-written overlay (spec/<api>/config.yaml): what the OpenAPI input does not say.

    api: openai-assistants            # name of the output folder generated/<api>/
    source: ../upstream/openai.yaml   # the OpenAPI document, relative to this file
    upstream: https://.../openapi.yaml  # where `sdkgen sync` fetches new versions (or a path)
    version: 1.2.0                    # the SDK's version (default: the document's); sync bumps it
    select: {tags: [Assistants], paths: [], operations: []}
    include_schemas: [AssistantStreamEvent]   # components wanted beyond what operations reach
    python: {package, client, async_client}
    client: {base_url, default_headers, environment, option_headers, request_id_header}
    renames: {GeneratedName: BetterName}       # keys are the names the importer would give
    docs: {base_url: https://platform.openai.com, examples: {listAssistants: {response: FILE}}}
    pagination: {cursor: {cursor_param, cursor_field, items_field, has_more_field}}
    resources:                                 # dotted resource path -> method name -> operation
      beta.assistants:
        list: {operation: listAssistants, pagination: cursor}
        create: createAssistant
      beta.threads.runs:
        create: {operation: createRun, stream: AssistantStreamEvent}

Everything but `source` is optional. Without `select`, every operation is generated; the
ones `resources` does not place go by their first tag, named after their operationId.

`client`: `default_headers` go with every request; `environment` maps a client option to
the environment variable it is read from (the credential options, one per security scheme
of the document, default to `<PACKAGE>_<OPTION>`, e.g. PETSTORE_API_KEY); `option_headers`
maps an option to the header it is sent in; `request_id_header` names the response header
that errors and raw responses report as `request_id` (none by default).

`docs`: `base_url` is where site-relative links in descriptions (`/docs/models`) lead (without
it they keep their text only); `examples` pins the example an operation's reference shows,
by operationId, as JSON files relative to this one (`response`, `request`), in place of the
document's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .importers.documents import parse_yaml
from .spec.model import CURSOR_OPTIONS

_TOP_KEYS = (
    "api", "source", "upstream", "version", "title", "select", "include_schemas", "python", "client",
    "renames", "pagination", "resources", "docs",
)  # fmt: skip


@dataclass(frozen=True)
class MethodMap:
    resource: str  # dotted path, e.g. beta.threads.runs
    name: str
    operation: str
    pagination: str = ""
    stream: str = ""
    where: str = ""  # config path, for error messages


@dataclass(frozen=True)
class Config:
    path: Path
    api: str
    source: Path
    upstream: str = ""
    version: str = ""
    title: str = ""
    tags: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    operations: tuple[str, ...] = ()
    include_schemas: tuple[str, ...] = ()
    package: str = ""
    client: str = "Client"
    async_client: str = "AsyncClient"
    base_url: str = ""
    default_headers: dict[str, str] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)
    option_headers: dict[str, str] = field(default_factory=dict)
    request_id_header: str = ""
    renames: dict[str, str] = field(default_factory=dict)
    pagination: dict[str, dict[str, str]] = field(default_factory=dict)  # scheme -> options
    methods: tuple[MethodMap, ...] = ()
    docs_base_url: str = ""
    docs_examples: dict[str, dict[str, Path]] = field(default_factory=dict)  # op -> kind -> file

    @property
    def resource_order(self) -> list[str]:
        """Resource paths in the order the overlay lists them."""
        return list(dict.fromkeys(m.resource for m in self.methods))


def default_config(source: Path, package: str = "", client: str = "") -> Config:
    """The overlay assumed when only an OpenAPI file is given (operations placed by tag)."""
    return Config(
        path=source,
        api=source.stem,
        source=source,
        package=package,
        client=client or "Client",
        async_client=f"Async{client}" if client else "AsyncClient",
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
    reader.keys(data, "", _TOP_KEYS)
    if "source" not in data:
        raise InputError(where, "source: missing (the OpenAPI document to import)")
    select = reader.mapping(data.get("select"), "select", ("tags", "paths", "operations"))
    python = reader.mapping(data.get("python"), "python", ("package", "client", "async_client"))
    client = reader.mapping(
        data.get("client"),
        "client",
        ("base_url", "default_headers", "environment", "option_headers", "request_id_header"),
    )
    api = reader.text(data.get("api", path.parent.name), "api")
    docs = reader.mapping(data.get("docs"), "docs", ("base_url", "examples"))
    return Config(
        path=path,
        api=api,
        source=(path.parent / reader.text(data["source"], "source")).resolve(),
        upstream=reader.text(data.get("upstream", ""), "upstream"),
        version=reader.text(str(data.get("version", "")), "version"),
        title=reader.text(data.get("title", ""), "title"),
        tags=reader.strings(select.get("tags"), "select.tags"),
        paths=reader.strings(select.get("paths"), "select.paths"),
        operations=reader.strings(select.get("operations"), "select.operations"),
        include_schemas=reader.strings(data.get("include_schemas"), "include_schemas"),
        package=reader.text(python.get("package", ""), "python.package"),
        client=reader.text(python.get("client", "Client"), "python.client"),
        async_client=reader.text(python.get("async_client", "AsyncClient"), "python.async_client"),
        base_url=reader.text(client.get("base_url", ""), "client.base_url"),
        default_headers=reader.string_map(client.get("default_headers"), "client.default_headers"),
        environment=reader.string_map(client.get("environment"), "client.environment"),
        option_headers=reader.string_map(client.get("option_headers"), "client.option_headers"),
        request_id_header=reader.text(
            client.get("request_id_header", ""), "client.request_id_header"
        ),
        renames=reader.string_map(data.get("renames"), "renames"),
        pagination=reader.pagination(data.get("pagination")),
        methods=reader.methods(data.get("resources")),
        docs_base_url=reader.text(docs.get("base_url", ""), "docs.base_url"),
        docs_examples=reader.examples(docs.get("examples"), path.parent),
    )


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

    def text(self, value: Any, path: str) -> str:
        if not isinstance(value, str):
            self.fail(path, "expected text")
        return str(value)

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
                opts = self.mapping(spec, where, ("operation", "pagination", "stream"))
                if "operation" not in opts:
                    self.fail(where, "operation: missing")
                found.append(
                    MethodMap(
                        resource=resource,
                        name=name,
                        operation=self.text(opts["operation"], f"{where}.operation"),
                        pagination=self.text(opts.get("pagination", ""), f"{where}.pagination"),
                        stream=self.text(opts.get("stream", ""), f"{where}.stream"),
                        where=where,
                    )
                )
        return tuple(found)
