"""OpenAPI 3.0 / 3.1 document + overlay config -> normalized spec.

The document says what the operations and schemas are; the overlay (see `config.py`)
says which operations to take, where they sit in the client tree, what they are called,
and what the document leaves out (pagination, streaming, headers, better names).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from .. import naming
from ..config import Config, MethodMap
from ..errors import InputError
from ..spec.model import (
    EVENT_STREAM,
    PARAM_STYLES,
    Alias,
    Api,
    Body,
    Definition,
    Enum,
    Method,
    Model,
    Pagination,
    Param,
    Polling,
    Resource,
    Security,
    SecurityScheme,
    Spec,
    Streaming,
    Union_,
    canonical_serialization,
    media_base,
)
from ..spec.types import TypeExpr, primitive
from ..timings import timed
from . import placement
from .content import ContentImporter, Response
from .documents import Documents, Location, escape_pointer
from .examples import example_warnings, operation_examples
from .schemas import SchemaImporter, clean_text
from .security import requirement, security_schemes
from .shapes import check_shapes
from .trim import dump_document, external_refs, trimmed_document

HTTP_VERBS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def import_openapi(
    config: Config,
    stale: list[str] | None = None,
    warnings: list[str] | None = None,
    read: list[Path] | None = None,
) -> Spec:
    """Import `config.source` through the overlay. An overlay entry that matches nothing in
    the document (an operation, a schema, a rename) raises InputError; with a `stale` list,
    each such entry is appended to it as a one-line message and skipped (for `sdkgen sync`,
    which reports every stale entry of a new upstream document at once). What the document
    says that the SDK cannot honor is appended to `warnings` (`file: #/pointer: message`).
    Every file the import read (documents, example files the overlay names) is appended to
    `read`."""
    return import_openapi_document(config, stale, warnings, read)[0]


def import_openapi_document(
    config: Config,
    stale: list[str] | None = None,
    warnings: list[str] | None = None,
    read: list[Path] | None = None,
) -> tuple[Spec, bytes]:
    """`import_openapi`, and the source document trimmed to the imported operations and
    what they use (see trim.py), as the bytes of `spec/<api>/openapi.json`."""
    importer = _Importer(config, stale)
    with timed("import"):
        spec = importer.run()
        document = importer.trimmed()
    if read is not None:
        read.extend(importer.docs.files)
        read.extend(p for kinds in config.docs_examples.values() for p in kinds.values())
    if warnings is not None:
        found = importer.warnings + importer.schemas.warnings + example_warnings(spec)
        found += [
            f"{config.source}: $ref {ref!r}: the trimmed openapi.json refers to another file;"
            " copy it beside openapi.json for the generated tests' mock server"
            for ref in external_refs(document)
        ]
        warnings.extend(dict.fromkeys(found))
    with timed("import"):
        return spec, dump_document(document)


class _Renames:
    """The overlay's rename map: exact names, and `Prefix*: New*` for a family of names.
    Remembers which entries were used, so a stale entry is reported, not ignored."""

    def __init__(self, renames: dict[str, str]):
        self.exact = {k: v for k, v in renames.items() if not k.endswith("*")}
        self.prefixes = sorted(
            ((k[:-1], v.removesuffix("*")) for k, v in renames.items() if k.endswith("*")),
            key=lambda kv: -len(kv[0]),
        )
        self.used: set[str] = set()

    def __call__(self, name: str) -> str:
        if name in self.exact:
            self.used.add(name)
            return self.exact[name]
        for prefix, replacement in self.prefixes:
            if name.startswith(prefix) and len(name) > len(prefix):
                self.used.add(prefix + "*")
                return replacement + name[len(prefix) :]
        return name

    def unused(self) -> list[str]:
        """One message for each entry that named no schema, in name order."""
        unused = sorted((set(self.exact) | {p + "*" for p, _ in self.prefixes}) - self.used)
        return [f"renames.{name}: no schema gets this name (stale rename?)" for name in unused]


class _Importer:
    def __init__(self, config: Config, stale: list[str] | None = None):
        self.config = config
        self.stale = stale
        self.docs = Documents(config.source, config.ref_root, config.remote_refs, config.source_url)
        self.renames = _Renames(config.renames)
        self.schemas = SchemaImporter(self.docs, self.renames)
        self.content = ContentImporter(self.docs, self.schemas)
        self.root: dict[str, Any] = {}
        self.security_used: list[tuple[Security, Location]] = []  # requirements, where stated
        self.warnings: list[str] = []
        self.imported: list[tuple[str, str]] = []  # (path, verb) of each imported operation

    def run(self) -> Spec:
        root = self.docs.load(self.docs.root)
        where = str(self.docs.root)
        if not isinstance(root, dict):
            raise InputError(where, "not an OpenAPI document (expected a mapping at the top)")
        version = str(root.get("openapi", ""))
        if not version.startswith(("3.0", "3.1")):
            found = f"'openapi: {version}'" if version else "no 'openapi' field"
            raise InputError(
                where, f"#/openapi: only OpenAPI 3.0 and 3.1 are supported, found {found}"
            )
        check_shapes(self.docs, root)
        self.root = root
        operations = self._operations()
        placed = self._place(operations)
        resources = {m.resource for m in placed}
        for resource in self.config.polling:
            if resource not in resources:
                self._stale_entry(f"polling.{resource}: no operation is placed in this resource")
        roots = [operations[m.operation][2] for m in placed]
        roots += [
            {"$ref": f"#/components/schemas/{escape_pointer(n)}"} for n in self._extra_schemas()
        ]
        every = self._everything_selected()
        if every:
            roots.append(self._webhooks())
        reached = _components_reached(roots, self.root)
        self.schemas.reserve(reached + (self._component_names() if every else []))
        methods = [self._method(mapping, operations[mapping.operation]) for mapping in placed]
        self.imported = [_path_and_verb(operations[m.operation]) for m in placed]
        for operation in sorted(set(self.config.docs_examples) - {m.operation for m in placed}):
            self._stale_entry(f"docs.examples.{operation}: no generated operation {operation!r}")
        for name in self.config.include_schemas:
            self._named_schema(name, "include_schemas")
        if every:  # the whole document: schemas no operation reaches, and webhook payloads
            for name in self._component_names():
                self._named_schema(name, "components.schemas")
            self._webhook_payloads()
        for message in self.renames.unused():
            self._stale_entry(message)
        definitions = sorted(self.schemas.definitions.values(), key=lambda d: d.name)
        return Spec(
            api=self._api(),
            models=_of_kind(definitions, Model),
            enums=_of_kind(definitions, Enum),
            unions=_of_kind(definitions, Union_),
            aliases=_of_kind(definitions, Alias),
            resources=_tree(
                placed,
                methods,
                [self._tag_description(operations[m.operation]) for m in placed],
                self.config.polling,
            ),
            event_handlers=self.config.event_handlers,
        )

    def trimmed(self) -> dict[str, Any]:
        """The document keeping only the imported operations (after `run`)."""
        return trimmed_document(self.root, self.imported)

    # -- selection and placement -----------------------------------------------------

    def _operations(self) -> dict[str, tuple[str, str, dict[str, Any], Location]]:
        """Every operation in the document by operationId: (verb, path, operation, location)."""
        found: dict[str, tuple[str, str, dict[str, Any], Location]] = {}
        for path, item in self.root.get("paths", {}).items():
            item_at: Location = (self.docs.root, f"/paths/{escape_pointer(str(path))}")
            item, item_at = self.docs.resolve(item, item_at)
            if not isinstance(item, dict):
                raise self.docs.error(item_at, "a path item must be a mapping")
            for verb in HTTP_VERBS:
                op = item.get(verb)
                if not isinstance(op, dict):
                    continue
                op_at = (item_at[0], f"{item_at[1]}/{verb}")
                op_id = op.get("operationId") or naming.snake(f"{verb} {path}")
                if not isinstance(op_id, str):
                    raise self.docs.error(op_at, "operationId must be a string")
                if op_id in found:
                    first = self.docs.display(found[op_id][3])
                    raise self.docs.error(
                        op_at, f"duplicate operationId {op_id!r} (also at {first})"
                    )
                params = _merge_params(item.get("parameters"), op.get("parameters"))
                found[op_id] = (verb.upper(), str(path), {**op, "parameters": params}, op_at)
        return found

    def _selected(
        self, operations: dict[str, tuple[str, str, dict[str, Any], Location]]
    ) -> list[str]:
        config = self.config
        # No selection: every operation (those the overlay's resources place, and the rest
        # by tag), so an operation added upstream is generated and `sdkgen sync` reports it.
        if not (config.tags or config.paths or config.operations):
            return list(operations)
        chosen = []
        for op_id, (_, path, op, _) in operations.items():
            tags = op.get("tags") or []
            if (
                op_id in config.operations
                or path in config.paths
                or any(t in config.tags for t in tags)
            ):
                chosen.append(op_id)
        return chosen

    def _place(
        self, operations: dict[str, tuple[str, str, dict[str, Any], Location]]
    ) -> list[MethodMap]:
        """The overlay's placements, then every other selected operation by its first tag."""
        placed: list[MethodMap] = []
        taken: dict[tuple[str, str], str] = {}
        where = str(self.config.path)
        for mapping in self.config.methods:
            if mapping.operation in operations:
                placed.append(mapping)
            else:
                self._stale_entry(
                    f"{mapping.where}.operation: no operation {mapping.operation!r} in the document"
                )
        mapped = {m.operation for m in placed}
        placed += _placed_by_document(
            [op_id for op_id in self._selected(operations) if op_id not in mapped],
            operations,
            placed,
        )
        for mapping in placed:
            key = (mapping.resource, mapping.name)
            if key in taken:
                raise InputError(
                    where,
                    f"{mapping.where}: method {'.'.join(key)} is also given to operation {taken[key]!r}",
                )
            taken[key] = mapping.operation
        return placed

    # -- operations ----------------------------------------------------------------

    def _method(
        self, mapping: MethodMap, operation: tuple[str, str, dict[str, Any], Location]
    ) -> Method:
        verb, path, op, at = operation
        self._warn_dropped(op, at)
        hint = naming.pascal(naming.singular(mapping.resource.split(".")[-1])) + naming.pascal(
            mapping.name
        )
        hint = hint.removesuffix("Item")
        params: dict[str, list[Param]] = {location: [] for location in PARAM_STYLES}
        for index, (raw, raw_at) in enumerate(op["parameters"]):
            param, param_at = self.docs.resolve(
                raw, raw_at or (at[0], f"{at[1]}/parameters/{index}")
            )
            if (
                not isinstance(param, dict)
                or not isinstance(param.get("name"), str)
                or "in" not in param
            ):
                raise self.docs.error(param_at, "a parameter needs a name and an 'in'")
            if param["in"] not in params:
                raise self.docs.error(
                    (param_at[0], f"{param_at[1]}/in"),
                    f"unknown parameter location {param['in']!r}"
                    f" (expected one of {', '.join(PARAM_STYLES)})",
                )
            params[param["in"]].append(self._param(param, param_at, hint))
        body = self.content.body(op, at, hint)
        response = self.content.response(op, at, hint)
        return Method(
            name=mapping.name,
            http_method=verb,
            path=path,
            operation_id=str(op.get("operationId", "")),
            title=_title(op, mapping),
            summary=clean_text(op.get("summary")),
            description=clean_text(op.get("description") or op.get("summary")),
            path_params=tuple(sorted(params["path"], key=lambda p: path.find("{" + p.name + "}"))),
            query_params=tuple(params["query"]),
            header_params=tuple(params["header"]),
            cookie_params=tuple(params["cookie"]),
            body=body,
            response=response.type,
            response_content_type=response.content_type,
            pagination=self._pagination(mapping, response.type),
            streaming=self._streaming(mapping, body, response, hint),
            deprecated=op.get("deprecated") is True,
            security=self._operation_security(op, at),
            **self._helpers(mapping),
            **operation_examples(
                op,
                at,
                self.docs,
                self.config.docs_examples.get(mapping.operation, {}),
                self.config.path,
            ),
        )

    def _helpers(self, mapping: MethodMap) -> dict[str, Any]:
        """The overlay's polling and stream helpers of a method, named by the documented rule."""
        found: dict[str, Any] = {"stream_helpers": mapping.stream_helpers}
        if mapping.stream_helpers and not mapping.stream:
            raise InputError(
                str(self.config.path), f"{mapping.where}.stream_helpers: the method has no stream"
            )
        if mapping.poll:
            if mapping.poll not in self.config.polling:
                raise InputError(
                    str(self.config.path),
                    f"{mapping.where}.poll: no resource {mapping.poll!r} under polling",
                )
            found["poll_with"] = mapping.poll
            joiner = "_" if "_and_" in mapping.name else "_and_"
            found["poll_helper"] = mapping.poll_helper or f"{mapping.name}{joiner}poll"
        return found

    def _param(self, param: dict[str, Any], at: Location, hint: str) -> Param:
        """One parameter object: its value like a field's, and its serialization."""
        location = param["in"]
        schema = param.get("schema", True)
        schema_at = (at[0], f"{at[1]}/schema")
        expr = self.schemas.type_of(schema, schema_at, _param_hint(at, hint, param["name"]))
        meta = self.schemas.field_metadata(schema, schema_at)
        for key in ("read_only", "write_only"):
            meta.pop(key, None)  # a property's flags: a parameter is always sent
        if "description" in param:
            meta["description"] = clean_text(param["description"])
        required = location == "path" or param.get("required") is True
        deprecated = param.get("deprecated") is True or meta.pop("deprecated", False)
        style = param.get("style", "")
        if style and style not in PARAM_STYLES[location]:
            raise self.docs.error(
                (at[0], f"{at[1]}/style"),
                f"style {style!r} is not allowed in a {location} parameter"
                f" (allowed: {', '.join(PARAM_STYLES[location])})",
            )
        for key in ("explode", "allowReserved"):
            if key in param and not isinstance(param[key], bool):
                raise self.docs.error((at[0], f"{at[1]}/{key}"), "expected true or false")
        return Param(
            param["name"],
            expr,
            required,
            deprecated=deprecated,
            **meta,
            **canonical_serialization(location, style, param.get("explode")),
            # allowReserved applies to query parameters only (elsewhere it is ignored)
            allow_reserved=location == "query" and param.get("allowReserved") is True,
        )

    def _operation_security(self, op: dict[str, Any], at: Location) -> Security | None:
        """The operation's own security requirement; None when it takes the document's."""
        if "security" not in op:
            return None
        at = (at[0], f"{at[1]}/security")
        found = requirement(op["security"], at, self.docs)
        self.security_used.append((found, at))
        return found

    def _pagination(self, mapping: MethodMap, response: TypeExpr | None) -> Pagination | None:
        if not mapping.pagination:
            return None
        where = str(self.config.path)
        options = self.config.pagination.get(mapping.pagination)
        if options is None and mapping.pagination == "cursor":
            options = {}  # the default cursor scheme
        if options is None:
            raise InputError(
                where,
                f"{mapping.where}.pagination: no scheme {mapping.pagination!r} under pagination",
            )
        scheme = Pagination("cursor", primitive("any"), **options)
        page = (
            self.schemas.definitions.get(response.name)
            if response and response.kind == "ref"
            else None
        )
        fields = {f.name: f for f in page.fields} if isinstance(page, Model) else {}
        items = fields.get(scheme.items_field)
        if items is None or items.type.kind != "list" or scheme.has_more_field not in fields:
            raise InputError(
                where,
                f"{mapping.where}.pagination: the response of {mapping.operation!r} has no "
                f"{scheme.items_field!r} list and {scheme.has_more_field!r} flag",
            )
        assert items.type.item is not None
        return dataclasses.replace(scheme, item=items.type.item)

    def _streaming(
        self, mapping: MethodMap, body: Body | None, response: Response, hint: str
    ) -> Streaming | None:
        """The stream variant: the overlay's (`stream: EventSchema`), else the document's
        `text/event-stream` offered beside another response, chosen by the request body's
        boolean `stream` field (a `text/event-stream` alone is the response itself)."""
        if mapping.stream:
            if media_base(response.content_type) == EVENT_STREAM:
                raise InputError(
                    str(self.config.path),
                    f"{mapping.where}.stream: the response of {mapping.operation!r} is already"
                    " a text/event-stream",
                )
            event = self._named_schema(mapping.stream, f"{mapping.where}.stream")
            return Streaming("stream", event) if event is not None else None
        if response.events is None:
            return None
        model = (
            self.schemas.definitions.get(body.type.name)
            if body is not None and body.type.kind == "ref"
            else None
        )
        flag = next(
            (
                f
                for f in (model.fields if isinstance(model, Model) else ())
                if f.name == "stream" and f.type.kind == "primitive" and f.type.name == "boolean"
            ),
            None,
        )
        if flag is not None:
            return Streaming(flag.name, self.content.event_type(response.events, hint))
        where = self.docs.display(
            (response.events[1][0], response.events[1][1].removesuffix("/schema"))
        )
        self.warnings.append(
            f"{where}: offered beside {response.content_type}, but the request body has no"
            f" boolean `stream` field to ask for it; the SDK reads {response.content_type}"
        )
        return None

    def _named_schema(self, name: str, where: str) -> TypeExpr | None:
        """The component called `name`; None if it is missing and noted as stale."""
        schemas = self.root.get("components", {}).get("schemas", {})
        if name not in schemas:
            self._stale_entry(f"{where}: no schema {name!r} under components.schemas")
            return None
        return self.schemas.component(
            f"#/components/schemas/{escape_pointer(name)}", (self.docs.root, "")
        )

    def _stale_entry(self, message: str) -> None:
        """An overlay entry that matches nothing in the document: an error, unless the
        caller collects such entries (then the entry is skipped)."""
        if self.stale is None:
            raise InputError(str(self.config.path), message)
        self.stale.append(message)

    def _credentials(self, schemes: tuple[SecurityScheme, ...]) -> dict[str, str]:
        """The overlay's option names for security schemes the document has (and uses)."""
        known = {scheme.name for scheme in schemes}
        for name in self.config.credentials:
            if name not in known:
                self._stale_entry(f"client.credentials.{name}: no security scheme {name!r} in use")
        return {k: v for k, v in self.config.credentials.items() if k in known}

    def _warn_dropped(self, op: dict[str, Any], at: Location) -> None:
        """Operation features the generated client does not act on, named where they are."""
        for key, effect in _DROPPED_OPERATION_KEYS.items():
            if op.get(key):
                where = self.docs.display((at[0], f"{at[1]}/{key}"))
                self.warnings.append(f"{where}: {effect}")

    def _everything_selected(self) -> bool:
        return not (self.config.tags or self.config.paths or self.config.operations)

    def _component_names(self) -> list[str]:
        schemas = (self.root.get("components") or {}).get("schemas") or {}
        return [str(name) for name in schemas] if isinstance(schemas, dict) else []

    def _webhooks(self) -> dict[str, Any]:
        hooks = self.root.get("webhooks") or {}
        return hooks if isinstance(hooks, dict) else {}

    def _webhook_payloads(self) -> None:
        """The request bodies of 3.1 `webhooks`: models a receiver parses (`PetAddedEvent`)."""
        for name, item in self._webhooks().items():
            item_at: Location = (self.docs.root, f"/webhooks/{escape_pointer(str(name))}")
            item, item_at = self.docs.resolve(item, item_at)
            if not isinstance(item, dict):
                raise self.docs.error(item_at, "a webhook must be a path item (a mapping)")
            for verb in HTTP_VERBS:
                if isinstance(item.get(verb), dict):
                    hint = naming.pascal(str(name)) + "Event"
                    self.content.payload(item[verb], (item_at[0], f"{item_at[1]}/{verb}"), hint)

    def _extra_schemas(self) -> list[str]:
        """Components named by the overlay (included, or streamed) rather than reached."""
        return list(self.config.include_schemas) + [
            m.stream for m in self.config.methods if m.stream
        ]

    def _tag_description(self, operation: tuple[str, str, dict[str, Any], Location]) -> str:
        """The description of the operation's first tag, from the document's tag list."""
        tags = operation[2].get("tags") or []
        for tag in self.root.get("tags") or []:
            if isinstance(tag, dict) and tags and tag.get("name") == tags[0]:
                return clean_text(tag.get("description"))
        return ""

    def _api(self) -> Api:
        info = self.root.get("info") if isinstance(self.root.get("info"), dict) else {}
        servers = self.root.get("servers") or [{}]
        base_url = self.config.base_url or (
            servers[0].get("url", "") if isinstance(servers[0], dict) else ""
        )
        at: Location = (self.docs.root, "/security")
        default = (
            requirement(self.root["security"], at, self.docs) if "security" in self.root else ()
        )
        schemes = security_schemes(self.root, self.docs, [(default, at), *self.security_used])
        return Api(
            name=self.config.api,
            title=self.config.title or str(info.get("title", "")),
            version=str(info.get("version", "")),
            sdk_version=self.config.version,
            description=clean_text(info.get("description")),
            base_url=base_url,
            package=self.config.package or naming.snake(self.config.api),
            client=self.config.client,
            async_client=self.config.async_client,
            type_modules=dict(self.config.type_modules),
            default_headers=dict(self.config.default_headers),
            environment=dict(self.config.environment),
            option_headers=dict(self.config.option_headers),
            credentials=self._credentials(schemes),
            request_id_header=self.config.request_id_header,
            security_schemes=schemes,
            security=default,
            docs_base_url=self.config.docs_base_url,
        )


