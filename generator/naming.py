"""Names: PascalCase definition names for the importer, safe identifiers for renderers.

Pure string functions, shared by stages that must agree on how a name is spelled.
"""

from __future__ import annotations

import keyword
import re

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")


def words(text: str) -> list[str]:
    """Split on case changes and any non-alphanumeric character."""
    return _WORDS.findall(text)


def pascal(text: str) -> str:
    """`thread.run.created` -> `ThreadRunCreated`; keeps inner capitals (`ImageURL`)."""
    parts = [w[:1].upper() + w[1:] for w in words(text)]
    name = "".join(parts)
    if not name:
        return "Unnamed"
    return name if not name[0].isdigit() else "N" + name


def snake(text: str) -> str:
    """`createThreadAndRun` -> `create_thread_and_run`."""
    name = "_".join(w.lower() for w in words(text))
    if not name:
        return "unnamed"
    return name if not name[0].isdigit() else "n_" + name


def singular(text: str) -> str:
    """A cautious singular for naming array items: `tools` -> `tool`, else `item` appended."""
    lower = text.lower()
    if lower.endswith("ies") and len(text) > 4:
        return text[:-3] + "y"
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(text) > 2:
        return text[:-1]
    return text + "_item"


def python_identifier(name: str, reserved: frozenset[str] = frozenset()) -> str:
    """A valid, public Python identifier for a wire name.

    Invalid characters become `_`; a leading digit or underscore gets a `field_` prefix
    (pydantic treats `_x` as private); keywords and `reserved` names get a trailing `_`.
    """
    ident = re.sub(r"\W", "_", name, flags=re.ASCII)
    if not ident or ident[0].isdigit() or ident.startswith("_"):
        ident = "field_" + ident.lstrip("_") if ident.strip("_") else "field"
    if (
        keyword.iskeyword(ident)
        or keyword.issoftkeyword(ident)
        and ident == "_"
        or ident in reserved
    ):
        ident += "_"
    return ident


def is_dotted_name(text: str) -> bool:
    """`acme.vendor.petstore`: ASCII identifiers joined by dots, none a keyword (an import
    path a generated package can live at; ASCII, as import normalizes other names)."""
    parts = text.split(".")
    return all(p.isascii() and p.isidentifier() and not keyword.iskeyword(p) for p in parts)
