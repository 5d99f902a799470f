"""OpenAPI security -> the normalized spec's schemes and requirements.

A requirement (`security:` of the document or of an operation) is a list of alternatives,
each a mapping of scheme name to scopes; scopes are the server's business, so only the names
are kept. An operation without `security:` takes the document's; `security: []` means none.

Schemes map to the credentials a client sends: `http` bearer (and the access tokens of
`oauth2` and `openIdConnect`) -> bearer; `http` basic -> basic; `apiKey` -> api_key in a
header, query parameter or cookie. Only the schemes some requirement names are imported. A
named scheme the client cannot send (`mutualTLS`, `http` digest, an unknown type) is an
error at its place in the document, never dropped: a client without the credential it needs
would fail on every call.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..spec.model import API_KEY_LOCATIONS, Security, SecurityScheme
from .documents import Documents, Location, escape_pointer
from .schemas import clean_text

_HTTP_KINDS = {"bearer": "bearer", "basic": "basic"}
_TOKEN_TYPES = ("oauth2", "openIdConnect")


def requirement(value: Any, at: Location, docs: Documents) -> Security:
    """The alternatives of a `security:` list, each the scheme names used together."""
    if not isinstance(value, list):
        raise docs.error(at, "security must be a list of requirement objects")
    alternatives = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or not all(isinstance(name, str) for name in item):
            raise docs.error(
                (at[0], f"{at[1]}/{index}"), "a security requirement maps scheme names to scopes"
            )
        alternatives.append(tuple(item))
    return tuple(alternatives)


def security_schemes(
    document: dict[str, Any], docs: Documents, used: Iterable[tuple[Security, Location]]
) -> tuple[SecurityScheme, ...]:
    """The schemes the requirements in `used` name, in the order the document declares them."""
    components = document.get("components")
    declared = components.get("securitySchemes") if isinstance(components, dict) else None
    declared = declared if isinstance(declared, dict) else {}
    named: set[str] = set()
    for security, at in used:
        for index, alternative in enumerate(security):
            for name in alternative:
                if name not in declared:
                    raise docs.error(
                        (at[0], f"{at[1]}/{index}"),
                        f"security scheme {name!r} is not declared under"
                        " components.securitySchemes",
                    )
                named.add(name)
    found = []
    for name, raw in declared.items():
        if name in named:
            at = (docs.root, f"/components/securitySchemes/{escape_pointer(str(name))}")
            found.append(_scheme(str(name), raw, at, docs))
    return tuple(found)


def _scheme(name: str, raw: Any, at: Location, docs: Documents) -> SecurityScheme:
    source = "#" + at[1]
    scheme, at = docs.resolve(raw, at)
    if not isinstance(scheme, dict):
        raise docs.error(at, "a security scheme must be a mapping")
    kind = scheme.get("type")
    description = clean_text(scheme.get("description"))
    if kind == "http":
        http = str(scheme.get("scheme", "")).lower()
        if http not in _HTTP_KINDS:
            raise docs.error(
                at,
                f"http scheme {scheme.get('scheme')!r} is not supported"
                " (the client sends bearer or basic credentials)",
            )
        return SecurityScheme(name, _HTTP_KINDS[http], description=description, source=source)
    if kind == "apiKey":
        location, parameter = scheme.get("in"), scheme.get("name")
        if location not in API_KEY_LOCATIONS:
            raise docs.error(at, f"an apiKey scheme is sent in one of {API_KEY_LOCATIONS}")
        if not isinstance(parameter, str) or not parameter:
            raise docs.error(at, "an apiKey scheme needs the name of its header, query or cookie")
        return SecurityScheme(
            name, "api_key", location, parameter, description=description, source=source
        )
    if kind in _TOKEN_TYPES:  # the client sends the access token; getting one is the user's
        return SecurityScheme(
            name, "bearer", origin=str(kind), description=description, source=source
        )
    raise docs.error(
        at,
        f"security scheme type {kind!r} is not supported"
        " (http bearer or basic, apiKey, oauth2, openIdConnect)",
    )
