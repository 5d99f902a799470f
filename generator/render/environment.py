"""The one Jinja environment every target renders through, and its filters.

A target is a folder under templates/: files ending in `.j2` are rendered (the suffix is
dropped), every other file is copied byte for byte. A path segment named `package` is
replaced by the SDK's package name.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import jinja2

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def make_environment(root: Path, autoescape: bool = False) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=autoescape,
    )
    env.filters["docstring"] = docstring
    env.filters["comment"] = comment
    return env


def docstring(text: str, indent: int = 0) -> str:
    """A triple-quoted docstring holding `text` exactly (after Python unescaping)."""
    body = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    body = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", body)
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    lines = body.split("\n")
    if len(lines) == 1:
        return f'"""{body}"""'
    pad = " " * indent
    rest = "\n".join(pad + line if line else "" for line in lines[1:])
    return f'"""{lines[0]}\n{rest}\n{pad}"""'


def comment(text: str) -> str:
    """Text as `#` comment lines (for generated file headers)."""
    return "\n".join(f"# {line}".rstrip() for line in text.splitlines())


def render_target(
    target: str,
    context: dict[str, Any],
    rename_path: Callable[[str], str],
    filters: dict[str, Callable[..., Any]] | None = None,
    autoescape: bool = False,
) -> dict[str, bytes]:
    """Every file of a target folder, rendered or copied, by output path."""
    root = TEMPLATES / target
    env = make_environment(root, autoescape)
    env.filters.update(filters or {})
    files: dict[str, bytes] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        if "__pycache__" in relative:
            continue
        if relative.endswith(".j2"):
            text = env.get_template(relative).render(**context)
            files[rename_path(relative[: -len(".j2")])] = text.encode("utf-8")
        else:
            files[rename_path(relative)] = path.read_bytes()
    return files