# Operation keys the client does not act on, and what that means for its users.
_DROPPED_OPERATION_KEYS = {
    "servers": "operation servers are not supported; the client's base_url is used",
    "callbacks": "callbacks are requests the server makes; the client generates nothing for them",
}


def _param_hint(at: Location, method_hint: str, name: str) -> str:
    """A name for a parameter's inline schema: a shared `components/parameters` entry is
    named once, after its key (`Order`), not once per operation that uses it."""
    prefix = "/components/parameters/"
    if at[1].startswith(prefix) and "/" not in at[1][len(prefix) :]:
        return naming.pascal(at[1][len(prefix) :].replace("~1", "/").replace("~0", "~"))
    return method_hint + naming.pascal(name)


def _placed_by_document(
    op_ids: list[str],
    operations: dict[str, tuple[str, str, dict[str, Any], Location]],
    placed: list[MethodMap],
) -> list[MethodMap]:
    """Operations the overlay does not place, by tag or path, named by placement.py's rules,
    in document order."""
    by_resource: dict[str, list[placement.Operation]] = {}
    for op_id in op_ids:
        verb, path, op, _ = operations[op_id]
        given = op.get("operationId")
        tags = tuple(str(t) for t in op.get("tags") or [] if isinstance(t, str))
        item = placement.Operation(op_id, verb.lower(), path, given or "", tags)
        by_resource.setdefault(placement.resource_of(item), []).append(item)
    names: dict[str, tuple[str, str]] = {}
    for resource, items in by_resource.items():
        taken = frozenset(m.name for m in placed if m.resource == resource)
        for key, name in placement.method_names(resource, items, taken).items():
            names[key] = (resource, name)
    return [
        MethodMap(names[op_id][0], names[op_id][1], op_id, where=f"operation {op_id}")
        for op_id in op_ids
    ]


