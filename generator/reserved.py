"""Reserved names: one table per scope of the generated package.

A name taken from the document (a resource, method, class, field, parameter) must not
shadow or break what the generated code itself uses in the same scope. Each table below
lists what one scope already holds; a document's name found in it is spelled apart, by one
rule everywhere: a trailing underscore for attributes, methods, fields and parameters
(`client.request_`, `schema_` with the wire name kept as alias), a `Resource` suffix for
resource classes, an `_` for a type named like a builtin. Names that still meet after that
are numbered (`_2`) or given their full path, as each stage documents; a valid document is
never refused for its names (docs/decisions.md, "Names").

The client and resource tables are checked against the runtime core's classes, and the
module tables are read from the imports of the templates themselves, so a name the runtime
adds is reserved with it (tests/test_reserved.py).
"""

from __future__ import annotations

import functools
import keyword
import re
from pathlib import Path

KEYWORDS = frozenset(keyword.kwlist) | {"_"}

# Builtins the generated code names, and the constants a class may not be called: a
# definition, resource class or module-level name spelled so gets a trailing `_`. A fixed
# list (not `dir(builtins)`), so output does not depend on the Python that generates it.
BUILTINS = frozenset(
    {
        "None", "True", "False", "str", "int", "float", "bool", "object", "bytes", "list",
        "dict", "set", "tuple", "type", "super", "isinstance", "len", "property", "print",
        "range", "id", "iter", "next", "callable", "getattr", "setattr", "hasattr", "repr",
        "Exception", "ValueError", "TypeError", "KeyError", "RuntimeError", "NotImplemented",
    }
)  # fmt: skip

# What a type (model, enum, union, alias) may not be called in the types modules, whose
# annotations use these: such a definition gets a trailing `_`. (Runtime names imported
# there, such as `BaseModel` or `Literal`, are imported under another name instead; see
# render/python_types.py.)
DEFINITIONS = frozenset(
    ["None", "True", "False", "str", "int", "float", "bool", "object", "bytes", "list", "dict"]
)

# Public members of the generated client's runtime core and its fixed constructor options:
# a resource or an auth option named like one would hide it (`client.request_`).
CLIENT = frozenset(
    {
        "auth_headers", "base_url", "close", "copy", "default_headers", "default_query",
        "http_client", "max_retries", "page", "request", "send", "set_default_headers",
        "set_default_query", "stream", "stream_events", "timeout", "with_options",
        "with_raw_response", "with_streaming_response", "self", "cls",
    }
)  # fmt: skip
# Client attributes the API's security schemes and overlay options add (the flagship's
# `api_key`, `organization`, `project`; basic auth's `username`, `password`): a resource
# may not take them either.
CLIENT_OPTIONS = frozenset(
    {"access_token", "api_key", "organization", "password", "project", "username"}
)

# Members of every resource: a method named like one gets a trailing `_`.
RESOURCE = frozenset({"with_raw_response", "with_streaming_response", "_client", "self"})

# Names every method signature and body uses itself (the body casts to `dict[str, X]`, so
# the builtins of annotations too): an API parameter called so gets a `_`.
_SIGNATURE = frozenset(
    {
        "self", "extra_headers", "extra_query", "extra_body", "timeout", "cast", "Request",
        "NOT_GIVEN", "NotGiven", "request", "path_param", "Styled", "httpx",
    }
)  # fmt: skip
PARAMS = _SIGNATURE | DEFINITIONS

# Attributes of pydantic.BaseModel (and of the runtime's base) a model field must not
# shadow: such a field gets a trailing `_` and keeps its wire name as alias.
MODEL_FIELDS = frozenset(
    {
        "construct", "copy", "dict", "from_orm", "json", "model_computed_fields",
        "model_config", "model_construct", "model_copy", "model_dump", "model_dump_json",
        "model_extra", "model_fields", "model_fields_set", "model_json_schema",
        "model_parametrized_name", "model_post_init", "model_rebuild", "model_validate",
        "model_validate_json", "model_validate_strings", "parse_file", "parse_obj",
        "parse_raw", "schema", "schema_json", "update_forward_refs", "validate",
        "raw", "is_unknown_variant", "to_dict", "to_json",
    }
)  # fmt: skip

# A module imported for type checkers only (`if TYPE_CHECKING: import httpx`, indented)
# still names what annotations use, so `import` may be indented.
_IMPORT = re.compile(
    r"^(?:from\s+\S+\s+import\s+(\([^)]*\)|[^\n]*)|[ \t]*import\s+([\w.]+))", re.MULTILINE
)
_JINJA = re.compile(r"\{\{\s*imp\.(\w+)\s*\}\}")


def imported_names(template: Path) -> frozenset[str]:
    """The names a template's module binds by its import statements (`{{ imp.X }}` is X;
    Jinja blocks inside an import list are skipped)."""
    text = _JINJA.sub(r"\1", template.read_text(encoding="utf-8"))
    text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", text, flags=re.DOTALL)
    found: set[str] = set()
    for names, module in _IMPORT.findall(text):
        if module:
            found.add(module.split(".")[0])
            continue
        for part in names.strip("()").replace("\n", " ").split(","):
            words = part.split()
            if words:
                found.add(words[-1])  # `X as Y` binds Y
    return frozenset(found)


@functools.cache
def client_module() -> frozenset[str]:
    """Names bound in the client module (`os`, `httpx`, `NotGiven`, ...): a resource class
    imported there must not take one."""
    return imported_names(_python_templates() / "src/package/_client.py.j2")


@functools.cache
def resource_module() -> frozenset[str]:
    """Names bound in every resource module (`Request`, `Query`, `cast`, ...): a resource
    class defined there must not take one."""
    return imported_names(_python_templates() / "src/package/resources/__each_resources__.py.j2")


def _python_templates() -> Path:
    from .render.environment import target_root  # the templates ship with the renderer

    return target_root("python")
