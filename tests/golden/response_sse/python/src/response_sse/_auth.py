"""Credentials on the wire: which security requirement a request meets, and how each scheme
sends its secret.

Copied verbatim into every generated SDK. The client declares its schemes (from the API
description's securitySchemes) and the requirement of every operation that states none; an
operation may state its own. A requirement is a list of alternatives in order of
preference, each the schemes used together: a request uses the first alternative whose
client options are all set (an empty alternative needs none; no alternatives, no auth).
Messages name options and environment variables, never the secrets.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

__all__ = ["Credentials", "Scheme", "Security", "credentials", "missing_credentials"]

# Alternatives in order of preference, each the names of the schemes used together.
Security = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Scheme:
    """How one scheme sends its secret, and the client options (attributes) holding it."""

    kind: str  # "bearer", "basic" (options: username, password) or "api_key"
    options: tuple[str, ...]
    env: tuple[str, ...] = ()  # the environment variable of each option, for messages
    location: str = ""  # api_key: "header", "query" or "cookie"
    parameter: str = ""  # api_key: the name of that header, query parameter or cookie


@dataclass
class Credentials:
    """What a request adds to authenticate: headers (a cookie goes in `Cookie`) and query."""

    headers: dict[str, str] = field(default_factory=dict[str, str])
    query: dict[str, str] = field(default_factory=dict[str, str])


def credentials(
    schemes: Mapping[str, Scheme],
    security: Security,
    option: Callable[[str], str | None],
) -> Credentials | None:
    """The credentials of the first alternative whose options are all set (`option` reads
    one); None when `security` asks for some and no alternative is complete."""
    if not security:
        return Credentials()
    for alternative in security:
        values = {
            name: [option(o) for o in schemes[name].options] for name in alternative
        }
        if all(value is not None for given in values.values() for value in given):
            found = Credentials()
            for name in alternative:
                _add(found, schemes[name], [str(value) for value in values[name]])
            return found
    return None


def _add(found: Credentials, scheme: Scheme, values: list[str]) -> None:
    if scheme.kind == "bearer":
        found.headers["Authorization"] = f"Bearer {values[0]}"
    elif scheme.kind == "basic":
        pair = base64.b64encode(f"{values[0]}:{values[1]}".encode()).decode("ascii")
        found.headers["Authorization"] = f"Basic {pair}"
    elif scheme.location == "query":
        found.query[scheme.parameter] = values[0]
    elif scheme.location == "cookie":
        cookie = f"{scheme.parameter}={values[0]}"
        before = found.headers.get("Cookie")
        found.headers["Cookie"] = f"{before}; {cookie}" if before else cookie
    else:
        found.headers[scheme.parameter] = values[0]


def missing_credentials(schemes: Mapping[str, Scheme], security: Security) -> str:
    """What would let a request go: `the api_key client option (or the PETSTORE_API_KEY
    environment variable)`, alternatives joined by `; or `."""
    choices = []
    for alternative in security:
        options = [o for name in alternative for o in schemes[name].options]
        env = [e for name in alternative for e in schemes[name].env if e]
        plural = "s" if len(options) > 1 else ""
        text = f"the {_joined(options)} client option{plural}"
        if env:
            text += f" (or the {_joined(env)} environment variable{'s' if len(env) > 1 else ''})"
        choices.append(text)
    return "; or ".join(choices)


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