# Vendor extensions that name an operation for people (OpenAI's, Redocly's).
_TITLE_EXTENSIONS = (("x-oaiMeta", "name"), ("x-displayName", None))


def _title(op: dict[str, Any], mapping: MethodMap) -> str:
    """A short heading: a display-name extension, else a one-line summary, else the name."""
    for key, inner in _TITLE_EXTENSIONS:
        value = op.get(key)
        if inner and isinstance(value, dict):
            value = value.get(inner)
        if isinstance(value, str) and value.strip():
            return clean_text(value)
    summary = clean_text(op.get("summary"))
    if summary and "\n" not in summary and len(summary) <= 80:
        return summary.rstrip(".")
    return mapping.name.replace("_", " ").capitalize()


def _components_reached(roots: list[Any], document: dict[str, Any]) -> list[str]:
    """Keys of the components/schemas that `roots` reach through local $refs."""
    schemas = document.get("components", {}).get("schemas", {})
    prefix = "#/components/schemas/"
    seen: dict[str, None] = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            target = node.get("$ref")
            if isinstance(target, str) and target.startswith(prefix):
                key = target[len(prefix) :].split("/")[0].replace("~1", "/").replace("~0", "~")
                if key not in seen and isinstance(schemas, dict) and key in schemas:
                    seen[key] = None
                    stack.append(schemas[key])
            stack.extend(v for k, v in node.items() if k != "x-oaiMeta")
        elif isinstance(node, list):
            stack.extend(node)
    return list(seen)


