"""The client's credentials as the Python target spells them: one constructor option per
security scheme, the environment variable each is read from, and which the constructor
insists on. The runtime (`_auth.py`) applies them; this module only names them.

Option names. A lone token scheme (bearer or API key) gives `api_key`, as the official
`openai` package calls it; a lone OAuth 2 or OpenID Connect token gives `access_token`.
Several token schemes are named after themselves in snake_case, an `_auth` suffix dropped
(`AdminApiKeyAuth` -> `admin_api_key`). A basic scheme gives `username` and `password`,
prefixed by its own name when there are several. The overlay's `client.credentials` may
name any scheme's option (or a basic scheme's prefix). A name the client already uses for
something else gets a trailing `_`.

Environment variables: the overlay's `client.environment` entry for the option, else
`<PACKAGE>_<OPTION>` from the last part of the package name (`petstore` -> PETSTORE_API_KEY).

Required options: one that every operation needs, in each of its alternatives, must be
given when the client is made (the official package does so for `api_key`); any other is
checked when a request needs it, before it is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import naming, reserved
from ..spec.model import Security, SecurityScheme, Spec
from .environment import markdown_code
from .python_types import py_literal

# What a generated client already has: constructor keywords, runtime attributes and methods,
# and the names its module binds.
CLIENT_NAMES = reserved.CLIENT | reserved.client_module()


@dataclass(frozen=True)
class AuthOption:
    name: str  # the constructor keyword and client attribute: api_key
    env: str  # the environment variable it is read from
    required: bool  # the constructor raises without it


@dataclass(frozen=True)
class SchemeView:
    name: str  # the scheme's name in the spec (a key of the client's scheme table)
    kind: str
    options: tuple[AuthOption, ...]
    location: str = ""
    parameter: str = ""

    @property
    def literal(self) -> str:
        """The runtime's `_auth.Scheme(...)` for this scheme (the module imported, not the
        class: a resource class may be called `Scheme`)."""
        args = [
            py_literal(self.kind),
            f"options={_tuple([o.name for o in self.options])}",
            f"env={_tuple([o.env for o in self.options])}",
        ]
        if self.kind == "api_key":
            args += [f"location={py_literal(self.location)}"]
            args += [f"parameter={py_literal(self.parameter)}"]
        return f"_auth.Scheme({', '.join(args)})"

    @property
    def names(self) -> str:
        return " and ".join(f"`{o.name}`" for o in self.options)

    @property
    def required(self) -> bool:
        return all(o.required for o in self.options)

    @property
    def how(self) -> str:
        """How the credential is sent, in Markdown: `a bearer token in the Authorization header`."""
        if self.kind == "bearer":
            return "a bearer token in the Authorization header"
        if self.kind == "basic":
            return "HTTP basic credentials in the Authorization header"
        where = {"header": "header", "query": "query parameter", "cookie": "cookie"}
        return f"sent in the {markdown_code(self.parameter)} {where[self.location]}"


@dataclass
class AuthView:
    schemes: list[SchemeView] = field(default_factory=list)
    default: str = "()"  # the client's default requirement, a Python literal

    @property
    def options(self) -> list[AuthOption]:
        return [o for s in self.schemes for o in s.options]


def auth_view(spec: Spec, taken: set[str]) -> AuthView:
    """The credential options of the client; `taken` holds names already in use (resources,
    other options); the names chosen are added to it."""
    names = _option_names(spec.api.security_schemes, spec.api.credentials, taken)
    required = _required_schemes(spec)
    prefix = naming.snake(spec.api.package.split(".")[-1]).upper()
    schemes = []
    for scheme in spec.api.security_schemes:
        options = tuple(
            AuthOption(
                name,
                spec.api.environment.get(name, f"{prefix}_{name.upper()}"),
                scheme.name in required,
            )
            for name in names[scheme.name]
        )
        schemes.append(
            SchemeView(scheme.name, scheme.kind, options, scheme.location, scheme.parameter)
        )
    return AuthView(schemes, security_literal(spec.api.security))


def security_literal(security: Security) -> str:
    """A requirement as the runtime takes it: `(("A",), ("B", "C"))`."""
    return _tuple([_tuple(list(alternative)) for alternative in security], quote=False)


def _tuple(items: list[str], quote: bool = True) -> str:
    parts = [py_literal(i) if quote else i for i in items]
    return f"({parts[0]},)" if len(parts) == 1 else f"({', '.join(parts)})"


def _option_names(
    schemes: tuple[SecurityScheme, ...], renamed: dict[str, str], taken: set[str]
) -> dict[str, list[str]]:
    tokens = [s for s in schemes if s.kind != "basic"]
    basics = [s for s in schemes if s.kind == "basic"]
    wanted: dict[str, list[str]] = {}
    for scheme in tokens:
        if scheme.name in renamed:
            wanted[scheme.name] = [renamed[scheme.name]]
        elif len(tokens) == 1:
            wanted[scheme.name] = ["access_token" if scheme.origin else "api_key"]
        else:
            wanted[scheme.name] = [_own_name(scheme.name)]
    for scheme in basics:
        own = renamed.get(scheme.name) or (_own_name(scheme.name) if len(basics) > 1 else "")
        prefix = f"{own}_" if own else ""
        wanted[scheme.name] = [f"{prefix}username", f"{prefix}password"]
    names: dict[str, list[str]] = {}
    for scheme in schemes:  # in the document's order: the first keeps a contested name
        names[scheme.name] = []
        for name in wanted[scheme.name]:
            name = naming.python_identifier(name, frozenset(CLIENT_NAMES))
            while name in taken or name in CLIENT_NAMES:
                name += "_"
            taken.add(name)
            names[scheme.name].append(name)
    return names


def _own_name(scheme: str) -> str:
    name = naming.snake(scheme)
    return name.removesuffix("_auth") if name != "auth" and name.endswith("_auth") else name


def _required_schemes(spec: Spec) -> set[str]:
    """Schemes in every alternative of every operation (none if an operation needs none)."""
    required: set[str] | None = None
    for _, method in spec.methods():
        security = spec.security_of(method)
        needed = set.intersection(*(set(a) for a in security)) if security else set()
        required = needed if required is None else required & needed
    return required or set()
