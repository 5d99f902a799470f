"""The one Jinja environment every target renders through, and its filters.

A target is a folder under templates/: files ending in `.j2` are rendered (the suffix is
dropped), every other file is copied byte for byte. The caller's `rename_path` places
each file (the Python target puts a `package` segment at the package's folder path,
`acme/vendor/petstore` for `acme.vendor.petstore`); a file named `__each_<key>__.py.j2` is
rendered once per item of the context list `<key>`, as `<item.module>.py`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError

if TYPE_CHECKING:
    import jinja2

# The targets ship inside the package (sdkgen/templates, mapped from the top-level templates/
# folder in pyproject.toml), so an installed wheel finds them wherever it runs.
TEMPLATES_PACKAGE = "sdkgen.templates"


def target_root(target: str) -> Path:
    """The folder of one target's templates; a target that is missing or empty is an error
    (rendering it would silently produce nothing)."""
    try:
        root = Path(str(resources.files(TEMPLATES_PACKAGE) / target))
    except ModuleNotFoundError:
        root = Path("(not installed)")
    if not root.is_dir() or not any(p.is_file() for p in root.rglob("*")):
        raise InputError(
            f"templates/{target}", f"no templates for target {target!r} (looked in {root})"
        )
    return root


# Characters a reader cannot see and linters reject in source (PLE2502 and friends).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)


def make_environment(root: Path, autoescape: bool = False) -> jinja2.Environment:
    import jinja2  # here: a command that renders nothing (import, check on a cache hit) starts faster

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=autoescape,
    )
    env.filters["docstring"] = docstring
    env.filters["doctext"] = escape_text
    env.filters["comment"] = comment
    env.filters["mdtext"] = markdown_text
    env.filters["mdcode"] = markdown_code
    return env


def _bytecode_cache() -> jinja2.BytecodeCache:
    from ..cache import default_folder

    return _template_bytecode(default_folder())


# Compiled templates by Jinja's key (see _template_bytecode), for the process.
_COMPILED: dict[str, bytes] = {}


@functools.cache
def _template_bytecode(folder: Path | None) -> jinja2.BytecodeCache:
    """Compiled templates, kept for the process and beside sdkgen's cache as Python keeps
    .pyc files: compiling the templates took half of a flagship render (0.48 of 0.94 s,
    profiled), in every render (each makes its environments afresh). Jinja checks each
    entry against its template's source, so an edited template compiles afresh; the results
    cache (`--no-cache`) is another matter. With the cache off ($SDKGEN_CACHE_DIR=off) or its
    folder not writable, the compiled templates are kept for the process only."""
    import jinja2

    files = None
    if folder is not None:
        try:
            (folder / "templates").mkdir(parents=True, exist_ok=True)
            files = jinja2.FileSystemBytecodeCache(str(folder / "templates"))
        except OSError:
            pass

    class TemplateBytecode(jinja2.BytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            if bucket.key in _COMPILED:
                bucket.bytecode_from_string(_COMPILED[bucket.key])
            elif files is not None:
                files.load_bytecode(bucket)
                if bucket.code is not None:
                    _COMPILED[bucket.key] = bucket.bytecode_to_string()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            _COMPILED[bucket.key] = bucket.bytecode_to_string()
            if files is not None:
                try:
                    files.dump_bytecode(bucket)
                except OSError:  # a full or read-only disk costs a compile, not the render
                    pass

    return TemplateBytecode()


def compiled_templates() -> dict[str, bytes]:
    """The templates compiled (or loaded) in this process so far: what a forked render
    hands back (see parallel.py), for the next render here not to compile them again."""
    return dict(_COMPILED)


def keep_compiled(templates: dict[str, bytes]) -> None:
    _COMPILED.update(templates)


def docstring(text: str, indent: int = 0) -> str:
    """A triple-quoted docstring holding `text` exactly (after Python unescaping)."""
    trailing_quote = text.endswith('"')
    body = escape_text(text[:-1] if trailing_quote else text)
    if trailing_quote:  # a quote right before the closing quotes would end the string early;
        body += "\\x22"  # `\"` would do, but black then pads it with a space
    lines = body.split("\n")
    if len(lines) == 1:
        return f'"""{body}"""'
    pad = " " * indent
    rest = "\n".join(pad + line if line else "" for line in lines[1:])
    return f'"""{lines[0]}\n{rest}\n{pad}"""'


def escape_text(text: str) -> str:
    """Text for the inside of a triple-quoted string: backslashes, triple quotes and
    invisible characters (controls, bidi marks, line separators) escaped."""
    body = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return _INVISIBLE.sub(_escape_char, body)


def escape_invisible_json(text: str) -> str:
    """Invisible characters of a JSON string literal as \\uXXXX (valid JSON and Python)."""
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@functools.lru_cache(maxsize=1 << 16)  # the same names and values recur on every page
def markdown_text(text: object) -> str:
    """Plain text from the document (a title, a summary, a default) for one line of a
    Markdown page: what Markdown would read as raw HTML or an entity stays text (as in the
    HTML docs), and brackets and backticks cannot open a link or a code span."""
    body = " ".join(str(text).splitlines())
    body = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", body)


_MARKDOWN_PUNCTUATION = re.compile(r"[\\\[\]`]")


@functools.lru_cache(maxsize=1 << 16)
def markdown_code(text: object) -> str:
    """Text as one Markdown code span, whatever backticks it holds (CommonMark: a fence
    longer than any run of backticks inside, padded when the text starts or ends with one),
    so no text from the document can close the span and be read as Markdown or HTML."""
    body = " ".join(str(text).splitlines())
    fence = "`" * (max(map(len, re.findall("`+", body)), default=0) + 1)
    spaced = body[:1] == body[-1:] == " " and body.strip()  # CommonMark strips one each side
    pad = " " if body[:1] == "`" or body[-1:] == "`" or spaced else ""
    return f"{fence}{pad}{body}{pad}{fence}"


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
    root = target_root(target)
    env = make_environment(root, autoescape)
    env.filters.update(filters or {})
    files: dict[str, bytes] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        if "__pycache__" in relative or path.name.startswith("_macros"):
            continue  # macro files are imported by templates, not rendered
        if not relative.endswith(".j2"):
            files[rename_path(relative)] = path.read_bytes()
            continue
        template = env.get_template(relative)
        output = relative[: -len(".j2")]
        match = _EACH.search(output)
        if match is None:
            files[rename_path(output)] = template.render(**context).encode("utf-8")
            continue
        # `__each_<key>__` in a path: one file per item of context[<key>], named by its `.module`
        key = match.group(1)
        for item in context[key]:
            text = template.render(**context, item=item)
            files[rename_path(_EACH.sub(item.module, output))] = text.encode("utf-8")
    return files


_EACH = re.compile(r"__each_(\w+?)__")