def _path_and_verb(operation: tuple[str, str, dict[str, Any], Location]) -> tuple[str, str]:
    verb, path, _, _ = operation
    return path, verb.lower()


def _of_kind(definitions: list[Definition], kind: type[Any]) -> tuple[Any, ...]:
    return tuple(d for d in definitions if isinstance(d, kind))


def _merge_params(item_params: Any, op_params: Any) -> list[tuple[Any, Location | None]]:
    """Path-item parameters overridden by the operation's own (by name and location)."""
    merged: dict[Any, Any] = {}
    for group in (item_params or [], op_params or []):
        for param in group if isinstance(group, list) else []:
            key = (
                (param.get("name"), param.get("in"))
                if isinstance(param, dict) and "$ref" not in param
                else id(param)
            )
            merged[key] = param
    return [(p, None) for p in merged.values()]


def _tree(
    placed: list[MethodMap],
    methods: list[Method],
    tags: list[str],
    polling: dict[str, Polling],
) -> tuple[Resource, ...]:
    """Nest methods under their dotted resource paths, in the order first named. A resource
    whose methods share one tag is described by that tag's description."""
    root: dict[str, Any] = {}
    for mapping, method, tag in zip(placed, methods, tags):
        children = root
        for part in mapping.resource.split("."):
            node = children.setdefault(part, {"methods": [], "children": {}, "tags": set()})
            children = node["children"]
        node["methods"].append(method)
        node["tags"].add(tag)

    def build(path: str, name: str, node: dict[str, Any]) -> Resource:
        dotted = f"{path}{name}"
        children = tuple(build(f"{dotted}.", k, v) for k, v in node["children"].items())
        description = next(iter(node["tags"])) if len(node["tags"]) == 1 else ""
        return Resource(name, tuple(node["methods"]), children, description, polling.get(dotted))

    return tuple(build("", k, v) for k, v in root.items())
